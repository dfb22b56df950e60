"""A Graph API session (facebook-sdk) that answers with data or an `Outcome`, never raises.

facebook-sdk 3.1.0 only accepts versions up to 3.1 and keeps its base URL in the module global
`facebook.FACEBOOK_GRAPH_URL`; both are set here, in this one place, from Settings.
"""

from __future__ import annotations

import logging
from typing import Any

import facebook
import requests

from publish.social.outcome import Kind, Outcome, classify_graph, network_outcome

log = logging.getLogger(__name__)

JSON = dict[str, Any]


class Graph:
    """One access token against one Graph API base URL and version."""

    def __init__(self, token: str, base_url: str, version: str, timeout: float) -> None:
        self.base = base_url.rstrip("/") + "/"
        self.status: int | None = None
        session = requests.Session()
        session.hooks["response"].append(self._remember_status)
        self.api = facebook.GraphAPI(access_token=token, version="3.1", timeout=timeout,
                                     session=session)
        self.api.version = version

    def _remember_status(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.status = response.status_code

    def get(self, path: str, **args: str) -> JSON | Outcome:
        return self._call("GET", path, args=args)

    def post(self, path: str, data: dict[str, str], files: dict[str, Any] | None = None,
             ) -> JSON | Outcome:
        """A write: a lost answer means the outcome is unknown (reconcile, never re-post)."""
        return self._call("POST", path, post_args=dict(data), files=files, write=True)

    def delete(self, path: str) -> JSON | Outcome:
        return self._call("DELETE", path, write=True)

    def _call(self, method: str, path: str, *, args: dict[str, str] | None = None,
              post_args: dict[str, str] | None = None, files: dict[str, Any] | None = None,
              write: bool = False) -> JSON | Outcome:
        facebook.FACEBOOK_GRAPH_URL = self.base
        self.status = None
        log.debug("Graph %s %s", method, path)
        try:
            result = self.api.request(f"{self.api.version}/{path}", args=args,
                                      post_args=post_args, files=files, method=method)
        except facebook.GraphAPIError as exc:
            return _graph_error(exc, self.status)
        except KeyError:
            return Outcome(Kind.TRANSIENT, f"jawaban Graph API tanpa content-type "
                           f"(HTTP {self.status}): gangguan sementara")
        except requests.RequestException as exc:
            return network_outcome(exc, write, "Graph API")
        return result if isinstance(result, dict) else {"data": result}


def _graph_error(exc: facebook.GraphAPIError, status: int | None) -> Outcome:
    body = exc.result if isinstance(exc.result, dict) else {}
    error: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else {}
    code = exc.code if isinstance(exc.code, int) else None
    message = exc.message if isinstance(exc.message, str) else str(exc.message)
    if code is None and status is not None and status < 400 and not error:
        message = f"jawaban tak terduga: {message}"
    return classify_graph(code, status, message, bool(error.get("is_transient")))
