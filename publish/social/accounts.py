"""The account to post to for a kelurahan and channel, built from its profile and Settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kelurahan.errors import KelurahanError
from kelurahan.model import Channel, Kelurahan
from kelurahan.settings import Settings
from publish.social.card import Card
from publish.social.outcome import Kind, Outcome


class Account(Protocol):
    """What the runner needs of a platform account; every answer is an Outcome."""

    def post(self, card: Card, publish_at: dt.datetime, clock: Callable[[], dt.datetime],
             note_ref: Callable[[str], None]) -> Outcome: ...

    def reconcile(self, card: Card, remote_ref: str | None, sent_at: dt.datetime | None,
                  now: dt.datetime) -> Outcome | None: ...

    def cancel(self, platform_id: str) -> Outcome | None: ...


@dataclass(frozen=True)
class Options:
    """Run-time knobs from the environment (timeouts, polling, TikTok privacy)."""

    timeout: float = 30.0
    poll_seconds: float = 3.0
    polls: int = 10
    tiktok_privacy: str = "SELF_ONLY"

    @classmethod
    def from_settings(cls, settings: Settings) -> Options:
        """The knobs, or KelurahanError naming the bad variable (before anything is posted)."""
        return cls(timeout=_seconds(settings, "KELURAHAN_PUBLISH_TIMEOUT", 30.0),
                   poll_seconds=_seconds(settings, "KELURAHAN_PUBLISH_POLL_SECONDS", 3.0),
                   tiktok_privacy=settings.get("TIKTOK_PRIVACY_LEVEL", "SELF_ONLY") or "")


def _seconds(settings: Settings, name: str, default: float) -> float:
    text = settings.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < 3600:
        raise KelurahanError(f"{name} harus berupa jumlah detik seperti 30, bukan {text!r}")
    return value


def connect(kel: Kelurahan, channel: Channel, token: str, settings: Settings, options: Options
            ) -> Account | Outcome:
    """A FacebookPage / InstagramAccount / TikTokAccount, or why it cannot be used yet."""
    if channel == "tiktok":
        from publish.social.tiktok import PRIVACY_LEVELS, TikTokAccount, TikTokAPI

        if options.tiktok_privacy not in PRIVACY_LEVELS:
            return Outcome(Kind.CONFIG, f"TIKTOK_PRIVACY_LEVEL tidak dikenal: "
                           f"{options.tiktok_privacy!r} (pilih {', '.join(PRIVACY_LEVELS)})")
        api = TikTokAPI(token, settings.tiktok_api_url, options.timeout)
        return TikTokAccount(api, options.tiktok_privacy, poll_seconds=options.poll_seconds,
                             polls=options.polls)
    from publish.social.graph import Graph

    graph = Graph(token, settings.graph_api_url, settings.graph_api_version, options.timeout,
                  platform=channel.capitalize())
    profile = kel.folder / "profil.md"
    if channel == "facebook":
        from publish.social.facebook import FacebookPage

        if not kel.social.facebook_page_id:
            return _missing(profile, "facebook_page_id", "ID halaman Facebook")
        return FacebookPage(graph, kel.social.facebook_page_id)
    from publish.social.instagram import InstagramAccount

    if not kel.social.instagram_user_id:
        return _missing(profile, "instagram_user_id", "ID akun Instagram bisnis")
    return InstagramAccount(graph, kel.social.instagram_user_id,
                            poll_seconds=options.poll_seconds, polls=options.polls)


def _missing(profile: Path, key: str, what: str) -> Outcome:
    return Outcome(Kind.CONFIG, f"{profile}: sosial.{key}: {what} belum diisi")


# What each token needs (Meta: Page access token of an admin; TikTok: the user's scopes).
PERMISSIONS = {
    "facebook": "pages_manage_posts, pages_read_engagement dan pages_show_list",
    "instagram": "instagram_basic, instagram_content_publish dan pages_read_engagement",
    "tiktok": "video.publish (dan video.list agar kiriman yang tidak terjawab bisa dicocokkan)",
}
