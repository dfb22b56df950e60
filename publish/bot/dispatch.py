"""Who answers a message: handlers tried in order, the first that takes it decides the reply.

    webhook → events.Incoming → Dispatcher(handlers) → Reply → outbox (persistent, retried)

A handler returns `None` when the message is not its business (the next one is tried) and a
`Reply` when it is, even a silent one. A staff desk (listed staff numbers posting drafts) goes
before the resident router; the resident router answers everything that is left.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from publish.bot.events import Incoming

if TYPE_CHECKING:
    from publish.bot.menus import Menu
    from publish.bot.outbox import Outbox
    from publish.bot.store import BotState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Turn:
    """One message to decide on, with what a handler may consult (never the raw webhook)."""

    event: Incoming
    menu: Menu  # the kelurahan of the number it was sent to
    now: float  # Unix time
    store: BotState  # read state (hand-off); writes go through the Reply
    outbox: Outbox  # for messages sent later, not as this reply (`outbox.put`)


@dataclass(frozen=True)
class Reply:
    """What to send back and why (`reason` is logged; keep residents' words out of it).

    `messages` are Cloud API message bodies; without `to` they go to the sender. The app
    queues each in the outbox, in order, in the same transaction that marks the message
    answered (messages queued with `turn.outbox.put` during `handle` go out before them). `handoff` starts the quiet time for this
    resident, `resume` ends it. `read` marks the incoming message as read once answered.
    """

    reason: str
    messages: tuple[dict[str, Any], ...] = ()
    handoff: bool = False
    resume: bool = False
    read: bool = True
    handler: str = field(default="", compare=False)


class Handler(Protocol):
    """Anything with a `name` and `handle(turn) -> Reply | None`."""

    name: str

    def handle(self, turn: Turn) -> Reply | None: ...


class Dispatcher:
    """Tries each handler in order; the last one should take everything (the resident router)."""

    def __init__(self, handlers: Sequence[Handler]) -> None:
        if not handlers:
            raise ValueError("dispatcher needs at least one handler")
        self.handlers = tuple(handlers)

    def dispatch(self, turn: Turn) -> Reply:
        """The first handler's reply; one that fails is logged and the next one tried, so a
        bug in a handler neither silences the bot nor makes Meta re-deliver forever."""
        for handler in self.handlers:
            try:
                reply = handler.handle(turn)
            except Exception as exc:
                log.error("penangan %s gagal untuk pesan %s: %s", handler.name,
                          turn.event.message_id, type(exc).__name__)
                continue
            if reply is not None:
                return Reply(reply.reason, reply.messages, reply.handoff, reply.resume,
                             reply.read, handler.name)
        return Reply("tidak ada yang menangani", read=False)
