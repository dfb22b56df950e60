"""Small copies of the cards the preview page shows: `<channel>-kecil.webp` beside each card.

The lurah's preview page must fit a phone's first round trips like every page (≤ 16 KB), while
the cards are 1080–1200 px JPEGs of 90–200 KB. A copy is decoded at 1/4 scale straight from the
card (JPEG draft mode: the full card is never decoded), kept in the card's cache entry (its key
is everything the card shows, so a rebuild reuses it, and it is pruned with the card), and linked
beside the card. `kartu.json` lists only the cards: publishing never sees these copies, and
copies of cards the page no longer shows are removed.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from generator.site.images import Rendition
from kelurahan.files import replace_with_link
from kelurahan.outputs import CHANNELS, Channel

log = logging.getLogger(__name__)

SUFFIX = "-kecil.webp"
SCALE = 4  # 1200 × 630 → 300 × 158, 1080 × 1350 → 270 × 338: 6–10 KB each
QUALITY = 55


def small_name(channel: Channel) -> str:
    return f"{channel}{SUFFIX}"


def small_copies(folder: Path, wanted: dict[Channel, Path | None]) -> dict[Channel, Rendition]:
    """Copies of the `wanted` cards of one post's `folder` (channel → the cache folder to keep
    the copy in, None for none); every other copy in `folder` is removed. A card that cannot be
    read gets no copy (the page then shows the card itself)."""
    for channel in CHANNELS:
        if channel not in wanted:
            (folder / small_name(channel)).unlink(missing_ok=True)
    made = {}
    for channel, keep in wanted.items():
        try:
            made[channel] = _place(folder, channel, keep)
        except OSError as exc:
            log.warning("salinan kecil %s/%s.jpg tidak dibuat: %s", folder.name, channel, exc)
    return made


def _place(folder: Path, channel: Channel, keep: Path | None) -> Rendition:
    """From the cache entry when it has the copy; without an entry, encoded afresh."""
    from PIL import Image

    name = small_name(channel)
    target = folder / name
    if keep is None or not keep.is_dir():
        _encode(folder / f"{channel}.jpg", target)
    else:
        if not (keep / name).is_file():
            _encode(folder / f"{channel}.jpg", keep / name)
        replace_with_link(keep / name, target)
    with Image.open(target) as image:
        return Rendition(folder.name, name, image.width, image.height)


def _encode(card: Path, target: Path) -> None:
    from PIL import Image, WebPImagePlugin  # noqa: F401 (WebP known without loading all 40 plugins)

    try:
        with Image.open(card) as image:
            image.draft("RGB", (image.width // SCALE, image.height // SCALE))
            small = image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:  # corrupt, cut short
        raise OSError(f"kartu tidak terbaca ({exc})") from None
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        small.save(temporary, "WEBP", quality=QUALITY, method=4)  # no EXIF, like site images
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
