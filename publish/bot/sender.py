"""One Cloud API send, judged: accepted, worth retrying, or failed for good.

Used by the outbox's workers, one keep-alive connection per worker thread to the Graph API,
on the standard library's `http.client`: a send is one small JSON POST, and at hundreds of
replies a second the per-call work of a general HTTP client (environment proxy lookups,
request preparation, pool bookkeeping) costs more CPU than the webhook itself. HTTPS uses the
system's certificates; `HTTPS_PROXY` (and `NO_PROXY`) are honoured with a CONNECT tunnel.
A failure is described by status and Meta's error code, never the token or the text sent.
"""

from __future__ import annotations

import http.client
import json
import logging
import select
import ssl
import threading
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from publish.bot.outbox import Outcome, Outgoing, SendResult

log = logging.getLogger(__name__)

TIMEOUT = (3.05, 10.0)  # connect, read (seconds)
# Meta's codes for "try again later": temporary errors and rate limits
# (130429 throughput, 131056 pair rate limit, 80007/4 app rate limits, 131016/133004 down).
RETRYABLE_CODES = frozenset({1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056, 133004})
# The access token refused (190 expired or revoked, 10/200 permission missing): nothing is wrong
# with the reply, so it waits, for the operator to renew the token, instead of being dropped.
TOKEN_CODES = frozenset({10, 190, 200})
TOKEN_WAIT = 300.0  # seconds between tries while the token is refused


@dataclass(frozen=True)
class _Target:
    secure: bool
    host: str
    port: int
    prefix: str  # path before /{phone}/messages, e.g. /v21.0
    proxy: tuple[str, int] | None


class GraphTransport:
    def __init__(self, base_url: str, version: str, token: str, *,
                 timeout: tuple[float, float] = TIMEOUT) -> None:
        self._target = _target(base_url, version)
        self._headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self._timeout = timeout
        self._tls = ssl.create_default_context() if self._target.secure else None
        self._local = threading.local()

    def send(self, item: Outgoing) -> SendResult:
        """One POST; any failure becomes a result, never an exception."""
        body = json.dumps(item.payload, ensure_ascii=False).encode("utf-8")
        path = f"{self._target.prefix}/{item.phone_number_id}/messages"
        try:
            status, headers, data = self._post(path, body)
        except (OSError, http.client.HTTPException) as exc:
            return SendResult(Outcome.RETRY, f"jaringan: {type(exc).__name__}")
        if 200 <= status < 300:
            return SendResult(Outcome.SENT, str(status))
        code, kind = _graph_error(data)
        reason = f"HTTP {status}: {f'code {code} {kind}'.strip()}"
        if status >= 500 or status == 429 or code in RETRYABLE_CODES:
            return SendResult(Outcome.RETRY, reason, _retry_after(headers))
        if status == 401 or code in TOKEN_CODES:
            log.error("token WhatsApp ditolak Meta (%s): perbarui WHATSAPP_ACCESS_TOKEN lalu "
                      "mulai ulang bot; balasan disimpan dan dikirim setelahnya", reason)
            return SendResult(Outcome.RETRY, f"token ditolak ({reason})", TOKEN_WAIT)
        return SendResult(Outcome.FAILED, reason)

    def _post(self, path: str, body: bytes) -> tuple[int, http.client.HTTPMessage, bytes]:
        """On this thread's connection. A failure is never resent here: once the request is
        written, a dropped connection may mean Meta sent the reply (the outbox retries later,
        the rare duplicate is better than a lost answer)."""
        try:
            return self._exchange(path, body)
        except BaseException:
            self._drop()
            raise

    def _exchange(self, path: str, body: bytes) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = self._connection()
        connection.request("POST", path, body=body, headers=self._headers)
        response = connection.getresponse()
        data = response.read()
        if response.will_close:
            self._drop()
        return response.status, response.headers, data

    def _connection(self) -> http.client.HTTPConnection:
        """This thread's kept-alive connection, unless the server closed it while idle (its
        socket reads as ready: the end of the stream): then a new one, before sending."""
        connection = getattr(self._local, "connection", None)
        if connection is not None and _closed_by_server(connection):
            self._drop()
            connection = None
        if connection is None:
            connection = self._open()
            self._local.connection = connection
        return connection

    def _open(self) -> http.client.HTTPConnection:
        target, (connect, read) = self._target, self._timeout
        host, port = target.proxy or (target.host, target.port)
        if target.secure:
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, port, timeout=connect, context=self._tls)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=connect)
        if target.proxy:
            connection.set_tunnel(target.host, target.port)
        connection.connect()
        assert connection.sock is not None
        connection.sock.settimeout(read)
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()


def _closed_by_server(connection: http.client.HTTPConnection) -> bool:
    sock = connection.sock
    if sock is None:
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def _target(base_url: str, version: str) -> _Target:
    parts = urlsplit(base_url.rstrip("/"))
    secure = parts.scheme == "https"
    host, port = parts.hostname or "", parts.port or (443 if secure else 80)
    proxy = None
    proxy_url = urllib.request.getproxies().get(parts.scheme)
    if secure and proxy_url and not urllib.request.proxy_bypass(host):
        proxied = urlsplit(proxy_url if "//" in proxy_url else f"http://{proxy_url}")
        proxy = (proxied.hostname or "", proxied.port or 8080)
    return _Target(secure, host, port, f"{parts.path}/{version}", proxy)


def _graph_error(data: bytes) -> tuple[int | None, str]:
    """Meta's error code and type (its message may quote the request, so not that)."""
    try:
        error = json.loads(data).get("error", {})
    except (ValueError, AttributeError):
        return None, "jawaban bukan JSON"
    if not isinstance(error, dict):
        return None, ""
    code = error.get("code")
    return (code if isinstance(code, int) else None), str(error.get("type", ""))


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After", "") or ""
    return float(value) if value.isdecimal() and len(value) < 6 else None
