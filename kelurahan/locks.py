"""Advisory locks between our processes: `flock` on a lock file, released when its holder dies.

Two users: the build lock per output folder (`generator/staging.py`: one build at a time) and
the state folder's store lock (below): every process with a SQLite store of the folder open
holds it shared, and `kelurahan database copy` holds it exclusively, so neither can start
while the other runs. An exclusive holder writes `pid start-time` into the file, for the
messages of those it turns away; shared holders are found in `/proc/locks` instead (many of
them at once cannot share one line, and a line left by a killed one would lie).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from kelurahan.errors import KelurahanError

STORE_LOCK = "sqlite.lock"


class StoresBusy(KelurahanError):
    """A copy and a user of the same state folder's SQLite stores met: the later one stops."""


def open_lock(path: Path) -> IO[str]:
    """The lock file, created if missing; read-only when another user created it (a copy run
    as root): `flock` needs no write access, only naming the holder does."""
    try:
        return path.open("a+", encoding="utf-8")  # not inherited by exec'd children
    except PermissionError:
        return path.open("r", encoding="utf-8")


def claim(handle: IO[str]) -> None:
    """Name this process as the exclusive holder (when the file lets us write)."""
    if handle.writable():
        handle.truncate(0)
        handle.write(identity(os.getpid()) or str(os.getpid()))
        handle.flush()


def holder(handle: IO[str]) -> str | None:
    """What the exclusive holder wrote: `pid start-time`, or a bare pid."""
    handle.seek(0)
    text = handle.read().strip()
    return text or None


def identity(pid: int) -> str | None:
    """`pid start-time`: a pid alone may be reused by an unrelated process after a crash."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return f"{pid} {stat.rpartition(')')[2].split()[19]}"


def alive(name: str) -> bool:
    """Whether the process a lock file names still runs (an unreadable name counts as yes)."""
    pid_text = name.split()[0]
    if not pid_text.isdigit():
        return True  # not ours to judge: wait
    pid = int(pid_text)
    if " " in name:
        return identity(pid) == name
    return running(pid)


def running(pid: int) -> bool:
    """Whether process `pid` exists (another user's process counts as existing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def same_file(path: Path, handle: IO[str]) -> bool:
    """Whether `path` still names the file `handle` has open (not set aside meanwhile)."""
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except FileNotFoundError:
        return False


def lock_pids(handle: IO[str]) -> list[int]:
    """The processes holding a `flock` on this file, from `/proc/locks` (Linux); [] elsewhere."""
    stat = os.fstat(handle.fileno())
    device = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    found = {int(f[4]) for f in (line.split() for line in lines)
             if len(f) > 5 and f[1] == "FLOCK" and f[5] == device and f[4].isdigit()}
    return sorted(found - {os.getpid()})


def use_stores(state_dir: Path) -> IO[str]:
    """Held (shared) by every process with a SQLite store of `state_dir` open, until closed:
    refused while `kelurahan database copy` moves them, whatever it wrote after the copy
    would be lost with the renamed file."""
    handle = open_lock(state_dir / STORE_LOCK)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        name = holder(handle)
        handle.close()
        pid = f" (pid {name.split()[0]})" if name and alive(name) else ""  # not a stale one
        raise StoresBusy(
            f"{state_dir}: `kelurahan database copy`{pid} sedang memindahkan isi SQLite folder "
            "ini ke PostgreSQL; tunggu sampai selesai, lalu jalankan lagi dengan "
            "KELURAHAN_DATABASE_URL terisi") from None
    return handle


def move_stores(state_dir: Path) -> IO[str]:
    """Held (exclusive) by `kelurahan database copy`: refused, before anything is written,
    while any process has a SQLite store of `state_dir` open."""
    try:
        handle = open_lock(state_dir / STORE_LOCK)
    except OSError as exc:
        raise KelurahanError(f"{state_dir / STORE_LOCK}: tidak dapat dibuka ({exc})") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pids = lock_pids(handle)
        handle.close()
        users = f" (pid {', '.join(map(str, pids))})" if pids else ""
        raise StoresBusy(
            f"{state_dir}: SQLite di folder ini sedang dipakai proses lain{users}; tidak ada "
            "yang disalin. Hentikan `kelurahan bot` dan timer publish dulu (systemctl stop "
            "kelurahan.timer kelurahan.service kelurahan-bot.service), lalu ulangi.") from None
    claim(handle)
    return handle
