"""The content model: typed, immutable objects that `generator` and `publish` work from.

Attribute names are English; each field's alias is the Indonesian key the staff write, so
validation errors name the key the user sees. Defaults that depend on the city (time zone,
publishing hour) or the profile (channels) come in through the validation context.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kelurahan import outputs
from kelurahan.dates import DEFAULT_TIMEZONE, impossible_date
from kelurahan.outputs import CHANNELS, Channel
from kelurahan.phone import normalise_whatsapp, wa_digits
from kelurahan.slugs import SLUG_PATTERN

# The body `kelurahan post` starts with; a post still containing it is never published.
POST_PLACEHOLDER = "Tulis laporan kegiatan di sini"

__all__ = ["CHANNELS", "Channel", "City", "Kelurahan", "Photo", "Post", "Service"]


def _yes_no(value: Any) -> Any:
    """Accept the Indonesian `ya` / `tidak` besides true/false."""
    if isinstance(value, str) and value.strip().casefold() in {"ya", "tidak"}:
        return value.strip().casefold() == "ya"
    return value


def _check_email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError(f"alamat email tidak valid: {value!r}")
    return value


def _clock(value: Any) -> Any:
    """`09.00` (Indonesian style), `9.00`, `09:00` and `9` all mean nine o'clock; unquoted
    in YAML they arrive as numbers that remember how they were written."""
    text = getattr(value, "text", value)  # yamlfile.WrittenInt / WrittenFloat
    if not isinstance(text, str):
        return value
    hour, _, minute = text.strip().replace(".", ":").partition(":")
    if hour.isdigit() and len(hour) <= 2 and (not minute or minute.isdigit()):
        return f"{int(hour):02d}:{minute or '00'}"
    return text.strip()


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Flag = Annotated[bool, BeforeValidator(_yes_no)]
WhatsApp = Annotated[str, AfterValidator(normalise_whatsapp)]
Email = Annotated[str, AfterValidator(_check_email)]
Clock = Annotated[dt.time, BeforeValidator(_clock)]


def _without_word(word: str) -> BeforeValidator:
    """`nama: Kelurahan Sukamaju` means Sukamaju: the pages and cards add the word themselves,
    and showed "Kelurahan Kelurahan Sukamaju" (likewise "Kecamatan")."""
    def strip(value: Any) -> Any:
        if isinstance(value, str):
            head, _, rest = value.strip().partition(" ")
            if head.casefold() == word and rest.strip():
                return rest.strip()
        return value
    return BeforeValidator(strip)


KelurahanName = Annotated[Text, _without_word("kelurahan")]
DistrictName = Annotated[Text, _without_word("kecamatan")]


def _photo_in_folder(value: Any, info: ValidationInfo) -> Any:
    """A photo as written (`media/x.jpg` or `{berkas, keterangan}`), resolved in the folder."""
    folder = (info.context or {}).get("folder")
    if folder is None or isinstance(value, Photo):
        return value
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"berkas", "keterangan"})
        if unknown:
            raise ValueError(f"kunci foto tidak dikenal: {', '.join(map(str, unknown))} "
                             "(yang boleh: berkas, keterangan)")
        if "berkas" not in value:
            raise ValueError("foto dengan keterangan harus punya berkas: {berkas: media/…, keterangan: …}")
        caption = value.get("keterangan")
        if caption is not None and (not isinstance(caption, str) or not caption.strip()):
            raise ValueError(f"keterangan foto harus berupa teks, bukan {caption!r}")
        photo = resolve_photo(folder, value["berkas"])
        return photo.model_copy(update={"caption": caption.strip() if caption else None})
    return resolve_photo(folder, value)


def _download_in_folder(value: Any, info: ValidationInfo) -> Any:
    """A form to download (`media/formulir.pdf`), resolved against the kelurahan folder."""
    folder = (info.context or {}).get("folder")
    if folder is None or isinstance(value, Download):
        return value
    found = resolve_file(folder, value, what="unduhan")
    return Download(src=found.src, path=found.path, size=found.path.stat().st_size)


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True,
        coerce_numbers_to_str=True,  # YAML reads `1001` or `6281…` as numbers; ours are text
    )


class Photo(_Model):
    """A photo file inside the kelurahan folder; `src` is what the author wrote."""

    src: str
    path: Path
    caption: str | None = None


class Download(_Model):
    """A file offered for download on a service page (a form, usually PDF), with its size."""

    src: str
    path: Path
    size: int


class Boundaries(_Model):
    north: Text | None = Field(None, alias="utara")
    east: Text | None = Field(None, alias="timur")
    south: Text | None = Field(None, alias="selatan")
    west: Text | None = Field(None, alias="barat")


class Social(_Model):
    """Public addresses of the accounts, plus the ids the APIs need to post to them."""

    facebook: Text | None = None
    instagram: Text | None = None
    tiktok: Text | None = None
    facebook_page_id: str | None = None
    instagram_user_id: str | None = None


class Staff(_Model):
    """A staff member who may post for the kelurahan from WhatsApp (never shown on the site)."""

    name: Text = Field(alias="nama")
    whatsapp: WhatsApp


class Service(_Model):
    """One service (layanan): what to bring, what it costs, how long it takes."""

    kelurahan: Slug
    slug: Slug
    source: Path
    body: str = ""
    number: int = 0
    title: Text = Field(alias="judul")
    order: int = Field(alias="urutan")
    requirements: tuple[Text, ...] = Field(alias="syarat", min_length=1)
    keywords: tuple[Text, ...] = Field((), alias="kata_kunci")
    cost: Text = Field("Gratis", alias="biaya")
    duration: Text | None = Field(None, alias="waktu")
    summary: Text | None = Field(None, alias="ringkasan")
    downloads: tuple[Annotated[Download, BeforeValidator(_download_in_folder)], ...] = Field(
        (), alias="unduhan"
    )

    @property
    def url_path(self) -> str:
        return f"{self.kelurahan}/layanan/{self.slug}/"


class Announcement(_Model):
    """A notice (pengumuman) shown on the home page, the important ones on the portal too."""

    kelurahan: Slug
    slug: Slug
    source: Path
    body: str = ""
    title: Text = Field(alias="judul")
    valid_until: dt.date = Field(alias="berlaku_sampai")
    important: Flag = Field(False, alias="penting")

    def is_current(self, today: dt.date) -> bool:
        """Shown up to and including its last day; gone from the next build after that."""
        return today <= self.valid_until


class Post(_Model):
    """One weekly post (kegiatan), identified by its file name stem `YYYY-MM-DD-slug`."""

    kelurahan: Slug
    stem: str
    slug: Slug
    source: Path
    body: str = ""
    title: Text = Field(alias="judul")
    date: dt.date = Field(alias="tanggal")
    photos: tuple[Annotated[Photo, BeforeValidator(_photo_in_folder)], ...] = Field(
        (), alias="foto"
    )
    categories: tuple[Text, ...] = Field((), alias="kategori")
    summary: Text | None = Field(None, alias="ringkasan")
    channels: tuple[Channel, ...] = Field((), alias="terbit")
    publish_at: dt.datetime = Field(alias="jadwal")
    draft: Flag = Field(False, alias="draf")

    @model_validator(mode="before")
    @classmethod
    def _defaults_from_context(cls, data: Any, info: ValidationInfo) -> Any:
        """`jadwal` defaults to `tanggal` at the city's `jam_terbit`; `terbit` to the profile's."""
        if not isinstance(data, dict) or not info.context:
            return data
        data = dict(data)
        day = _as_date(data.get("tanggal"))
        if data.get("jadwal") is None and day is not None:
            data["jadwal"] = dt.datetime.combine(day, info.context["publish_time"])
        if data.get("terbit") is None:
            data["terbit"] = info.context.get("channels", ())
        return data

    @field_validator("date")
    @classmethod
    def _matches_file_name(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        named = str(info.data.get("stem", ""))[:10]
        if named and value.isoformat() != named:
            raise ValueError(f"{value.isoformat()} tidak sama dengan tanggal di nama berkas ({named})")
        return value

    @field_validator("publish_at", mode="before")
    @classmethod
    def _local_time(cls, value: Any, info: ValidationInfo) -> Any:
        """A naive `jadwal` is wall-clock time in the city's zone (WIB/WITA/WIT differ)."""
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(impossible_date(value) or (
                    f"harus berupa tanggal dan jam seperti 2025-10-27T09:00, bukan {value!r}"
                )) from None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            raise ValueError("harus memuat jam juga, misalnya 2025-10-27T09:00")
        tz = (info.context or {}).get("tz")
        if isinstance(value, dt.datetime) and tz is not None:
            value = value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
        return value

    @property
    def url_path(self) -> str:
        return f"{self.kelurahan}/kegiatan/{self.stem}/"

    @property
    def card_dir(self) -> str:
        """Where the social cards of this post live under the output root."""
        return outputs.card_dir(self.kelurahan, self.stem)

    def card_path(self, channel: Channel) -> str:
        return outputs.card_image(self.kelurahan, self.stem, channel)

    @property
    def unfinished(self) -> bool:
        """Still the placeholder text of `kelurahan post`: never published (check warns)."""
        return POST_PLACEHOLDER in self.body  # the template would go online

    @property
    def publishable(self) -> bool:
        """Not a draft and written: cards are drawn and posted for it when its time comes."""
        return not self.draft and not self.unfinished

    def is_published(self, now: dt.datetime) -> bool:
        """On the site and due for social media: publishable and its time has come."""
        return self.publishable and self.publish_at <= now


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def resolve_photo(folder: Path, src: Any) -> Photo:
    """A photo path relative to the kelurahan folder (a bare name means `media/<name>`)."""
    return resolve_file(folder, src, what="foto")


