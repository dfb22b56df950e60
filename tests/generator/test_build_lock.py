"""A build from WhatsApp waits for the running build (the timer's) instead of failing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from generator.build import BuildOptions, build
from generator.staging import locked
from kelurahan.errors import KelurahanError

ROOT = Path(__file__).resolve().parents[2]


def test_waiting_build_runs_after_the_other(content: Path, tmp_path: Path) -> None:
    state, site = tmp_path / "state", tmp_path / "site"
    options = BuildOptions(content_dir=content, out_dir=site, state_dir=state, project_root=ROOT)
    released = threading.Event()

    def hold() -> None:
        with locked(state, site):
            time.sleep(0.5)
            released.set()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.1)
    with pytest.raises(KelurahanError, match="build lain sedang berjalan"):
        build(options)
    report = build(BuildOptions(**{**options.__dict__, "wait": True}))
    assert released.is_set() and report.built == ["sukamaju"]
    holder.join()
