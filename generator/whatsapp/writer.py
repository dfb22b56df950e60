"""Writes a kelurahan's WhatsApp files, each atomically (temp file, then rename)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from generator.whatsapp.list_message import list_pages
from generator.whatsapp.menu import build_menu
from generator.whatsapp.quick_replies import quick_replies, render_csv
from kelurahan.files import write_text_atomic
from kelurahan.model import City, Kelurahan
from kelurahan.outputs import MENU_JSON, whatsapp_dir

log = logging.getLogger(__name__)


def write_menu(city: City, kel: Kelurahan, out_root: Path) -> None:
    """`<out_root>/<slug>/whatsapp/{menu.json, menu.txt, list_message.json, quick_replies.csv}`."""
    folder = out_root / whatsapp_dir(kel.slug)
    folder.mkdir(parents=True, exist_ok=True)
    menu = build_menu(city, kel)
    write_text_atomic(folder / MENU_JSON, menu.to_json())
    write_text_atomic(folder / "menu.txt", menu.menu + "\n")
    write_text_atomic(folder / "list_message.json", _json(list_pages(kel)[0]))
    write_text_atomic(folder / "quick_replies.csv", render_csv(quick_replies(city, kel)))
    log.debug("menu WhatsApp %s ditulis ke %s", kel.slug, folder)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
