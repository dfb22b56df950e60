"""What the build hands to publishing and the bot: paths, channels, and the two JSON contracts.

`kartu.json` (one post's cards, read by `kelurahan publish`) and `whatsapp/menu.json` (one
kelurahan's menu, read by `kelurahan bot`) are written by `generator` with `model_dump_json()`
and read by `publish` with `read_output()`, so both sides share one declared schema. Keys stay
Indonesian (docs/quality-budgets.md); attributes are English. `versi` is checked on read: a file from an
older or newer build is refused with the reason, never half understood.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kelurahan.errors import KelurahanError

Channel = Literal["facebook", "instagram", "tiktok"]
CHANNELS: tuple[Channel, ...] = ("facebook", "instagram", "tiktok")
CHANNEL_LABELS: dict[Channel, str] = {
    "facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok"}

CARD_MANIFEST = "kartu.json"
MENU_JSON = "menu.json"
SHARD_SUMMARIES = "ringkasan-shard.json"
CARD_VERSION = 1
MENU_VERSION = 1
SHARD_VERSION = 1


def display_name(name: str) -> str:
    """`Kelurahan Sukamaju`, without doubling the word when the name already has it."""
    return name if name.casefold().startswith("kelurahan") else f"Kelurahan {name}"


# Output layout under `--out`, as paths relative to it (also the public URL paths).

def card_dir(slug: str, stem: str) -> str:
    return f"{slug}/kartu/{stem}/"


def card_image(slug: str, stem: str, channel: Channel) -> str:
    return f"{card_dir(slug, stem)}{channel}.jpg"


def caption_file(channel: Channel) -> str:
    return f"caption-{channel}.txt"


def whatsapp_dir(slug: str) -> str:
    return f"{slug}/whatsapp/"


MENU_GLOB = f"*/whatsapp/{MENU_JSON}"
# Words residents use to ask about the office itself (address, phone, hours), which the bot
# answers with the office's details: a service keyword made of them only (`alamat`) is taken
# for that question, so `kelurahan check` warns about it.
OFFICE_WORDS = frozenset({
    "alamat", "alamatnya", "lokasi", "letak", "dimana", "dmn", "dmana", "dimna", "maps", "map",
    "gmaps", "peta", "sharelok", "shareloc", "posisi", "rute", "arah", "telepon", "telpon",
    "telp", "tlp", "tlpn", "kontak", "jam", "buka", "tutup", "libur", "operasional", "sabtu",
    "minggu", "senin", "selasa", "rabu", "kamis", "jumat", "istirahat"
})


class OutputError(KelurahanError):
    """A build output is missing, unreadable or from another version; says what to run."""


class _Contract(BaseModel):
    """Indonesian keys on disk (aliases), English attributes in code; unknown keys ignored."""

    model_config = ConfigDict(frozen=True, validate_by_name=True, validate_by_alias=True,
                              serialize_by_alias=True)

    def to_json(self) -> str:
        """Readable, stable text (UTF-8, not \\u escapes) as the files have always been."""
        return self.model_dump_json(indent=2, ensure_ascii=False) + "\n"


def _expect_version(data: Any, expected: int) -> Any:
    """Another `versi` is refused with one clear error, not twenty about its other keys."""
    found = data.get("versi", data.get("version")) if isinstance(data, dict) else expected
    if found != expected:
        raise ValueError(f"versi {found!r} tidak dikenal, harus {expected}"
                         if found is not None else f"tanpa versi, harus {expected}")
    return data


class CardImage(_Contract):
    file: str = Field(alias="berkas")
    width: int = Field(alias="lebar")
    height: int = Field(alias="tinggi")
    url: str


class TikTokCaption(_Contract):
    title: str = Field(alias="judul")
    description: str = Field(alias="deskripsi")


class CardCaptions(_Contract):
    facebook: str
    instagram: str
    tiktok: TikTokCaption


class CardManifest(_Contract):
    """`<slug>/kartu/<stem>/kartu.json`: one post's cards, their public URLs and captions."""

    version: Literal[1] = Field(alias="versi")
    kelurahan: str
    post: str
    title: str = Field(alias="judul")
    url: str
    publish_at: dt.datetime = Field(alias="jadwal")
    channels: tuple[Channel, ...] = Field(alias="terbit")
    images: dict[Channel, CardImage] = Field(alias="gambar")
    captions: CardCaptions = Field(alias="keterangan")

    @model_validator(mode="before")
    @classmethod
    def _check_version(cls, data: Any) -> Any:
        return _expect_version(data, CARD_VERSION)


class Office(_Contract):
    name: str = Field(alias="nama")
    address: str | None = Field(None, alias="alamat")
    phone: str | None = Field(None, alias="telepon")
    whatsapp: str | None = None
    office_hours: str | None = Field(None, alias="jam_layanan")
    site: str = Field(alias="situs")
    coordinates: tuple[float, float] | None = Field(None, alias="koordinat")
    map: str | None = Field(None, alias="peta")  # OpenStreetMap link from `koordinat`
    answer: str | None = Field(None, alias="jawaban")  # what the bot sends for "alamat kantor"