def resolve_file(folder: Path, src: Any, *, what: str) -> Photo:
    """A file path relative to the kelurahan folder (a bare name means `media/<name>`)."""
    if not isinstance(src, str) or not src.strip():
        raise ValueError(f"harus berupa jalur berkas {what}, bukan {src!r}")
    src = src.strip()
    if "\\" in src:  # written on Windows: media\foto.jpg
        raise ValueError(f"jalur {what} memakai garis miring ke kiri: {src}; tulis dengan / "
                         f"seperti {src.replace(chr(92), '/')}")
    if os.path.isabs(src):
        raise ValueError(f"jalur {what} harus relatif terhadap folder kelurahan, bukan {src!r}")
    base = os.path.abspath(folder)
    # String operations, not pathlib: this runs for every photo of every post.
    path = os.path.normpath(os.path.join(base, src if "/" in src else f"media/{src}"))
    if not path.startswith(base + os.sep):
        raise ValueError(f"jalur {what} keluar dari folder kelurahan: {src!r}")
    if not os.path.isfile(path):
        raise ValueError(f"berkas {what} tidak ditemukan: {src!r}{_meant_file(path, base)}")
    return Photo(src=src, path=Path(path))


def _meant_file(path: str, base: str) -> str:
    """`; maksud Anda media/Foto-1.JPG?` when only the letters' case differs (phones and
    Windows name files `IMG_0012.JPG`; the server tells `a` from `A`)."""
    folder, name = os.path.split(path)
    try:
        names = os.listdir(folder)
    except OSError:
        return ""
    same = [n for n in names if n.casefold() == name.casefold()]
    return f"; maksud Anda {os.path.relpath(os.path.join(folder, same[0]), base)}?" if same else ""


