"""`menu.json`: the single source the bot reads, built from the validated model only."""

from __future__ import annotations

from typing import Any

from generator.whatsapp import messages
from generator.whatsapp.list_message import HANDOFF_ID, NEXT_PAGE_ID, list_pages
from generator.whatsapp.other_offices import other_offices
from kelurahan.model import City, Kelurahan, Service

SCHEMA_VERSION = 1


def build_menu(city: City, kel: Kelurahan) -> dict[str, Any]:
    """PRODUCT.md's schema plus everything the bot needs to answer without content/."""
    return {
        "versi": SCHEMA_VERSION,
        "kelurahan": kel.name,
        "slug": kel.slug,
        "kecamatan": kel.district,
        "phone_number_id": kel.whatsapp_phone_id,
        "salam": messages.greeting(kel),
        "menu": messages.menu_text(kel),
        "kantor": _office(city, kel),
        "layanan": [_service(city, kel, s) for s in kel.services],
        "kembali": list(messages.BACK_WORDS),
        "petugas": {"kata": list(messages.HANDOFF_WORDS), "id": HANDOFF_ID,
                    "jawaban": messages.handoff_answer(kel)},
        "bantuan": messages.help_text(kel),
        "instansi_lain": [_other(kel, o) for o in other_offices(city.content_dir)],
        "peringatan_data_pribadi": messages.PII_WARNING,
        "daftar": {"halaman_id": NEXT_PAGE_ID.format(page="{halaman}"),
                   "halaman": list_pages(kel)},
    }


def _office(city: City, kel: Kelurahan) -> dict[str, Any]:
    return {
        "nama": messages.display_name(kel),
        "alamat": kel.address,
        "telepon": kel.phone,
        "whatsapp": kel.whatsapp,
        "jam_layanan": kel.office_hours,
        "situs": city.url(kel.url_path),
        "koordinat": list(kel.coordinates) if kel.coordinates else None,
        "peta": messages.map_link(kel.coordinates),
        "jawaban": messages.office_answer(city, kel),
    }


def _other(kel: Kelurahan, office: dict[str, Any]) -> dict[str, Any]:
    return {"id": office["id"], "nama": office["nama"], "kata_kunci": office["kata_kunci"],
            "jawaban": messages.other_office_answer(kel, office)}


def _service(city: City, kel: Kelurahan, service: Service) -> dict[str, Any]:
    return {
        "nomor": service.number,
        "id": service.slug,
        "judul": service.title,
        "ringkasan": service.summary,
        "syarat": list(service.requirements),
        "kata_kunci": list(service.keywords),
        "biaya": service.cost,
        "waktu": service.duration,
        "url": city.url(service.url_path),
        "jawaban": messages.service_answer(city, kel, service),
    }
