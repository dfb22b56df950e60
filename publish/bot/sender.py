"""One Cloud API send, judged: accepted, worth retrying, or failed for good.

Used by the outbox's workers, one HTTP session per thread (keep-alive to graph.facebook.com).
A failure is described by status and Meta's error code, never the token or the text sent.
"""

from __future__ import annotations

import threading
from typing import Any

from publish.bot.outbox import Outcome, Outgoing, SendResult

TIMEOUT = (3.05, 10.0)  # connect, read (seconds)
# Meta's codes for "try again later": temporary errors and rate limits
# (130429 throughput, 131056 pair rate limit, 80007/4 app rate limits, 131016/133004 down).
RETRYABLE_CODES = frozenset({1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056, 133004})


class GraphTransport:
    def __init__(self, base_url: str, version: str, token: str, *,
                 timeout: tuple[float, float] = TIMEOUT) -> None:
        import requests  # here, not in the workers: the first webhooks must not wait for it

        self._requests = requests
        self._endpoint = f"{base_url.rstrip('/')}/{version}/{{phone}}/messages"
        self._token = token
        self._timeout = timeout
        self._local = threading.local()

    def send(self, item: Outgoing) -> SendResult:
        """One POST; any failure becomes a result, never an exception."""
        url = self._endpoint.format(phone=item.phone_number_id)
        try:
            response = self._session().post(url, json=item.payload, timeout=self._timeout)
        except self._requests.RequestException as exc:
            return SendResult(Outcome.RETRY, f"jaringan: {type(exc).__name__}")
        if response.ok:
            return SendResult(Outcome.SENT, str(response.status_code))
        code, kind = _graph_error(response)
        reason = f"HTTP {response.status_code}: {f'code {code} {kind}'.strip()}"
        if response.status_code >= 500 or response.status_code == 429 or code in RETRYABLE_CODES:
            return SendResult(Outcome.RETRY, reason, _retry_after(response))
        return SendResult(Outcome.FAILED, reason)

    def _session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._requests.Session()
            session.headers["Authorization"] = f"Bearer {self._token}"
        return session


def _graph_error(response: Any) -> tuple[int | None, str]:
    """Meta's error code and type (its message may quote the request, so not that)."""
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        return None, "jawaban bukan JSON"
    if not isinstance(error, dict):
        return None, ""
    code = error.get("code")
    return (code if isinstance(code, int) else None), str(error.get("type", ""))


def _retry_after(response: Any) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdecimal() and len(value) < 6 else None
