"""Exactly once across machines: publishers with their own state folders, one PostgreSQL ledger.

Each publisher is a separate process with a separate `KELURAHAN_STATE_DIR` (as on separate
machines); they share only `KELURAHAN_DATABASE_URL`. The platforms stall and record the post
before answering, so the runs overlap inside the platform call.
"""

from __future__ import annotations

import os
import subprocess
import sys

from publish.social.ledger import read_rows
from tests.publish.fake_platforms import Fault
from tests.publish.publish_support import DUE, World
from tests.publish.publish_support import world as world  # the fixture


def test_publishers_on_several_machines_post_each_card_once(world: World, fresh_postgres: str,
                                                            tmp_path) -> None:
    for endpoint in ("photos", "media_publish"):
        world.graph.fail(endpoint, Fault(record_first=True, stall=0.5), times=3)
    world.tiktok.fail("content/init", Fault(record_first=True, stall=0.5), times=3)
    processes = [
        subprocess.Popen([sys.executable, "-m", "kelurahan.cli", *world.args(now=DUE)],
                         env={**os.environ, **world.env, "KELURAHAN_DATABASE_URL": fresh_postgres,
                              "KELURAHAN_STATE_DIR": str(tmp_path / f"mesin-{n}")},
                         cwd=world.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(3)]
    outputs = [p.communicate(timeout=90) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    assert len(world.graph.page_posts) == len(world.graph.ig_media) == len(world.tiktok.posts) == 1
    rows = read_rows(tmp_path / "mesin-0", fresh_postgres)
    assert sorted((r.channel, r.state.value, r.attempts) for r in rows) == [
        ("facebook", "published", 1), ("instagram", "published", 1), ("tiktok", "published", 1)]
    assert not any((tmp_path / f"mesin-{n}" / "publish.sqlite3").exists() for n in range(3))
