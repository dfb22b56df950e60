"""Synthetic "phone photos" and logos for sample content and benchmarks.

Everything is drawn with Pillow only, deterministically from a seed, so the
repository needs no real photographs of real people.  The pictures are crude
but photo-like where it matters to the pipeline: 4:3, full of gradients and
sensor-style noise (so JPEGs weigh ~150-300 KB at quality 85 like a phone
original), and `save_photo` embeds camera EXIF with a GPS position so the site
builder's EXIF stripping can be tested.

    img = draw_photo(7, scene="posyandu", banner="POSYANDU MAWAR RW 02")
    save_photo(img, Path("media/2026-11-16-posyandu-1.jpg"))
    draw_logo("Sukamaju", "#1f6f43").save("media/logo.png")
"""

from __future__ import annotations

import random
import zlib
from datetime import datetime, timedelta
from fractions import Fraction
from math import cos, pi, sin
from pathlib import Path
from statistics import NormalDist

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFilter, ImageFont
from PIL.ExifTags import IFD

SCENES = (
    "kerja_bakti",
    "posyandu",
    "rapat",
    "umkm",
    "ronda",
    "lomba",
    "fogging",
    "bansos",
)
"""Scene names understood by :func:`draw_photo`."""

_BANNERS = {
    "kerja_bakti": ["KERJA BAKTI RT {rt:02d}", "GOTONG ROYONG RW {rw:02d}", "JUMAT BERSIH"],
    "posyandu": ["POSYANDU MAWAR RW {rw:02d}", "POSYANDU MELATI", "IMUNISASI & TIMBANG BALITA"],
    "rapat": ["MUSRENBANG KELURAHAN 2027", "RAPAT KOORDINASI RT/RW", "SOSIALISASI PBB 2026"],
    "umkm": ["PELATIHAN UMKM", "BAZAR UMKM KELURAHAN", "PASAR MURAH"],
    "ronda": ["POS KAMLING RT {rt:02d}", "SISKAMLING RW {rw:02d}"],
    "lomba": ["LOMBA 17 AGUSTUS", "DIRGAHAYU RI KE-81", "LOMBA KAMPUNG BERSIH"],
    "fogging": ["PSN & FOGGING RT {rt:02d}", "BERANTAS DBD", "3M PLUS"],
    "bansos": ["PENYALURAN BANSOS", "BANTUAN PANGAN 2026", "PEMBAGIAN SEMBAKO"],
}

_SKIN = [(141, 99, 70), (120, 84, 60), (164, 118, 86), (98, 68, 50), (180, 135, 100)]
_CLOTHES = [
    (200, 40, 40), (30, 90, 160), (240, 240, 235), (40, 120, 70), (230, 170, 40),
    (120, 60, 140), (20, 20, 25), (200, 90, 130), (80, 160, 190), (150, 110, 70),
]
_WALLS = [(236, 228, 210), (250, 245, 220), (200, 220, 205), (235, 210, 170), (210, 225, 240), (245, 220, 215)]
_ROOFS = [(150, 60, 40), (90, 90, 95), (60, 90, 140), (170, 90, 50), (110, 50, 40), (70, 110, 80)]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A bold sans font of `size` px: DejaVu when installed, Pillow's built-in otherwise."""
    for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _jitter(colour: tuple[int, int, int], rng: random.Random, amount: int = 18) -> tuple[int, int, int]:
    """`colour` with each channel moved by up to ±amount."""
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)


def _vertical_gradient(size: tuple[int, int], top: tuple, bottom: tuple) -> Image.Image:
    """An RGB image fading from `top` to `bottom` (drawn as one column, then stretched)."""
    w, h = size
    column = Image.new("RGB", (1, h))
    column.putdata([
        tuple(int(t + (b - t) * y / max(1, h - 1)) for t, b in zip(top, bottom, strict=True)) for y in range(h)
    ])
    return column.resize((w, h), Image.Resampling.NEAREST)


def _sky(size: tuple[int, int], rng: random.Random, night: bool) -> Image.Image:
    """Sky gradient: tropical blue-to-haze by day, dark blue-to-orange lamp glow at night."""
    if night:
        return _vertical_gradient(size, _jitter((10, 14, 40), rng, 8), _jitter((70, 50, 60), rng, 10))
    top = _jitter((70, 130, 205), rng, 25)
    bottom = _jitter((205, 222, 235), rng, 15)
    return _vertical_gradient(size, top, bottom)


