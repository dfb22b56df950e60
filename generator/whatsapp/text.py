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
    """`text` in parts of at most `limit` characters: whole lines where they fit, a line longer
    than a part broken between words (hard, only for a single word longer than `limit`)."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        joined = f"{current}\n{line}" if current else line
        if len(joined) <= limit:
            current = joined
            continue
        if len(line) <= limit:
            parts.append(current)
            current = line
            continue
        current = current + "\n" if current else current
        for word in line.split(" "):
            current = _add_word(current, word, limit, parts)
    if current:
        parts.append(current)
    return parts


def _add_word(current: str, word: str, limit: int, parts: list[str]) -> str:
    """Append `word` to the part being filled, starting new parts as needed; returns the part."""
    joined = current + word if not current or current.endswith("\n") else f"{current} {word}"
    if len(joined) <= limit:
        return joined
    if current:
        parts.append(current.rstrip())
    while len(word) > limit:
        parts.append(word[:limit])
        word = word[limit:]
    return word
