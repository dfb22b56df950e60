"""Photos for the web: resized to a few widths, re-encoded as WebP, every EXIF tag dropped.

The camera original (with its GPS position) never reaches `site/`. Resized files are cached by
the hash of the original's bytes, so a rebuild re-encodes only photos it has never seen. On a
cold build the card step decodes each post photo first and hands it over (`store_copies`), so
a photo is decoded once for both.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kelurahan.errors import KelurahanError
from kelurahan.files import FILE_MODE, file_sha256, link_or_copy

if TYPE_CHECKING:
    from concurrent.futures import Future

    from PIL.Image import Image as Picture

log = logging.getLogger(__name__)

THUMB_WIDTH = 160
WIDTHS = (THUMB_WIDTH, 480, 960)
WIDEST = max(WIDTHS)
QUALITY = 62
THUMB_QUALITY = 45
CACHE_VERSION = "v2"  # v2: with the 160 px thumbnail; older caches are re-encoded once
PHOTO_DIR = "foto"


@dataclass(frozen=True)
class Rendition:
    """One resized copy: its file name under `foto/` and its pixel size."""

    key: str
    name: str
    width: int
    height: int


def photo_key(digest: str) -> str:
    """The name of a photo's copies: the start of its content hash (`PhotoDigests.of`)."""
    return digest[:20]


def prepare_photo(path: Path, key: str, cache_dir: Path) -> list[Rendition]:
    """Resized WebP copies of `path` (content key `key`) in the cache, smallest first; encoded
    only once."""
    from PIL import UnidentifiedImageError

    renditions = _read_cached(_folder(cache_dir, key), key)
    if renditions is not None:
        return renditions
    try:
        return _encode(path, _folder(cache_dir, key), key, _decode(path))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise KelurahanError(f"{path}: foto tidak bisa dibaca sebagai gambar ({exc})") from None


