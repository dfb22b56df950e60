"""Several bot replicas behind a load balancer, sharing one PostgreSQL database.

Meta re-delivers a webhook it got no timely 200 for, and a load balancer may send the copy to
another replica: the resident must get one reply. A replica that dies with replies queued
leaves them to the next replica that starts; a live replica's replies are never taken over.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.bot import start_bot, stop_bot
from publish.bot.outbox import Outgoing
from publish.bot.store import BotStore
from tests.publish.bot.support import (
    FAST_RETRY,
    FakeGraph,
    envelope,
    make_site,
    post,
    settings,
    start_fake_graph,
    text,
    value,
)


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = start_fake_graph()
    yield fake
    fake.server.shutdown()


def _replica(site: Path, graph: FakeGraph, state: Path, url: str):
    return start_bot(site, settings(graph, state, KELURAHAN_DATABASE_URL=url), host="127.0.0.1",
                     port=0, retry=FAST_RETRY)


def test_one_webhook_delivered_to_two_replicas_gets_one_reply(graph, tmp_path, fresh_postgres):
    site = make_site(tmp_path)
    replicas = [_replica(site, graph, tmp_path / f"mesin-{n}", fresh_postgres) for n in range(2)]
    try:
        payload = envelope(value(text("1", "wamid.sama")))
        answers = []
        threads = [threading.Thread(target=lambda r=r: answers.append(post(r, payload).status))
                   for r in replicas for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [200] * 6
        graph.wait_for(1)
        time.sleep(1.0)  # a second reply would have arrived by now
        messages = [s for s in graph.sent if s.body.get("type") == "text"]
        assert len(messages) == 1, messages
    finally:
        for replica in replicas:
            stop_bot(replica)
    assert not any((tmp_path / f"mesin-{n}" / "bot.sqlite3").exists() for n in range(2))


def test_queued_replies_of_a_dead_replica_are_sent_by_the_next_not_by_a_live_one(
        tmp_path, fresh_postgres):
    config = {"KELURAHAN_DATABASE_URL": fresh_postgres}
    dead = BotStore.open(config, tmp_path)
    dead.replica = "mesin-lain:999999"  # a replica on another host whose lease ran out
    dead.add([Outgoing("100", "6281", {"type": "text", "text": {"body": "lama"}}, "r1")],
             now=time.time() - 3600)
    alive, other = BotStore.open(config, tmp_path), BotStore.open(config, tmp_path)
    alive.replica, other.replica = "mesin-a:1", "mesin-b:2"
    mine = alive.add([Outgoing("100", "6282", {"type": "text", "text": {"body": "baru"}}, "r2")],
                     now=time.time())
    assert [q.item.ref for q in other.pending()] == ["r1"]  # adopted: its owner is gone
    assert [q.item.ref for q in alive.pending()] == ["r2"]  # its own, not the adopted one
    assert [q.id for q in mine] == [q.id for q in alive.pending()]
    for store in (dead, alive, other):
        store.close()
