"""Sends replies to the Graph API from background threads, so the webhook answers 200 at once.

Replies to one resident go through the same worker, in order (help text, then the menu).
A failed send is logged with its status and the incoming message id, never the token or text.
"""

from __future__ import annotations

import logging
import queue
import threading
import zlib
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

TIMEOUT = (3.05, 10.0)  # connect, read (seconds)
_STOP = None


@dataclass(frozen=True)
class Outgoing:
    phone_number_id: str
    payload: dict[str, Any]
    ref: str  # the incoming message id, for logs


@dataclass(frozen=True)
class SendResult:
    status: str  # "terkirim" | "gagal"
    reason: str


class GraphSender:
    """`submit()` never blocks the webhook: a full queue drops the reply and logs it.

    Workers mostly wait on the Graph API (~100–300 ms a send), so there are several; the
    queue bound (10,000 replies in all) keeps memory flat if Meta is down for a while.
    """

    def __init__(self, base_url: str, version: str, token: str, *, workers: int = 8,
                 queue_size: int = 10_000) -> None:
        import requests  # here, not in the workers: the first webhooks must not wait for it

        self._requests = requests
        self._endpoint = f"{base_url.rstrip('/')}/{version}/{{phone}}/messages"
        self._token = token
        self._queues: list[queue.Queue[Outgoing | None]] = [
            queue.Queue(maxsize=max(1, queue_size // workers)) for _ in range(workers)]
        self._threads = [threading.Thread(target=self._work, args=(q,), daemon=True,
                                          name=f"graph-sender-{n}")
                         for n, q in enumerate(self._queues)]
        for thread in self._threads:
            thread.start()

    def submit(self, outgoing: Outgoing) -> bool:
        to = str(outgoing.payload.get("to", ""))
        lane = self._queues[zlib.crc32(to.encode()) % len(self._queues)]
        try:
            lane.put_nowait(outgoing)
        except queue.Full:
            log.error("antrean kirim penuh; balasan untuk pesan %s dibuang", outgoing.ref)
            return False
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Send what is queued, then stop the workers."""
        for lane in self._queues:
            lane.put(_STOP)
        for thread in self._threads:
            thread.join(timeout)

    def _work(self, lane: queue.Queue[Outgoing | None]) -> None:
        with self._requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {self._token}"
            while (item := lane.get()) is not _STOP:
                result = self.send(session, item)
                if result.status != "terkirim":
                    log.warning("balasan untuk pesan %s gagal: %s", item.ref, result.reason)

    def send(self, session: Any, outgoing: Outgoing) -> SendResult:
        """One POST; any failure becomes a result, never an exception in the worker."""
        url = self._endpoint.format(phone=outgoing.phone_number_id)
        try:
            response = session.post(url, json=outgoing.payload, timeout=TIMEOUT)
        except self._requests.RequestException as exc:
            return SendResult("gagal", f"jaringan: {type(exc).__name__}")
        if response.ok:
            return SendResult("terkirim", str(response.status_code))
        return SendResult("gagal", f"HTTP {response.status_code}: {_graph_error(response)}")


def _graph_error(response: Any) -> str:
    """Meta's error code and type (its message may quote the request, so not that)."""
    try:
        error = response.json().get("error", {})
        return f"code {error.get('code')} {error.get('type', '')}".strip()
    except ValueError:
        return "jawaban bukan JSON"
