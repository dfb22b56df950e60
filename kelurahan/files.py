"""Writing output files so that a reader (the bot, a web server, a script) never sees half of one.

Output is public by nature (web pages, cards, menus, audit reports), and the web server runs as
another user: files are 0644 whatever `mkstemp` (0600) or the caller's umask would give.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FILE_MODE = 0o644


def write_text_atomic(path: Path, text: str) -> Path:
    """Write beside the target, then rename over it: an interrupted run leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
