"""A TikTok account: photo post by PULL_FROM_URL via the Content Posting API, then poll.

`creator_info/query` comes first (TikTok requires it; it tells which privacy levels the account
may use and whether comments are off). The ledger is marked just before `content/init` and gets
the `publish_id` as soon as TikTok returns it; reconciling polls its status. An `init` whose
answer was lost (timeout, reset, 5xx) is looked up in the Display API's list of the user's
posts when the token has `video.list` and the post is public; otherwise the row goes to
"periksa manual" with exact instructions, never re-posted blindly.
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
from publish.social.graph import bounded_session
from publish.social.outcome import (
    Kind,
    Outcome,
    classify_tiktok,
    hiccup,
    network_outcome,
    no_id,
    platform_wait,
    redact,
    unexplained_refusal,
)

log = logging.getLogger(__name__)

JSON = dict[str, Any]
INIT_SENT = "init-terkirim"   # ledger marker: content/init sent, publish_id not yet known
PRIVACY_LEVELS = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR",
                  "SELF_ONLY")
# A lost `init` not in the list of posts after this long did not land (TikTok shows a photo
# post within minutes); before that, look again later.
SETTLE = dt.timedelta(minutes=30)
# How far our clock may run ahead of TikTok's when comparing a video's create_time.
_CLOCK_SKEW = dt.timedelta(minutes=10)
_LIST = "/v2/video/list/?fields=id,title,video_description,share_url,create_time"
# fail_reason values that are not a verdict on the post (Get Post Status reference): what each
# becomes; any other reason is a refusal of the post.
_FAILURES: tuple[tuple[frozenset[str], Kind, str], ...] = (
    (frozenset({"photo_pull_failed", "video_pull_failed", "url_download_failed"}), Kind.NOT_ONLINE,
     "TikTok tidak bisa mengambil gambar kartu ({reason}); pastikan situs sudah diunggah "
     "(deploy)"),
    (frozenset({"internal"}), Kind.TRANSIENT,
     "gangguan di TikTok saat memproses posting ({reason}); dikirim lagi pada percobaan "
     "berikutnya"),
    (frozenset({"spam_risk_too_many_posts", "spam_risk_too_many_pending_share",
                "rate_limit_exceeded"}), Kind.RATE_LIMITED,
     "batas posting TikTok tercapai ({reason}); dikirim lagi nanti"),
    (frozenset({"auth_removed"}), Kind.TOKEN,
     "izin aplikasi dicabut dari akun TikTok ({reason}); hubungkan ulang akun lalu setel token "
     "baru"),
)


class TikTokAPI:
    """JSON over HTTPS with a bearer token; answers data or an Outcome, never raises."""

    def __init__(self, token: str, base_url: str, timeout: float) -> None:
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.session = bounded_session(timeout)
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, path: str, body: JSON, *, write: bool = False) -> JSON | Outcome:
        log.debug("TikTok POST %s", path)
        try:
            response = self.session.post(self.base + path, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            return network_outcome(exc, write, "TikTok")
        answer = self._judge(response, write)
        return platform_wait(answer, response.headers) if isinstance(answer, Outcome) \
            else answer

    def _judge(self, response: requests.Response, write: bool) -> JSON | Outcome:
        status = response.status_code
        try:
            payload = response.json()
            error = payload.get("error") or {}
            code = str(error.get("code", "ok"))
        except (ValueError, AttributeError):
            log.debug("TikTok answered HTTP %s without JSON: %.200r", status,
                      redact(response.text))
            if status >= 500 or status < 400:
                return hiccup("TikTok", f"HTTP {status}, jawaban tidak terbaca", write)
            return unexplained_refusal("TikTok", status)
        if code == "ok" and 400 <= status < 500:
            return unexplained_refusal("TikTok", status)
        if code != "ok" or status >= 400:
            return classify_tiktok(code, status, write=write,
                                   original=str(error.get("message", "")))
        return payload.get("data") or {}


class TikTokAccount:
    def __init__(self, api: TikTokAPI, privacy: str, *, poll_seconds: float = 3.0,
                 polls: int = 10) -> None:
        self.api = api
        self.privacy = privacy
        self.poll_seconds = poll_seconds
        self.polls = polls

    def post(self, card: Card, publish_at: dt.datetime, clock: Callable[[], dt.datetime],
             note_ref: Callable[[str], None]) -> Outcome:
        info = self.api.call("/v2/post/publish/creator_info/query/", {})
        if isinstance(info, Outcome):
            return info
        allowed = info.get("privacy_level_options") or []
        if self.privacy not in allowed:
            return Outcome(Kind.REJECTED, f"akun TikTok tidak mengizinkan privasi {self.privacy}"
                           f" (pilihan: {', '.join(allowed) or '-'}); ubah TIKTOK_PRIVACY_LEVEL")
        note_ref(INIT_SENT)
        result = self.api.call("/v2/post/publish/content/init/", self._body(card, info),
                               write=True)
        if isinstance(result, Outcome):
            # A definite refusal clears the marker: nothing was posted, a retry is safe.
            return result if result.kind is Kind.UNKNOWN else replace(result, remote_ref="")
        if not result.get("publish_id"):     # the marker stays: reconciled like a lost answer
            return no_id("TikTok", "publish_id")
        publish_id = str(result["publish_id"])
        note_ref(publish_id)
        return self._wait(publish_id, str(info.get("creator_username") or ""))

    def _body(self, card: Card, info: JSON) -> JSON:
        """The request as the photo post reference has it; brand-content fields always sent."""
        return {
            "media_type": "PHOTO",
            "post_mode": "DIRECT_POST",
            "post_info": {"title": card.title, "description": card.caption,
                          "privacy_level": self.privacy,
                          "disable_comment": bool(info.get("comment_disabled")),
                          "auto_add_music": True,
                          "brand_content_toggle": False, "brand_organic_toggle": False},
            "source_info": {"source": "PULL_FROM_URL", "photo_images": [card.image_url],
                            "photo_cover_index": 0},
        }

    def reconcile(self, card: Card, remote_ref: str | None, sent_at: dt.datetime | None,
                  now: dt.datetime) -> Outcome | None:
        """Poll a known publish_id; look a lost `init` up in the user's list of posts."""
        if remote_ref == INIT_SENT:
            return self._find(card, sent_at, now)
        return self._wait(remote_ref) if remote_ref else None

    def _find(self, card: Card, sent_at: dt.datetime | None, now: dt.datetime
              ) -> Outcome | None:
        if self.privacy == "SELF_ONLY":
            return _manual("posting privat (SELF_ONLY) tidak tampil di daftar posting yang "
                           "bisa dibaca aplikasi")
        listing = self.api.call(_LIST, {"max_count": 20})
        if isinstance(listing, Outcome):
            if listing.kind in (Kind.PERMISSION, Kind.TOKEN):
                return _manual("token tidak punya izin video.list untuk membaca daftar posting")
            return replace(listing, remote_ref=INIT_SENT)
        for video in listing.get("videos") or []:
            if _is_ours(card, video, sent_at):
                return Outcome(Kind.PUBLISHED, platform_id=str(video.get("id")),
                               url=video.get("share_url"), remote_ref="")
        if sent_at is not None and now - sent_at < SETTLE:
            return Outcome(Kind.PENDING, "kiriman ke TikTok belum tampil di daftar posting; "
                           "dicek lagi nanti", remote_ref=INIT_SENT)
        return None

    def cancel(self, platform_id: str) -> Outcome | None:
        """Only Facebook holds posts for later; nothing here is ever scheduled."""
        return Outcome(Kind.REJECTED, "platform ini tidak punya posting terjadwal")

    def _wait(self, publish_id: str, username: str = "") -> Outcome:
        for poll in range(self.polls):
            data = self.api.call("/v2/post/publish/status/fetch/", {"publish_id": publish_id})
            if isinstance(data, Outcome):
                kind = Kind.UNKNOWN if data.kind is Kind.TRANSIENT else data.kind
                return replace(data, kind=kind, remote_ref=publish_id)
            status = str(data.get("status", ""))
            if status == "PUBLISH_COMPLETE":
                ids = data.get("publicaly_available_post_id") or []
                url = f"https://www.tiktok.com/@{username}/photo/{ids[0]}" \
                    if ids and username else None
                return Outcome(Kind.PUBLISHED, platform_id=str(ids[0]) if ids else publish_id,
                               url=url, remote_ref=publish_id)
            if status == "FAILED":
                return _failed(str(data.get("fail_reason") or "tanpa_alasan"))
            if poll + 1 < self.polls:
                time.sleep(self.poll_seconds)
        return Outcome(Kind.PENDING, "TikTok masih memproses posting; dicek lagi nanti",
                       remote_ref=publish_id)


