"""One shared object for terminal output, so commands say things the same way."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from rich.console import Console

from kelurahan.problems import Problem


class Output:
    """Plain lines for scripts and CI, colour on a terminal; never interprets [markup]."""

    def __init__(self) -> None:
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    def say(self, text: str, style: str | None = None) -> None:
        self.out.print(text, style=style, markup=False)

    def warn(self, text: str) -> None:
        self.err.print(text, style="yellow", markup=False)

    def error(self, text: str) -> None:
        self.err.print(text, style="bold red", markup=False)

    def problems(self, problems: Iterable[Problem]) -> None:
        """Every problem, one `path: field: message` line each, errors in red."""
        for problem in problems:
            self.out.print(str(problem), style=None if problem.is_error else "yellow",
                           markup=False)

    @property
    def interactive(self) -> bool:
        return self.err.is_terminal and sys.stdin.isatty()
