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
from urllib.parse import parse_qs

from publish.bot.desk import Desk
from publish.bot.menus import MenuSource
from publish.bot.router import Incoming, Reply, route
from publish.bot.sender import GraphSender, Outgoing
from publish.bot.store import BotStore
from publish.bot.webhook import PayloadError, parse_messages, signature_problem, verify_token_ok

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
    def __init__(self, menus: MenuSource, store: BotStore, sender: GraphSender, config: BotConfig,
                 clock: Callable[[], float] = time.time, desk: Desk | None = None) -> None:
        self.menus, self.store, self.sender, self.config = menus, store, sender, config
        self.clock, self.desk = clock, desk
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
        """Signature first, then JSON, then each message once; replies go to the sender queue."""
        problem = signature_problem(self.config.app_secret, raw, signature)
        if problem is not None:
            return Delivery(401 if signature is None else 403, "ditolak", problem)
        try:
            messages = parse_messages(json.loads(raw))
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and PayloadError
            reason = str(exc) if isinstance(exc, PayloadError) else "JSON rusak"
            return Delivery(400, "ditolak", reason)
        self._prune_now_and_then()
        answered = sum(self._handle(m) for m in messages)
        return Delivery(200, "ok", f"{len(messages)} pesan, {answered} dibalas", answered)

    def _handle(self, incoming: Incoming) -> bool:
        menu = self.menus.current().for_phone(incoming.phone_number_id)
        if menu is None:
            log.warning("pesan %s untuk nomor %s yang tidak punya menu", incoming.message_id,
                        incoming.phone_number_id)
            return False
        now = self.clock()
        if not self.store.first_time(incoming.message_id, now):
            log.info("pesan %s sudah pernah dijawab (dikirim ulang Meta)", incoming.message_id)
            return False
        if self.desk is not None and self.desk.claim(incoming):
            log.info("pesan %s (%s, %s): meja terbit petugas", incoming.message_id, menu.slug,
                     incoming.kind)
            return True
        quiet = self.store.is_handed_off(incoming.phone_number_id, incoming.sender, now)
        reply = route(menu, incoming, quiet=quiet)
        self._remember(incoming, reply, now)
        log.info("pesan %s (%s, %s): %s", incoming.message_id, menu.slug, incoming.kind,
                 reply.reason)
        for payload in reply.messages:
            self.sender.submit(Outgoing(incoming.phone_number_id, payload, incoming.message_id))
        return bool(reply.messages)

    def _remember(self, incoming: Incoming, reply: Reply, now: float) -> None:
        if reply.handoff:
            self.store.hand_off(incoming.phone_number_id, incoming.sender,
                                now + self.config.handoff_seconds)
        elif reply.resume:
            self.store.resume(incoming.phone_number_id, incoming.sender)

    def _prune_now_and_then(self) -> None:
        now = self.clock()
        with self._prune_lock:
            if now - self._pruned < PRUNE_EVERY:
                return
            self._pruned = now
        self.store.prune(now)
        if self.desk is not None:
            self.desk.drafts.expire(now)
