"""Social-media cards for every post: Instagram 1080×1350, Facebook 1200×630, TikTok 1080×1920.

`render_cards(city, kel, out_root, now=…, cache_dir=…)` draws the ones still usable with Pillow from the layout
data in `themes/cards/`, writes `kartu.json` (what `publish` reads) and captions beside them,
and the lurah's preview page `<slug>/kartu/index.html`.
"""

from __future__ import annotations

from generator.cards.lazy import card_drawer
from generator.cards.pipeline import (
    CardRun,
    card_text,
    draw_cards,
    draw_missing,
    fit_shared_photos,
    place_cards,
    render_cards,
    wanted_channels,
)
from generator.cards.report import CardIssue, CardReport
from generator.cards.theme import ChannelLayout, Theme, ThemeError, load_theme

__all__ = [
    "CardIssue",
    "CardReport",
    "CardRun",
    "ChannelLayout",
    "Theme",
    "ThemeError",
    "card_drawer",
    "card_text",
    "draw_cards",
    "draw_missing",
    "fit_shared_photos",
    "load_theme",
    "place_cards",
    "render_cards",
    "wanted_channels",
]
