"""A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster in a temp folder.

`initdb` and `pg_ctl` run as the `postgres` system user when the tests run as root (PostgreSQL
refuses root); the server listens on a free loopback port only, with trust authentication, and
is stopped and deleted when the test session ends. Without the binaries (a developer's machine
without `make postgresql`) the PostgreSQL tests are skipped with that reason; CI installs them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields `postgresql://postgres@127.0.0.1:PORT/postgres`."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL tidak terpasang (make postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="kd-pg-"))
    data, port = folder / "data", _free_port()
    as_user = _run_as()
    if as_user:
        shutil.chown(folder, as_user)
    try:
        _run(as_user, [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                       "--auth=trust", "-E", "UTF8", "--no-sync"])
        _run(as_user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l",
                       str(folder / "log"), "-o",
                       f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c max_connections=200", "start"])
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_command(as_user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-m",
                                          "immediate", "stop"]), capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
        return "postgres"
    except KeyError:
        return "nobody"


def _command(user: str | None, args: list[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *args] if user else args


def _run(user: str | None, args: list[str]) -> None:
    subprocess.run(_command(user, args), check=True, capture_output=True, cwd="/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
