"""A Graph API session (facebook-sdk) that answers with data or an `Outcome`, never raises.

facebook-sdk 3.1.0 sends the requests; this is the one module that knows its sharp edges: it
refuses versions above 3.1 when constructed (so it is built with "3.1" and `.version` set
after), its base URL is the module global `facebook.FACEBOOK_GRAPH_URL`, it hides the HTTP
status and raises English text ("Maintype was not text, image, or querystring") on an HTML 5xx
page. So every answer is also caught raw by a response hook and judged from that: the status,
the error object's code, subcode and `is_transient`; no library text reaches a person.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import facebook
import requests
import urllib3
from requests.adapters import HTTPAdapter

from publish.social.outcome import (
    Outcome,
    classify_graph,
    hiccup,
    network_outcome,
    platform_wait,
    redact,
    unexplained_refusal,
)

log = logging.getLogger(__name__)

JSON = dict[str, Any]
MAX_ANSWER_BYTES = 8 * 1024 * 1024   # a listing of 100 posts is ~100 KB; more is not an answer


class AnswerTooLarge(requests.RequestException):
    """The answer went past MAX_ANSWER_BYTES: not read further, judged like a lost answer."""


class _Bounded(HTTPAdapter):
    """Reads every answer as a stream, within `deadline` seconds from its headers and at most
    MAX_ANSWER_BYTES: the per-read timeout alone lets a 1-byte-a-second trickle run forever."""

    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        response = super().send(request, stream=True, timeout=timeout, verify=verify,
                                cert=cert, proxies=proxies)
        try:
            response._content = self._read(response, request)
            response._content_consumed = True  # type: ignore[attr-defined]
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise requests.ReadTimeout(exc, request=request) from exc
        except urllib3.exceptions.SSLError as exc:
            raise requests.exceptions.SSLError(exc, request=request) from exc
        except urllib3.exceptions.DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(exc, request=request) from exc
        except urllib3.exceptions.HTTPError as exc:   # ProtocolError and the rest
            raise requests.exceptions.ChunkedEncodingError(exc, request=request) from exc
        finally:
            response.close()
        return response

    def _read(self, response: requests.Response, request: requests.PreparedRequest) -> bytes:
        until = time.monotonic() + self.deadline
        body = bytearray()
        while chunk := response.raw.read1(64 * 1024, decode_content=True):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise AnswerTooLarge(f"jawaban lebih dari {MAX_ANSWER_BYTES} bita",
                                     request=request)
            if time.monotonic() > until:
                raise requests.ReadTimeout("batas waktu jawaban habis", request=request)
        return bytes(body)


def bounded_session(deadline: float) -> requests.Session:
    """A session whose answers are read with a total deadline and a size cap."""
    session = requests.Session()
    adapter = _Bounded(deadline)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class Graph:
    """One access token against one Graph API base URL and version."""

    def __init__(self, token: str, base_url: str, version: str, timeout: float, *,
                 platform: str = "Facebook") -> None:
        self.base = f"{base_url.rstrip('/')}/"
        self.platform = platform
        self.session = bounded_session(timeout)
        self.session.hooks["response"].append(self._keep)
        self._answered: requests.Response | None = None
        self.api = facebook.GraphAPI(access_token=token, version="3.1", timeout=timeout,
                                     session=self.session)
        self.api.version = version

    def get(self, path: str, **args: str) -> JSON | Outcome:
        return self._call("GET", path, params=args)

    def listing(self, path: str, pages: int, **args: str) -> list[JSON] | Outcome:
        """Every item of an edge, following its `after` cursor for at most `pages` pages."""
        items: list[JSON] = []
        for _ in range(pages):
            result = self.get(path, **args)
            if isinstance(result, Outcome):
                return result
            items += [item for item in result.get("data") or [] if isinstance(item, dict)]
            paging = result.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                break
            args = {**args, "after": str(after)}
        return items

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
        facebook.FACEBOOK_GRAPH_URL = self.base
        self._answered = None
        try:
            self.api.request(f"{self.api.version}/{path}", args=dict(params or {}),
                             post_args=None if data is None else dict(data), files=files,
                             method=method)
        except (facebook.GraphAPIError, requests.RequestException, KeyError, ValueError) as exc:
            if self._answered is None:  # nothing came back: judged by how the request failed
                if isinstance(exc, requests.RequestException):
                    return network_outcome(exc, write, self.platform)
                return hiccup(self.platform, "jawaban tidak terbaca", write)
        assert self._answered is not None
        return self._answer(self._answered, write)

    def _keep(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._answered = response

    def _answer(self, response: requests.Response, write: bool) -> JSON | Outcome:
        answer = self._judge(response, write)
        return platform_wait(answer, response.headers) if isinstance(answer, Outcome) \
            else answer

    def _judge(self, response: requests.Response, write: bool) -> JSON | Outcome:
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
                      redact(response.text))
            if status >= 500 or status < 400:
                return hiccup(self.platform, f"HTTP {status}, jawaban tidak terbaca", write)
            return unexplained_refusal(self.platform, status)
        return body if isinstance(body, dict) else {"data": body}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
