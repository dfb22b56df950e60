"""Cards drawn on first use: an old post's Instagram or TikTok card, when publishing asks for it.

The build draws those only for posts that can still be published (`wanted_channels`); a post
retried weeks later (a token set late, a platform outage) gets its card here, into the built
site and the card cache, so the next build keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.cards.pipeline import draw_missing
from kelurahan.model import City, Kelurahan, Post

Drawer = Callable[[Kelurahan, Post, str], "str | None"]


def card_drawer(city: City, site_dir: Path, cache_dir: Path,
                themes_dir: Path | None = None) -> Drawer:
    """What `kelurahan publish` calls for a card the build left undrawn: None when drawn."""

    def draw(kel: Kelurahan, post: Post, channel: str) -> str | None:
        report = draw_missing(city, kel, [post], site_dir, cache_dir=cache_dir,
                              channels=(channel,), themes_dir=themes_dir)
        failed = [issue for issue in report.failed if not issue.has_cards]
        return f"kartu {channel} gagal digambar: {failed[0].reason}" if failed else None

    return draw
