"""What a resident typed, reduced to what it means: ` 1 `, `01`, `1.`, `#1`, `1️⃣`, `１` are all 1."""

from __future__ import annotations

import difflib
import re
import unicodedata

_KEYCAP = "\u20e3"
_VARIATION = "\ufe0f"
_KEYCAP_TEN = "\U0001f51f"
_NUMBER = re.compile(r"(?:no\.?|nomor|nomer|angka|pilih)?\s*#?\s*(\d{1,3})\s*[.)]?")
_PUNCTUATION = re.compile(r"[\s.,!?;:()\"'`*_~]+")


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters), casefolded, punctuation as single spaces, trimmed."""
    text = unicodedata.normalize("NFKC", text).replace(_VARIATION, "").replace(_KEYCAP, "")
    text = text.replace(_KEYCAP_TEN, "10").casefold()
    return _PUNCTUATION.sub(" ", text).strip()


def as_number(text: str) -> int | None:
    """The number a resident picked, if the message is only a number (in any usual spelling)."""
    text = unicodedata.normalize("NFKC", text).replace(_VARIATION, "").replace(_KEYCAP, "")
    text = text.replace(_KEYCAP_TEN, "10").casefold().strip()
    match = _NUMBER.fullmatch(text)
    return int(match.group(1)) if match else None


def words(text: str) -> list[str]:
    return normalise(text).split()


def contains_phrase(text: str, phrase: str) -> bool:
    """`phrase` as whole words inside normalised `text` (`syarat ktp` contains `ktp`)."""
    return f" {phrase} " in f" {text} "


def closest(word: str, candidates: list[str], *, cutoff: float = 0.8) -> str | None:
    """The one candidate a small typo points to (`domisli` → `domisili`); None if unsure."""
    if len(word) < 4:
        return None
    matches = difflib.get_close_matches(word, candidates, n=2, cutoff=cutoff)
    if len(matches) == 2:
        first = difflib.SequenceMatcher(None, word, matches[0]).ratio()
        second = difflib.SequenceMatcher(None, word, matches[1]).ratio()
        if first == second:
            return None
    return matches[0] if matches else None
