"""The card of a post as the build wrote it: `<site>/<slug>/kartu/<stem>/kartu.json` + JPEGs.

publish never renders cards nor reads content files; it trusts what `kelurahan build` produced
(`kelurahan.outputs.CardManifest`) and says so in Indonesian when that is missing or broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kelurahan.model import Post
from kelurahan.outputs import CARD_MANIFEST, CardManifest, Channel, OutputError, read_output


@dataclass(frozen=True)
class Card:
    """What to post on one channel: the image (local file and public URL) and the caption."""

    channel: Channel
    image: Path
    image_url: str
    caption: str
    title: str = ""          # TikTok only: `keterangan.tiktok.judul`


class CardMissing(Exception):
    """The card is absent or unreadable; the message is the Indonesian reason."""


def load_card(site_dir: Path, post: Post, channel: Channel) -> Card:
    """The card for `channel`, or CardMissing with a reason telling the user to build first."""
    folder = site_dir / post.card_dir
    manifest = folder / CARD_MANIFEST
    if not manifest.is_file():
        raise CardMissing(f"kartu belum dibuat ({manifest} tidak ada): "
                          "jalankan 'kelurahan build' dulu")
    try:
        data = read_output(manifest, CardManifest)
    except OutputError as exc:
        raise CardMissing(str(exc)) from None
    return _card_from(data, manifest, channel)


def _card_from(data: CardManifest, manifest: Path, channel: Channel) -> Card:
    image = data.images.get(channel)
    if image is None:
        raise CardMissing(f"{manifest} tanpa gambar {channel}: jalankan 'kelurahan build' lagi")
    path = manifest.parent / f"{channel}.jpg"
    if not path.is_file():
        raise CardMissing(f"gambar kartu {path} tidak ada: jalankan 'kelurahan build' dulu")
    if channel == "tiktok":
        tiktok = data.captions.tiktok
        return Card(channel, path, image.url, tiktok.description, title=tiktok.title)
    return Card(channel, path, image.url, getattr(data.captions, channel))
