"""What `render_cards` did, as a plain result: never an exception for one bad post."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CardIssue:
    """A post whose cards had a problem, in Indonesian, naming the post (`stem`).

    `has_cards` tells whether cards were still written (with the designed fallback picture).
    """

    post: str
    reason: str
    has_cards: bool = True

    def __str__(self) -> str:
        return f"{self.post}: {self.reason}"


@dataclass
class CardReport:
    """Post stems whose cards were drawn, reused from the cache, or failed; plus warnings."""

    kelurahan: str
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: list[CardIssue] = field(default_factory=list)
    warnings: list[CardIssue] = field(default_factory=list)
    preview: str | None = None

    def summary(self) -> str:
        """One line for the terminal: `sukamaju: kartu 3 dibuat, 10 dipakai ulang, 1 gagal`."""
        line = (f"{self.kelurahan}: kartu {len(self.rendered)} dibuat, "
                f"{len(self.reused)} dipakai ulang")
        if self.failed:
            line += f", {len(self.failed)} gagal"
        if self.warnings:
            line += f", {len(self.warnings)} peringatan"
        return line