def _folder(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"{key}.{CACHE_VERSION}"


def cached_file(cache_dir: Path, rendition: Rendition) -> Path:
    """Where a resized copy lives in the cache."""
    return _folder(cache_dir, rendition.key) / rendition.name


def copies_missing(key: str, cache_dir: Path) -> bool:
    """Whether `prepare_photo` would have to decode the photo with this key (a small read)."""
    return _read_cached(_folder(cache_dir, key), key) is None


def store_copies(path: Path, key: str, cache_dir: Path, image: Picture) -> None:
    """The WebP copies of `path` from an image already decoded (upright, sRGB) for its card."""
    if copies_missing(key, cache_dir):
        _encode(path, _folder(cache_dir, key), key, image)


class CopiesOnTheSide:
    """WebP copies encoded on a second thread while this one renders the pages.

    A one-post build decodes its new photo, then renders ~170 pages in pure Python on one
    core while the other waits. Pillow resizes and encodes without holding the GIL, so the
    copies (~0.15 s for a phone photo) are made meanwhile: the pages need only their names
    and sizes, which the decoded image's size fixes (`planned_renditions`). `wait()` before
    the copies are linked into the site; it raises what an encode raised. Used as a context
    manager.
    """

    def __init__(self, cache_dir: Path) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.cache_dir = cache_dir
        self._planned: dict[str, list[Rendition]] = {}
        self._encoder = ThreadPoolExecutor(1, thread_name_prefix="webp")
        self._encoding: list[Future[None]] = []

    def store(self, path: Path, key: str, image: Picture) -> None:
        """Like `store_copies`, on the other thread, from a copy of `image` (~3 ms): the
        caller goes on cropping the same picture for the cards."""
        if key not in self._planned:
            self._planned[key] = planned_renditions(key, image.size)
            self._encoding.append(self._encoder.submit(store_copies, path, key,
                                                       self.cache_dir, image.copy()))

    def planned(self, key: str) -> list[Rendition] | None:
        """The copies of a photo being encoded, or None if this build did not start them."""
        return self._planned.get(key)

    def wait(self) -> None:
        for future in self._encoding:
            future.result()

    def __enter__(self) -> CopiesOnTheSide:
        return self

    def __exit__(self, *exc: object) -> None:
        """The thread ends with the step, also when it failed: nothing encodes on after it."""
        self._encoder.shutdown(wait=True, cancel_futures=True)


def install_photos(renditions: list[Rendition], cache_dir: Path, site_dir: Path) -> None:
    """Hard-link (or copy) the resized files into `site_dir/foto/`."""
    target = site_dir / PHOTO_DIR
    target.mkdir(parents=True, exist_ok=True)
    for item in renditions:
        _link_or_copy(cached_file(cache_dir, item), target / item.name)


def _read_cached(folder: Path, key: str) -> list[Rendition] | None:
    index = folder / "sizes.txt"
    if not index.is_file():
        return None
    rows = [line.split() for line in index.read_text("ascii").splitlines() if line.strip()]
    return [Rendition(key, name, int(w), int(h)) for name, w, h in rows]


def _encode(path: Path, folder: Path, key: str, image: Picture) -> list[Rendition]:
    tmp = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        renditions = _write_renditions(image, tmp, key)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _publish_dir(tmp, folder)
    log.debug("foto %s → %s", path.name, [r.name for r in renditions])
    return renditions


def _decode(path: Path) -> Picture:
    """Upright and in sRGB like the card step's decode, which makes most copies
    (`store_copies`): a Display-P3 phone photo would look dull uncorrected. Transparency on
    white."""
    from PIL import Image, ImageOps

    from kelurahan.srgb import WHITE, to_srgb

    with Image.open(path) as original:
        original.draft("RGB", (max(WIDTHS), max(WIDTHS)))
        profile = original.info.get("icc_profile")
        return to_srgb(ImageOps.exif_transpose(original), WHITE, profile)


def planned_renditions(key: str, size: tuple[int, int]) -> list[Rendition]:
    """The copies of an image of `size`, smallest first: known before any pixel is encoded.
    A photo narrower than a width is copied once, at its own size."""
    width, height = size
    planned: list[Rendition] = []
    current = size
    for wanted in sorted(WIDTHS, reverse=True):
        if wanted < current[0]:
            current = (wanted, round(height * wanted / width))
        elif planned:
            continue
        planned.append(Rendition(key, f"{key}-{current[0]}.webp", *current))
    return planned[::-1]


def _write_renditions(image: Picture, folder: Path, key: str) -> list[Rendition]:
    from PIL import Image, WebPImagePlugin  # noqa: F401 (WebP known without loading all 40 plugins)

    renditions = planned_renditions(key, image.size)
    source = image
    for copy in reversed(renditions):  # each copy from the next larger one
        if (copy.width, copy.height) != source.size:
            source = source.resize((copy.width, copy.height), Image.Resampling.LANCZOS,
                                   reducing_gap=2.0)
        # No `exif=` argument: Pillow writes no EXIF, XMP or GPS into the WebP.
        quality = THUMB_QUALITY if copy.width <= THUMB_WIDTH else QUALITY
        source.save(folder / copy.name, "WEBP", quality=quality, method=4)
    (folder / "sizes.txt").write_text(
        "".join(f"{r.name} {r.width} {r.height}\n" for r in renditions), "ascii")
    return renditions


def _publish_dir(tmp: Path, folder: Path) -> None:
    """Another process may have encoded the same photo meanwhile; either copy is fine."""
    try:
        tmp.rename(folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    if not target.exists():
        link_or_copy(source, target)


def thumbnail_tag(renditions: list[Rendition], prefix: str) -> str:
    """The 160 px copy for lists; `alt` empty because the title beside it says it all."""
    return lazy_img(renditions[0], prefix, "")


def img_tag(renditions: list[Rendition], prefix: str, alt: str) -> str:
    """A photo: 480 px on a phone (3G), `srcset` up to 960 px only on wider screens."""
    renditions = [r for r in renditions if r.width > THUMB_WIDTH] or renditions
    srcset = ", ".join(f"{prefix}{r.name} {r.width}w" for r in renditions)
    return lazy_img(renditions[0], prefix, alt, srcset=srcset if len(renditions) > 1 else "")


def lazy_img(image: Rendition, prefix: str, alt: str, *, srcset: str = "") -> str:
    """An image fetched after the page has loaded, when it comes near the screen.

    Chromium's own `loading="lazy"` fetches everything up to 1,250–2,500 px below the screen,
    which is the whole post list, and the page's load waits for what is on screen. So the text
    arrives in the first round trips and photos follow (themes/site/partials/foto.js). The
    placeholder has the photo's proportions; without JavaScript the `<noscript>` copy is used.
    """
    from generator.site.markup import esc

    box = ("data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20"
           f"viewBox='0%200%20{image.width}%20{image.height}'/%3E")
    size = f'width="{image.width}" height="{image.height}" alt="{esc(alt)}"'
    wide = f' data-srcset="{srcset}"' if srcset else ""
    return (f'<img class="nanti" src="{box}" data-src="{prefix}{image.name}"{wide} {size}>'
            f'<noscript><img src="{prefix}{image.name}" {size} loading="lazy"></noscript>')


LOGO_NAME = "logo.webp"
LOGO_PIXELS = 64  # shown at 32 CSS px (sharp up to 2×); ~2 KB, inlined: no extra round trip


def write_logo(source: Path, cache_dir: Path) -> Path | None:
    """The kelurahan logo for the header and favicon, small; None (and a warning) if unreadable.

    Kept in the photo cache by the logo's content: encoding it costs more than the rest of a
    one-post rebuild's files together. The caller copies it into the site as `LOGO_NAME`.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError, WebPImagePlugin  # noqa: F401

    try:
        target = cache_dir / "logo" / f"{photo_key(file_sha256(source))}.{CACHE_VERSION}.webp"
        if target.is_file():
            return target
        with Image.open(source) as original:
            image = ImageOps.contain(original.convert("RGBA"), (LOGO_PIXELS, LOGO_PIXELS),
                                     Image.Resampling.LANCZOS)
        canvas = Image.new("RGBA", (LOGO_PIXELS, LOGO_PIXELS), (255, 255, 255, 0))
        canvas.paste(image, ((LOGO_PIXELS - image.width) // 2, (LOGO_PIXELS - image.height) // 2))
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        canvas.save(temporary, "WEBP", quality=70, method=4)  # 6: 40× the time for 1% smaller
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, target)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        log.debug("logo %s: %s", source, exc)  # Pillow's words, in English: for --verbose
        log.warning("%s: logo rusak atau bukan gambar; situs tanpa logo (ganti dengan PNG atau "
                    "JPG yang utuh)", source)
        return None
    return target


def data_uri(path: Path) -> str:
    """A small image inlined into the page: no request, no round trip."""
    import base64

    return "data:image/webp;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