def _clouds(draw: ImageDraw.ImageDraw, w: int, horizon: int, rng: random.Random) -> None:
    """A few soft cumulus clouds made of overlapping ellipses."""
    for _ in range(rng.randint(2, 6)):
        cx, cy = rng.randint(0, w), rng.randint(horizon // 8, horizon * 3 // 4)
        shade = rng.randint(228, 250)
        for _ in range(rng.randint(4, 8)):
            rx, ry = rng.randint(40, 140), rng.randint(25, 60)
            ox, oy = rng.randint(-150, 150), rng.randint(-30, 20)
            draw.ellipse((cx + ox - rx, cy + oy - ry, cx + ox + rx, cy + oy + ry), fill=(shade, shade, shade))


def _ground(img: Image.Image, horizon: int, rng: random.Random, night: bool) -> None:
    """Paste the ground (grass, packed earth or asphalt) below the horizon."""
    w, h = img.size
    kind = rng.choice([(96, 140, 70), (150, 128, 96), (105, 105, 110), (120, 150, 80)])
    far = _jitter(kind, rng, 12)
    near = tuple(max(0, c - 45) for c in far)
    if night:
        far, near = tuple(c // 3 for c in far), tuple(c // 4 for c in near)
    img.paste(_vertical_gradient((w, h - horizon), far, near), (0, horizon))
    draw = ImageDraw.Draw(img)
    if rng.random() < 0.6:  # a road running towards the horizon
        cx = rng.randint(w // 4, w * 3 // 4)
        road = (70, 70, 75) if not night else (30, 30, 35)
        draw.polygon([(cx - 40, horizon), (cx + 40, horizon), (cx + w // 3, h), (cx - w // 3, h)], fill=road)


def _house(draw: ImageDraw.ImageDraw, x: int, base: int, width: int, rng: random.Random, night: bool) -> None:
    """A single-storey house or shop front with a pitched roof, door and windows."""
    height = int(width * rng.uniform(0.55, 0.8))
    wall = _jitter(rng.choice(_WALLS), rng, 10)
    roof = _jitter(rng.choice(_ROOFS), rng, 12)
    if night:
        wall, roof = tuple(c // 3 for c in wall), tuple(c // 3 for c in roof)
    top = base - height
    draw.rectangle((x, top, x + width, base), fill=wall, outline=tuple(c - 30 if c > 30 else 0 for c in wall))
    overhang = width // 10
    peak = top - int(height * rng.uniform(0.35, 0.6))
    if rng.random() < 0.5:
        draw.polygon([(x - overhang, top), (x + width // 2, peak), (x + width + overhang, top)], fill=roof)
    else:
        draw.polygon([(x - overhang, top), (x + width // 5, peak), (x + width * 4 // 5, peak),
                      (x + width + overhang, top)], fill=roof)
    door_w = max(6, width // 6)
    dx = x + rng.randint(width // 8, width - width // 8 - door_w)
    draw.rectangle((dx, base - height * 2 // 3, dx + door_w, base), fill=_jitter((110, 75, 45), rng, 15))
    glass = (255, 210, 120) if night else _jitter((90, 120, 140), rng, 15)
    for _ in range(rng.randint(1, 3)):
        wx = x + rng.randint(4, max(5, width - width // 5 - 4))
        if dx - width // 5 < wx < dx + door_w:
            continue
        ww = width // 5
        draw.rectangle((wx, top + height // 4, wx + ww, top + height // 4 + ww), fill=glass, outline=(60, 50, 40))


def _tree(draw: ImageDraw.ImageDraw, x: int, base: int, size: int, rng: random.Random, night: bool) -> None:
    """A tree: trunk plus a clump of green ellipses (or a coconut palm)."""
    dim = 3 if night else 1
    trunk = tuple(c // dim for c in _jitter((95, 70, 45), rng, 10))
    if rng.random() < 0.3:  # coconut palm
        top = base - size * 2
        draw.line((x, base, x + size // 5, top), fill=trunk, width=max(3, size // 10))
        for angle in range(0, 360, 45):
            dx = int(size * 0.8 * [1, 0.7, 0, -0.7, -1, -0.7, 0, 0.7][angle // 45])
            dy = int(size * 0.5 * [0, -0.4, -0.6, -0.4, 0, 0.5, 0.6, 0.5][angle // 45])
            draw.line((x + size // 5, top, x + size // 5 + dx, top + dy + size // 4),
                      fill=tuple(c // dim for c in _jitter((50, 120, 50), rng, 15)), width=max(2, size // 12))
        return
    draw.rectangle((x - size // 12, base - size, x + size // 12, base), fill=trunk)
    for _ in range(rng.randint(5, 9)):
        rx, ry = rng.randint(size // 3, size * 2 // 3), rng.randint(size // 4, size // 2)
        cx, cy = x + rng.randint(-size // 2, size // 2), base - size - rng.randint(0, size // 2)
        green = tuple(c // dim for c in _jitter((45, 110, 45), rng, 25))
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=green)


def _person(draw: ImageDraw.ImageDraw, x: int, base: int, height: int, rng: random.Random,
            night: bool, tool: bool = False) -> None:
    """A standing person: legs, body, arms, head, sometimes a hijab, cap or a broom."""
    dim = 3 if night else 1
    skin = tuple(c // dim for c in _jitter(rng.choice(_SKIN), rng, 10))
    shirt = tuple(c // dim for c in _jitter(rng.choice(_CLOTHES), rng, 15))
    pants = tuple(c // dim for c in _jitter(rng.choice([*_CLOTHES[5:], (40, 40, 60)]), rng, 10))
    head = height // 8
    shoulder = base - height + head * 2
    hip = base - height * 45 // 100
    half = max(2, height // 9)
    leg = max(2, height // 22)
    draw.rectangle((x - half + leg // 2, hip, x - leg // 2, base), fill=pants)
    draw.rectangle((x + leg // 2, hip, x + half - leg // 2, base), fill=pants)
    draw.rounded_rectangle((x - half, shoulder, x + half, hip + head // 2), radius=max(1, half // 2), fill=shirt)
    arm = max(2, height // 28)
    draw.line((x - half, shoulder + arm, x - half - head // 2, hip), fill=shirt, width=arm)
    draw.line((x + half, shoulder + arm, x + half + head // 2, hip - rng.randint(0, head)), fill=shirt, width=arm)
    draw.ellipse((x - head // 2 - head // 6, shoulder - head * 2 + head // 4, x + head // 2 + head // 6,
                  shoulder), fill=skin)
    cover = rng.random()
    if cover < 0.35:  # hijab
        colour = tuple(c // dim for c in _jitter(rng.choice(_CLOTHES), rng, 20))
        draw.pieslice((x - head * 3 // 4, shoulder - head * 2, x + head * 3 // 4, shoulder + head // 2),
                      180, 360, fill=colour)
        draw.polygon([(x - head * 3 // 4, shoulder - head * 3 // 4), (x + head * 3 // 4, shoulder - head * 3 // 4),
                      (x + half, shoulder + head // 2), (x - half, shoulder + head // 2)], fill=colour)
    elif cover < 0.6:  # cap / peci
        colour = (20, 20, 25) if rng.random() < 0.5 else tuple(c // dim for c in rng.choice(_CLOTHES))
        draw.rectangle((x - head // 2 - 1, shoulder - head * 2 + head // 6, x + head // 2 + 1,
                        shoulder - head * 3 // 2), fill=colour)
    else:
        draw.chord((x - head // 2 - head // 6, shoulder - head * 2 + head // 4, x + head // 2 + head // 6,
                    shoulder - head // 2), 180, 360, fill=(25, 20, 20))
    if tool:  # broom or hoe
        draw.line((x + half + head // 2, hip - head * 2, x + half + head * 2, base), fill=(120, 90, 50),
                  width=max(2, arm // 2 + 1))


def _banner(draw: ImageDraw.ImageDraw, cx: int, top: int, width: int, text: str, rng: random.Random) -> int:
    """A cloth banner on two bamboo poles with `text` in bold capitals; returns its bottom y."""
    fill = rng.choice([(250, 250, 245), (200, 30, 40), (20, 80, 160), (250, 210, 40), (30, 120, 60)])
    ink = (20, 20, 20) if sum(fill) > 500 else (255, 255, 255)
    height = width // 6
    left, right = cx - width // 2, cx + width // 2
    pole = (150, 120, 70)
    draw.line((left - 6, top - height // 3, left - 6, top + height * 4), fill=pole, width=max(3, width // 90))
    draw.line((right + 6, top - height // 3, right + 6, top + height * 4), fill=pole, width=max(3, width // 90))
    draw.rectangle((left, top, right, top + height), fill=fill, outline=(60, 60, 60), width=2)
    size = height // 2
    font = _font(size)
    while size > 8 and draw.textlength(text, font=font) > width * 0.92:
        size -= 2
        font = _font(size)
    draw.text((cx, top + height // 2), text, font=font, fill=ink, anchor="mm")
    return top + height


def _tent(draw: ImageDraw.ImageDraw, cx: int, base: int, width: int, rng: random.Random) -> None:
    """A white/blue event tent (tenda posyandu) with a table under it."""
    roof = rng.choice([(240, 240, 240), (40, 90, 170), (220, 60, 50), (240, 200, 60)])
    height = width * 2 // 3
    left, right, top = cx - width // 2, cx + width // 2, base - height
    for px in (left, right, cx - width // 6, cx + width // 6):
        draw.line((px, top, px, base), fill=(150, 150, 150), width=max(3, width // 100))
    draw.polygon([(left - width // 12, top), (cx, top - height // 3), (right + width // 12, top)], fill=roof)
    draw.rectangle((left - width // 12, top, right + width // 12, top + height // 10), fill=roof,
                   outline=tuple(max(0, c - 40) for c in roof))
    table = base - height // 4
    draw.rectangle((left + width // 8, table, right - width // 8, table + height // 20), fill=(230, 230, 225))
    draw.rectangle((left + width // 8, table + height // 20, right - width // 8, base - height // 20),
                   fill=rng.choice([(40, 110, 60), (160, 40, 50), (40, 70, 140)]))


def _props(draw: ImageDraw.ImageDraw, scene: str, w: int, h: int, horizon: int, rng: random.Random) -> None:
    """Scene-specific extras: bunting, rice sacks, stalls, lamps."""
    if scene == "lomba":  # red-white bunting across the frame
        y = horizon - rng.randint(h // 10, h // 5)
        for i in range(0, w, 40):
            colour = (210, 30, 40) if (i // 40) % 2 == 0 else (250, 250, 250)
            sag = int(30 * (1 - ((i - w / 2) / (w / 2)) ** 2))
            draw.polygon([(i, y + sag), (i + 36, y + sag), (i + 18, y + sag + 40)], fill=colour)
    elif scene == "bansos":  # stacks of rice sacks and boxes
        base = h - rng.randint(h // 12, h // 6)
        x0 = rng.randint(w // 10, w // 2)
        for row in range(3):
            for col in range(5 - row):
                x = x0 + col * 90 + row * 45
                y = base - row * 60
                draw.rounded_rectangle((x, y - 60, x + 85, y), radius=12, fill=_jitter((235, 230, 215), rng, 8),
                                       outline=(170, 160, 140))
    elif scene == "umkm":  # market stalls with awnings
        for _ in range(rng.randint(2, 4)):
            x = rng.randint(0, w - 300)
            base = horizon + rng.randint(h // 8, h // 4)
            stripe = rng.choice([(200, 40, 40), (40, 110, 190), (40, 140, 70)])
            for s in range(6):
                draw.rectangle((x + s * 45, base - 200, x + s * 45 + 45, base - 160),
                               fill=stripe if s % 2 == 0 else (245, 245, 240))
            draw.rectangle((x + 10, base - 70, x + 260, base), fill=_jitter((160, 120, 80), rng, 15))
            for _ in range(8):
                px = x + rng.randint(20, 240)
                draw.ellipse((px, base - 95, px + 28, base - 70), fill=rng.choice(_CLOTHES))
    elif scene == "ronda":  # street lamps with glow
        for _ in range(rng.randint(2, 3)):
            x = rng.randint(50, w - 50)
            top = horizon - rng.randint(h // 6, h // 3)
            draw.ellipse((x - 90, top - 90, x + 90, top + 90), fill=(90, 75, 55))
            draw.ellipse((x - 35, top - 35, x + 35, top + 35), fill=(200, 170, 110))
            draw.line((x, top, x, horizon + 40), fill=(50, 50, 55), width=8)
            draw.ellipse((x - 14, top - 14, x + 14, top + 14), fill=(255, 240, 190))


def _smoke(img: Image.Image, horizon: int, rng: random.Random) -> Image.Image:
    """Drifting white fogging smoke: blurred ellipses blended over the lower half."""
    w, h = img.size
    mask = Image.new("L", (w // 4, h // 4), 0)  # drawn small and blurred, then stretched: cheap and soft
    draw = ImageDraw.Draw(mask)
    for _ in range(rng.randint(12, 24)):
        cx, cy = rng.randint(0, w // 4), rng.randint(horizon // 4 - h // 24, h // 4)
        r = rng.randint(10, 40)
        draw.ellipse((cx - r, cy - r // 2, cx + r, cy + r // 2), fill=rng.randint(120, 210))
    mask = mask.filter(ImageFilter.GaussianBlur(8)).resize((w, h), Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", (w, h), (236, 236, 232)), img, mask)


def _finish(img: Image.Image, rng: random.Random) -> Image.Image:
    """Make the drawing photo-like: lens softness, sensor noise, vignette and colour cast."""
    w, h = img.size
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(1.2, 1.8)))
    grain = rng.uniform(3.5, 5.0)
    # Gaussian grain from seeded uniform bytes through an inverse-CDF lookup table
    # (deterministic, and ~10x faster than Image.effect_noise per channel).
    lut = [128 + round(grain * NormalDist().inv_cdf((i + 0.5) / 256)) for i in range(256)]
    noise = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3)).point(lut * 3)
    img = ImageChops.add(img, noise, scale=1.0, offset=-128)
    vignette = Image.radial_gradient("L").resize((w, h), Image.Resampling.BILINEAR)
    vignette = vignette.point(lambda v: 255 - max(0, v - 150) // 2)
    img = ImageChops.multiply(img, Image.merge("RGB", [vignette] * 3))
    cast = Image.new("RGB", (w, h), rng.choice([(255, 236, 200), (210, 225, 255), (255, 255, 255)]))
    return Image.blend(img, ImageChops.multiply(img, cast), 0.25)


def draw_photo(seed: int, width: int = 1600, height: int = 1200, scene: str | None = None,
               *, banner: str | None = None) -> Image.Image:
    """Draw a fictional outdoor photo of a kelurahan activity.

    `seed` decides everything (scene when `scene` is None, layout, colours, RT
    numbers); the same arguments always give the same pixels.  `scene` is one
    of :data:`SCENES`; `banner` overrides the banner text.  Returns an RGB image
    of `width`×`height` with no people identifiable, because there are none.
    """
    rng = random.Random(f"photo-{seed}")
    scene = scene or rng.choice(SCENES)
    if scene not in SCENES:
        raise ValueError(f"unknown scene {scene!r}; expected one of {', '.join(SCENES)}")
    night = scene == "ronda"
    w, h = width, height
    horizon = int(h * rng.uniform(0.42, 0.55))
    img = _sky((w, h), rng, night)
    draw = ImageDraw.Draw(img)
    if not night:
        _clouds(draw, w, horizon, rng)
    _ground(img, horizon, rng, night)
    draw = ImageDraw.Draw(img)

    x = rng.randint(-w // 10, 0)  # back row: houses and trees along the horizon
    while x < w:
        if rng.random() < 0.65:
            width_house = rng.randint(w // 7, w // 4)
            _house(draw, x, horizon + rng.randint(0, h // 30), width_house, rng, night)
            x += width_house + rng.randint(w // 60, w // 15)
        else:
            size = rng.randint(h // 12, h // 6)
            _tree(draw, x + size // 2, horizon + rng.randint(0, h // 40), size, rng, night)
            x += size + rng.randint(0, w // 20)
    for _ in range(rng.randint(1, 3)):  # a big tree at the side
        side = rng.choice([rng.randint(0, w // 6), rng.randint(w * 5 // 6, w)])
        _tree(draw, side, horizon + rng.randint(h // 12, h // 5), rng.randint(h // 6, h // 4), rng, night)

    if scene in ("posyandu", "bansos", "umkm", "rapat") and rng.random() < 0.85:
        _tent(draw, rng.randint(w // 3, w * 2 // 3), horizon + rng.randint(h // 8, h // 5),
              rng.randint(w // 3, w // 2), rng)
    _props(draw, scene, w, h, horizon, rng)
    if scene == "fogging":
        img = _smoke(img, horizon, rng)
        draw = ImageDraw.Draw(img)

    text = banner or rng.choice(_BANNERS[scene]).format(rt=rng.randint(1, 12), rw=rng.randint(1, 6))
    if scene != "ronda" or rng.random() < 0.5:
        _banner(draw, rng.randint(w * 2 // 5, w * 3 // 5), horizon - rng.randint(h // 8, h // 4),
                rng.randint(w // 2, w * 3 // 4), text.upper(), rng)

    people = []  # (base y, x, height): sorted so nearer people are drawn over farther ones
    for _ in range(rng.randint(6, 16) if scene != "ronda" else rng.randint(3, 6)):
        base = rng.randint(horizon + h // 20, h + h // 10)
        depth = (base - horizon) / (h - horizon)
        people.append((base, rng.randint(0, w), int(h * (0.12 + 0.45 * depth))))
    for base, px, ph in sorted(people):
        _person(draw, px, base, ph, rng, night, tool=scene == "kerja_bakti" and rng.random() < 0.6)
    return _finish(img, rng)


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    """Absolute decimal degrees as EXIF (degrees, minutes, seconds) rationals."""
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return Fraction(degrees), Fraction(minutes), Fraction(seconds).limit_denominator(100)


def camera_exif(key: str, *, gps: bool = True, taken: datetime | None = None) -> Image.Exif:
    """Phone-camera EXIF derived from `key` (e.g. the file name): make, model,
    timestamps and, when `gps`, a fictional position near -1.5, 116.5."""
    rng = random.Random(f"exif-{key}")
    make, model = rng.choice([("samsung", "Galaxy A14"), ("Xiaomi", "Redmi Note 12"),
                              ("OPPO", "A78"), ("vivo", "Y36"), ("realme", "C55")])
    taken = taken or datetime(2026, 1, 1, 7) + timedelta(days=rng.randint(0, 330), minutes=rng.randint(0, 600))
    stamp = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0131] = "Camera"  # Software
    exif[0x0132] = stamp  # DateTime
    exif[0x0112] = 1  # Orientation: normal
    sub = exif.get_ifd(IFD.Exif)
    sub[0x9003] = stamp  # DateTimeOriginal
    sub[0x9004] = stamp  # DateTimeDigitized
    sub[0xA434] = f"{make} {model} back camera"  # LensModel
    if gps:
        lat = -1.5 + rng.uniform(-0.08, 0.08)
        lon = 116.5 + rng.uniform(-0.08, 0.08)
        info = exif.get_ifd(IFD.GPSInfo)
        info[0x0000] = b"\x02\x02\x00\x00"  # GPSVersionID
        info[0x0001] = "S" if lat < 0 else "N"
        info[0x0002] = _dms(lat)
        info[0x0003] = "E" if lon > 0 else "W"
        info[0x0004] = _dms(lon)
        info[0x0006] = Fraction(rng.randint(5, 80))  # GPSAltitude (m)
        info[0x001D] = taken.strftime("%Y:%m:%d")  # GPSDateStamp
    return exif


def save_photo(img: Image.Image, path: Path | str, gps: bool = True, *, taken: datetime | None = None) -> Path:
    """Save `img` as a JPEG (quality 85) like a phone original.

    The EXIF (make, model, date and, when `gps`, a GPS IFD with fictional
    coordinates near Kalimantan) is derived from the file name, so it is
    deterministic.  Parent folders are created.  Returns the path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = camera_exif(f"{zlib.crc32(path.name.encode())}", gps=gps, taken=taken)
    img.convert("RGB").save(path, "JPEG", quality=85, exif=exif)
    return path


def _initials(text: str) -> str:
    """Up to three initials from `text` ("Tanjung Harapan" -> "TH", "Sukamaju" -> "S")."""
    words = [w for w in text.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:3]).upper() or "?"


def draw_logo(text: str, colour: str | tuple[int, int, int], size: int = 512) -> Image.Image:
    """A simple round emblem: coloured disc, white and gold rings, a star and the
    initials of `text`.  Returns an RGBA image (transparent corners) to save as PNG."""
    rgb = ImageColor.getrgb(colour) if isinstance(colour, str) else tuple(colour)
    scale = 3  # draw large, then downsample for smooth edges
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    gold = (222, 176, 52, 255)
    draw.ellipse((0, 0, s - 1, s - 1), fill=gold)
    m = s // 28
    draw.ellipse((m, m, s - 1 - m, s - 1 - m), fill=(255, 255, 255, 255))
    m2 = m * 2
    draw.ellipse((m2, m2, s - 1 - m2, s - 1 - m2), fill=(*rgb, 255))
    c, r = s // 2, s // 9
    star = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.42
        angle = -pi / 2 + i * pi / 5
        star.append((c + radius * cos(angle), s * 0.27 + radius * sin(angle)))
    draw.polygon(star, fill=gold)
    initials = _initials(text)
    font = _font(int(s * (0.34 if len(initials) < 3 else 0.26)))
    draw.text((c, s * 0.62), initials, font=font, fill=(255, 255, 255, 255), anchor="mm")
    draw.line((s * 0.25, s * 0.80, s * 0.75, s * 0.80), fill=gold, width=s // 60)
    return img.reduce(scale)  # box-filter downsampling: smooth edges, fast
