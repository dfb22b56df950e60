"""Every output file is readable by the web server, which runs as another user (0644, folders 0755).

The atomic writer uses `mkstemp` (0600); before the fix every `kartu.json`, caption, card preview
and WhatsApp file was unreadable to nginx (403).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.audit import AuditReport, Thresholds, write_report
from tests.generator.site_support import run_build


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A folder another user may enter (pytest's own tmp folders are 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="kd-mode-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def wrong_modes(root: Path) -> list[str]:
    found = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        wanted = 0o755 if path.is_dir() else 0o644
        if not path.is_symlink() and mode != wanted:
            found.append(f"{path.relative_to(root)}: {mode:o}")
    return found


def test_every_built_file_is_world_readable(content: Path, public_tmp: Path) -> None:
    site = public_tmp / "site"
    run_build(content, site)
    assert (site / "sukamaju" / "kartu" / "2026-11-16-kerja-bakti" / "kartu.json").is_file()
    assert (site / "sukamaju" / "whatsapp" / "menu.json").is_file()
    assert wrong_modes(site) == []
    if os.geteuid() == 0:
        _read_as_nobody(site)


def test_audit_outputs_are_world_readable(public_tmp: Path) -> None:
    now = dt.datetime(2026, 11, 23, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    write_report(AuditReport("Kota Uji", now, Thresholds(), ()), public_tmp / "audit")
    assert sorted(p.name for p in (public_tmp / "audit").iterdir()) == [
        "audit.csv", "audit.html", "audit.json"]
    assert wrong_modes(public_tmp / "audit") == []


def _read_as_nobody(site: Path) -> None:
    """What nginx does: open every file as an unprivileged user."""
    files = [str(p) for p in site.rglob("*") if p.is_file()]
    script = 'for f in "$@"; do cat -- "$f" >/dev/null || exit 1; done'
    result = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", "-c", script,
         "sh", *files], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
