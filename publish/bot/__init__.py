"""The WhatsApp Cloud API webhook bot: answers residents from the generated menus.

    server (waitress) → app.WebhookApp → webhook.parse_events → events.Incoming
      → dispatch.Dispatcher([*handlers, router.ResidentRouter()]) → dispatch.Reply
      → store (message id + replies, one transaction) → outbox.Outbox → sender (Graph API)

`start_bot(site_dir, settings, host=, port=, handlers=())` starts it; `stop_bot(server)` stops
it. A feature that answers some messages itself (a staff desk) is a `dispatch.Handler` passed
in `handlers`: it returns a `Reply` for what is its business and None for the rest, and may
queue later messages (a card image, reply buttons) with `turn.outbox.put`.
"""

from __future__ import annotations

from publish.bot.server import BotServer, start_bot, stop_bot

__all__ = ["BotServer", "start_bot", "stop_bot"]
