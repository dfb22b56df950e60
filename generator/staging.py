"""One writer owns `--out`: a lock per output folder, a staging folder beside it, the swap.

New sites are built into `.<out>.baru-<pid>/` (same file system, so moving them in is a
rename); replaced sites go to `.<out>.lama-<pid>/` and are deleted in the background. A build
killed at any point leaves `--out` whole; the next one clears what it left behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kelurahan.errors import KelurahanError
from kelurahan.locks import alive, claim, holder, open_lock, same_file

log = logging.getLogger(__name__)


def out_key(out_dir: Path) -> str:
    """A short name for an output folder, for its lock and its build records."""
    return hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]


@contextmanager
def locked(state_dir: Path, out_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """One build per output folder at a time; a second one stops (or, with `wait`, queues)
    instead of mixing sites.

    The lock file names its holder (pid and start time). A lock still held although that
    process is gone (kept by a stray child of a killed build) is set aside, not waited for.
    """
    path = state_dir / "build" / f"{out_key(out_dir)}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = _acquire(path, out_dir, wait)
    try:
        yield
    finally:
        handle.close()


def _acquire(path: Path, out_dir: Path, wait: bool) -> IO[str]:
    attempts = 0
    while attempts < 5:
        handle = open_lock(path)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            name = holder(handle)
            if name is None or alive(name):
                handle.close()
                if wait:
                    time.sleep(0.2)
                    continue
                raise KelurahanError(f"build lain sedang berjalan untuk {out_dir}; tunggu "
                                     "sampai selesai lalu coba lagi") from None
            attempts += 1
            log.warning("kunci build %s dipegang proses %s yang sudah berhenti; diabaikan",
                        path, name)
            if same_file(path, handle):
                path.unlink(missing_ok=True)
            handle.close()
            continue
        if not same_file(path, handle):  # set aside by another build meanwhile: retry
            handle.close()
            attempts += 1
            continue
        claim(handle)
        return handle
    raise KelurahanError(f"kunci build untuk {out_dir} tidak bisa diambil ({path}); coba lagi")


def staging_of(out_dir: Path) -> Path:
    """`.<out>.baru-<pid>`, a sibling of `--out` (same file system, so moves are renames)."""
    out = out_dir.resolve()
    return out.parent / f".{out.name}.baru-{os.getpid()}"


def fresh_staging(out_dir: Path) -> Path:
    """An empty staging folder, after clearing what killed builds left (we hold the lock)."""
    staging = staging_of(out_dir)
    name = out_dir.resolve().name
    for old in staging.parent.glob(f".{name}.baru-*"):
        shutil.rmtree(old, ignore_errors=True)
    for old in staging.parent.glob(f".{name}.lama-*"):
        discard(old)  # old sites whose deletion was interrupted (or is still going on)
    staging.mkdir(parents=True)
    return staging


@contextmanager
def swapping(out_dir: Path, staging: Path) -> Iterator[Callable[..., None]]:
    """Move each new entry into `out_dir` by rename; old entries go to a trash folder first."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # A new name each time: the last build's trash (same pid in a long-lived process) may
    # still be under deletion, and renaming a site into it would fail.
    trash = Path(tempfile.mkdtemp(dir=staging.parent,
                                  prefix=staging.name.replace(".baru-", ".lama-") + "-"))

    def swap(name: str, *, remove: bool = False) -> None:
        current, new = out_dir / name, staging / name
        if current.exists():
            current.rename(trash / name)
        if not remove:
            new.rename(current)

    try:
        yield swap
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        discard(trash)


def discard(trash: Path) -> None:
    """Delete the replaced sites without making the user wait: 59 old sites are ~100,000 files.

    A detached `rm -rf` does it after the new sites are live; if it is interrupted, the next
    build removes what is left (see `fresh_staging`).
    """
    rm = shutil.which("rm")
    if rm is None:
        shutil.rmtree(trash, ignore_errors=True)
        return
    subprocess.Popen([rm, "-rf", "--", str(trash)], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
