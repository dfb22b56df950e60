"""A build killed with SIGKILL (cron, the OOM killer, an impatient operator) leaves nothing
behind that blocks the next one: no worker holding the lock, no worker running on.

Observed before: pool workers forked from the build inherited the lock's file descriptor and
outlived it, deadlocked, so every later build said "build lain sedang berjalan".
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import make_content
from tests.generator.site_support import CITY_NOW, REPO, add_kelurahan, run_build


def _ours(marker: str) -> list[int]:
    """Processes (the build, its fork server, its workers) started with our state folder."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in environ:
            pids.append(int(entry.name))
    return pids


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def city(tmp_path: Path) -> Path:
    content = make_content(tmp_path)
    add_kelurahan(content, "mekarsari", "Mekarsari")
    for n, slug in enumerate(("harapan", "sejahtera"), start=2):
        folder = add_kelurahan(content, slug, slug.title())
        profile = folder / "profil.md"
        profile.write_text(profile.read_text("utf-8").replace("100000000000999",
                                                              f"10000000000099{n}"), "utf-8")
    return content


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and prctl are Linux")
@pytest.mark.parametrize("moment", ["workers started", "sites half built"])
def test_a_killed_forced_build_leaves_nothing_that_blocks_the_next(
        city: Path, tmp_path: Path, moment: str) -> None:
    out, state = tmp_path / "site", tmp_path / "state"
    run_build(city, out)  # the site the killed build was replacing
    # Without its cached copies every site is really rebuilt in the workers (as after an
    # upgrade); with them a forced build only links the sites and may finish between two polls.
    shutil.rmtree(state / "cache" / "situs", ignore_errors=True)
    env = {**os.environ, "KELURAHAN_STATE_DIR": str(state), "CI": "1"}
    build = subprocess.Popen(
        [sys.executable, "-m", "kelurahan.cli", "build", "--content", str(city), "--out",
         str(out), "--force", "--jobs", "2", "--now", CITY_NOW],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = f".{out.name}.baru-{build.pid}"
    started = _wait_for(lambda: (tmp_path / staging).is_dir(), 60)
    if moment == "sites half built":
        started = _wait_for(lambda: any((tmp_path / staging).glob("*/index.html")), 60)
    assert started, "the build never got as far as its workers"
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert _wait_for(lambda: not _ours(str(state)), 10), "workers outlived the killed build"
    for slug in ("sukamaju", "mekarsari", "harapan", "sejahtera"):
        assert (out / slug / "index.html").is_file()  # the old site, whole
    assert run_build(city, out).built == []  # not refused: the killed build changed nothing
    report = run_build(city, out, force=True, jobs=2)  # the operator runs it again
    assert report.built == ["harapan", "mekarsari", "sejahtera", "sukamaju"]
    assert not [p.name for p in tmp_path.iterdir() if ".baru-" in p.name]


def test_a_lock_whose_holder_is_gone_does_not_block(content: Path, tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A stray process keeps the lock, but the build that wrote its name in it is gone."""
    from generator.staging import out_key

    out = tmp_path / "site"
    lock = tmp_path / "state" / "build" / f"{out_key(out)}.lock"
    lock.parent.mkdir(parents=True)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time\n"
         f"f = open({str(lock)!r}, 'w'); fcntl.flock(f, fcntl.LOCK_EX); f.write('{gone} 1')\n"
         "f.flush(); print('ok', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        assert run_build(content, out).built == ["sukamaju"]
    finally:
        holder.kill()
        holder.wait()
    assert f"dipegang proses {gone} 1 yang sudah berhenti; diabaikan" in caplog.text
