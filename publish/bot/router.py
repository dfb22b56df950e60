"""The resident router: the answer to one resident's message, from the menu alone.

Order: personal data first (never answer around a NIK), the hand-off's quiet time, events that
are not questions (silence), a tapped row or button, then the text (or a photo's caption):
back to the menu, a number, hand-off, a service (or another office's, when its name covers
more of the message: `mutasi kendaraan` is Samsat's even where `mutasi` names a kelurahan
service), the office's address and hours, a greeting, thanks. Anything else gets a short "not understood" and the
menu: a resident is never given the requirements of a service they did not name.
"""

from __future__ import annotations

import copy
from itertools import pairwise
from typing import Any

import publish.bot.words as w
from kelurahan.pii import contains_identity_number
from publish.bot.dispatch import Reply, Turn
from publish.bot.events import Incoming, Kind
from publish.bot.matching import Match
from publish.bot.menus import Menu, ServiceEntry

TEXT_KINDS = frozenset({Kind.TEXT, Kind.INTERACTIVE, Kind.BUTTON, Kind.IMAGE, Kind.DOCUMENT,
                        Kind.VIDEO})
CLOSING_EMOJI = frozenset("👍👌🙏❤♥😊🙂😀😁🤝✅👏💯🥰😇")
THANKS = ("Sama-sama, semoga membantu 🙏\n"
          "Ketik *menu* kapan saja bila perlu informasi layanan kelurahan.")


class ResidentRouter:
    """The last handler: answers every resident's message from the menu."""

    name = "warga"

    def handle(self, turn: Turn) -> Reply:
        event = turn.event
        quiet = turn.store.is_handed_off(event.phone_number_id, event.sender, turn.now)
        return route(turn.menu, event, quiet=quiet)


def route(menu: Menu, incoming: Incoming, *, quiet: bool = False) -> Reply:
    """The reply for `incoming`; while a hand-off is running only the back words get one."""
    text = incoming.text or ""
    if text and contains_identity_number(text):
        return _text("data pribadi", menu.pii_warning)
    if incoming.silent:
        return Reply(f"diam: {incoming.kind}", read=False)
    if quiet:
        if _is_back(menu, text):
            return _menu(menu, "kembali dari petugas", resume=True)
        return Reply("diam: ditangani petugas", read=False)
    if incoming.reply_id:
        reply = _by_id(menu, incoming.reply_id)
        if reply is not None:
            return reply
    if incoming.kind in TEXT_KINDS and text.strip():
        return _by_text(menu, text)
    if incoming.kind in (Kind.IMAGE, Kind.DOCUMENT):  # a photo of a KTP or a KK, often
        return _text("foto atau berkas", menu.pii_warning)
    if incoming.kind is Kind.REQUEST_WELCOME:
        return _menu(menu, "sambutan")
    return _help(menu, f"tidak dikenal: {incoming.kind}")


def _by_id(menu: Menu, row_id: str) -> Reply | None:
    service = menu.service(row_id)
    if service is not None:
        return _text(f"layanan {service.id}", service.answer)
    if row_id == menu.handoff_id:
        return _handoff(menu)
    page = menu.page_number(row_id)
    return _menu(menu, f"halaman {page}", page=page) if page else None


def _by_text(menu: Menu, text: str) -> Reply:
    said = menu.services_matcher.words_of(text)
    if not said:
        return _no_words(menu, text)
    if _is_back(menu, text):
        return _menu(menu, "menu")
    page = w.picked_page(said)
    if page is not None and 1 <= page <= len(menu.pages):
        return _menu(menu, f"halaman {page}", page=page)
    number = w.picked_number(said)
    if number is not None:
        return _numbered(menu, number)
    if len(menu.pages) > 1 and set(said) & w.NEXT_PAGE_WORDS and not _content(said) - (
            w.NEXT_PAGE_WORDS | {"layanan", "menu"}):
        return _menu(menu, "halaman 2", page=2)
    if _wants_staff(menu, said):
        return _handoff(menu)
    if _called_off(said):
        return _text("penutup", THANKS)
    services = menu.services_matcher.best(said)
    offices = menu.offices_matcher.best(said)
    if len(services.words) >= len(offices.words) and not _about_office(menu, said, services):
        found = [s for s in map(menu.service, services.targets) if s is not None]
        if len(found) == 1:
            return _text(f"layanan {found[0].id}", found[0].answer)
        if len(found) > 1:
            return _which_one(found)
    return _not_a_service(menu, said, offices)


def _about_office(menu: Menu, said: list[str], services: Match) -> bool:
    """`alamat kantor kelurahan dimana` asks for the office even where a service has the
    keyword `alamat`: its match is only words about the office, and no `surat`/`keterangan`."""
    return bool(menu.office_answer and services.words <= w.OFFICE_WORDS and _asks_office(said)
                and not set(said) & w.GENERIC_WORDS)