class Kelurahan(_Model):
    """A kelurahan: its profile (profil.md) with its services and posts."""

    slug: Slug
    folder: Path
    body: str = ""
    logo: Path | None = None
    services: tuple[Service, ...] = ()
    posts: tuple[Post, ...] = ()
    announcements: tuple[Announcement, ...] = ()
    name: KelurahanName = Field(alias="nama")
    district: DistrictName = Field(alias="kecamatan")
    head: Text | None = Field(None, alias="lurah")
    address: Text | None = Field(None, alias="alamat")
    phone: Text | None = Field(None, alias="telepon")
    whatsapp: WhatsApp | None = None
    email: Email | None = None
    office_hours: Text | None = Field(None, alias="jam_layanan")
    region_code: Text | None = Field(None, alias="kode_wilayah")
    area_km2: float | None = Field(None, alias="luas_km2", gt=0)
    population: int | None = Field(None, alias="penduduk", ge=0)
    rt_count: int | None = Field(None, alias="jumlah_rt", ge=0)
    rw_count: int | None = Field(None, alias="jumlah_rw", ge=0)
    boundaries: Boundaries = Field(default_factory=Boundaries, alias="batas")
    coordinates: tuple[float, float] | None = Field(None, alias="koordinat")
    social: Social = Field(default_factory=Social, alias="sosial")
    channels: tuple[Channel, ...] = Field((), alias="terbit")
    whatsapp_phone_id: str | None = None
    staff: tuple[Staff, ...] = Field((), alias="petugas")

    @field_validator("coordinates")
    @classmethod
    def _on_earth(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value and not (-90 <= value[0] <= 90 and -180 <= value[1] <= 180):
            raise ValueError(f"harus [lintang, bujur] yang masuk akal, bukan {list(value)}")
        return value

    @property
    def url_path(self) -> str:
        return f"{self.slug}/"

    @property
    def display_name(self) -> str:
        """`Kelurahan Sukamaju` (the name already saying "Kelurahan" is not doubled)."""
        return outputs.display_name(self.name)

    def whatsapp_link(self, text: str | None = None) -> str | None:
        """A `https://wa.me/62…` link, optionally with a pre-filled message."""
        if not self.whatsapp:
            return None
        link = f"https://wa.me/{wa_digits(self.whatsapp)}"
        return f"{link}?text={quote(text)}" if text else link

    def staff_member(self, number: str) -> Staff | None:
        """The staff member writing from `number` (`+62…` or WhatsApp's `62…`), if listed."""
        wanted = wa_digits(number)
        return next((s for s in self.staff if wa_digits(s.whatsapp) == wanted), None)

    def published_posts(self, now: dt.datetime) -> list[Post]:
        """Posts a resident may see at `now`, newest first."""
        visible = [p for p in self.posts if p.is_published(now)]
        return sorted(visible, key=lambda p: (p.publish_at, p.stem), reverse=True)

    def current_announcements(self, today: dt.date) -> list[Announcement]:
        """Notices not yet expired, important first, then the one ending soonest."""
        current = [a for a in self.announcements if a.is_current(today)]
        return sorted(current, key=lambda a: (not a.important, a.valid_until, a.slug))


class AuditThresholds(_Model):
    """Days since the last post that separate `aktif`, `kurang aktif` and `tidak aktif`."""

    active_days: int = Field(7, alias="aktif_hari", ge=1)
    less_active_days: int = Field(30, alias="kurang_aktif_hari", ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> AuditThresholds:
        if self.less_active_days <= self.active_days:
            raise ValueError("kurang_aktif_hari harus lebih besar dari aktif_hari")
        return self


class OutsideSite(_Model):
    """A kelurahan site we do not build (WordPress, OpenSID…), audited all the same."""

    name: Text = Field(alias="nama")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    district: Text | None = Field(None, alias="kecamatan")


class City(_Model):
    """The city (kota.yml) and all its kelurahan."""

    content_dir: Path
    kelurahan: tuple[Kelurahan, ...] = ()
    name: Text = Field(alias="nama")
    province: Text | None = Field(None, alias="provinsi")
    timezone: Text = Field(DEFAULT_TIMEZONE, alias="zona_waktu")
    site_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] = Field(
        alias="alamat_situs"
    )
    publish_time: Clock = Field(dt.time(9, 0), alias="jam_terbit")
    audit: AuditThresholds = Field(default_factory=AuditThresholds)
    outside_sites: tuple[OutsideSite, ...] = Field((), alias="situs_luar")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"zona waktu tidak dikenal: {value!r} "
                "(pakai Asia/Jakarta untuk WIB, Asia/Makassar untuk WITA, Asia/Jayapura untuk WIT)"
            ) from None
        return value

    @field_validator("site_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def url(self, path: str = "") -> str:
        """Public URL of an output path such as `sukamaju/kartu/…/facebook.jpg`."""
        return self.site_url + path.lstrip("/")

    def get(self, slug: str) -> Kelurahan:
        for kel in self.kelurahan:
            if kel.slug == slug:
                return kel
        raise KeyError(slug)

    def now(self) -> dt.datetime:
        """The current wall-clock time in the city (for defaults; commands accept --now)."""
        return dt.datetime.now(self.tz)
