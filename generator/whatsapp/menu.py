"""`menu.json`: the single source the bot reads, built from the validated model only."""

from __future__ import annotations

from typing import Any

import generator.whatsapp.messages as messages
from generator.whatsapp.list_message import HANDOFF_ID, NEXT_PAGE_ID, list_pages
from generator.whatsapp.other_offices import other_offices
from kelurahan.model import City, Kelurahan, Service
from kelurahan.outputs import (
    MENU_VERSION,
    Handoff,
    ListPages,
    MenuService,
    Office,
    OtherOffice,
    WhatsAppMenu,
)


def build_menu(city: City, kel: Kelurahan) -> WhatsAppMenu:
    """The documented menu.json schema (docs/content-format.md) plus everything the bot needs to answer without content/."""
    return WhatsAppMenu(
        version=MENU_VERSION,
        kelurahan=kel.name,
        slug=kel.slug,
        district=kel.district,
        phone_number_id=kel.whatsapp_phone_id,
        greeting=messages.greeting(kel),
        menu=messages.menu_text(kel),
        office=_office(city, kel),
        services=tuple(_service(city, kel, s) for s in kel.services),
        back_words=messages.BACK_WORDS,
        handoff=Handoff(words=messages.HANDOFF_WORDS, id=HANDOFF_ID,
                        answer=messages.handoff_answer(kel)),
        help=messages.help_text(kel),
        pii_warning=messages.PII_WARNING,
        other_offices=tuple(_other(kel, o) for o in other_offices(city.content_dir)),
        list_pages=ListPages(page_id=NEXT_PAGE_ID.format(page="{halaman}"),
                             pages=tuple(list_pages(kel))),
    )


def _office(city: City, kel: Kelurahan) -> Office:
    return Office(name=kel.display_name, address=kel.address, phone=kel.phone,
                  whatsapp=kel.whatsapp, office_hours=kel.office_hours,
                  site=city.url(kel.url_path), coordinates=kel.coordinates,
                  map=messages.map_link(kel.coordinates),
                  answer=messages.office_answer(city, kel))


def _other(kel: Kelurahan, office: dict[str, Any]) -> OtherOffice:
    return OtherOffice(id=office["id"], name=office["nama"], keywords=office["kata_kunci"],
                       answer=messages.other_office_answer(kel, office))


def _service(city: City, kel: Kelurahan, service: Service) -> MenuService:
    return MenuService(
        number=service.number,
        id=service.slug,
        title=service.title,
        summary=service.summary,
        requirements=service.requirements,
        keywords=service.keywords,
        cost=service.cost,
        duration=service.duration,
        url=city.url(service.url_path),
        answer=messages.service_answer(city, kel, service),
    )