def _which_one(services: list[ServiceEntry]) -> Reply:
    """Two services named equally (`pindah domisili`): ask, never pick one."""
    lines = "\n".join(f"{s.number}. {s.title}" for s in sorted(services, key=lambda s: s.number))
    body = (f"Maksud Anda salah satu layanan ini?\n{lines}\n\n"
            "Ketik nomornya, atau 0 untuk melihat semua layanan.")
    return Reply("pilihan " + ",".join(s.id for s in services), (text_message(body),))


def _not_a_service(menu: Menu, said: list[str], offices: Match) -> Reply:
    office = menu.other_office(offices.only or "")
    if office is not None:
        return _text(f"instansi lain {office.id}", office.answer)
    if menu.office_answer and _asks_office(said):
        return _text("kantor", menu.office_answer)
    words = set(said)
    if words & w.THANKS_WORDS and words <= w.THANKS_WORDS | w.GREETING_WORDS | w.STOP_WORDS:
        return _text("terima kasih", THANKS)
    if words <= w.GREETING_WORDS | w.STOP_WORDS:
        if words & w.GREETING_WORDS:
            return _menu(menu, "salam")
        if words & w.NEGATIONS:
            return _text("penutup", THANKS)
    return _help(menu, "tidak dikenal")


def _no_words(menu: Menu, text: str) -> Reply:
    """Only emoji or punctuation: a 👍 or 🙏 is a thank-you, anything else is not understood."""
    if any(ch in CLOSING_EMOJI for ch in text):
        return _text("terima kasih", THANKS)
    return _help(menu, "tidak dikenal")


def _numbered(menu: Menu, number: int) -> Reply:
    if number == 0:
        return _menu(menu, "menu")
    service = menu.numbered(number)
    if service is None:
        return _help(menu, "nomor lain")
    return _text(f"layanan {service.id}", service.answer)


def _is_back(menu: Menu, text: str) -> bool:
    """`0`, `menu`, `kembali`, `lihat menu`, `daftar layanan`, `kembali ke menu`…"""
    said = w.tokens(text)
    if w.normalise(text) in menu.back_words:
        return True
    return bool(said) and set(said) <= w.BACK_WORDS | {"ke", "ya", "dong", "lagi"} and bool(
        set(said) & {"menu", "kembali", "balik", "layanan"})


def _wants_staff(menu: Menu, said: list[str]) -> bool:
    """`petugas`, `admin`, `cs`, `bicara dengan petugas`, `hubungi petugas` (the row typed).

    "halo admin" is a greeting (the menu); "bicara dengan orang" asks for a person.
    """
    staff = w.HANDOFF_WORDS | set(menu.handoff_words)
    words = set(said)
    rest = {x for x in words if x not in w.HANDOFF_FILLER and (x not in w.STOP_WORDS or x in staff)}
    if not rest or not rest <= staff:
        return False
    asked = bool(words & w.HANDOFF_FILLER) or "minta" in words
    return asked or not (rest <= w.WEAK_STAFF_WORDS or words & w.GREETING_WORDS)


def _called_off(said: list[str]) -> bool:
    """`gak jadi pindah`, `tidak jadi deh kak`: the resident changed their mind, not a request
    for that service."""
    return any(a in w.NEGATIONS and b == "jadi" for a, b in pairwise(said))


def _asks_office(said: list[str]) -> bool:
    words = set(said)
    if "di" in said and "mana" in said and said.index("mana") == said.index("di") + 1:
        words.add("dimana")
    return bool(words & w.OFFICE_WORDS) and not words & w.OTHER_PLACES


def _content(said: list[str]) -> set[str]:
    return {x for x in said if x not in w.STOP_WORDS}


def _handoff(menu: Menu) -> Reply:
    return Reply("petugas", (text_message(menu.handoff_answer),), handoff=True)


def _help(menu: Menu, reason: str) -> Reply:
    return Reply(reason, (text_message(menu.help), list_message(menu, 1)))


def _menu(menu: Menu, reason: str, *, page: int = 1, resume: bool = False) -> Reply:
    return Reply(reason, (list_message(menu, page),), resume=resume)


def _text(reason: str, body: str) -> Reply:
    return Reply(reason, (text_message(body),))


def text_message(body: str) -> dict[str, Any]:
    """A Cloud API text message (the app adds `to`); link previews off (weak signal)."""
    return {"messaging_product": "whatsapp", "recipient_type": "individual",
            "type": "text", "text": {"preview_url": False, "body": body}}


def list_message(menu: Menu, page: int) -> dict[str, Any]:
    return copy.deepcopy(menu.pages[page - 1])
