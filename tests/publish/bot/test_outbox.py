"""No lost replies: the outbox against a fake Graph API that fails the way Meta's does.

5xx, a timeout, HTTP 429, 130429 (throughput) and 131056 (pair rate limit) are retried with
backoff and order per resident is kept; what is pending at a stop is sent after a restart;
a final failure is logged with its reason; any Cloud API payload can be queued.
"""

from __future__ import annotations

import logging
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from publish.bot.outbox import Outbox, Outcome, Outgoing, Queued, RetryPolicy, SendResult
from publish.bot.sender import GraphTransport
from tests.publish.bot.support import (
    HANG,
    PHONE_ID,
    RESIDENT,
    FakeGraph,
    envelope,
    make_site,
    post,
    start,
    start_fake_graph,
    stop,
    text,
    value,
)


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = start_fake_graph()
    yield fake
    fake.server.shutdown()


def first_lines(graph: FakeGraph, count: int) -> list[str]:
    return [s.body["text"]["body"].split("\n")[0] for s in graph.wait_for(count)]


def pending_rows(state: Path) -> int:
    with sqlite3.connect(state / "bot.sqlite3") as db:
        return db.execute("SELECT count(*) FROM outbox").fetchone()[0]


def test_retryable_failures_are_retried_in_order(tmp_path: Path, graph: FakeGraph,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    graph.script = [(500, None), (429, None), (400, 130429), (400, 131056), (503, 2), (HANG, None)]
    server = start(make_site(tmp_path), graph, tmp_path / "state", send_timeout=(5.0, 0.8))
    try:
        assert post(server, envelope(value(text("1", "wamid.a1"), text("2", "wamid.a2")))
                    ).status == 200
        assert first_lines(graph, 2) == ["*1. Surat Pengantar KTP-el*", "*2. Kartu Keluarga*"]
        assert graph.attempts == 8  # six failures of the first reply, then both accepted
        for reason in ("HTTP 500", "HTTP 429", "HTTP 400: code 130429 OAuthException",
                       "HTTP 400: code 131056 OAuthException", "HTTP 503: code 2",
                       "jaringan: TimeoutError"):
            assert "belum terkirim" in caplog.text and reason in caplog.text
        assert "percobaan 6" in caplog.text
        assert "gagal terkirim" not in caplog.text
    finally:
        stop(server)
    assert pending_rows(tmp_path / "state") == 0


def test_final_failure_is_logged_and_the_next_reply_goes_out(
        tmp_path: Path, graph: FakeGraph, caplog: pytest.LogCaptureFixture) -> None:
    """131047 (24-hour window closed) will not get better: no retry. A reply that keeps
    failing past `max_age` is given up too; both are logged with the reason."""
    caplog.set_level(logging.INFO)
    graph.script = [(400, 131047)] + [(503, None)] * 50
    policy = RetryPolicy(first_delay=0.05, factor=1, max_delay=0.05, max_age=0.4)
    server = start(make_site(tmp_path), graph, tmp_path / "state", retry=policy)
    try:
        assert post(server, envelope(value(text("1", "wamid.f1")))).status == 200
        assert post(server, envelope(value(text("2", "wamid.f2")))).status == 200
        deadline = time.monotonic() + 5
        while "wamid.f2 gagal" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ("balasan untuk wamid.f1 gagal terkirim setelah 1 percobaan: HTTP 400: code "
                "131047 OAuthException") in caplog.text
        assert "balasan untuk wamid.f2 gagal terkirim setelah " in caplog.text
        assert "wamid.f2 gagal terkirim setelah 1 percobaan" not in caplog.text  # retried first
        graph.script = []
        assert post(server, envelope(value(text("2", "wamid.f3")))).status == 200
        assert first_lines(graph, 1) == ["*2. Kartu Keluarga*"]
    finally:
        stop(server)
    assert pending_rows(tmp_path / "state") == 0


def test_replies_pending_at_a_stop_are_sent_after_the_restart(tmp_path: Path,
                                                              graph: FakeGraph) -> None:
    site, state = make_site(tmp_path), tmp_path / "state"
    slow = RetryPolicy(first_delay=60, max_age=3600)  # nothing is retried before the stop
    graph.fail_with = 503
    first = start(site, graph, state, retry=slow)
    try:
        assert post(first, envelope(value(text("1", "wamid.p1"), text("menu", "wamid.p2"),
                                          text("2", "wamid.p3")))).status == 200
        deadline = time.monotonic() + 5
        while graph.attempts < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop(first)
    assert pending_rows(state) == 6  # three replies and three read receipts
    graph.fail_with = None
    second = start(site, graph, state)  # due again at its retry time: made due by the restart
    try:
        bodies = [s.body for s in graph.wait_for(3, timeout=90)]
        assert [b["type"] for b in bodies] == ["text", "interactive", "text"]
        assert bodies[2]["text"]["body"].startswith("*2. Kartu Keluarga*")
        assert graph.wait_reads(3) == ["wamid.p1", "wamid.p2", "wamid.p3"]
    finally:
        stop(second)
    assert pending_rows(state) == 0


def test_any_cloud_api_payload_can_be_queued(tmp_path: Path, graph: FakeGraph) -> None:
    """What a staff desk sends: a card image by media id, then reply buttons."""
    image = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": RESIDENT,
             "type": "image", "image": {"id": "1479537139650973", "caption": "Draf kegiatan"}}
    buttons = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": RESIDENT,
               "type": "interactive", "interactive": {
                   "type": "button", "body": {"text": "Terbitkan kegiatan ini?"},
                   "action": {"buttons": [
                       {"type": "reply", "reply": {"id": "terbitkan:1", "title": "Terbitkan"}},
                       {"type": "reply", "reply": {"id": "ubah:1", "title": "Ubah"}},
                       {"type": "reply", "reply": {"id": "batal:1", "title": "Batal"}}]}}}
    graph.script = [(500, None)]
    server = start(make_site(tmp_path), graph, tmp_path / "state")
    try:
        queued = server.app.outbox.put([Outgoing(PHONE_ID, RESIDENT, image, "draf 1"),
                                        Outgoing(PHONE_ID, RESIDENT, buttons, "draf 1")])
        assert len(queued) == 2
        sent = graph.wait_for(2)
        assert [s.body for s in sent] == [image, buttons]
        assert {s.path for s in sent} == {f"/v21.0/{PHONE_ID}/messages"}
    finally:
        stop(server)


