"""Finds personal identity numbers (NIK / KK: 16 digits) so they never reach a page (UU PDP).

A number is written as staff type it: in one piece, or in groups (`6471 0101 0190 0001`,
`6471.0101.0190.0001`, `6471/0101/0101/0001`, `3201  1203  0405  0006`), with full-width
digits or invisible spaces pasted from a form. Every group of one number is set off the same
way, so a date and time range (`20/11/2026 08.00-12.00`, 16 digits in mixed groups) is not a
NIK; nor is a phone number (starting with 0 or +62, at most 13 digits) or a part of a longer
number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_SPACE = r"[^\S\n]"
# One way of setting groups apart: nothing, 1–3 spaces, or one mark with a space either side.
_SEPARATORS = ("", f"{_SPACE}{{1,3}}", *(f"{_SPACE}?{re.escape(mark)}{_SPACE}?" for mark in "./-"))
_NUMBERS = tuple(
    (re.compile(rf"[1-9](?:(?:{sep})?\d){{15}}" if sep else r"[1-9]\d{15}"),
     re.compile(rf"(?:{sep})?[\d+]$" if sep else r"[\d+]$"),
     re.compile(rf"(?:{sep})?\d" if sep else r"\d"))
    for sep in _SEPARATORS)
# Cheap first pass over a whole file as written: 16 digits close together, any digits, anything
# between (most files have none).
_CANDIDATE = re.compile(r"\d(?:[^\d\n]{0,7}\d){15}")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True)
class Finding:
    line: int
    masked: str


def mask(number: str) -> str:
    """Show enough to find the number in the file, not enough to be the number."""
    digits = re.sub(r"\D", "", number)
    return digits[:4] + "•" * 8 + digits[-4:]


def find_identity_numbers(text: str) -> list[Finding]:
    """Every NIK/KK-like number in `text`, with its 1-based line number."""
    if not _CANDIDATE.search(text):
        return []
    found: list[Finding] = []
    for lineno, line in enumerate(_plain(text).splitlines(), start=1):
        found.extend(Finding(lineno, mask(number)) for number in _numbers(line))
    return found


def contains_identity_number(text: str) -> bool:
    return _CANDIDATE.search(text) is not None and any(
        next(_numbers(line), None) is not None for line in _plain(text).splitlines())


def _plain(text: str) -> str:
    """Full-width digits and non-breaking spaces as ASCII, invisible characters gone."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def _numbers(line: str) -> Iterator[str]:
    """The identity numbers of one line, each once."""
    seen: set[str] = set()
    for number, before, after in _NUMBERS:
        for match in number.finditer(line):
            if before.search(line, 0, match.start()) or after.match(line, match.end()):
                continue  # part of a longer number, or a phone number (+62…)
            digits = re.sub(r"\D", "", match.group())
            if digits not in seen:
                seen.add(digits)
                yield match.group()
