"""The ledger's state machine and storage, without any platform: who may act on a row, when."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest

from publish.social.ledger import Key, Row, decide, last_published, ledger_at, owner_id
from publish.social.outcome import Kind, Outcome

UTC = dt.UTC
T = dt.datetime(2026, 11, 16, 1, 0, tzinfo=UTC)
KEY = Key("sukamaju", "2026-11-16-kerja-bakti", "facebook")


def _row(state: str, *, publish_at: dt.datetime = T, next_at: dt.datetime | None = None,
         owner: str | None = None, lease: float | None = None) -> Row:
    return Row(KEY.kelurahan, KEY.post, KEY.channel, state, 1, publish_at,
               next_attempt_at=next_at, owner=owner, lease_until=lease)


DEAD = f"{os.uname().nodename}:999999999"
NOW_WALL = time.time()


@pytest.mark.parametrize(("row", "publish_at", "now", "expected"), [
    (None, T, T, True),                                              # first attempt
    (_row("published"), T, T, False),                                # never twice
    (_row("published"), T + dt.timedelta(days=1), T, False),         # even after an edit
    (_row("scheduled", publish_at=T + dt.timedelta(days=2)), T + dt.timedelta(days=2), T, False),
    (_row("scheduled", publish_at=T + dt.timedelta(days=2)), T + dt.timedelta(days=3), T, True),
    (_row("scheduled"), T + dt.timedelta(days=3), T, False),         # Facebook already ran it
    (_row("retry", next_at=T + dt.timedelta(minutes=5)), T, T, False),
    (_row("retry", next_at=T), T, T, True),
    (_row("retry", next_at=T + dt.timedelta(hours=1)), T + dt.timedelta(hours=2), T, True),
    (_row("unknown", next_at=T), T, T, True),
    (_row("failed"), T, T, False),                                   # no blind retry
    (_row("failed"), T + dt.timedelta(hours=2), T, True),            # new jadwal: try again
    (_row("cancelled"), T, T, True),
    (_row("inflight", owner=owner_id(), lease=NOW_WALL + 60), T, T, False),   # another run
    (_row("inflight", owner=DEAD, lease=NOW_WALL + 60), T, T, True),          # crashed run
    (_row("inflight", owner="lain:1", lease=NOW_WALL - 1), T, T, True),       # lease over
])
def test_decide(row: Row | None, publish_at: dt.datetime, now: dt.datetime,
                expected: bool) -> None:
    assert decide(row, publish_at, now, NOW_WALL) is expected


def test_withdraw_only_takes_future_scheduled_rows() -> None:
    held = _row("scheduled", publish_at=T + dt.timedelta(days=2))
    assert decide(held, held.publish_at, T, NOW_WALL, withdraw=True)
    assert not decide(_row("scheduled"), T, T + dt.timedelta(minutes=1), NOW_WALL, withdraw=True)
    assert not decide(_row("published"), T, T, NOW_WALL, withdraw=True)
    assert not decide(None, T, T, NOW_WALL, withdraw=True)


def test_claims_race_between_threads_and_only_one_wins(tmp_path: Path) -> None:
    path = tmp_path / "publish.sqlite3"
    ledger_at(path).close()
    wins: list[bool] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        ledger = ledger_at(path)
        barrier.wait()
        wins.append(ledger.claim(KEY, T, T) is not None)
        ledger.close()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_backoff_grows_then_gives_up(tmp_path: Path) -> None:
    ledger = ledger_at(tmp_path / "publish.sqlite3")
    now, delays = T, []
    for _ in range(8):
        claim = ledger.claim(KEY, T, now)
        assert claim is not None
        row = ledger.finish(claim, Outcome(Kind.TRANSIENT, "gangguan sementara (kode 2)"), now)
        if row.next_attempt_at:
            delays.append(int((row.next_attempt_at - now).total_seconds() // 60))
            now = row.next_attempt_at
    assert delays == [1, 2, 4, 8, 16, 32, 64]
    assert (row.state, row.attempts) == ("manual", 8)
    assert row.last_error == "menyerah setelah 8 percobaan; terakhir: gangguan sementara (kode 2)"
    assert ledger.claim(KEY, T, now + dt.timedelta(days=1)) is None


def test_last_published_counts_scheduled_posts_once_their_time_has_come(tmp_path: Path) -> None:
    ledger = ledger_at(tmp_path / "publish.sqlite3")
    later = T + dt.timedelta(days=2)
    for key, at, outcome in [
        (KEY, T, Outcome(Kind.PUBLISHED, platform_id="1")),
        (Key("sukamaju", "2026-11-18-rapat", "facebook"), later,
         Outcome(Kind.SCHEDULED, platform_id="2", scheduled_for=later)),
        (Key("sukamaju", "2026-11-16-kerja-bakti", "tiktok"), T, Outcome(Kind.REJECTED, "x")),
    ]:
        ledger.finish(ledger.claim(key, at, T), outcome, T)
    ledger.close()
    state = tmp_path
    assert last_published(state, T + dt.timedelta(days=1)) == {("sukamaju", "facebook"): T}
    assert last_published(state, later) == {("sukamaju", "facebook"): later}
