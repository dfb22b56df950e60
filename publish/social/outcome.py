"""What came of one platform call, and what to do next: the result object of the outside world.

Every client returns an `Outcome` instead of raising, so the runner can record the truth in the
ledger whatever the platform did: published, scheduled, retry later, stop the account, give up,
or "unknown" (the request may have landed: reconcile before any new attempt). Reasons are
Indonesian and never carry a platform's or a library's English text (that goes to the debug log).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import enum
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

log = logging.getLogger(__name__)


_SECRET = re.compile(r"(access_token=|access_token['\"]?:\s*['\"]?|Bearer\s+|OAuth\s+)"
                     r"[^&\s'\",)]+", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with every token a URL, form, header or repr may carry replaced by `***`: what
    goes to a log (a request URL in an exception, a platform's answer) never holds a secret."""
    return _SECRET.sub(r"\1***", text)


class Kind(enum.StrEnum):
    PUBLISHED = "published"      # live on the platform
    SCHEDULED = "scheduled"      # the platform itself will publish it at the given time
    PENDING = "pending"          # accepted, still processing: check again next run
    UNKNOWN = "unknown"          # may or may not have landed: reconcile before reposting
    TRANSIENT = "transient"      # platform hiccup on a read (5xx, codes 1/2): retry with backoff
    RATE_LIMITED = "rate"        # account/page rate limit or quota: stop the account, retry later
    APP_LIMITED = "app"          # app-level throttling (Graph code 4): stop every Graph call
    TOKEN = "token"              # token expired/invalid: stop the account until renewed
    PERMISSION = "permission"    # the token lacks a permission (Graph 10, 200-299; TikTok scope)
    BLOCKED = "blocked"          # account temporarily blocked by Meta (368)
    WAITING = "waiting"          # our side is not ready (no card yet): retry
    CONFIG = "config"            # a setting must be fixed (account id, privacy level): retry
    NOT_ONLINE = "offline"       # the card URL does not answer 200 image/jpeg yet (not deployed)
    INVALID = "invalid"          # the caption breaks the platform's limits: fix and rebuild
    DEFERRED = "deferred"        # Facebook refused to hold it: we post it ourselves at its time
    REJECTED = "rejected"        # the platform refused the content: failed, no retry
    MANUAL = "manual"            # may have landed and the platform cannot tell: check by hand
    CANCELLED = "cancelled"      # a scheduled post withdrawn because the post changed


# Runs that could not even try: nothing reached the platform's posting step, so they do not
# use up the retry budget (a week-long token outage must not make a later 5xx final).
# A withdrawn held post is not an attempt to post either.
NOT_TRIED = {Kind.RATE_LIMITED, Kind.APP_LIMITED, Kind.TOKEN, Kind.PERMISSION, Kind.BLOCKED,
             Kind.WAITING, Kind.CONFIG, Kind.NOT_ONLINE, Kind.INVALID, Kind.DEFERRED,
             Kind.CANCELLED}
