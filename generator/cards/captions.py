"""The text that goes with each card, per platform, within each platform's limits.

Instagram: ≤ 2,200 characters and ≤ 30 hashtags; TikTok: title ≤ 90, description ≤ 4,000.
Emoji stay: the apps draw them, only our card font cannot.
"""

from __future__ import annotations

import re

from kelurahan.dates import long_date
from kelurahan.model import City, Kelurahan, Post
from kelurahan.outputs import CardCaptions, TikTokCaption

INSTAGRAM_MAX = 2200
INSTAGRAM_HASHTAGS_MAX = 30
FACEBOOK_MAX = 5000  # the API allows far more; a weekly post never needs it
TIKTOK_TITLE_MAX = 90
TIKTOK_DESCRIPTION_MAX = 4000
ELLIPSIS = "…"


def hashtag(prefix: str, name: str) -> str:
    """`#KelurahanTanjungHarapan` from ("Kelurahan", "Tanjung Harapan"); CamelCase, no spaces."""
    words = re.findall(r"\w+", name.replace("_", " "))
    if words and words[0].casefold() == prefix.casefold():
        words = words[1:]
    return "#" + prefix + "".join(w[:1].upper() + w[1:] for w in words)


def hashtags(city: City, kel: Kelurahan, post: Post, limit: int = INSTAGRAM_HASHTAGS_MAX) -> list[str]:
    """Kelurahan and city first, then the post's categories; unique, at most `limit`."""
    tags = [hashtag("Kelurahan", kel.name), hashtag("Kota", city.name)]
    tags += [hashtag("", category) for category in post.categories]
    unique: dict[str, str] = {}
    for tag in tags:
        if len(tag) > 1:
            unique.setdefault(tag.casefold(), tag)
    return list(unique.values())[:limit]


def lead(post: Post) -> str:
    """`ringkasan`, or else the first paragraph of the body as plain text."""
    if post.summary:
        return post.summary
    for paragraph in re.split(r"\n\s*\n", post.body):
        text = plain_text(paragraph)
        if text and not paragraph.lstrip().startswith(("#", "|", "<", "---", "![")):
            return text
    return ""


def plain_text(markdown: str) -> str:
    """Markdown reduced to what a caption can show: link text kept, markup dropped."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    text = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", text, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", text).strip()


def captions(city: City, kel: Kelurahan, post: Post) -> CardCaptions:
    """The `keterangan` of kartu.json: Facebook, Instagram, TikTok title and description."""
    url = city.url(post.url_path)
    place = f"{kel.display_name}, {long_date(post.date)}"
    tags = " ".join(hashtags(city, kel, post))
    body = lead(post)
    return CardCaptions(
        facebook=_compose([post.title, place, body, f"Selengkapnya: {url}", tags], FACEBOOK_MAX),
        instagram=_compose([post.title, place, body, f"Baca selengkapnya di situs kelurahan: {url}",
                            tags], INSTAGRAM_MAX),
        tiktok=TikTokCaption(
            title=shorten(post.title, TIKTOK_TITLE_MAX),
            description=_compose([place, body, url, tags], TIKTOK_DESCRIPTION_MAX, 1),
        ),
    )


def _compose(parts: list[str], limit: int, shrink_index: int = 2) -> str:
    """Paragraphs joined by blank lines; the body (`parts[shrink_index]`) is cut to fit `limit`."""
    parts = list(parts)
    fixed = sum(len(p) for i, p in enumerate(parts) if i != shrink_index and p) + 2 * (len(parts) - 1)
    if shrink_index < len(parts):
        parts[shrink_index] = shorten(parts[shrink_index], max(0, limit - fixed))
    text = "\n\n".join(p for p in parts if p)
    return shorten(text, limit)


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary with "…" so it has at most `limit` characters."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    head = text[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,.;:-–") + ELLIPSIS