class DiskFullOnce:
    """An OutboxStore in memory whose first `done` fails like a full disk."""

    def __init__(self) -> None:
        self.rows: dict[int, Queued] = {}
        self.failed = False

    def add(self, items: Sequence[Outgoing], now: float) -> list[Queued]:
        queued = [Queued(len(self.rows) + n + 1, item, now, 0, now) for n, item in
                  enumerate(items)]
        self.rows.update((q.id, q) for q in queued)
        return queued

    def pending(self) -> list[Queued]:
        return list(self.rows.values())

    def done(self, row_id: int) -> None:
        if not self.failed:
            self.failed = True
            raise sqlite3.OperationalError("database or disk is full")
        del self.rows[row_id]

    def retry_later(self, row_id: int, attempts: int, next_at: float, reason: str) -> None:
        raise AssertionError("nothing fails to send here")


class Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, item: Outgoing) -> SendResult:
        self.sent.append(item.payload["text"]["body"])
        return SendResult(Outcome.SENT, "200")


def test_a_failing_store_is_logged_and_sending_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    store, transport = DiskFullOnce(), Recorder()
    outbox = Outbox(store, transport, workers=2)
    outbox.start()
    bodies = [f"pesan {n}" for n in range(3)]
    outbox.put([Outgoing(PHONE_ID, RESIDENT, {"type": "text", "text": {"body": b}}, "wamid.d")
                for b in bodies])
    deadline = time.monotonic() + 5
    while len(transport.sent) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    outbox.close()
    assert transport.sent == bodies
    assert "antrean balasan tidak bisa diperbarui untuk wamid.d: OperationalError" in caplog.text
    assert [q.item.payload["text"]["body"] for q in store.pending()] == ["pesan 0"]  # resent later


class RawGraph:
    """A Graph API that answers its first request on a kept-alive connection, then, for the
    next one on that connection, either closes it while idle or reads the request and hangs
    up without an answer (as a proxy restarting does)."""

    ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
              b"\r\n{}")

    def __init__(self, mode: str) -> None:
        self.mode, self.requests = mode, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.idle_closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _read_request(self, conn: socket.socket) -> bool:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        while len(body) < length:
            body += conn.recv(65536)
        self.requests += 1
        return True

    def _serve(self) -> None:
        with self.listener:
            first, _ = self.listener.accept()
            with first:
                self._read_request(first)
                first.sendall(self.ANSWER)
                if self.mode == "idle":
                    first.shutdown(socket.SHUT_RDWR)
                    self.idle_closed.set()
                else:
                    self._read_request(first)  # then hang up without answering
                    return
            second, _ = self.listener.accept()
            with second:
                self._read_request(second)
                second.sendall(self.ANSWER)


def reply(n: int) -> Outgoing:
    return Outgoing(PHONE_ID, RESIDENT, {"messaging_product": "whatsapp", "to": RESIDENT,
                                         "type": "text", "text": {"body": f"jawaban {n}"}},
                    f"wamid.r{n}")


def test_a_connection_the_server_closed_while_idle_is_replaced_before_sending() -> None:
    graph = RawGraph("idle")
    transport = GraphTransport(graph.url, "v21.0", "token")
    assert transport.send(reply(1)).outcome is Outcome.SENT
    assert graph.idle_closed.wait(5)
    time.sleep(0.05)
    assert transport.send(reply(2)).outcome is Outcome.SENT
    assert graph.requests == 2  # each reply sent once


def test_a_reply_whose_connection_dropped_after_sending_is_not_sent_again_at_once() -> None:
    """Meta may have sent it: the outbox retries after its backoff, never blindly at once."""
    graph = RawGraph("dropped")
    transport = GraphTransport(graph.url, "v21.0", "token")
    assert transport.send(reply(1)).outcome is Outcome.SENT
    result = transport.send(reply(2))
    assert (result.outcome, result.reason) == (Outcome.RETRY, "jaringan: RemoteDisconnected")
    assert graph.requests == 2


def test_a_servers_retry_after_is_a_minimum_wait() -> None:
    policy = RetryPolicy()
    waits = [policy.delay(1, 5.0) for _ in range(500)]
    assert min(waits) >= 5.0 and max(waits) <= 6.0
