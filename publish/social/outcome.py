"""What came of one platform call, and what to do next: the result object of the outside world.

Every client returns an `Outcome` instead of raising, so the runner can record the truth in the
ledger whatever the platform did: published, scheduled, retry later, stop the account, give up,
or "unknown" (the request may have landed: reconcile before any new attempt).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    PUBLISHED = "published"      # live on the platform
    SCHEDULED = "scheduled"      # the platform itself will publish it at the given time
    PENDING = "pending"          # accepted, still processing: check again next run
    UNKNOWN = "unknown"          # may or may not have landed: reconcile before reposting
    TRANSIENT = "transient"      # platform hiccup (5xx, codes 1/2): retry with backoff
    RATE_LIMITED = "rate"        # quota or rate limit: retry later with longer backoff
    TOKEN = "token"              # token expired/invalid: stop the account until renewed
    WAITING = "waiting"          # our side is not ready (no card, no id, no token): retry
    REJECTED = "rejected"        # the platform refused the content: failed, no retry
    UNVERIFIABLE = "unverifiable"  # may have landed and the platform cannot tell: check by hand
    CANCELLED = "cancelled"      # a scheduled post withdrawn because the post changed


RETRIED = {Kind.TRANSIENT, Kind.RATE_LIMITED, Kind.TOKEN, Kind.WAITING}
MAX_ATTEMPTS = 8
_BASE_DELAY = {
    Kind.TRANSIENT: dt.timedelta(minutes=1),
    Kind.RATE_LIMITED: dt.timedelta(minutes=15),
    Kind.TOKEN: dt.timedelta(minutes=0),
    Kind.WAITING: dt.timedelta(minutes=5),
    Kind.PENDING: dt.timedelta(minutes=1),
    Kind.UNKNOWN: dt.timedelta(minutes=1),
}
_MAX_DELAY = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Outcome:
    """One platform attempt's result; `reason` is Indonesian, for the lurah and Diskominfo."""

    kind: Kind
    reason: str = ""
    platform_id: str | None = None
    url: str | None = None
    remote_ref: str | None = None       # container / publish id to reconcile with
    scheduled_for: dt.datetime | None = None

    @property
    def done(self) -> bool:
        return self.kind in {Kind.PUBLISHED, Kind.SCHEDULED}


def backoff(kind: Kind, attempts: int) -> dt.timedelta:
    """Exponential backoff per kind: 1, 2, 4… minutes for hiccups, longer for rate limits."""
    base = _BASE_DELAY.get(kind, dt.timedelta(minutes=1))
    return min(base * 2 ** max(attempts - 1, 0), _MAX_DELAY)


# Graph API error codes (https://developers.facebook.com/docs/graph-api/guides/error-handling)
_GRAPH_TRANSIENT = {1, 2, 9007}  # 9007: Instagram media not ready yet
_GRAPH_RATE = {4, 9, 17, 32, 613, 368, 80001, 80002}  # 9: Instagram publishing limit
_GRAPH_TOKEN = {190, 102}


def classify_graph(code: int | None, status: int | None, message: str,
                   transient_flag: bool = False) -> Outcome:
    """A Graph API error (code from the JSON body, HTTP status) as an Outcome."""
    shown = message or "tanpa pesan"
    if code in _GRAPH_TOKEN:
        return Outcome(Kind.TOKEN, f"token kedaluwarsa atau tidak sah (kode {code}): {shown}")
    if code in _GRAPH_RATE:
        return Outcome(Kind.RATE_LIMITED, f"batas permintaan platform tercapai (kode {code})")
    if code in _GRAPH_TRANSIENT or transient_flag or (status is not None and status >= 500):
        where = f"kode {code}" if code is not None else f"HTTP {status}"
        return Outcome(Kind.TRANSIENT, f"gangguan sementara di platform ({where}): {shown}")
    if code == 506:
        return Outcome(Kind.REJECTED, f"ditolak sebagai posting ganda (kode 506): {shown}")
    where = f"kode {code}" if code is not None else f"HTTP {status}"
    return Outcome(Kind.REJECTED, f"ditolak platform ({where}): {shown}")


_TIKTOK_TOKEN = {"access_token_invalid", "scope_not_authorized", "token_expired"}
_TIKTOK_RATE = {"rate_limit_exceeded", "spam_risk_too_many_posts",
                "spam_risk_too_many_pending_share"}


def classify_tiktok(code: str, status: int | None, message: str) -> Outcome:
    """A TikTok `error.code` (with HTTP status) as an Outcome."""
    shown = f"{code}: {message}" if message else code
    if code in _TIKTOK_TOKEN or status == 401:
        return Outcome(Kind.TOKEN, f"token TikTok kedaluwarsa atau tidak sah ({shown})")
    if code in _TIKTOK_RATE or status == 429:
        return Outcome(Kind.RATE_LIMITED, f"batas permintaan TikTok tercapai ({shown})")
    if code == "internal_error" or (status is not None and status >= 500):
        return Outcome(Kind.TRANSIENT, f"gangguan sementara di TikTok (HTTP {status}, {shown})")
    if code == "unaudited_client_can_only_post_to_private_accounts":
        return Outcome(Kind.REJECTED, "aplikasi TikTok belum diaudit sehingga hanya boleh "
                       f"memposting SELF_ONLY; setel TIKTOK_PRIVACY_LEVEL=SELF_ONLY ({shown})")
    return Outcome(Kind.REJECTED, f"ditolak TikTok ({shown})")


def network_outcome(exc: Exception, write: bool, platform: str) -> Outcome:
    """A failed request: retried if it never left us; a lost answer to a write is unknown."""
    import requests
    import urllib3

    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    never_sent = isinstance(exc, requests.ConnectTimeout) or isinstance(
        reason, urllib3.exceptions.NewConnectionError)
    name = type(exc).__name__
    if write and not never_sent:
        return Outcome(Kind.UNKNOWN, f"tidak ada jawaban dari {platform} ({name}); hasil belum "
                       "pasti, dicocokkan dulu dengan platform sebelum mencoba lagi")
    return Outcome(Kind.TRANSIENT, f"jaringan ke {platform} gagal ({name})")
