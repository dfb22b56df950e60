"""Checks across files, on the loaded model: what no single file can know is wrong."""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from kelurahan.model import City, Kelurahan, Service
from kelurahan.problems import Level, Problem
from kelurahan.slugs import district_slug

T = TypeVar("T")


@dataclass(frozen=True)
class Identity:
    """What must be unique among the kelurahan of a city, and the file where it is written.

    A plain record, so an incremental build can check a changed kelurahan against the stored
    identities of the unchanged ones without loading them.
    """

    profile: Path
    name: str
    phone_id: str | None = None
    staff: tuple[str, ...] = ()  # petugas numbers: one person posts for one kelurahan
    district: str = ""  # kecamatan as written: one spelling per kecamatan page of the portal

    @classmethod
    def of(cls, kel: Kelurahan, profile: Path | None = None) -> Identity:
        return cls(profile or kel.folder / "profil.md", kel.name, kel.whatsapp_phone_id,
                   tuple(s.whatsapp for s in kel.staff), kel.district)


def validate(kelurahan: Sequence[Kelurahan]) -> list[Problem]:
    """Every cross-file problem of the city (duplicates, dates that disagree, …)."""
    problems = identity_clashes([Identity.of(k) for k in kelurahan])
    for kel in kelurahan:
        problems += validate_kelurahan(kel)
    return problems


def identity_clashes(identities: Sequence[Identity]) -> list[Problem]:
    """Each kelurahan whose name, bot number or a staff number an earlier one already uses,
    or whose kecamatan it writes another way."""
    problems = _duplicates(identities, key=lambda i: i.name.casefold(), where=lambda i: i.profile,
                           field="nama", what="nama kelurahan")
    problems += _duplicates([i for i in identities if i.phone_id], key=lambda i: i.phone_id,
                            where=lambda i: i.profile, field="whatsapp_phone_id",
                            what="nomor WhatsApp bot")
    problems += _shared_staff(identities)
    return problems + district_clashes(identities)


def district_clashes(identities: Sequence[Identity]) -> list[Problem]:
    """Each kelurahan whose kecamatan an earlier one writes another way (`Kota-Baru`, `kota
    baru`): the portal would list two kecamatan, or split, write both to one page."""
    slugs = {district: district_slug(district) for district in {i.district for i in identities}}
    first: dict[str, Identity] = {}
    problems = []
    for identity in (i for i in identities if i.district):
        other = first.setdefault(slugs[identity.district], identity)
        if other.district != identity.district:
            problems.append(Problem(str(identity.profile), "kecamatan",
                                    f"kecamatan '{identity.district}' ditulis '{other.district}' "
                                    f"di {other.profile}; keduanya kecamatan yang sama, samakan "
                                    "penulisan nama kecamatan (huruf besar/kecil, spasi, tanda "
                                    "baca)"))
    return problems


def _shared_staff(identities: Sequence[Identity]) -> list[Problem]:
    """A staff number listed for two kelurahan: the bot could not tell where a photo belongs."""
    first: dict[str, Path] = {}
    problems = []
    for identity in identities:
        for number in dict.fromkeys(identity.staff):
            if number in first and first[number] != identity.profile:
                problems.append(Problem(str(identity.profile), "petugas",
                                        f"nomor {number} juga tercantum sebagai petugas di "
                                        f"{first[number]}; satu nomor hanya boleh untuk satu "
                                        "kelurahan"))
            first.setdefault(number, identity.profile)
    return problems


def validate_kelurahan(kel: Kelurahan) -> list[Problem]:
    from kelurahan.links import body_link_problems

    return validate_services(kel.services) + _channels_without_account(kel) + \
        body_link_problems(kel)


def validate_services(services: Sequence[Service]) -> list[Problem]:
    """What the services of one kelurahan must not share (checked even when its profile is bad)."""
    problems = _duplicates(services, key=lambda s: s.order, where=lambda s: s.source,
                           field="urutan", what="urutan")
    problems += _duplicates(services, key=lambda s: s.title.casefold(),
                            where=lambda s: s.source, field="judul", what="judul layanan")
    return problems + _duplicate_keywords(services)


def _duplicates(items: Iterable[T], *, key: Callable[[T], object], where: Callable[[T], Path],
                field: str, what: str) -> list[Problem]:
    """Each item whose key an earlier item already used, pointing at the first user."""
    first: dict[object, T] = {}
    problems = []
    for item in items:
        k = key(item)
        if k in first:
            other = where(first[k])
            problems.append(Problem(str(where(item)), field,
                                    f"{what} {k!s} sudah dipakai oleh {other}"))
        else:
            first[k] = item
    return problems


def _duplicate_keywords(services: Sequence[Service]) -> list[Problem]:
    """A keyword must lead to one service, or the WhatsApp bot cannot answer it."""
    owners: dict[str, list[str]] = defaultdict(list)
    for service in services:
        for word in {w.casefold() for w in service.keywords}:
            owners[word].append(service.slug)
    problems = []
    for service in services:
        for word in sorted({w.casefold() for w in service.keywords}):
            others = [s for s in owners[word] if s != service.slug]
            if others:
                problems.append(Problem(str(service.source), "kata_kunci",
                                        f"kata kunci '{word}' juga dipakai layanan "
                                        f"{', '.join(others)}; setiap kata kunci hanya boleh "
                                        "untuk satu layanan"))
    return problems


def _channels_without_account(kel: Kelurahan) -> list[Problem]:
    problems = []
    for channel in kel.channels:
        if not getattr(kel.social, channel):
            problems.append(Problem(str(kel.folder / "profil.md"), "terbit",
                                    f"{channel} ada di terbit tetapi sosial.{channel} kosong",
                                    level=Level.WARNING))
    return problems


_LOCAL_SUFFIXES = (".localhost", ".local", ".lan", ".internal", ".home.arpa")


def site_url_problems(city: City, *, local_ok: bool = False) -> list[Problem]:
    """Instagram and TikTok fetch the cards from `alamat_situs` themselves: public https only.

    `local_ok` (KELURAHAN_LOCAL_SITE=1, for a test or staging setup) makes it a warning.
    """
    pulled = sorted({ch for kel in city.kelurahan
                     for ch in (*kel.channels, *(c for p in kel.posts for c in p.channels))
                     if ch in ("instagram", "tiktok")})
    why = _not_public(city.site_url) if pulled else None
    if why is None:
        return []
    return [Problem(str(city.content_dir / "kota.yml"), "alamat_situs",
                    f"{why}; {' dan '.join(pulled)} mengambil gambar kartu dari alamat ini, jadi "
                    "harus alamat https:// yang bisa dibuka dari internet (mis. "
                    "https://kelurahan.kotaanda.go.id/)",
                    level=Level.WARNING if local_ok else Level.ERROR)]


def _not_public(url: str) -> str | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https":
        return f"{url} memakai {parts.scheme}://, bukan https://"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or "." not in host:
            return f"{url}: {host} hanya dikenal di jaringan lokal"
        return None
    if not address.is_global:
        return f"{url}: {host} adalah alamat lokal/privat"
    return None
