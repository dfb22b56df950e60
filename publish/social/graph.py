"""A Graph API session over `requests` that answers with data or an `Outcome`, never raises.

Plain HTTP rather than facebook-sdk: we need the HTTP status, the error object's code, subcode
and `is_transient`, and control over what is logged (the token travels in the query or form);
facebook-sdk hid the status, raised English parser errors on HTML 5xx pages and pinned the
API version to 3.1 through a module global.
"""

from __future__ import annotations

import logging
from typing import Any

import requests

from publish.social.outcome import Outcome, classify_graph, hiccup, network_outcome

log = logging.getLogger(__name__)

JSON = dict[str, Any]


class Graph:
    """One access token against one Graph API base URL and version."""

    def __init__(self, token: str, base_url: str, version: str, timeout: float, *,
                 platform: str = "Facebook") -> None:
        self.base = f"{base_url.rstrip('/')}/{version}/"
        self.token = token
        self.timeout = timeout
        self.platform = platform
        self.session = requests.Session()

    def get(self, path: str, **args: str) -> JSON | Outcome:
        return self._call("GET", path, params=args)

    def post(self, path: str, data: dict[str, str], files: dict[str, Any] | None = None,
             ) -> JSON | Outcome:
        """A write: a lost answer or a 5xx means the outcome is unknown (reconcile first)."""
        return self._call("POST", path, data=data, files=files, write=True)

    def delete(self, path: str) -> JSON | Outcome:
        return self._call("DELETE", path, params={}, write=True)

    def _call(self, method: str, path: str, *, params: dict[str, str] | None = None,
              data: dict[str, str] | None = None, files: dict[str, Any] | None = None,
              write: bool = False) -> JSON | Outcome:
        log.debug("Graph %s %s", method, path)
        auth = {"access_token": self.token}
        try:
            response = self.session.request(
                method, self.base + path, timeout=self.timeout, files=files,
                params=None if params is None else {**params, **auth},
                data=None if data is None else {**data, **auth})
        except requests.RequestException as exc:
            return network_outcome(exc, write, self.platform)
        return self._answer(response, write)

    def _answer(self, response: requests.Response, write: bool) -> JSON | Outcome:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            return classify_graph(_int(error.get("code")), _int(error.get("error_subcode")),
                                  status, platform=self.platform, write=write,
                                  transient_flag=bool(error.get("is_transient")),
                                  original=str(error.get("message", "")))
        if status >= 400 or not isinstance(body, dict | list):
            log.debug("%s answered HTTP %s without a JSON error: %.200r", self.platform, status,
                      response.text)
            if status >= 500 or status < 400:
                return hiccup(self.platform, f"HTTP {status}, jawaban tidak terbaca", write)
            return classify_graph(None, None, status, platform=self.platform, write=write)
        return body if isinstance(body, dict) else {"data": body}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
