"""The WhatsApp Cloud API webhook bot: answers residents from the generated menus.

`start_bot(site_dir, settings, host=, port=)` starts it; `stop_bot(server)` stops it.
"""

from __future__ import annotations

from publish.bot.server import BotServer, start_bot, stop_bot

__all__ = ["BotServer", "start_bot", "stop_bot"]