# These stop the account (kelurahan, channel) for the rest of the run.
STOPS_ACCOUNT = {Kind.RATE_LIMITED, Kind.TOKEN, Kind.PERMISSION, Kind.BLOCKED}
MAX_ATTEMPTS = 8
_BASE_DELAY = {
    Kind.TRANSIENT: dt.timedelta(minutes=1),
    Kind.PENDING: dt.timedelta(minutes=1),
    Kind.UNKNOWN: dt.timedelta(minutes=1),
}
_FIXED_DELAY = {
    Kind.RATE_LIMITED: dt.timedelta(minutes=15),
    Kind.APP_LIMITED: dt.timedelta(minutes=15),
    Kind.BLOCKED: dt.timedelta(hours=1),
    Kind.WAITING: dt.timedelta(minutes=5),
    Kind.CONFIG: dt.timedelta(minutes=5),
    Kind.NOT_ONLINE: dt.timedelta(minutes=5),
    Kind.INVALID: dt.timedelta(minutes=5),
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
    retry_at: dt.datetime | None = None  # an explicit next attempt (DEFERRED: the post's time)
    retry_after: dt.timedelta | None = None  # the platform's own wait (Retry-After, BUC usage)
    stale: bool = False                  # a scheduled post found with another caption
    code: str | None = None              # the platform's error code, for callers that care

    @property
    def done(self) -> bool:
        return self.kind in {Kind.PUBLISHED, Kind.SCHEDULED}

    @property
    def tried(self) -> bool:
        """Whether this counts against the retry budget."""
        return self.kind not in NOT_TRIED


def backoff(kind: Kind, attempts: int) -> dt.timedelta:
    """Exponential per attempt for hiccups (1, 2, 4… min); fixed waits for what did not try."""
    if kind in _FIXED_DELAY or kind in NOT_TRIED:
        return _FIXED_DELAY.get(kind, dt.timedelta(0))
    base = _BASE_DELAY.get(kind, dt.timedelta(minutes=1))
    return min(base * 2 ** max(attempts - 1, 0), _MAX_DELAY)


# Graph API error codes (https://developers.facebook.com/docs/graph-api/guides/error-handling)
_GRAPH_TRANSIENT = {1, 2, 9007, -1, -2}  # 9007: Instagram media not ready yet
# Instagram's documented "try again" subcodes (server error, download timeout, create failed).
_GRAPH_TRY_AGAIN = {2207001, 2207003, 2207020, 2207032, 2207053}
_GRAPH_RATE = {9, 17, 32, 613, 80001, 80002}  # 9: Instagram publishing limit
_GRAPH_TOKEN = {190, 102}
_GRAPH_KNOWN_REFUSALS = {
    506: "ditolak sebagai posting ganda",
    324: "gambar kartu tidak diterima",
    100: "parameter permintaan ditolak",
}


def _is_permission(code: int | None) -> bool:
    return code == 10 or (code is not None and 200 <= code <= 299)


def classify_graph(code: int | None, subcode: int | None, status: int | None, *,
                   platform: str, transient_flag: bool = False, write: bool = False,
                   original: str = "") -> Outcome:
    """A Graph API error (code/subcode from the JSON body, HTTP status) as an Outcome."""
    if original:
        log.debug("%s answered %s (code %s/%s): %s", platform, status, code, subcode,
                  redact(original))
    where = f"kode {code}" + (f"/{subcode}" if subcode else "") if code is not None \
        else f"HTTP {status}"
    if code in _GRAPH_TOKEN:
        return Outcome(Kind.TOKEN, f"token {platform} kedaluwarsa atau tidak sah ({where})")
    if _is_permission(code):
        return Outcome(Kind.PERMISSION, f"token {platform} tidak punya izin yang dibutuhkan "
                       f"({where})")
    if code == 4:
        return Outcome(Kind.APP_LIMITED, "batas permintaan aplikasi Meta tercapai (kode 4); "
                       "posting Facebook dan Instagram lainnya di run ini ditunda")
    if code == 368:
        return Outcome(Kind.BLOCKED, f"akun {platform} diblokir sementara oleh Meta (kode 368) "
                       "karena dianggap melanggar kebijakan; periksa 'Kualitas Akun' di Meta "
                       "Business Suite")
    if code in _GRAPH_RATE:
        return Outcome(Kind.RATE_LIMITED, f"batas permintaan akun {platform} tercapai ({where})")
    if (code in _GRAPH_TRANSIENT or subcode in _GRAPH_TRY_AGAIN or transient_flag
            or (status is not None and status >= 500)):
        return hiccup(platform, where, write)
    what = _GRAPH_KNOWN_REFUSALS.get(code or 0, "ditolak")
    return Outcome(Kind.REJECTED, f"{platform}: {what} ({where})", code=str(code))


_MAX_WAIT = dt.timedelta(hours=24)
_LIMITED = (Kind.RATE_LIMITED, Kind.APP_LIMITED)


def platform_wait(outcome: Outcome, headers: Mapping[str, str]) -> Outcome:
    """A rate limit with the wait the platform announced: `Retry-After` (seconds or an HTTP
    date) or Meta's `X-Business-Use-Case-Usage` `estimated_time_to_regain_access` (minutes)."""
    if outcome.kind not in _LIMITED:
        return outcome
    waits = [_retry_after(headers.get("Retry-After")),
             *_regain_minutes(headers.get("X-Business-Use-Case-Usage"))]
    known = [w for w in waits if w is not None and w > dt.timedelta(0)]
    if not known:
        return outcome
    return replace(outcome, retry_after=min(max(known), _MAX_WAIT))


def _retry_after(value: str | None) -> dt.timedelta | None:
    if not value:
        return None
    if value.strip().isdigit():
        return dt.timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when - dt.datetime.now(dt.UTC) if when.tzinfo else None


def _regain_minutes(value: str | None) -> list[dt.timedelta | None]:
    try:
        usage = json.loads(value or "{}")
    except ValueError:
        return []
    entries = [e for group in usage.values() if isinstance(group, list) for e in group] \
        if isinstance(usage, dict) else []
    return [dt.timedelta(minutes=float(e["estimated_time_to_regain_access"])) for e in entries
            if isinstance(e, dict) and isinstance(e.get("estimated_time_to_regain_access"),
                                                  int | float)]


def unexplained_refusal(platform: str, status: int) -> Outcome:
    """An HTTP 4xx without the platform's error object (an HTML page from a proxy or a
    gateway, an empty body): the platform itself did nothing, so it is retried, never failed."""
    if status == 429:
        return Outcome(Kind.RATE_LIMITED, f"batas permintaan {platform} tercapai (HTTP 429)")
    return Outcome(Kind.TRANSIENT, f"gangguan sementara di {platform} (HTTP {status} tanpa "
                   "keterangan kesalahan dari platform)")


def no_id(platform: str, what: str) -> Outcome:
    """A write answered "OK" without the id it must carry: it may have acted, so reconcile."""
    return Outcome(Kind.UNKNOWN, f"{platform} menjawab tanpa {what}; hasil belum pasti, "
                   "dicocokkan dulu dengan platform sebelum mencoba lagi")


def hiccup(platform: str, where: str, write: bool) -> Outcome:
    """A platform error that may hide a success when it answered a write."""
    if write:
        return Outcome(Kind.UNKNOWN, f"gangguan di {platform} ({where}) saat mengirim; hasil "
                       "belum pasti, dicocokkan dulu dengan platform sebelum mencoba lagi")
    return Outcome(Kind.TRANSIENT, f"gangguan sementara di {platform} ({where})")


_TIKTOK_TOKEN = {"access_token_invalid", "token_expired"}
_TIKTOK_RATE = {"rate_limit_exceeded", "spam_risk_too_many_posts",
                "spam_risk_too_many_pending_share", "spam_risk_user_banned_from_posting"}
_TIKTOK_REFUSALS = {
    "unaudited_client_can_only_post_to_private_accounts":
        "aplikasi TikTok belum diaudit sehingga hanya boleh memposting SELF_ONLY; setel "
        "TIKTOK_PRIVACY_LEVEL=SELF_ONLY",
    "privacy_level_option_mismatch":
        "TIKTOK_PRIVACY_LEVEL tidak termasuk pilihan privasi akun TikTok ini",
    "url_ownership_unverified":
        "domain alamat_situs belum diverifikasi di TikTok for Developers (URL properties)",
}


def classify_tiktok(code: str, status: int | None, *, write: bool = False,
                    original: str = "") -> Outcome:
    """A TikTok `error.code` (with HTTP status) as an Outcome."""
    if original:
        log.debug("TikTok answered %s (%s): %s", status, code, redact(original))
    if code in _TIKTOK_TOKEN or status == 401:
        return Outcome(Kind.TOKEN, f"token TikTok kedaluwarsa atau tidak sah ({code})")
    if code == "scope_not_authorized":
        return Outcome(Kind.PERMISSION, "token TikTok tidak punya izin yang dibutuhkan "
                       f"({code})")
    if code in _TIKTOK_RATE or status == 429:
        return Outcome(Kind.RATE_LIMITED, f"batas permintaan TikTok tercapai ({code})")
    if code == "internal_error" or (status is not None and status >= 500):
        return hiccup("TikTok", f"HTTP {status}, {code}", write)
    what = _TIKTOK_REFUSALS.get(code, "ditolak TikTok")
    return Outcome(Kind.REJECTED, f"{what} ({code})")


_NETWORK_WORDS = {"ReadTimeout": "waktu tunggu habis", "ConnectTimeout": "tidak bisa tersambung",
                  "ConnectionError": "sambungan terputus", "ChunkedEncodingError":
                  "jawaban terpotong", "SSLError": "sertifikat HTTPS bermasalah",
                  "AnswerTooLarge": "jawaban terlalu besar"}


def network_outcome(exc: Exception, write: bool, platform: str) -> Outcome:
    """A failed request: retried if it never left us; a lost answer to a write is unknown."""
    import requests
    import urllib3

    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    never_sent = isinstance(exc, requests.ConnectTimeout) or isinstance(
        reason, urllib3.exceptions.NewConnectionError)
    log.debug("%s request failed: %s", platform, redact(repr(exc)))
    words = _NETWORK_WORDS.get(type(exc).__name__, "jaringan gagal")
    if never_sent:
        words = "tidak bisa tersambung"
    if write and not never_sent:
        return Outcome(Kind.UNKNOWN, f"tidak ada jawaban dari {platform} ({words}); hasil belum "
                       "pasti, dicocokkan dulu dengan platform sebelum mencoba lagi")
    return Outcome(Kind.TRANSIENT, f"jaringan ke {platform} gagal ({words})")
