"""Meta's limits for WhatsApp messages, and every place the content cannot fit them.

Source: WhatsApp Cloud API reference, interactive list messages and text messages.
"""

from __future__ import annotations

TEXT_MAX = 4096            # one text message body
LIST_SERVICES_PER_PAGE = 8  # leaves room for the "Lainnya" and "Petugas" rows
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
HEADER_MAX = 60
BODY_MAX = 1024
QUICK_REPLY_SHORTCUT_MAX = 25
QUICK_REPLY_MESSAGE_MAX = 1024
