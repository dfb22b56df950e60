"""Writing output files so that a reader (the bot, a web server, a script) never sees half of one.

Output is public by nature (web pages, cards, menus, audit reports), and the web server runs as
another user: files are 0644 whatever `mkstemp` (0600) or the caller's umask would give.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

FILE_MODE = 0o644


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, in hex: what the card and photo caches are keyed by."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_text_atomic(path: Path, text: str) -> Path:
    """Write beside the target, then rename over it: an interrupted run leaves the old file."""
    with open_atomic(path) as handle:
        handle.write(text)
    return path


def write_new_text(path: Path, text: str) -> None:
    """A file in a folder nobody reads yet (a build's staging): no temporary file and rename
    needed, which halves the file-system work for thousands of small files."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def link_or_copy(source: Path, target: Path) -> None:
    """`target` as a hard link to `source` (no bytes copied; cached cards and photos are
    immutable), or a copy where the file system cannot link (another device, FAT)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def replace_with_link(source: Path, target: Path) -> None:
    """`target` becomes `source` (linked, or copied) in one rename, so a reader never finds it
    missing or half-copied; nothing is done when it already is that file."""
    with contextlib.suppress(FileNotFoundError):
        if target.samefile(source):
            return
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    link_or_copy(source, temporary)
    os.replace(temporary, target)


@contextmanager
def open_atomic(path: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text handle whose file replaces `path` only when the block ends without error, so
    large outputs can be streamed and still never be seen half-written."""
    with open_beside(path, encoding) as (handle, temp):
        yield handle
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def open_beside(path: Path, encoding: str = "utf-8") -> Iterator[tuple[TextIO, Path]]:
    """A new file beside `path` (`.<name>.<random>.tmp`) and its path, removed if the block
    fails, else left for the caller to rename over `path` (several files can then be renamed
    together). Readable by all (0644): a web server running as another user serves it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle, Path(temp)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
