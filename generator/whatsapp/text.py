"""Text that fits WhatsApp: shortened on word boundaries, split into messages at line ends."""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str | None:
    """`text` if it fits, else whole words up to `limit` ending in `…`; None if one word is too long.

    Titles in a list message are cut by WhatsApp mid-word otherwise ("Surat Keterangan Tid").
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    words: list[str] = []
    for word in text.split(" "):
        if len(" ".join([*words, word])) + len(ELLIPSIS) > limit:
            break
        words.append(word)
    if not words:
        return None
    return " ".join(words).rstrip(",.;:-–(") + ELLIPSIS


def split_message(text: str, limit: int) -> list[str]:
    """`text` in parts of at most `limit` characters, split at line ends, then between words."""
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        joined = f"{current}\n{piece}" if current else piece
        if len(joined) <= limit:
            current = joined
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts


def _pieces(text: str, limit: int) -> list[str]:
    """Lines, with any line longer than `limit` broken between words (or hard, as a last resort)."""
    pieces: list[str] = []
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit + 1)
            cut = cut if cut > 0 else limit
            pieces.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        pieces.append(line)
    return pieces
