"""The WhatsApp menu of each kelurahan, generated from its service pages so it never drifts.

`write_menu` writes menu.json (what the bot reads), menu.txt, list_message.json and
quick_replies.csv; `limit_problems` finds content that cannot fit Meta's limits.
"""

from __future__ import annotations

from generator.whatsapp.checks import limit_problems
from generator.whatsapp.writer import write_menu

__all__ = ["limit_problems", "write_menu"]
