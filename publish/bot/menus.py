"""The menus the bot answers from: `<site>/*/whatsapp/menu.json`, written by the build.

The bot never reads content/; what the build wrote is what residents get, so the website and
the WhatsApp answers cannot disagree.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kelurahan.errors import KelurahanError
from kelurahan.outputs import MENU_GLOB, OutputError, WhatsAppMenu, read_output
from publish.bot.matching import Matcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceEntry:
    number: int
    id: str
    title: str
    keywords: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class OtherOffice:
    """A service another office handles (Disdukcapil, Polsek…): named, never guessed."""

    id: str
    name: str
    keywords: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class Menu:
    """One kelurahan's menu, as the bot needs it; matchers prepared once at load."""

    slug: str
    name: str
    phone_number_id: str | None
    services: tuple[ServiceEntry, ...]
    back_words: tuple[str, ...]
    handoff_words: tuple[str, ...]
    handoff_id: str
    handoff_answer: str
    help: str
    pii_warning: str
    page_id: str
    pages: tuple[dict[str, Any], ...]
    office_answer: str | None = None
    other_offices: tuple[OtherOffice, ...] = ()
    services_matcher: Matcher = field(default_factory=lambda: Matcher(()))
    offices_matcher: Matcher = field(default_factory=lambda: Matcher(()))

    def service(self, service_id: str) -> ServiceEntry | None:
        return next((s for s in self.services if s.id == service_id), None)

    def other_office(self, office_id: str) -> OtherOffice | None:
        return next((o for o in self.other_offices if o.id == office_id), None)

    def numbered(self, number: int) -> ServiceEntry | None:
        return next((s for s in self.services if s.number == number), None)

    def page_number(self, row_id: str) -> int | None:
        """The page a "Lainnya" row id points to (`#halaman-2` → 2)."""
        prefix, _, suffix = self.page_id.partition("{halaman}")
        middle = row_id.removeprefix(prefix).removesuffix(suffix)
        if row_id.startswith(prefix) and middle.isdigit() and 1 <= int(middle) <= len(self.pages):
            return int(middle)
        return None


@dataclass(frozen=True)
class Menus:
    """Menus by `phone_number_id`; a single menu without one answers every number (a
    one-kelurahan city that left `whatsapp_phone_id` out)."""

    by_phone: dict[str, Menu]
    all: tuple[Menu, ...]

    def for_phone(self, phone_number_id: str | None) -> Menu | None:
        """The menu of that number; None for a number no kelurahan has (another number on the
        same Meta app, a test number): its residents must not get one kelurahan's services."""
        if phone_number_id in self.by_phone:
            return self.by_phone[phone_number_id]
        only = self.all[0] if len(self.all) == 1 else None
        return only if only is not None and only.phone_number_id is None else None


class MenuSource:
    """The current menus, reloaded when a build rewrites them (checked every `every` seconds).

    A rebuilt site reaches residents without restarting the bot; a reload that fails keeps
    the menus that worked and logs why.
    """

    def __init__(self, site_dir: Path, *, every: float = 10.0) -> None:
        self.site_dir, self.every = site_dir, every
        self._stamp = _stamp(site_dir)
        self._menus = load_menus(site_dir)
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def current(self) -> Menus:
        now = time.monotonic()
        if now - self._checked < self.every:
            return self._menus
        with self._lock:
            if now - self._checked >= self.every:
                self._checked = now
                self._reload_if_changed()
        return self._menus

    def _reload_if_changed(self) -> None:
        stamp = _stamp(self.site_dir)
        if stamp == self._stamp:
            return
        try:
            self._menus = load_menus(self.site_dir)
        except KelurahanError as exc:
            log.warning("menu baru tidak bisa dimuat, menu lama tetap dipakai: %s", exc)
            return
        self._stamp = stamp
        log.info("menu WhatsApp dimuat ulang: %d kelurahan", len(self._menus.all))


def _stamp(site_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when any menu.json is rewritten (atomic rename: new inode, new mtime)."""
    stamp = []
    for path in sorted(site_dir.glob(MENU_GLOB)):
        try:
            info = path.stat()
        except OSError:
            continue
        stamp.append((str(path), info.st_mtime_ns, info.st_ino))
    return tuple(stamp)


def load_menus(site_dir: Path) -> Menus:
    """Every menu under `site_dir`; KelurahanError (Indonesian) if none or one is unusable."""
    paths = sorted(site_dir.glob(MENU_GLOB))
    if not paths:
        raise KelurahanError(f"tidak ada menu WhatsApp di {site_dir}/*/whatsapp/menu.json; "
                             "jalankan 'kelurahan build' atau 'kelurahan menu' dulu")
    menus = tuple(_read_menu(p) for p in paths)
    by_phone: dict[str, Menu] = {}
    for menu in menus:
        if menu.phone_number_id is None:
            if len(menus) > 1:
                log.warning("menu %s tanpa whatsapp_phone_id: tidak bisa dipilih bot", menu.slug)
            continue
        if menu.phone_number_id in by_phone:
            raise KelurahanError(f"whatsapp_phone_id {menu.phone_number_id} dipakai oleh "
                                 f"{by_phone[menu.phone_number_id].slug} dan {menu.slug}")
        by_phone[menu.phone_number_id] = menu
    return Menus(by_phone, menus)


def _read_menu(path: Path) -> Menu:
    try:
        return _menu(read_output(path, WhatsAppMenu, remedy="kelurahan menu"))
    except OutputError as exc:
        raise KelurahanError(f"menu WhatsApp tidak bisa dibaca: {exc}") from None


def _menu(data: WhatsAppMenu) -> Menu:
    services = tuple(
        ServiceEntry(number=s.number, id=s.id, title=s.title, keywords=s.keywords,
                     answer=s.answer)
        for s in data.services
    )
    others = tuple(OtherOffice(id=o.id, name=o.name, keywords=o.keywords, answer=o.answer)
                   for o in data.other_offices)
    services_matcher, offices_matcher = _matchers(services, others)
    return Menu(
        slug=data.slug, name=data.kelurahan,
        phone_number_id=data.phone_number_id, services=services, back_words=data.back_words,
        handoff_words=data.handoff.words, handoff_id=data.handoff.id,
        handoff_answer=data.handoff.answer, help=data.help, pii_warning=data.pii_warning,
        page_id=data.list_pages.page_id, pages=data.list_pages.pages,
        office_answer=data.office.answer, other_offices=others,
        services_matcher=services_matcher, offices_matcher=offices_matcher,
    )


def _matchers(services: tuple[ServiceEntry, ...],
              others: tuple[OtherOffice, ...]) -> tuple[Matcher, Matcher]:
    """Every way to name a service (keywords, title, id) and each other office's keywords.

    Each matcher knows the other's words, so a word of one is never taken for a typo of the
    other (`kelahiran` at Disdukcapil is not a typo of the kelurahan's `kematian`).
    """
    service_names = [(s.id, name) for s in services
                     for name in (*s.keywords, s.title, s.id.replace("-", " "))]
    office_names = [(o.id, k) for o in others for k in o.keywords]
    offices = Matcher(office_names)
    services_matcher = Matcher(service_names, extra_known=offices.vocabulary)
    return services_matcher, Matcher(office_names, extra_known=services_matcher.vocabulary)
