"""The post photo, decoded once per post and cropped to each card's photo box.

Camera originals are huge (6000×4000), sometimes CMYK, 16-bit or with a Display-P3 profile;
this module turns any of them into a small sRGB image, or a `PhotoProblem` with a reason the
lurah can act on. Crops follow the detail in the picture (edges), never stretch it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from kelurahan.srgb import WHITE, may_be_transparent, to_srgb

MIN_SIDE = 240  # below this a photo would be a blur on a 1080-px card: use the designed fallback
# JPEG decodes at ½, ¼ or ⅛ scale several times faster than at full size. A decode up to this
# much smaller than a card's photo box is taken and enlarged (a 1600×1200 phone photo for the
# 640×630 Facebook box: ½ scale, enlarged 5 %): invisible on a social card, and a third of
# the card's time.
DRAFT_SLACK = 0.9
_PROFILE_SIDE = 128  # long side of the edge map used to find where the detail is
_ORIENTATION = 0x0112


class PhotoProblem(Exception):
    """Why a photo cannot be used; `broken` when the file itself is unreadable."""

    def __init__(self, reason: str, *, broken: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.broken = broken


@dataclass(frozen=True)
class SourcePhoto:
    """A decoded photo and a small edge map of it, computed once and shared by all three cards."""

    image: Image.Image
    edges: Image.Image

    @classmethod
    def of(cls, image: Image.Image) -> SourcePhoto:
        return cls(image, _edge_map(image))


@dataclass(frozen=True)
class Sharing:
    """Another use of the same decoded photo (the site's WebP copies), so it is decoded once:
    `use` gets the upright sRGB image, at least `width` pixels wide unless the photo is smaller."""

    width: int
    use: Callable[[Image.Image], None]


Share = Callable[[Path], Sharing | None]  # the sharing wanted for a photo, if any


def load_photo(path: Path, boxes: list[tuple[int, int]], background: tuple[int, int, int],
               share: Sharing | None = None) -> SourcePhoto:
    """An RGB (sRGB) image just large enough to fill every box in `boxes` by cropping."""
    try:
        with Image.open(path) as source:
            needed = _needed_size(source.size, boxes, DRAFT_SLACK)
            if share is not None:
                needed = (max(needed[0], min(share.width, source.width)), needed[1])
            source.draft("RGB", needed)
            source.load()
            image = _upright(source)
            profile = image.info.get("icc_profile")
            if share is not None:  # the site shows transparency on white, a card on its theme
                site = to_srgb(image, WHITE, profile)
                share.use(site)
                if not may_be_transparent(image):
                    image, profile = site, None
            image = _reduce(image, boxes) if len(set(boxes)) > 1 else image
            image = to_srgb(image, background, profile)
    except Image.DecompressionBombError:
        raise PhotoProblem(f"foto {path.name} terlalu besar untuk diproses (lebih dari "
                           f"{(Image.MAX_IMAGE_PIXELS or 0) * 2 // 1_000_000} megapiksel)") from None
    except UnidentifiedImageError:
        raise PhotoProblem(f"foto {path.name} tidak bisa dibaca: bukan berkas gambar yang "
                           "dikenali (JPEG, PNG atau WebP)") from None
    except (OSError, ValueError, SyntaxError):
        raise PhotoProblem(f"foto {path.name} rusak atau terpotong dan tidak bisa dibaca") from None
    if min(image.size) < MIN_SIDE:
        raise PhotoProblem(f"foto {path.name} terlalu kecil ({image.width}×{image.height} piksel, "
                           f"minimal {MIN_SIDE} piksel); kartu memakai desain tanpa foto",
                           broken=False)
    return SourcePhoto.of(image)


def _upright(image: Image.Image) -> Image.Image:
    """Turned by its EXIF orientation; untouched (not copied: 8 ms a photo) when already upright."""
    if image.getexif().get(_ORIENTATION, 1) in (0, 1):
        return image
    return ImageOps.exif_transpose(image)


@dataclass(frozen=True)
class FittedPhoto:
    """A photo already cropped and resized to card photo boxes, by box size: kept for a while
    so a photo used by several posts (an office picture) is decoded once per build."""

    pictures: dict[tuple[int, int], Image.Image]

    @classmethod
    def of(cls, photo: SourcePhoto, sizes: list[tuple[int, int]]) -> FittedPhoto:
        return cls({size: fill_box(photo, size) for size in sizes})


def fill_box(photo: SourcePhoto | FittedPhoto, size: tuple[int, int]) -> Image.Image:
    """The photo cropped to the aspect of `size` around its detail, then resized to `size`."""
    if isinstance(photo, FittedPhoto):
        return photo.pictures[size]
    crop = smart_crop_box(photo, size[0] / size[1])
    return photo.image.resize(size, Image.Resampling.BILINEAR, box=crop)


def smart_crop_box(photo: SourcePhoto, ratio: float) -> tuple[int, int, int, int]:
    """The crop of aspect `ratio` (w/h) that keeps the most edges, slightly favouring the centre."""
    width, height = photo.image.size
    if abs(width / height - ratio) < 1e-3:
        return (0, 0, width, height)
    horizontal = width / height > ratio
    length = width if horizontal else height
    window = min(length, round(height * ratio) if horizontal else round(width / ratio))
    edges = photo.edges
    profile_size = (edges.width, 1) if horizontal else (1, edges.height)
    energy = list(edges.resize(profile_size, Image.Resampling.BOX).tobytes())
    scale = len(energy) / length
    start = _best_window(energy, max(1, round(window * scale))) / scale
    start = min(max(0, round(start)), length - window)
    return (start, 0, start + window, height) if horizontal else (0, start, width, start + window)


def _edge_map(image: Image.Image) -> Image.Image:
    """Edge strength of a copy about `_PROFILE_SIDE` pixels on its long side."""
    factor = max(1, max(image.size) // _PROFILE_SIDE)
    small = image.reduce(factor) if factor > 1 else image
    return small.convert("L").filter(ImageFilter.FIND_EDGES)


def _best_window(energy: list[int], window: int) -> int:
    count = len(energy)
    if window >= count:
        return 0
    sums = [0.0]
    for value in energy:
        sums.append(sums[-1] + value)
    centre = (count - window) / 2
    total = sums[-1] or 1.0

    def score(start: int) -> float:
        bias = 1 - 0.25 * abs(start - centre) / max(centre, 1)
        return (sums[start + window] - sums[start]) / total * bias

    return max(range(count - window + 1), key=score)


def _needed_size(size: tuple[int, int], boxes: list[tuple[int, int]],
                 slack: float = 1.0) -> tuple[int, int]:
    scale = _needed_scale(size, boxes) * slack
    return (math.ceil(size[0] * scale), math.ceil(size[1] * scale))


def _needed_scale(size: tuple[int, int], boxes: list[tuple[int, int]]) -> float:
    """Smallest scale at which a crop of the image still covers every box."""
    return max(max(w / size[0], h / size[1]) for w, h in boxes)


def _reduce(image: Image.Image, boxes: list[tuple[int, int]]) -> Image.Image:
    """Shrink to the working size once, so colour conversion and the crops of several cards
    touch few pixels (for one card, its crop-and-resize does it in one step)."""
    scale = _needed_scale(image.size, boxes)
    if scale >= 0.85:
        return image  # resizing costs more than it saves; crops resize anyway
    if image.mode not in ("RGB", "L", "RGBA", "LA", "CMYK"):
        return image  # 16-bit and palette images are converted first, then cropped at full size
    size = (max(1, math.ceil(image.width * scale)), max(1, math.ceil(image.height * scale)))
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
