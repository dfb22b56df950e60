"""The card of a post as the build wrote it: `<site>/<slug>/kartu/<stem>/kartu.json` + JPEGs.

publish never renders cards nor reads content files; it trusts what `kelurahan build` produced
and says so in Indonesian when that is missing or broken.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kelurahan.model import Channel, Post


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


class CardNotDrawn(CardMissing):
    """The build described the post but did not draw this channel's card (an old post's
    Instagram or TikTok card is drawn on first use); `kelurahan cards --post` draws it."""


def load_card(site_dir: Path, post: Post, channel: Channel) -> Card:
    """The card for `channel`, or CardMissing with a reason telling the user to build first."""
    folder = site_dir / post.card_dir
    manifest = folder / "kartu.json"
    if not manifest.is_file():
        raise CardMissing(f"kartu belum dibuat ({manifest} tidak ada): "
                          "jalankan 'kelurahan build' dulu")
    try:
        data = json.loads(manifest.read_text("utf-8"))
        return _card_from(data, folder, channel)
    except CardMissing:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CardMissing(f"{manifest} rusak ({type(exc).__name__}: {exc}): "
                          "jalankan 'kelurahan build' lagi") from None


def _card_from(data: dict[str, Any], folder: Path, channel: Channel) -> Card:
    if channel not in data["gambar"]:
        raise CardNotDrawn(f"kartu {channel} kegiatan lama ini belum digambar: jalankan "
                           f"'kelurahan cards --only {data['kelurahan']} --post {data['post']}'")
    image = data["gambar"][channel]
    caption = data["keterangan"][channel]
    path = folder / f"{channel}.jpg"
    if not path.is_file():
        raise CardMissing(f"gambar kartu {path} tidak ada: jalankan 'kelurahan build' dulu")
    if channel == "tiktok":
        return Card(channel, path, str(image["url"]), str(caption["deskripsi"]),
                    title=str(caption["judul"]))
    return Card(channel, path, str(image["url"]), str(caption))
