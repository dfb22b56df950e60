"""`quick_replies.csv` for the WhatsApp Business app: `/ktp`-style shortcuts and their messages.

Staff without the Cloud API bot type `/ktp` in the app and send the same answer the bot would.
"""

from __future__ import annotations

import csv
import io
import re

import generator.whatsapp.limits as limits
import generator.whatsapp.messages as messages
from generator.whatsapp.text import split_message
from kelurahan.model import City, Kelurahan, Service

HEADER = ("pintasan", "pesan")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def quick_replies(city: City, kel: Kelurahan) -> list[tuple[str, str]]:
    """(shortcut, message) pairs; long messages split into `/ktp`, `/ktp-2`, … in order."""
    entries = [("menu", messages.menu_text(kel))]
    entries += [(_stem(s), messages.service_answer(city, kel, s)) for s in kel.services]
    entries.append(("petugas", messages.handoff_answer(kel)))
    taken: set[str] = set()
    rows = []
    for stem, text in entries:
        parts = split_message(text, limits.QUICK_REPLY_MESSAGE_MAX)
        for n, part in enumerate(parts, start=1):
            rows.append((_unique(stem if n == 1 else f"{stem}-{n}", taken), part))
    return rows


def render_csv(rows: list[tuple[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def _stem(service: Service) -> str:
    """The first one-word keyword (`ktp`), else the file name (`ktp-el`)."""
    for word in service.keywords:
        word = word.casefold()
        if _WORD.fullmatch(word):
            return word
    return service.slug


def _unique(stem: str, taken: set[str]) -> str:
    """`/stem`, at most 25 characters, never one already used in this file."""
    room = limits.QUICK_REPLY_SHORTCUT_MAX - 1
    shortcut = "/" + stem[:room].rstrip("-")
    n = 2
    while shortcut in taken:
        suffix = f"-{n}"
        shortcut = "/" + stem[: room - len(suffix)].rstrip("-") + suffix
        n += 1
    taken.add(shortcut)
    return shortcut
