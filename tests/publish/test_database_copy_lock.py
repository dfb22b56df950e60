"""`kelurahan database copy` and the processes using a state folder's SQLite stores exclude each
other: a bot or publish still writing into the copied (then renamed) file would lose it all.

Real processes on both sides: a `kelurahan bot` subprocess against the copy command, and a copy
in progress (the real `copy_to_database`, paused after its first store) against the bot
subprocess, `kelurahan publish` and each store opened directly.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kelurahan.database import count_rows, open_database
from kelurahan.errors import KelurahanError
from publish.bot import drafts as draft_store
from publish.bot import store as bot_store
from publish.bot.drafts import DraftStore
from publish.bot.store import BotStore
from publish.social import ledger
from publish.state import copy_to_database
from tests.publish.bot.support import make_site
from tests.publish.publish_support import DUE, LATER, World
from tests.publish.publish_support import world as world  # the fixture
from tests.publish.test_database_copy import cli, held, old_bot_state

BOT_SECRETS = {"WHATSAPP_VERIFY_TOKEN": "v", "WHATSAPP_APP_SECRET": "s",
               "WHATSAPP_ACCESS_TOKEN": "t"}
EMPTY = dict.fromkeys(["attempts", "seen", "handoff", "outbox", "drafts", "draft_photos",
                       "desk_seen"], 0)


def busy_copy(state: Path, pid: int) -> str:
    return (f"{state}: SQLite di folder ini sedang dipakai proses lain (pid {pid}); tidak ada "
            "yang disalin. Hentikan `kelurahan bot` dan timer publish dulu (systemctl stop "
            "kelurahan.timer kelurahan.service kelurahan-bot.service), lalu ulangi.")


def busy_store(state: Path) -> str:
    return (f"{state}: `kelurahan database copy` (pid {os.getpid()}) sedang memindahkan isi "
            "SQLite folder ini ke PostgreSQL; tunggu sampai selesai, lalu jalankan lagi dengan "
            "KELURAHAN_DATABASE_URL terisi")


def bot_process(tmp_path: Path, state: Path) -> subprocess.Popen:
    """`kelurahan bot` with its posting desk (drafts) on the SQLite stores of `state`."""
    site = make_site(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "KELURAHAN_DATABASE_URL"}
    env.update(BOT_SECRETS, PYTHONUNBUFFERED="1", KELURAHAN_STATE_DIR=str(state),
               KELURAHAN_SECRETS_FILE=str(tmp_path / "tidak-ada.env"))
    return subprocess.Popen(
        [sys.executable, "-m", "kelurahan.cli", "bot", "--site", str(site), "--content",
         str(tmp_path / "content"), "--port", "0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def running_bot(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, Path]]:
    state = tmp_path / "state"
    old_bot_state(state)
    process = bot_process(tmp_path, state)
    assert process.stdout is not None and process.stderr is not None
    try:
        line = process.stdout.readline()
        assert re.search(r"http://127\.0\.0\.1:\d+/webhook", line), line + process.stderr.read()
        yield process, state
    finally:
        process.kill()
        process.wait(timeout=10)


def test_a_running_bot_stops_the_copy_until_it_is_stopped(
        running_bot: tuple[subprocess.Popen, Path], fresh_postgres: str, tmp_path: Path,
        monkeypatch, capsys) -> None:
    process, state = running_bot
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)
    before = sorted(p.name for p in state.iterdir())

    code, out = cli(["database", "copy", "--from", str(state)], capsys)
    assert (code, out.strip()) == (1, f"Gagal: {busy_copy(state, process.pid)}")
    assert held(fresh_postgres, tmp_path) == EMPTY
    assert sorted(p.name for p in state.iterdir()) == before  # nothing renamed

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    left = rows_in(state / "bot.sqlite3")  # as the bot left them (it sent, it expired drafts)
    assert left["seen"] == 2
    code, out = cli(["database", "copy", "--from", str(state)], capsys)
    assert (code, out.splitlines()[-1]) == (0, (
        f"Selesai. Berkas SQLite di {state} kini bernama *.sqlite3.disalin; simpan sebagai "
        "cadangan."))
    assert held(fresh_postgres, tmp_path) == {**EMPTY, **left}
    assert not (state / "bot.sqlite3").exists() and (state / "bot.sqlite3.disalin").is_file()


def rows_in(path: Path) -> dict[str, int]:
    db = open_database({}, path.parent, path.name, read_only=True)
    try:
        return {name: n for tables in (bot_store.TABLES, draft_store.TABLES)
                for name, n in count_rows(db, tables).items()}
    finally:
        db.close()


def test_a_copy_in_progress_turns_away_publish_the_bot_and_every_store(
        world: World, fresh_postgres: str, tmp_path: Path, monkeypatch, capsys) -> None:
    assert world.run(now=DUE)[0] == 0  # three cards out, on SQLite
    old_bot_state(world.state)
    ledger_before = world.ledger()
    copying = copy_to_database(world.state, {"KELURAHAN_DATABASE_URL": fresh_postgres})
    try:
        assert next(copying).total == 3  # the ledger is across; the bot's stores are next

        code, out = world.run(now=LATER)  # the timer's publish, still on SQLite
        assert (code, out.strip()) == (1, f"Gagal: {busy_store(world.state)}")
        bot = bot_process(tmp_path, world.state)
        out, err = bot.communicate(timeout=30)
        assert (bot.returncode, out, err.strip()) == (1, "", f"Gagal: {busy_store(world.state)}")
        for opening in (lambda: BotStore.open({}, world.state),
                        lambda: DraftStore.open({}, world.state),
                        lambda: ledger.open_ledger(world.state)):
            with pytest.raises(KelurahanError) as refused:
                opening().close()
            assert str(refused.value) == busy_store(world.state)
        assert len(ledger.read_rows(world.state)) == 3  # readers lose nothing: not refused

        assert [c.total for c in copying] == [3, 3]
    finally:
        copying.close()
    assert len(world.graph.page_posts) == 1  # nothing posted while refused
    copied = held(fresh_postgres, tmp_path)
    assert (copied["attempts"], copied["seen"], copied["drafts"]) == (len(ledger_before), 2, 1)
    assert sorted(p.name for p in world.state.glob("*.disalin")) == [
        "bot.sqlite3.disalin", "publish.sqlite3.disalin"]