def _failed(reason: str) -> Outcome:
    """A publish_id TikTok gave up on: nothing was posted, so a new `init` is safe. Only a
    refusal of the content itself fails; TikTok's own trouble and its limits are retried."""
    kind, words = next(((kind, words) for reasons, kind, words in _FAILURES if reason in reasons),
                       (Kind.REJECTED, "TikTok gagal memproses posting ({reason})"))
    return Outcome(kind, words.format(reason=reason), remote_ref="")


def _is_ours(card: Card, video: JSON, sent_at: dt.datetime | None) -> bool:
    """The post's canonical URL in the title or description; failing that (a description cut
    short), the same title on a video created after we sent ours. A title alone is not enough:
    "Posyandu Balita" comes back every month."""
    text = f"{video.get('title', '')}\n{video.get('video_description', '')}"
    if card.mentions_post(text):
        return True
    if not card.title or video.get("title") != card.title or sent_at is None:
        return False
    try:
        created = dt.datetime.fromtimestamp(int(video.get("create_time") or 0), dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return False
    return created >= sent_at - _CLOCK_SKEW


def _manual(why: str) -> Outcome:
    return Outcome(Kind.MANUAL, f"hasil kiriman ke TikTok tidak pasti dan tidak bisa dicek "
                   f"otomatis: {why}", remote_ref=INIT_SENT)
