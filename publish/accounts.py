"""The account to post to for a kelurahan and channel, built from its profile and Settings."""

from __future__ import annotations

from kelurahan.model import Channel, Kelurahan
from kelurahan.settings import Settings
from publish.outcome import Kind, Outcome


def connect(kel: Kelurahan, channel: Channel, token: str, settings: Settings, options
            ) -> object | Outcome:
    """A FacebookPage / InstagramAccount / TikTokAccount, or why it cannot be used yet."""
    if channel == "tiktok":
        from publish.tiktok import PRIVACY_LEVELS, TikTokAccount, TikTokAPI

        if options.tiktok_privacy not in PRIVACY_LEVELS:
            return Outcome(Kind.WAITING, f"TIKTOK_PRIVACY_LEVEL tidak dikenal: "
                           f"{options.tiktok_privacy!r} (pilih {', '.join(PRIVACY_LEVELS)})")
        api = TikTokAPI(token, settings.tiktok_api_url, options.timeout)
        return TikTokAccount(api, options.tiktok_privacy, poll_seconds=options.poll_seconds,
                             polls=options.polls)
    from publish.graph import Graph

    graph = Graph(token, settings.graph_api_url, settings.graph_api_version, options.timeout)
    profile = kel.folder / "profil.md"
    if channel == "facebook":
        from publish.facebook import FacebookPage

        if not kel.social.facebook_page_id:
            return _missing(profile, "facebook_page_id", "ID halaman Facebook")
        return FacebookPage(graph, kel.social.facebook_page_id)
    from publish.instagram import InstagramAccount

    if not kel.social.instagram_user_id:
        return _missing(profile, "instagram_user_id", "ID akun Instagram bisnis")
    return InstagramAccount(graph, kel.social.instagram_user_id,
                            poll_seconds=options.poll_seconds, polls=options.polls)


def _missing(profile, key: str, what: str) -> Outcome:
    return Outcome(Kind.WAITING, f"{profile}: sosial.{key}: {what} belum diisi")
