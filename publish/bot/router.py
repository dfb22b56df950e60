"""Decides the answer to one incoming message from the menu alone; no I/O, no state.

Order: personal data first (never answer around a NIK), then the id of a tapped row or
button, then the typed text: back words, hand-off, a number, a keyword (with small typos).
Anything else gets a short help and the menu; the resident's text is never repeated.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import publish.bot.normalise as norm
from kelurahan.pii import contains_identity_number
from publish.bot.menus import Menu, ServiceEntry

GREETINGS = {
    "halo", "hallo", "helo", "hai", "hi", "hello", "p", "ping", "tes", "test", "info", "mulai",
    "start", "assalamualaikum", "assalamu alaikum", "selamat pagi", "selamat siang",
    "selamat sore", "selamat malam", "permisi", "pagi", "siang", "sore", "malam",
}
NEXT_PAGE_WORDS = {"lainnya", "lanjut", "berikutnya"}


@dataclass(frozen=True)
class Incoming:
    """One resident's message, reduced to what routing needs (text never logged)."""

    message_id: str
    sender: str
    phone_number_id: str
    kind: str
    text: str | None = None
    reply_id: str | None = None


@dataclass(frozen=True)
class Reply:
    """What to send back and why; `handoff` starts the quiet time, `resume` ends it."""

    reason: str
    messages: tuple[dict[str, Any], ...] = ()
    handoff: bool = False
    resume: bool = False


def route(menu: Menu, incoming: Incoming, *, quiet: bool = False) -> Reply:
    """The reply for `incoming`; while a hand-off is running only the back words get one."""
    text = incoming.text or ""
    if text and contains_identity_number(text):
        return _text(incoming, "data pribadi", menu.pii_warning)
    if quiet:
        wants_menu = norm.normalise(text) in menu.back_words
        return _menu(menu, incoming, "kembali dari petugas", resume=True) if wants_menu \
            else Reply("diam: ditangani petugas")
    if incoming.reply_id:
        reply = _by_id(menu, incoming, incoming.reply_id)
        if reply is not None:
            return reply
    if incoming.kind in {"text", "interactive", "button"} and text.strip():
        return _by_text(menu, incoming, text)
    if incoming.kind == "request_welcome":
        return _menu(menu, incoming, "sambutan")
    return _help(menu, incoming, f"tidak dikenal: {incoming.kind}")


def _by_id(menu: Menu, incoming: Incoming, row_id: str) -> Reply | None:
    service = menu.service(row_id)
    if service is not None:
        return _service(incoming, service)
    if row_id == menu.handoff_id:
        return _handoff(menu, incoming)
    page = menu.page_number(row_id)
    return _menu(menu, incoming, f"halaman {page}", page=page) if page else None


def _by_text(menu: Menu, incoming: Incoming, text: str) -> Reply:
    said = norm.normalise(text)
    if said in menu.back_words or said in GREETINGS:
        return _menu(menu, incoming, "menu")
    if said in menu.handoff_words:
        return _handoff(menu, incoming)
    number = norm.as_number(text)
    if number is not None:
        if number == 0:
            return _menu(menu, incoming, "menu")
        service = menu.numbered(number)
        return _service(incoming, service) if service else _help(menu, incoming, "nomor lain")
    if said in NEXT_PAGE_WORDS and len(menu.pages) > 1:
        return _menu(menu, incoming, "halaman 2", page=2)
    service = find_service(menu, said)
    return _service(incoming, service) if service else _help(menu, incoming, "tidak dikenal")


def find_service(menu: Menu, said: str) -> ServiceEntry | None:
    """By keyword, title or id: exactly, then inside the sentence, then with a small typo."""
    names = menu.names
    if said in names:
        return names[said]
    inside = sorted((n for n in names if norm.contains_phrase(said, n)), key=len, reverse=True)
    if inside:
        best = [n for n in inside if len(n) == len(inside[0])]
        found = {names[n].id for n in best}
        return names[best[0]] if len(found) == 1 else None
    guess = norm.closest(said, list(names))
    if guess is None:
        guesses = {norm.closest(w, list(names)) for w in said.split()} - {None}
        guess = guesses.pop() if len(guesses) == 1 else None
    return names[guess] if guess else None


def _service(incoming: Incoming, service: ServiceEntry) -> Reply:
    return _text(incoming, f"layanan {service.id}", service.answer)


def _handoff(menu: Menu, incoming: Incoming) -> Reply:
    reply = _text(incoming, "petugas", menu.handoff_answer)
    return Reply(reply.reason, reply.messages, handoff=True)


def _help(menu: Menu, incoming: Incoming, reason: str) -> Reply:
    menu_reply = _menu(menu, incoming, reason)
    return Reply(reason, (text_message(incoming.sender, menu.help), *menu_reply.messages))


def _menu(menu: Menu, incoming: Incoming, reason: str, *, page: int = 1,
          resume: bool = False) -> Reply:
    return Reply(reason, (list_message(menu, incoming.sender, page),), resume=resume)


def _text(incoming: Incoming, reason: str, body: str) -> Reply:
    return Reply(reason, (text_message(incoming.sender, body),))


def text_message(to: str, body: str) -> dict[str, Any]:
    """A Cloud API text message; link previews off (cheap phones, weak signal)."""
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "text", "text": {"preview_url": False, "body": body}}


def list_message(menu: Menu, to: str, page: int) -> dict[str, Any]:
    message = copy.deepcopy(menu.pages[page - 1])
    message["to"] = to
    return message
