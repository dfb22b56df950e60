"""Malformed HTTP and hostile clients over raw sockets: every request gets a complete HTTP
answer (400 family), never a 500 and never a dropped connection; slow clients hold no worker;
the verify token never reaches a log."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.bot import BotServer
from tests.publish.bot.support import (
    RESIDENT,
    VERIFY_TOKEN,
    FakeGraph,
    envelope,
    make_site,
    post,
    request,
    sign,
    start,
    start_fake_graph,
    stop,
    text,
    value,
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[BotServer, FakeGraph]]:
    graph = start_fake_graph()
    server = start(make_site(tmp_path), graph, tmp_path / "state")
    yield server, graph
    stop(server)
    graph.server.shutdown()


def exchange(server: BotServer, raw: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes, read until the server closes or a whole response has arrived."""
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=timeout) as s:
        s.sendall(raw)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            length = [line.split(b":", 1)[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:")]
            if sep and length and len(body) >= int(length[0]):
                return data


def status_of(response: bytes) -> int:
    assert response.startswith((b"HTTP/1.1 ", b"HTTP/1.0 ")), response[:80]  # not dropped
    return int(response.split(b" ", 2)[1])


def still_answers(server: BotServer, graph: FakeGraph, mid: str) -> None:
    already = len(graph.sent)
    assert post(server, envelope(value(text("2", mid)))).status == 200
    assert graph.bodies(already + 1)[already]["text"]["body"].startswith("*2. Kartu Keluarga*")


@pytest.mark.parametrize("raw", [
    "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: ²\r\n\r\n{}".encode(),
    b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
    b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 1e1\r\n\r\n{}",
    b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    b"POST /webhook HTTP/1.1\r\nHost: x\r\nInvalid header line\r\n\r\n",
    b"POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    b"POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"\x00\xff\xfe GARBAGE\r\n\r\n",
    b"POST /webhook HTTP/1.1\r\nHost: x\r\nX-Hub-Signature-256: sha256=\xe9\xff\r\n"
    b"Content-Length: 2\r\n\r\n{}",
    b"POST /webhook HTTP/1.1\r\nHost: x\r\n\r\n",
    b"PUT /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
    b"GET /webhook?hub.mode=subscribe&hub.verify_token=%ED%A0%80 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /webhook HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n",
], ids=["superscript-length", "negative-length", "float-length", "two-lengths", "no-colon",
        "bad-chunk", "gzip-encoding", "garbage", "latin1-signature", "no-length", "put",
        "surrogate-query", "huge-header"])
def test_malformed_http_gets_a_4xx_answer(served: tuple[BotServer, FakeGraph],
                                          raw: bytes) -> None:
    server, graph = served
    status = status_of(exchange(server, raw))
    assert 400 <= status < 500 or status == 501, status  # 501: an encoding HTTP has no use for
    still_answers(server, graph, "wamid.setelah")


def test_exact_answers_for_length_problems(served: tuple[BotServer, FakeGraph]) -> None:
    server, _ = served
    superscript = exchange(server, "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: ²"
                                   "\r\n\r\n{}".encode())
    assert superscript.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    missing = exchange(server, b"POST /webhook HTTP/1.1\r\nHost: x\r\n\r\n")
    assert missing.startswith(b"HTTP/1.1 411 Length Required\r\n")
    assert json.loads(missing.partition(b"\r\n\r\n")[2]) == {
        "status": "ditolak", "alasan": "Content-Length wajib"}


@pytest.mark.parametrize("field", ["id", "from", "phone"])
def test_lone_surrogate_ids_are_ignored_with_200(served: tuple[BotServer, FakeGraph],
                                                 field: str) -> None:
    server, graph = served
    message = text("1", "wamid.\ud800" if field == "id" else "wamid.surrogat",
                   sender="6281\udfff" if field == "from" else RESIDENT)
    payload = envelope(value(message, phone_id="1000\ud834" if field == "phone" else
                             "100000000000001"))
    raw = json.dumps(payload).encode("ascii")  # \ud800 escaped, as JSON allows
    response = post(server, raw)
    assert (response.status, json.loads(response.body)) == (
        200, {"status": "ok", "alasan": "0 pesan, 0 dibalas"})
    still_answers(server, graph, "wamid.surrogat2")
    assert len(graph.sent) == 1


def test_lone_surrogate_in_text_is_answered_without_echo(
        served: tuple[BotServer, FakeGraph]) -> None:
    server, graph = served
    raw = json.dumps(envelope(value(text("kk \ud83d", "wamid.teks")))).encode("ascii")
    assert post(server, raw).status == 200
    assert graph.bodies(1)[0]["text"]["body"].startswith("*2. Kartu Keluarga*")


def test_chunked_body_is_read(served: tuple[BotServer, FakeGraph]) -> None:
    server, graph = served
    raw = json.dumps(envelope(value(text("1", "wamid.chunk")))).encode()
    half = len(raw) // 2
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (raw[:half], raw[half:]))
    response = exchange(server, b"POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                        b"chunked\r\nX-Hub-Signature-256: " + sign(raw).encode() +
                        b"\r\n\r\n" + chunks + b"0\r\n\r\n")
    assert status_of(response) == 200
    assert graph.bodies(1)[0]["text"]["body"].startswith("*1. Surat Pengantar KTP-el*")


def test_stalled_clients_hold_no_worker(served: tuple[BotServer, FakeGraph]) -> None:
    """Twenty clients that send half a request and wait (more than the 8 workers): a real
    webhook still gets its answer at once."""
    server, graph = served
    stalled = []
    try:
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5)
            s.sendall(b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"en")
            stalled.append(s)
        began = time.monotonic()
        still_answers(server, graph, "wamid.lambat")
        assert time.monotonic() - began < 2
    finally:
        for s in stalled:
            s.close()


def test_verify_token_never_logged(served: tuple[BotServer, FakeGraph],
                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server, _ = served
    good = f"/webhook?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=7"
    assert request(server, "GET", good).status == 200
    assert request(server, "GET", good.replace(VERIFY_TOKEN, VERIFY_TOKEN + "x")).status == 403
    assert VERIFY_TOKEN not in caplog.text
    assert "webhook GET 403: verifikasi gagal" in caplog.text
