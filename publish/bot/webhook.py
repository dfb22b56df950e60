"""The WhatsApp Cloud API webhook wire format: signature check and payload → messages.

Meta signs the raw body with the app secret (`X-Hub-Signature-256: sha256=<hex>`); we check it
before parsing anything, then turn each message into a typed `events.Incoming`. Statuses
(sent/delivered/read) are ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from publish.bot.events import Incoming, Kind, Media

SIGNATURE_PREFIX = "sha256="
WHATSAPP_OBJECT = "whatsapp_business_account"
# Message types that carry a media object (and maybe a caption).
_MEDIA = ("image", "video", "document", "audio", "sticker")
MAX_ID = 512
log = logging.getLogger(__name__)


class PayloadError(ValueError):
    """The body is signed but not a webhook we understand (answered 400)."""


def signature_problem(app_secret: str, raw: bytes, header: str | None) -> str | None:
    """None when `header` is the HMAC-SHA256 of `raw`; else why not (never the values)."""
    if not header:
        return "tanda tangan tidak ada"
    if not header.startswith(SIGNATURE_PREFIX) or len(header) == len(SIGNATURE_PREFIX):
        return "tanda tangan tidak berformat sha256=…"
    expected = hmac.new(app_secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()
    given = header[len(SIGNATURE_PREFIX):].strip().lower()
    if not hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace")):
        return "tanda tangan salah"
    return None


def verify_token_ok(expected: str, given: str | None) -> bool:
    """Constant-time comparison, so the token cannot be guessed byte by byte from timings."""
    return given is not None and hmac.compare_digest(expected.encode("utf-8"),
                                                     given.encode("utf-8", "replace"))


def parse_events(data: Any) -> list[Incoming]:
    """Every message of every change of every entry.

    A broken entry or change is skipped (logged) when the rest of the body is usable: Meta
    redelivers a refused body for days, so one bad part must not hold back the good ones.
    PayloadError (answered 400) only when no part of the body is a webhook we understand.
    """
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise PayloadError("bukan webhook WhatsApp: 'entry' tidak ada")
    if data.get("object", WHATSAPP_OBJECT) != WHATSAPP_OBJECT:
        return []  # another product of the same Meta app (a Page, Instagram): not ours to answer
    found: list[Incoming] = []
    broken: list[str] = []
    usable = False
    for entry in data["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            broken.append("bukan webhook WhatsApp: 'changes' tidak ada")
            continue
        for change in changes:
            try:
                found += _messages_of(change)
                usable = True
            except PayloadError as exc:
                broken.append(str(exc))
    if broken and not usable:
        raise PayloadError(broken[0])
    for reason in dict.fromkeys(broken):
        log.warning("sebagian webhook dilewati: %s", reason)
    return found


def _messages_of(change: Any) -> list[Incoming]:
    value = change.get("value") if isinstance(change, dict) else None
    if not isinstance(value, dict):
        raise PayloadError("bukan webhook WhatsApp: 'value' tidak ada")
    messages = value.get("messages") or []
    if not messages:
        return []  # statuses, errors, other fields: nothing to answer
    metadata = value.get("metadata")
    phone_id = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
    if not isinstance(messages, list) or not isinstance(phone_id, str):
        raise PayloadError("bukan webhook WhatsApp: 'messages' atau 'metadata' rusak")
    if not _clean_id(phone_id):
        return []
    return [m for m in (_incoming(phone_id, raw) for raw in messages) if m is not None]


def _incoming(phone_id: str, raw: Any) -> Incoming | None:
    """One message; None when its id or sender is missing or unusable (nothing to answer)."""
    if not isinstance(raw, dict):
        return None
    message_id, sender, kind = raw.get("id"), raw.get("from"), raw.get("type")
    if not (isinstance(message_id, str) and isinstance(sender, str) and isinstance(kind, str)
            and _clean_id(message_id) and _clean_id(sender)):
        return None
    text, reply_id = _content(kind, raw)
    timestamp = raw.get("timestamp")
    return Incoming(message_id=str(message_id), sender=str(sender), phone_number_id=phone_id,
                    kind=Kind.of(kind), text=_text(text), reply_id=_text(reply_id),
                    media=_media(raw.get(kind)) if kind in _MEDIA else None,
                    timestamp=int(timestamp) if isinstance(timestamp, str)
                    and timestamp.isdecimal() and len(timestamp) < 12 else None)


def _content(kind: str, raw: dict[str, Any]) -> tuple[Any, Any]:
    """(text, reply id) of a message: typed text, a tapped row/button, or a caption."""
    found = raw.get(kind)
    body: dict[str, Any] = found if isinstance(found, dict) else {}
    if kind == "text":
        return body.get("body"), None
    if kind == "interactive":
        chosen = body.get(str(body.get("type")))
        chosen = chosen if isinstance(chosen, dict) else {}
        return chosen.get("title"), chosen.get("id")
    if kind == "button":
        return body.get("text"), body.get("payload")
    if kind in _MEDIA:
        return body.get("caption"), None
    return None, None


def _media(body: Any) -> Media | None:
    if not isinstance(body, dict) or not _clean_id(body.get("id")):
        return None
    size = body.get("file_size")
    return Media(id=body["id"], mime_type=_text(body.get("mime_type")),
                 sha256=_text(body.get("sha256")), filename=_text(body.get("filename")),
                 file_size=size if isinstance(size, int) and not isinstance(size, bool) else None)


def _clean_id(value: Any) -> bool:
    """An id we can store and send back: a short string that is valid UTF-8 (JSON allows a
    lone surrogate such as "\\ud800", which no database or HTTP body can carry)."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(value: Any) -> str | None:
    """A string as valid UTF-8 (lone surrogates become U+FFFD), else None."""
    if not isinstance(value, str):
        return None
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
