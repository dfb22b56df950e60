"""A TikTok account: photo post by PULL_FROM_URL via the Content Posting API, then poll.

`creator_info/query` comes first (TikTok requires it, and it tells which privacy levels the
account may use; unaudited apps only get SELF_ONLY). The ledger is marked just before
`content/init` and gets the `publish_id` as soon as TikTok returns it; reconciling polls its
status. TikTok offers no way to find a post without that id, so an `init` whose answer was lost
is reported for a manual check, never re-posted blindly; a crash before `init` is safe to retry.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import requests

from publish.social.card import Card
from publish.social.outcome import Kind, Outcome, classify_tiktok, network_outcome

log = logging.getLogger(__name__)

JSON = dict[str, Any]
INIT_SENT = "init-terkirim"   # ledger marker: content/init sent, publish_id not yet known
PRIVACY_LEVELS = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR",
                  "SELF_ONLY")


class TikTokAPI:
    """JSON over HTTPS with a bearer token; answers data or an Outcome, never raises."""

    def __init__(self, token: str, base_url: str, timeout: float) -> None:
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, path: str, body: JSON, *, write: bool = False) -> JSON | Outcome:
        log.debug("TikTok POST %s", path)
        try:
            response = self.session.post(self.base + path, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            return network_outcome(exc, write, "TikTok")
        try:
            payload = response.json()
            error = payload.get("error") or {}
        except (ValueError, AttributeError):
            return classify_tiktok("bukan_json", response.status_code,
                                   "jawaban TikTok bukan JSON")
        code = str(error.get("code", "ok"))
        if code != "ok" or response.status_code >= 400:
            return classify_tiktok(code, response.status_code, str(error.get("message", "")))
        return payload.get("data") or {}


class TikTokAccount:
    def __init__(self, api: TikTokAPI, privacy: str, *, poll_seconds: float = 3.0,
                 polls: int = 10) -> None:
        self.api = api
        self.privacy = privacy
        self.poll_seconds = poll_seconds
        self.polls = polls

    def post(self, card: Card, publish_at: dt.datetime, now: dt.datetime,
             note_ref: Callable[[str], None]) -> Outcome:
        info = self.api.call("/v2/post/publish/creator_info/query/", {})
        if isinstance(info, Outcome):
            return info
        allowed = info.get("privacy_level_options") or []
        if self.privacy not in allowed:
            return Outcome(Kind.REJECTED, f"akun TikTok tidak mengizinkan privasi {self.privacy}"
                           f" (pilihan: {', '.join(allowed) or '-'}); ubah TIKTOK_PRIVACY_LEVEL")
        note_ref(INIT_SENT)
        result = self.api.call("/v2/post/publish/content/init/", self._body(card), write=True)
        if isinstance(result, Outcome):
            # A definite refusal clears the marker: nothing was posted, a retry is safe.
            return result if result.kind is Kind.UNKNOWN else replace(result, remote_ref="")
        publish_id = str(result["publish_id"])
        note_ref(publish_id)
        return self._wait(publish_id)

    def _body(self, card: Card) -> JSON:
        return {
            "media_type": "PHOTO",
            "post_mode": "DIRECT_POST",
            "post_info": {"title": card.title, "description": card.caption,
                          "privacy_level": self.privacy, "disable_comment": False,
                          "auto_add_music": True},
            "source_info": {"source": "PULL_FROM_URL", "photo_images": [card.image_url],
                            "photo_cover_index": 0},
        }

    def reconcile(self, card: Card, remote_ref: str | None) -> Outcome | None:
        """Poll a known publish_id; an `init` sent without answer cannot be checked."""
        if remote_ref == INIT_SENT:
            return Outcome(Kind.UNVERIFIABLE, "hasil posting TikTok sebelumnya tidak pasti dan "
                           "TikTok tidak bisa ditanya tanpa publish_id")
        return self._wait(remote_ref) if remote_ref else None

    def cancel(self, platform_id: str) -> Outcome | None:
        """Only Facebook holds posts for later; nothing here is ever scheduled."""
        return Outcome(Kind.REJECTED, "platform ini tidak punya posting terjadwal")

    def _wait(self, publish_id: str) -> Outcome:
        for poll in range(self.polls):
            data = self.api.call("/v2/post/publish/status/fetch/", {"publish_id": publish_id})
            if isinstance(data, Outcome):
                return replace(data, remote_ref=publish_id)
            status = str(data.get("status", ""))
            if status == "PUBLISH_COMPLETE":
                ids = data.get("publicaly_available_post_id") or []
                return Outcome(Kind.PUBLISHED, platform_id=str(ids[0]) if ids else publish_id,
                               remote_ref=publish_id)
            if status == "FAILED":
                return Outcome(Kind.REJECTED, f"TikTok gagal memproses posting: "
                               f"{data.get('fail_reason') or 'tanpa alasan'}", remote_ref=publish_id)
            if poll + 1 < self.polls:
                time.sleep(self.poll_seconds)
        return Outcome(Kind.PENDING, "TikTok masih memproses posting; dicek lagi nanti",
                       remote_ref=publish_id)
