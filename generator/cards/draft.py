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
from generator.cards.theme import load_theme
from kelurahan.model import City, Kelurahan, Post
from kelurahan.posting import NewPost
from kelurahan.slugs import slugify

CHANNEL = "instagram"


def render_draft_card(city: City, kel: Kelurahan, draft: NewPost, day: dt.date, *,
                      themes_dir: Path | None = None) -> bytes:
    """JPEG bytes of the draft's Instagram card (a broken photo gets the designed fallback)."""
    theme = load_theme(kel.slug, themes_dir)
    book = FontBook(theme.fonts)
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
    card = draw_card(layout, theme, book, text, photo, Artwork(_load_logo(kel, CardReport(kel.slug))))
    return encode_jpeg(card.image, theme.quality)
