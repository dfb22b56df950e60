"""The webhook's decisions, apart from HTTP: verify a subscription, handle one delivery.

Every delivery ends as a `Delivery` (HTTP code, status, reason); nothing here raises for bad
input from outside, and nothing logs a resident's text, number or any secret.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from publish.bot.dispatch import Dispatcher, Reply, Turn
from publish.bot.events import Incoming
from publish.bot.menus import MenuSource
from publish.bot.outbox import Outbox, Outgoing
from publish.bot.store import BotState
from publish.bot.webhook import PayloadError, parse_events, signature_problem, verify_token_ok

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
PRUNE_EVERY = 3600.0


@dataclass(frozen=True)
class BotConfig:
    verify_token: str
    app_secret: str
    handoff_seconds: float = 2 * 3600
    max_body: int = MAX_BODY


@dataclass(frozen=True)
class Delivery:
    """How one webhook request ended; `body` is what the HTTP response carries."""

    code: int
    status: str
    reason: str
    answered: int = 0
    body: str | None = None


class WebhookApp:
    """Verify, then for each new message: dispatch to the handlers, queue the reply, wake the
    outbox. The HTTP layer (`server.py`) only moves bytes in and out of here."""

    def __init__(self, menus: MenuSource, store: BotState, outbox: Outbox, config: BotConfig,
                 dispatcher: Dispatcher, clock: Callable[[], float] = time.time) -> None:
        self.menus, self.store, self.outbox, self.config = menus, store, outbox, config
        self.dispatcher, self.clock = dispatcher, clock
        self._pruned = 0.0
        self._prune_lock = threading.Lock()

    def verify(self, query: str) -> Delivery:
        """Meta's GET handshake: echo `hub.challenge` only for our verify token."""
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if params.get("hub.mode") != "subscribe" or not verify_token_ok(
                self.config.verify_token, params.get("hub.verify_token")):
            return Delivery(403, "ditolak", "verifikasi gagal")
        challenge = params.get("hub.challenge", "")[:256]
        return Delivery(200, "ok", "verifikasi berhasil", body=challenge)

    def deliver(self, raw: bytes, signature: str | None) -> Delivery:
        """Signature first, then JSON, then each message once; replies go to the outbox."""
        problem = signature_problem(self.config.app_secret, raw, signature)
        if problem is not None:
            return Delivery(401 if signature is None else 403, "ditolak", problem)
        try:
            events = parse_events(json.loads(raw))
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and PayloadError
            reason = str(exc) if isinstance(exc, PayloadError) else "JSON rusak"
            return Delivery(400, "ditolak", reason)
        self._prune_now_and_then()
        answered = sum(self._handle(event) for event in events)
        return Delivery(200, "ok", f"{len(events)} pesan, {answered} dibalas", answered)

    def _handle(self, event: Incoming) -> bool:
        menu = self.menus.current().for_phone(event.phone_number_id)
        if menu is None:
            log.warning("pesan %s untuk nomor %s yang tidak punya menu", event.message_id,
                        event.phone_number_id)
            return False
        if self.store.seen(event.message_id):
            log.info("pesan %s sudah pernah dijawab (dikirim ulang Meta)", event.message_id)
            return False
        now = self.clock()
        reply = self.dispatcher.dispatch(Turn(event, menu, now, self.store, self.outbox))
        queued = self.store.answer(
            event.message_id, now, self._outgoing(event, reply), resume=reply.resume,
            handoff_until=now + self.config.handoff_seconds if reply.handoff else None,
            resident=(event.phone_number_id, event.sender))
        if queued is None:
            return False  # the same id, delivered twice at once: the other one answered
        self.outbox.wake(queued)
        log.info("pesan %s (%s, %s): %s: %s", event.message_id, menu.slug, event.kind,
                 reply.handler, reply.reason)
        return bool(reply.messages)

    @staticmethod
    def _outgoing(event: Incoming, reply: Reply) -> list[Outgoing]:
        items = []
        for payload in reply.messages:
            to = str(payload.get("to") or event.sender)
            items.append(Outgoing(event.phone_number_id, to, {**payload, "to": to},
                                  event.message_id))
        if reply.read:
            items.append(Outgoing(event.phone_number_id, event.sender, read_receipt(event),
                                  event.message_id))
        return items

    def _prune_now_and_then(self) -> None:
        now = self.clock()
        with self._prune_lock:
            if now - self._pruned < PRUNE_EVERY:
                return
            self._pruned = now
        self.store.prune(now)


def read_receipt(event: Incoming) -> dict[str, Any]:
    """Cloud API "mark as read": the resident sees blue ticks once the answer is queued."""
    return {"messaging_product": "whatsapp", "status": "read", "message_id": event.message_id}
