"""The WhatsApp Cloud API webhook wire format: signature check and payload → messages.

Meta signs the raw body with the app secret (`X-Hub-Signature-256: sha256=<hex>`); we check it
before parsing anything. Statuses (sent/delivered/read) are ignored.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from publish.bot.router import Incoming

SIGNATURE_PREFIX = "sha256="
WHATSAPP_OBJECT = "whatsapp_business_account"
# Message types whose text (or caption) the router reads.
_CAPTIONED = ("image", "video", "document")


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


def parse_messages(data: Any) -> list[Incoming]:
    """Every message of every change of every entry; PayloadError if the shape is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise PayloadError("bukan webhook WhatsApp: 'entry' tidak ada")
    if data.get("object", WHATSAPP_OBJECT) != WHATSAPP_OBJECT:
        return []  # another product of the same Meta app (a Page, Instagram): not ours to answer
    found = []
    for entry in data["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            raise PayloadError("bukan webhook WhatsApp: 'changes' tidak ada")
        for change in changes:
            found += _messages_of(change)
    return found


def _messages_of(change: Any) -> list[Incoming]:
    value = change.get("value") if isinstance(change, dict) else None
    if not isinstance(value, dict):
        raise PayloadError("bukan webhook WhatsApp: 'value' tidak ada")
    messages = value.get("messages") or []
    if not messages:
        return []  # statuses, errors, other fields: nothing to answer
    phone_id = (value.get("metadata") or {}).get("phone_number_id")
    if not isinstance(messages, list) or not isinstance(phone_id, str):
        raise PayloadError("bukan webhook WhatsApp: 'messages' atau 'metadata' rusak")
    return [m for m in (_incoming(phone_id, raw) for raw in messages) if m is not None]


def _incoming(phone_id: str, raw: Any) -> Incoming | None:
    """One message; None when it lacks an id or a sender (nothing to answer, nothing to store)."""
    if not isinstance(raw, dict):
        return None
    message_id, sender, kind = raw.get("id"), raw.get("from"), raw.get("type")
    if not (isinstance(message_id, str) and isinstance(sender, str) and isinstance(kind, str)):
        return None
    text, reply_id = _content(kind, raw)
    return Incoming(message_id=message_id, sender=sender, phone_number_id=phone_id, kind=kind,
                    text=text, reply_id=reply_id)


def _content(kind: str, raw: dict[str, Any]) -> tuple[str | None, str | None]:
    """(text, reply id) of a message: typed text, a tapped row/button, or a caption."""
    body: dict[str, Any] = raw[kind] if isinstance(raw.get(kind), dict) else {}
    if kind == "text":
        return _str(body.get("body")), None
    if kind == "interactive":
        chosen = body.get(str(body.get("type")))
        chosen = chosen if isinstance(chosen, dict) else {}
        return _str(chosen.get("title")), _str(chosen.get("id"))
    if kind == "button":
        return _str(body.get("text")), _str(body.get("payload"))
    if kind in _CAPTIONED:
        return _str(body.get("caption")), None
    return None, None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
