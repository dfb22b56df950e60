"""The Instagram card of a post that does not exist yet: what a staff member sees on WhatsApp
before pressing Terbitkan. Same theme, fonts and drawing as the build, nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.cards.photo import PhotoProblem, load_photo
from generator.cards.pipeline import _load_logo, card_text
from generator.cards.render import Artwork, draw_card, encode_jpeg
from generator.cards.report import CardReport
from generator.cards.text import FontBook
from generator.cards.theme import Theme, load_theme
from kelurahan.model import City, Kelurahan, Post
from kelurahan.posting import NewPost
from kelurahan.slugs import slugify

CHANNEL = "instagram"


class DraftCards:
    """Draws draft cards, keeping each kelurahan's theme and fonts while their files stay the
    same (parsing the theme YAML is a third of a card's time on the bot's 3 s budget)."""

    def __init__(self, themes_dir: Path | None = None) -> None:
        self.themes_dir = themes_dir
        self._themes: dict[str, tuple[tuple, Theme, FontBook]] = {}

    def __call__(self, city: City, kel: Kelurahan, draft: NewPost, day: dt.date) -> bytes:
        """JPEG bytes of the draft's Instagram card (a broken photo gets the designed fallback)."""
        theme, book = self._theme(kel.slug)
        post = Post(kelurahan=kel.slug, stem=f"{day.isoformat()}-{slugify(draft.title)}",
                    slug=slugify(draft.title), source=Path("draf.md"), title=draft.title,
                    date=day, publish_at=dt.datetime.combine(day, city.publish_time, city.tz))
        text, _ = card_text(city, kel, post, book)
        layout = theme.channels[CHANNEL]
        photo = None
        if draft.photos:
            try:
                photo = load_photo(draft.photos[0], [layout.photo[2:]], theme.primary)
            except PhotoProblem:
                photo = None
        logo = Artwork(_load_logo(kel, CardReport(kel.slug)))
        return encode_jpeg(draw_card(layout, theme, book, text, photo, logo).image, theme.quality)

    def _theme(self, slug: str) -> tuple[Theme, FontBook]:
        folder = self.themes_dir or Path()
        stamp = tuple(_mtime(folder / "cards" / name) for name in ("kota.yml", f"{slug}.yml"))
        cached = self._themes.get(slug)
        if cached is None or cached[0] != stamp:
            theme = load_theme(slug, self.themes_dir)
            cached = (stamp, theme, FontBook(theme.fonts))
            self._themes[slug] = cached
        return cached[1], cached[2]


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
