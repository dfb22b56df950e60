"""Replies that are never lost: every outgoing message is a row before anyone tries to send it.

A row leaves the outbox when the Graph API accepted it, or when it finally failed (logged with
the reason). A 5xx, a timeout, HTTP 429 or Meta's rate-limit codes (130429 throughput, 131056
pair rate) reschedule it with exponential backoff; rows still there at a restart are sent
after it. Messages to one recipient go out in order, one at a time; different recipients in
parallel. The payload is any Cloud API message body (text, interactive list or buttons, image
by media id, a read receipt), so other features can queue through `Outbox.put`.
"""

from __future__ import annotations

import heapq
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """One Cloud API call to make: POST `/{phone_number_id}/messages` with `payload`."""

    phone_number_id: str
    recipient: str  # the WhatsApp id it concerns: one recipient's messages keep their order
    payload: dict[str, Any]
    ref: str  # what it answers (incoming message id) or a short tag, for logs


@dataclass(frozen=True)
class Queued:
    id: int
    item: Outgoing
    created: float
    attempts: int
    next_at: float


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    reason: str
    retry_after: float | None = None  # seconds, when the server said


class OutboxStore(Protocol):
    """Where rows live (SQLite today, PostgreSQL later): plain inserts, updates and deletes."""

    def add(self, items: Sequence[Outgoing], now: float) -> list[Queued]: ...
    def pending(self) -> list[Queued]: ...
    def done(self, row_id: int) -> None: ...
    def retry_later(self, row_id: int, attempts: int, next_at: float, reason: str) -> None: ...


class Transport(Protocol):
    def send(self, item: Outgoing) -> SendResult: ...


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff for retryable failures; a row older than `max_age` is given up and logged."""

    first_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 300.0
    max_age: float = 6 * 3600.0  # WhatsApp's reply window is 24 h; a day-old answer helps no one

    def delay(self, attempts: int, retry_after: float | None) -> float:
        base = min(self.max_delay, self.first_delay * self.factor ** max(0, attempts - 1))
        if retry_after is not None:  # the server's wait is a minimum: spread only later
            return min(self.max_delay, max(base, retry_after)) * random.uniform(1.0, 1.2)
        return base * random.uniform(0.8, 1.2)  # spread retries of many rows apart


class Outbox:
    """Worker threads that drain the store: per-recipient order, retries on a timer."""

    def __init__(self, store: OutboxStore, transport: Transport, *, workers: int = 8,
                 policy: RetryPolicy | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store, self.transport = store, transport
        self.policy, self.clock = policy or RetryPolicy(), clock
        self._lanes: dict[str, deque[Queued]] = {}
        self._ready: deque[str] = deque()
        self._delayed: list[tuple[float, int, str]] = []
        self._seq = 0
        self._working = 0
        self._stopping = False
        self._changed = threading.Condition()
        self._threads = [threading.Thread(target=self._work, name=f"outbox-{n}", daemon=True)
                         for n in range(workers)]

    def start(self) -> int:
        """Schedule what an earlier run left unsent (due now: the restart may have fixed what
        failed), then start the workers; how many rows."""
        now = self.clock()
        left = [replace(row, next_at=min(row.next_at, now)) for row in self.store.pending()]
        self.wake(left)
        for thread in self._threads:
            thread.start()
        if left:
            log.info("%d balasan dari sebelum restart dikirim ulang", len(left))
        return len(left)

    def put(self, items: Sequence[Outgoing]) -> list[Queued]:
        """Store, then schedule: for messages that answer no webhook (a draft card, a URL)."""
        queued = self.store.add(items, self.clock())
        self.wake(queued)
        return queued

    def wake(self, rows: Sequence[Queued]) -> None:
        """Schedule rows already stored (by `put`, or in the webhook's own transaction)."""
        with self._changed:
            new = 0
            for row in rows:
                lane = self._lanes.get(row.item.recipient)
                if lane is not None:
                    lane.append(row)  # behind the ones already waiting for this recipient
                    continue
                self._lanes[row.item.recipient] = deque([row])
                self._schedule(row.item.recipient, row.next_at)
                new += 1
            # one worker per new recipient, not all of them: a woken worker that finds
            # nothing to do has only cost CPU the webhook needs
            self._changed.notify(new)

    def idle(self) -> bool:
        """Nothing being sent and nothing due now (rows may wait for a retry)."""
        with self._changed:
            return not self._ready and self._working == 0

    def close(self, timeout: float = 10.0) -> None:
        """Send what is due (up to `timeout`), then stop; rows waiting to retry stay stored."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while (self._ready or self._working) and time.monotonic() < deadline:
                self._changed.wait(max(0.0, min(0.05, deadline - time.monotonic())))
            self._stopping = True
            self._changed.notify_all()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()) + 1.0)

    def _record(self, row: Queued, result: SendResult, retry: bool, at: float) -> None:
        """Store and log the outcome; a store that fails (disk full) is logged, and the worker
        carries on (the row then stays stored and is sent again after a restart)."""
        try:
            if retry:
                self.store.retry_later(row.id, row.attempts + 1, at, result.reason)
            else:
                self.store.done(row.id)
        except Exception as exc:
            log.error("antrean balasan tidak bisa diperbarui untuk %s: %s", row.item.ref,
                      type(exc).__name__)
        if retry:
            log.warning("balasan untuk %s belum terkirim (percobaan %d): %s; dicoba lagi "
                        "dalam %.0f detik", row.item.ref, row.attempts + 1, result.reason,
                        at - self.clock())
        elif result.outcome is not Outcome.SENT:
            log.error("balasan untuk %s gagal terkirim setelah %d percobaan: %s",
                      row.item.ref, row.attempts + 1, result.reason)

    def _schedule(self, recipient: str, at: float) -> None:
        if at <= self.clock():
            self._ready.append(recipient)
        else:
            self._seq += 1
            heapq.heappush(self._delayed, (at, self._seq, recipient))

    def _work(self) -> None:
        while (recipient := self._next()) is not None:
            row = self._lanes[recipient][0]
            try:
                result = self.transport.send(row.item)
            except Exception as exc:  # a bug in a transport must not kill the worker
                result = SendResult(Outcome.RETRY, f"kesalahan internal: {type(exc).__name__}")
            self._settle(recipient, row, result)

    def _next(self) -> str | None:
        with self._changed:
            while not self._stopping:
                now = self.clock()
                while self._delayed and self._delayed[0][0] <= now:
                    self._ready.append(heapq.heappop(self._delayed)[2])
                if self._ready:
                    self._working += 1
                    return self._ready.popleft()
                wait = self._delayed[0][0] - now if self._delayed else None
                self._changed.wait(wait)
            return None

    def _settle(self, recipient: str, row: Queued, result: SendResult) -> None:
        now = self.clock()
        retry = result.outcome is Outcome.RETRY and now - row.created < self.policy.max_age
        at = now + self.policy.delay(row.attempts + 1, result.retry_after)
        self._record(row, result, retry, at)
        with self._changed:
            self._working -= 1
            lane = self._lanes[recipient]
            if retry:
                lane[0] = replace(row, attempts=row.attempts + 1, next_at=at)
                self._schedule(recipient, at)
            else:
                lane.popleft()
                if lane:
                    self._schedule(recipient, lane[0].next_at)
                else:
                    del self._lanes[recipient]
            # this worker takes what it just scheduled in `_next`; only `close` may be waiting
            if not self._ready and not self._working:
                self._changed.notify_all()
