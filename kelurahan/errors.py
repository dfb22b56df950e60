"""The one exception family; only the CLI turns these into exit codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kelurahan.problems import Problem


class KelurahanError(Exception):
    """Base of every error this project raises on purpose."""


class ContentError(KelurahanError):
    """The content tree has errors; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} masalah pada konten")
