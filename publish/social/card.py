"""The card of a post as the build wrote it: `<site>/<slug>/kartu/<stem>/kartu.json` + JPEGs.

publish never renders cards nor reads content files; it trusts what `kelurahan build` produced
(`kelurahan.outputs.CardManifest`) and says so in Indonesian when that is missing or broken.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from kelurahan.model import Post
from kelurahan.outputs import CARD_MANIFEST, CardManifest, Channel, OutputError, read_output

log = logging.getLogger(__name__)

# Platform limits on the text (Instagram Graph API media reference; TikTok photo post reference,
# where lengths are counted in UTF-16 code units, so an emoji counts 2).
IG_MAX_CHARS, IG_MAX_HASHTAGS, IG_MAX_MENTIONS = 2200, 30, 20
TIKTOK_MAX_TITLE, TIKTOK_MAX_DESCRIPTION = 90, 4000
_HASHTAG = re.compile(r"(?<![\w&])#\w+")
_MENTION = re.compile(r"(?<![\w.])@[\w.]+")


@dataclass(frozen=True)
class Card:
    """What to post on one channel: the image (local file and public URL) and the caption."""

    channel: Channel
    image: Path
    image_url: str
    caption: str
    title: str = ""          # TikTok only: `keterangan.tiktok.judul`
    post_url: str = ""       # the post's canonical URL, in every caption: how we find it again

    @property
    def fingerprint(self) -> str:
        """Changes when the caption, title or image changes (a held post must follow)."""
        digest = hashlib.sha256(f"{self.title}\0{self.caption}\0".encode())
        digest.update(self.image.read_bytes() if self.image.is_file() else b"")
        return digest.hexdigest()[:16]

    def mentions_post(self, text: str | None) -> bool:
        """Whether a platform's caption is ours: it carries this post's canonical URL."""
        return bool(self.post_url) and self.post_url in (text or "")


class CardMissing(Exception):
    """The card is absent or unreadable; the message is the Indonesian reason."""


class CardNotDrawn(CardMissing):
    """The build described the post but did not draw this channel's card (an old post's
    Instagram or TikTok card is drawn on first use); `kelurahan cards --post` draws it."""


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
        raise CardNotDrawn(f"kartu {channel} kegiatan lama ini belum digambar: jalankan "
                           f"'kelurahan cards --only {data.kelurahan} --post {data.post}'")
    path = manifest.parent / f"{channel}.jpg"
    if not path.is_file():
        raise CardMissing(f"gambar kartu {path} tidak ada: jalankan 'kelurahan build' dulu")
    if channel == "tiktok":
        tiktok = data.captions.tiktok
        return Card(channel, path, image.url, tiktok.description, title=tiktok.title,
                    post_url=data.url)
    return Card(channel, path, image.url, getattr(data.captions, channel), post_url=data.url)


def card_fingerprint(site_dir: Path, post: Post, channel: Channel) -> str | None:
    """The fingerprint of the card as built now; None when it is missing."""
    try:
        return load_card(site_dir, post, channel).fingerprint
    except CardMissing:
        return None


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def limit_problems(card: Card) -> list[str]:
    """What in the text the platform would refuse, in Indonesian (empty when it fits)."""
    problems = []
    if card.channel == "instagram":
        tags, mentions = len(_HASHTAG.findall(card.caption)), len(_MENTION.findall(card.caption))
        if len(card.caption) > IG_MAX_CHARS:
            problems.append(f"keterangan Instagram {len(card.caption)} karakter (maks. "
                            f"{IG_MAX_CHARS})")
        if tags > IG_MAX_HASHTAGS:
            problems.append(f"keterangan Instagram memuat {tags} tagar (maks. {IG_MAX_HASHTAGS},"
                            " termasuk tagar yang ditulis di judul dan ringkasan)")
        if mentions > IG_MAX_MENTIONS:
            problems.append(f"keterangan Instagram menyebut {mentions} akun dengan @ (maks. "
                            f"{IG_MAX_MENTIONS})")
    if card.channel == "tiktok":
        title, text = utf16_length(card.title), utf16_length(card.caption)
        if title > TIKTOK_MAX_TITLE:
            problems.append(f"judul TikTok {title} satuan panjang (maks. {TIKTOK_MAX_TITLE}; "
                            "emoji dihitung 2)")
        if text > TIKTOK_MAX_DESCRIPTION:
            problems.append(f"deskripsi TikTok {text} satuan panjang (maks. "
                            f"{TIKTOK_MAX_DESCRIPTION}; emoji dihitung 2)")
    return problems


def offline_problem(url: str, timeout: float) -> str | None:
    """Why the platform could not pull the card from `url` now (None: 200 + image/jpeg)."""
    import requests

    try:
        with requests.get(url, timeout=timeout, stream=True, allow_redirects=True) as answer:
            kind = answer.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if answer.status_code != 200:
                return f"{url} menjawab HTTP {answer.status_code}"
            if kind != "image/jpeg":
                return f"{url} bukan gambar JPEG (jenis isi: {kind or 'tidak ada'})"
    except requests.RequestException as exc:
        log.debug("card probe %s failed: %r", url, exc)
        return f"{url} tidak bisa dibuka"
    return None
