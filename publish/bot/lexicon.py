"""Indonesian words, so that a real word is never read as a typo of a service word.

Edit distance alone cannot tell a typo from another word: `kemudian` and `kejadian` are two
edits from `kematian`, `tanggal` one from `tinggal`, `pindai` one from `pindah`, and each of
them sent a resident the wrong service's requirements. A word is real when it is a root word
of the KBBI-based dictionary that ships with Sastrawi, or when Sastrawi's stemmer takes its
affixes off down to one (`kejadian` → `jadi`, `menikam` → `tikam`); a typo (`kematin`,
`meningal`) is neither.
"""

from __future__ import annotations

from functools import lru_cache

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

WORDS_KEPT = 20_000


class Lexicon:
    """Root words and a stemmer over them; read once per process (`lexicon()`)."""

    def __init__(self) -> None:
        self._roots = ArrayDictionary(StemmerFactory().get_words())
        self._stemmer = Stemmer(self._roots)  # Sastrawi's cached one grows without bound
        # Stemming a word that is no word tries every affix rule (~0.2 ms); residents repeat
        # their words, so the answers are kept, a bounded number of them.
        self.is_word = lru_cache(maxsize=WORDS_KEPT)(self._is_word)

    def _is_word(self, word: str) -> bool:
        """`word` (lower case, letters) is Indonesian as written, not a misspelling."""
        return self._roots.contains(word) or self._stemmer.stem_word(word) != word


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The one lexicon of this process: 30,000 root words, loaded on first use."""
    return Lexicon()
