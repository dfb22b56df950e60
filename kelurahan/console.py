"""One shared object for terminal output, so commands say things the same way."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from kelurahan.problems import Problem

if TYPE_CHECKING:
    from rich.console import Console


class Output:
    """Plain lines for scripts, CI and the build timer; colour on a terminal. Never interprets
    [markup] or :emoji: codes in what it is given (a post title is printed as written).

    rich is imported only for a terminal: it is ~30 ms of every run of the 5-minute timer.
    """

    def __init__(self) -> None:
        self._consoles: dict[bool, Console] = {}

    def say(self, text: str, style: str | None = None, *, stderr: bool = False) -> None:
        self._line(text, style, stderr=stderr)

    def warn(self, text: str) -> None:
        self._line(text, "yellow", stderr=True)

    def error(self, text: str) -> None:
        self._line(text, "bold red", stderr=True)

    def problems(self, problems: Iterable[Problem]) -> None:
        """Every problem, one `path: field: message` line each, errors in red."""
        for problem in problems:
            self._line(str(problem), None if problem.is_error else "yellow", stderr=False)

    @property
    def interactive(self) -> bool:
        return self.on_terminal(stderr=True) and sys.stdin.isatty()

    @staticmethod
    def on_terminal(*, stderr: bool) -> bool:
        return _stream(stderr).isatty()

    def console(self, *, stderr: bool = False) -> Console:
        """rich itself, for what lines cannot show: tables, progress bars."""
        if stderr not in self._consoles:
            from rich.console import Console

            self._consoles[stderr] = Console(stderr=stderr, highlight=False, soft_wrap=True,
                                             emoji=False)
        return self._consoles[stderr]

    def _line(self, text: str, style: str | None, *, stderr: bool) -> None:
        stream = _stream(stderr)
        if stream.isatty():
            self.console(stderr=stderr).print(text, style=style, markup=False)
        else:
            print(text, file=stream, flush=True)  # a long-running command (the bot) logs to a pipe


def _stream(stderr: bool) -> TextIO:
    """Looked up on each use, as rich does: a test runner swaps `sys.stdout` after start-up."""
    return sys.stderr if stderr else sys.stdout
