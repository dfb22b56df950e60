"""Finds personal identity numbers (NIK / KK: 16 digits) so they never reach a page (UU PDP)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# 16 digits, optionally grouped by single spaces, dots or dashes; never starting with 0 or '+'
# (phone numbers start with 0 or +62 and are at most 13 digits), never part of a longer number.
# Cheap first pass: any 16 digits in a row (lookbehinds at every position are 5× slower).
_CANDIDATE = re.compile(r"\d(?:[ .\-]?\d){15}")
_NIK = re.compile(r"(?<![\d+])(?<![\d+][ .\-])[1-9](?:[ .\-]?\d){15}(?![ .\-]?\d)")


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
    if not _CANDIDATE.search(text):  # most files have no long number at all
        return []
    found: list[Finding] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        found.extend(Finding(lineno, mask(m.group())) for m in _NIK.finditer(line))
    return found


def contains_identity_number(text: str) -> bool:
    return _CANDIDATE.search(text) is not None and _NIK.search(text) is not None
