"""Indonesian phone numbers as WhatsApp wants them: +62 and digits only."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-.()/]")
# National significant number after +62: 8–12 digits, never starting with 0.
_NSN = re.compile(r"[1-9]\d{7,11}")


def normalise_whatsapp(raw: str) -> str:
    """`0812-…`, `62812…`, `+62 812-…` → `+62812…`; ValueError in Indonesian otherwise."""
    text = _SEPARATORS.sub("", str(raw))
    if text.startswith("+62"):
        nsn = text[3:]
    elif text.startswith("62"):
        nsn = text[2:]
    elif text.startswith("0"):
        nsn = text[1:]
    elif text.startswith("+"):
        raise ValueError(f"harus nomor Indonesia (+62…), bukan {raw!r}")
    else:
        nsn = text
    if not _NSN.fullmatch(nsn):
        raise ValueError(
            f"nomor WhatsApp tidak valid: {raw!r}; tulis seperti 0812-3456-7890 atau +6281234567890"
        )
    return "+62" + nsn


def wa_digits(number: str) -> str:
    """The digits wa.me expects (no plus)."""
    return number.lstrip("+")


def display_phone(number: str) -> str:
    """`+6281200001001` → `+62 812-0000-1001`: groups a resident can read back and dial."""
    nsn = number.removeprefix("+62")
    if not nsn.isdigit() or len(nsn) < 8:
        return number
    head, rest = nsn[:3], nsn[3:]
    middle = len(rest) - 4
    return f"+62 {head}-{rest[:middle]}-{rest[middle:]}"
