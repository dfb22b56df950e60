"""Which service a sentence names, or none: confident or nothing, never a wrong guess.

A name (a keyword or a title) matches when every one of its words appears in the message as
a word, and at least one of them says which service it is (not only `surat`, `keterangan`,
`kartu`…). A word may carry a typo when it is long enough to be recognisable: none up to 4
letters, 1 edit up to 7, 2 from 8 (rapidfuzz's optimal string alignment distance, so a
swapped pair of letters is one edit). A word we know as itself — a stop word, or a word of
another name — or a real Indonesian word (`lexicon.py`: `kemudian` is not `kematian`,
`tanggal` is not `tinggal`) is never read as a typo of something else: `kelahiran` is not
`kematian`, `usah` is not `usaha`. The service whose names cover the most words of the message
wins; a tie between two services is no answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from publish.bot.lexicon import Lexicon, lexicon
from publish.bot.words import (
    GENERIC_WORDS,
    INTENT_WORDS,
    NUMBER_WORDS,
    STOP_WORDS,
    respell,
    tokens,
)


@dataclass(frozen=True)
class Name:
    target: str  # what it names: a service id, or an other office's key
    words: tuple[str, ...]  # its words without stop words; all must be in the message


@dataclass(frozen=True)
class Match:
    """The targets whose names cover the most words of a message (ties in menu order), and
    those words: a router weighs a service against another office by how much each covers."""

    targets: tuple[str, ...] = ()
    words: frozenset[str] = frozenset()

    @property
    def only(self) -> str | None:
        """The one target, or None (nothing, or a tie)."""
        return self.targets[0] if len(self.targets) == 1 else None


def tolerance(word: str) -> int:
    """Edits allowed for a typo of `word`: short words must be exact."""
    if len(word) <= 4:
        return 0
    return 1 if len(word) <= 7 else 2


class Matcher:
    """Names of one menu (services, or other offices), prepared once when the menu loads."""

    def __init__(self, names: Iterable[tuple[str, str]], extra_known: Iterable[str] = (),
                 dictionary: Lexicon | None = None) -> None:
        self.names = tuple(_names(names))
        self.lexicon = dictionary or lexicon()
        self.vocabulary = sorted({w for n in self.names for w in n.words})
        self.known = (frozenset(self.vocabulary) | STOP_WORDS | INTENT_WORDS | set(NUMBER_WORDS)
                      | set(extra_known))
        containing: dict[str, list[int]] = {}
        for index, name in enumerate(self.names):
            for word in name.words:
                containing.setdefault(word, []).append(index)
        self._containing = containing  # word → the names (by position) it is part of

    def words_of(self, text: str) -> list[str]:
        """The message's words, `-nya` and doubled last letters removed where that is known."""
        return [respell(w, self.known) for w in tokens(text)]

    def find(self, words: Sequence[str]) -> str | None:
        """The one target the words name, or None (nothing, or two equally good)."""
        return self.best(words).only

    def best(self, words: Sequence[str]) -> Match:
        """The targets whose names cover the most words of the message; empty when no name
        matches."""
        seen = self._recognise(words)
        cover: dict[str, set[str]] = {}
        # only names with a word of the message, in menu order (ties are listed in it)
        for index in sorted({i for w in seen for i in self._containing.get(w, ())}):
            name = self.names[index]
            if all(w in seen for w in name.words):
                cover.setdefault(name.target, set()).update(name.words)
        most = max((len(c) for c in cover.values()), default=0)
        winners = [target for target, c in cover.items() if len(c) == most and most]
        return Match(tuple(winners), frozenset().union(*(cover[t] for t in winners)))

    def _recognise(self, words: Sequence[str]) -> set[str]:
        """Vocabulary words present in the message, exactly or as an unambiguous typo."""
        seen = set()
        for word in words:
            if word in self.known:
                seen.add(word)
            elif len(word) >= 4:
                guess = self._typo_of(word)
                if guess is not None and not self.lexicon.is_word(word):
                    seen.add(guess)
        return seen

    def _typo_of(self, word: str) -> str | None:
        close = [(w, d) for w, d, _ in extract(word, self.vocabulary, scorer=OSA.distance,
                                               score_cutoff=2, limit=3)
                 if d <= tolerance(w) and d <= tolerance(word) and w[0] == word[0]]
        if not close:
            return None
        best = min(d for _, d in close)
        winners = [w for w, d in close if d == best]
        return winners[0] if len(winners) == 1 else None


def _names(pairs: Iterable[tuple[str, str]]) -> Iterable[Name]:
    """Each (target, name) as words; a hyphenated name also counts glued (`e-ktp` → `ektp`)."""
    for target, text in pairs:
        variants = {tuple(tokens(text))}
        if "-" in text:
            variants.add(tuple(tokens(text.replace("-", ""))))
        for variant in variants:
            words = tuple(dict.fromkeys(w for w in variant if w not in STOP_WORDS))
            if any(w not in GENERIC_WORDS for w in words):
                yield Name(target, words)
