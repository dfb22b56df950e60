"""Handlers in order: one placed before the resident router takes what is its business (here a
stand-in staff desk answering listed numbers with reply buttons); everything else, and
everything after a handler that fails, reaches the resident router."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from publish.bot.dispatch import Reply, Turn
from publish.bot.events import Kind
from publish.bot.outbox import Outgoing
from tests.publish.bot.support import (
    PHONE_ID,
    RESIDENT,
    envelope,
    make_site,
    message,
    post,
    start,
    start_fake_graph,
    stop,
    text,
    value,
)

STAFF = "6281200000009"
BUTTONS: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual", "type": "interactive",
           "interactive": {"type": "button", "body": {"text": "Draf kegiatan dibuat"},
                           "action": {"buttons": [
                               {"type": "reply", "reply": {"id": "terbitkan", "title": "Terbitkan"}},
                               {"type": "reply", "reply": {"id": "batal", "title": "Batal"}}]}}}


class Desk:
    """Takes only listed numbers' photos; queues a follow-up through the outbox."""

    name = "meja staf"

    def handle(self, turn: Turn) -> Reply | None:
        event = turn.event
        if event.sender != STAFF or event.kind is not Kind.IMAGE or event.media is None:
            return None
        turn.outbox.put([Outgoing(event.phone_number_id, event.sender,
                                  {**BUTTONS, "to": event.sender,
                                   "interactive": {**BUTTONS["interactive"], "body": {
                                       "text": f"Foto {event.media.id} diterima"}}},
                                  event.message_id)])
        return Reply("draf dibuat", (BUTTONS,))


class Broken:
    name = "rusak"

    def handle(self, turn: Turn) -> Reply | None:
        raise RuntimeError("bug")


def photo(mid: str, sender: str) -> dict[str, Any]:
    return message("image", {"id": "777", "mime_type": "image/jpeg", "sha256": "ab",
                             "caption": "Kerja bakti RT 03"}, mid, sender)


def test_a_handler_before_the_resident_router(tmp_path: Path,
                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    graph = start_fake_graph()
    server = start(make_site(tmp_path), graph, tmp_path / "state", handlers=[Broken(), Desk()])
    try:
        assert post(server, envelope(value(photo("wamid.s1", STAFF), text("1", "wamid.s2"),
                                           photo("wamid.s3", RESIDENT)))).status == 200
        sent = graph.wait_for(4)
        staff = [s.body["interactive"]["body"]["text"] for s in sent if s.body["to"] == STAFF]
        # put() stores at once, the reply when the message is committed: put's comes first
        assert staff == ["Foto 777 diterima", "Draf kegiatan dibuat"]
        mine = [s.body for s in sent if s.body["to"] == RESIDENT]
        assert mine[0]["text"]["body"].startswith("*1. Surat Pengantar KTP-el*")
        assert mine[1]["text"]["body"].startswith("Maaf")  # a resident's photo: not the desk's
        assert {s.path for s in sent} == {f"/v21.0/{PHONE_ID}/messages"}
        assert "penangan rusak gagal untuk pesan wamid.s1: RuntimeError" in caplog.text
        assert "pesan wamid.s1 (sukamaju, image): meja staf: draf dibuat" in caplog.text
    finally:
        stop(server)
        graph.server.shutdown()