class MenuService(_Contract):
    """One numbered service; the output contract (docs/content-format.md) fixes nomor, id, judul, ringkasan, syarat, kata_kunci."""

    number: int = Field(alias="nomor")
    id: str
    title: str = Field(alias="judul")
    summary: str | None = Field(None, alias="ringkasan")
    requirements: tuple[str, ...] = Field(alias="syarat")
    keywords: tuple[str, ...] = Field(alias="kata_kunci")
    cost: str | None = Field(None, alias="biaya")
    duration: str | None = Field(None, alias="waktu")
    url: str
    answer: str = Field(alias="jawaban")


class Handoff(_Contract):
    words: tuple[str, ...] = Field(alias="kata")
    id: str
    answer: str = Field(alias="jawaban")


class OtherOffice(_Contract):
    """A service another office handles (Disdukcapil, Polsek…): the bot names that office."""

    id: str
    name: str = Field(alias="nama")
    keywords: tuple[str, ...] = Field(alias="kata_kunci")
    answer: str = Field(alias="jawaban")


class ListPages(_Contract):
    """Cloud API list-message bodies (Meta's wire format, kept as-is) and the "Lainnya" ids."""

    page_id: str = Field(alias="halaman_id")
    pages: tuple[dict[str, Any], ...] = Field(alias="halaman")


class WhatsAppMenu(_Contract):
    """`<slug>/whatsapp/menu.json`: everything the bot answers from, without reading content/."""

    version: Literal[1] = Field(alias="versi")
    kelurahan: str
    slug: str
    district: str = Field(alias="kecamatan")
    phone_number_id: str | None
    greeting: str = Field(alias="salam")
    menu: str
    office: Office = Field(alias="kantor")
    services: tuple[MenuService, ...] = Field(alias="layanan")
    back_words: tuple[str, ...] = Field(alias="kembali")
    handoff: Handoff = Field(alias="petugas")
    help: str = Field(alias="bantuan")
    pii_warning: str = Field(alias="peringatan_data_pribadi")
    list_pages: ListPages = Field(alias="daftar")
    other_offices: tuple[OtherOffice, ...] = Field((), alias="instansi_lain")

    @model_validator(mode="before")
    @classmethod
    def _check_version(cls, data: Any) -> Any:
        return _expect_version(data, MENU_VERSION)


class FeedItem(_Contract):
    """One entry of the city feed (`feed.xml`); keys as the portal code uses them."""

    title: str
    link: str
    date: str
    summary: str
    kelurahan: str


class PortalPost(_Contract):
    """A newest post on the portal, with its 160 px thumbnail ("" when it has no photo)."""

    title: str
    path: str
    date: str
    thumb: str
    width: str
    height: str


class PortalNotice(_Contract):
    title: str
    until: str
    path: str


class PortalSite(_Contract):
    """What the city portal shows about one kelurahan: kept in the build state so an unchanged
    site needs no reload, and written per shard for the merge (`ShardSummaries`)."""

    slug: str
    name: str
    district: str
    whatsapp: str | None
    latest_date: str | None = None
    latest_title: str | None = None
    latest_path: str | None = None
    services: tuple[tuple[int, str, str], ...] = ()
    feed_items: tuple[FeedItem, ...] = ()
    latest: tuple[PortalPost, ...] = ()
    notices: tuple[PortalNotice, ...] = ()


class SiteIdentity(_Contract):
    """What must be unique across all shards (name, bot number, staff numbers) of one kelurahan."""

    slug: str
    name: str = Field(alias="nama")
    phone_id: str | None = Field(None, alias="whatsapp_phone_id")
    staff: tuple[str, ...] = Field((), alias="petugas")


class ShardSummaries(_Contract):
    """`<shard out>/ringkasan-shard.json`: the portal summaries of one shard of a sharded build,
    read by `kelurahan build --portal-only` to write the portal of every shard's sites."""

    version: Literal[1] = Field(alias="versi")
    shard: int
    shard_count: int = Field(alias="jumlah_shard")
    built_at: dt.datetime = Field(alias="waktu_build")
    sites: tuple[PortalSite, ...] = Field(alias="situs")
    identities: tuple[SiteIdentity, ...] = Field((), alias="identitas")

    @model_validator(mode="before")
    @classmethod
    def _check_version(cls, data: Any) -> Any:
        return _expect_version(data, SHARD_VERSION)


Contract = TypeVar("Contract", bound=_Contract)


def read_output(path: Path, model: type[Contract], *, remedy: str = "kelurahan build") -> Contract:
    """The file parsed into `model`, or OutputError naming the file, the key and what to run."""
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        raise OutputError(f"{path} tidak ada: jalankan '{remedy}' dulu") from None
    except OSError as exc:
        raise OutputError(f"{path} tidak dapat dibaca ({exc.strerror or exc}): "
                          f"jalankan '{remedy}' lagi") from None
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        raise OutputError(f"{path} rusak ({_first_error(exc)}): jalankan '{remedy}' lagi") from None


def _first_error(exc: ValidationError) -> str:
    from kelurahan.messages import describe, field_name

    errors = exc.errors()
    first = errors[0]
    if first["type"] == "json_invalid":
        return f"bukan JSON yang valid: {first.get('ctx', {}).get('error', first['msg'])}"
    where = field_name(first["loc"])
    more = f"; dan {len(errors) - 1} masalah lain" if len(errors) > 1 else ""
    return f"{where + ': ' if where else ''}{describe(first)}{more}"
