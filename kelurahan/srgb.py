"""Any decoded picture as plain 8-bit RGB in sRGB, what browsers and social platforms assume.

Phones write Display-P3 (iPhone) or other profiles, scanners CMYK, editors 16-bit or alpha:
shown without conversion, colours come out dull or wrong. The cards, the site's WebP copies of
a photo and the photos the WhatsApp desk stores go through the same conversion.
"""

from __future__ import annotations

import io
from typing import cast

from PIL import Image, ImageCms

_SRGB = ImageCms.createProfile("sRGB")
WHITE = (255, 255, 255)  # what the site shows a transparent picture on
_ALPHA_MODES = ("RGBA", "LA", "PA", "P", "La", "RGBa")


def may_be_transparent(image: Image.Image) -> bool:
    """Whether `to_srgb` would flatten it on a background (a palette image may have alpha)."""
    return image.mode in _ALPHA_MODES


def to_srgb(image: Image.Image, background: tuple[int, int, int], profile: bytes | None) -> Image.Image:
    """RGB in sRGB: 16-bit scaled down, alpha flattened on `background`, ICC profiles applied."""
    if image.mode.startswith("I") or image.mode == "F":
        image = image.convert("I") if image.mode != "I" else image
        peak = max(255, cast(int, image.getextrema()[1]))
        image = image.point(lambda v: v * (255 / peak)).convert("L")
    if profile and image.mode in ("RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB") or image
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: plain conversion below is better than nothing
    if may_be_transparent(image):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, background)
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    return image if image.mode == "RGB" else image.convert("RGB")
