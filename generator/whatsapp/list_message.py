"""Cloud API interactive list messages for the menu, paginated within Meta's limits.

Page 1 is `list_message.json`; every page goes into `menu.json` so the bot can answer the
"Lainnya" row without reading content/.
"""

from __future__ import annotations

from typing import Any

import generator.whatsapp.limits as limits
from generator.whatsapp.messages import (
    HANDOFF_HINT,
    INSTRUCTION,
    greeting,
    menu_text,
)
from generator.whatsapp.text import shorten
from kelurahan.model import Kelurahan, Service

NEXT_PAGE_ID = "#halaman-{page}"
HANDOFF_ID = "#petugas"
BUTTON = "Pilih layanan"
FOOTER = "Ketik 0 untuk kembali ke menu"
ABBREVIATIONS = (("Surat Keterangan ", "Ket. "), ("Surat Pengantar ", "Pengantar "))


def list_pages(kel: Kelurahan) -> list[dict[str, Any]]:
    """One interactive list body per page of at most 8 services (no `to`: the bot adds it)."""
    per_page = limits.LIST_SERVICES_PER_PAGE
    chunks = [kel.services[i:i + per_page] for i in range(0, len(kel.services), per_page)] or [()]
    return [_page(kel, chunk, n, len(chunks)) for n, chunk in enumerate(chunks, start=1)]


def _page(kel: Kelurahan, services: tuple[Service, ...], page: int, pages: int) -> dict[str, Any]:
    rows = [service_row(s) for s in services]
    if page < pages:
        rows.append({"id": NEXT_PAGE_ID.format(page=page + 1), "title": "Lainnya",
                     "description": f"Layanan berikutnya (halaman {page + 1} dari {pages})"})
    help_rows = [{"id": HANDOFF_ID, "title": "Hubungi petugas",
                  "description": "Bicara langsung dengan petugas kelurahan"}]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "type": "interactive",
        "interactive": {
            "type": "list",
            "header": {"type": "text", "text": header_text(kel)},
            "body": {"text": page_body(kel, page, pages)},
            "footer": {"text": FOOTER},
            "action": {"button": BUTTON, "sections": [
                *([{"title": "Layanan" if pages == 1 else f"Layanan ({page}/{pages})",
                    "rows": rows}] if rows else []),  # Meta refuses a section without rows
                {"title": "Bantuan", "rows": help_rows},
            ]},
        },
    }


def service_row(service: Service) -> dict[str, str]:
    return {"id": service.slug, "title": row_title(service.title),
            "description": row_description(service)}


def row_title(title: str) -> str:
    return fit_row_title(title) or title[: limits.ROW_TITLE_MAX]


def fit_row_title(title: str) -> str | None:
    """At most 24 characters: common prefixes abbreviated first, then whole words and `…`.

    "Surat Keterangan Domisili" and "Surat Keterangan Kematian" must not both become
    "Surat Keterangan…". None when only a cut mid-word would fit (`check` reports it).
    """
    if len(title) > limits.ROW_TITLE_MAX:
        for long, short in ABBREVIATIONS:
            if title.casefold().startswith(long.casefold()):
                title = short + title[len(long):]
                break
    return shorten(title, limits.ROW_TITLE_MAX)


def row_description(service: Service) -> str:
    """The summary if any, else cost and time; always led by the number to type."""
    detail = service.summary or " · ".join(filter(None, [service.cost, service.duration]))
    text = f"{service.number}. {detail}"
    return shorten(text, limits.ROW_DESCRIPTION_MAX) or text[: limits.ROW_DESCRIPTION_MAX]


def header_text(kel: Kelurahan) -> str:
    name = kel.display_name
    return shorten(name, limits.HEADER_MAX) or name[: limits.HEADER_MAX]


def page_body(kel: Kelurahan, page: int, pages: int) -> str:
    """Page 1 carries the whole numbered menu when it fits 1,024 characters, else the greeting."""
    if page > 1:
        return f"Layanan lainnya, halaman {page} dari {pages}.\n\n{INSTRUCTION}\n{HANDOFF_HINT}"
    full = menu_text(kel)
    if len(full) <= limits.BODY_MAX:
        return full
    return f"{greeting(kel)}\n\nPilih layanan dari daftar di bawah.\n{INSTRUCTION}\n{HANDOFF_HINT}"
