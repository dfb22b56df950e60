"""What the webhook carries, as typed events: one `Incoming` per message a person sent.

`webhook.parse_events` builds them from Meta's JSON; handlers (`dispatch.Handler`) read them.
Nothing here holds the raw payload: a handler sees only what it may act on, and the text of a
message is never logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Cloud API message `type` values the bot tells apart (anything else is `OTHER`)."""

    TEXT = "text"
    INTERACTIVE = "interactive"  # a tapped list row or reply button
    BUTTON = "button"  # a tapped template quick-reply button
    IMAGE = "image"
    DOCUMENT = "document"
    VIDEO = "video"
    AUDIO = "audio"
    STICKER = "sticker"
    LOCATION = "location"
    CONTACTS = "contacts"
    REACTION = "reaction"
    EDIT = "edit"
    REVOKE = "revoke"  # "delete for everyone"
    SYSTEM = "system"  # number changed, identity changed
    REQUEST_WELCOME = "request_welcome"  # first contact, before any text
    UNSUPPORTED = "unsupported"
    OTHER = "other"

    @classmethod
    def of(cls, value: str) -> Kind:
        try:
            return cls(value)
        except ValueError:
            return cls.OTHER


# Events that are not questions: answering them would be noise (a 👍, a deleted message).
SILENT_KINDS = frozenset({Kind.REACTION, Kind.EDIT, Kind.REVOKE, Kind.SYSTEM})


@dataclass(frozen=True)
class Media:
    """An image, document, video or audio: the Graph API media id and what Meta says of it."""

    id: str
    mime_type: str | None = None
    sha256: str | None = None
    file_size: int | None = None
    filename: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One message from one WhatsApp user to one of our numbers."""

    message_id: str
    sender: str  # the user's WhatsApp id (their number); never logged, never stored in clear
    phone_number_id: str  # our number it was sent to: which kelurahan
    kind: Kind
    text: str | None = None  # typed text, a tapped row's title, or a caption
    reply_id: str | None = None  # id of the tapped list row or button
    media: Media | None = None
    timestamp: int | None = None  # Meta's send time (Unix seconds)

    @property
    def silent(self) -> bool:
        return self.kind in SILENT_KINDS
