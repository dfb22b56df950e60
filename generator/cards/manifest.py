"""`kartu.json` beside the cards: what `publish` reads (`kelurahan.outputs.CardManifest`), plus
one caption file per platform."""

from __future__ import annotations

from pathlib import Path

from generator.cards.theme import Theme
from kelurahan.files import write_new_text, write_text_atomic
from kelurahan.model import City, Kelurahan, Post
from kelurahan.outputs import (
    CARD_MANIFEST,
    CARD_VERSION,
    CHANNELS,
    CardCaptions,
    CardImage,
    CardManifest,
    caption_file,
)

MANIFEST = CARD_MANIFEST


def card_manifest(city: City, kel: Kelurahan, post: Post, theme: Theme,
                  captions: CardCaptions, drawn: tuple[str, ...]) -> CardManifest:
    """The manifest of one post's cards, with public URLs and per-platform captions.

    `gambar` lists only the cards that were drawn (`drawn`): a channel missing from it has no
    JPEG yet (an old post's Instagram or TikTok card, drawn on first use).
    """
    images = {
        channel: CardImage(file=f"{channel}.jpg", width=layout.size[0], height=layout.size[1],
                           url=city.url(post.card_path(channel)))
        for channel in CHANNELS if channel in drawn and (layout := theme.channels.get(channel))
    }
    return CardManifest(version=CARD_VERSION, kelurahan=kel.slug, post=post.stem, title=post.title,
                        url=city.url(post.url_path), publish_at=post.publish_at,
                        channels=post.channels, images=images, captions=captions)


def write_manifest(target: Path, manifest: CardManifest, *, caption_files: bool = True,
                   fresh: bool = False) -> None:
    """`kartu.json` and (for posts that can still go out) `caption-<platform>.txt`, each
    replaced atomically and only when changed (written directly into a `fresh` folder nobody
    reads yet). Old posts keep their captions in `kartu.json` only: three files fewer per post
    to write and delete on every rebuild."""
    captions = manifest.captions
    tiktok = captions.tiktok
    files = {MANIFEST: manifest.to_json()}
    if caption_files:
        files.update({
            caption_file("facebook"): captions.facebook + "\n",
            caption_file("instagram"): captions.instagram + "\n",
            caption_file("tiktok"): f"{tiktok.title}\n\n{tiktok.description}\n",
        })
    if fresh:
        for name, text in files.items():
            write_new_text(target / name, text)
        return
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_text_if_changed(target / name, text)


def write_text_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text("utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_text_atomic(path, text)
