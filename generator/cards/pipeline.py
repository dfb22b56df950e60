"""`render_cards`: every non-draft post of one kelurahan → its cards, captions, manifest, preview.

Which cards are drawn is decided by what can still use them: the Facebook card of every post
(it is the post page's `og:image`), and Instagram and TikTok only for posts that can still be
published (scheduled ones, or inside `STILL_PUBLISHABLE`). The others are drawn on first use
(`draw_missing`, called by `kelurahan publish` and `kelurahan cards --post`). `kartu.json`
lists exactly the cards that exist. One bad post (corrupt photo, odd title) is reported,
never fatal.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from generator.cards.cache import CHANNELS, CardCache, Entry, card_key, place
from generator.cards.captions import captions
from generator.cards.kept import Kept
from generator.cards.manifest import MANIFEST, card_manifest, write_manifest
from generator.cards.photo import FittedPhoto, PhotoProblem, Share, load_photo
from generator.cards.preview import write_preview
from generator.cards.render import Artwork, CardText, draw_card, encode_jpeg
from generator.cards.report import CardIssue, CardReport
from generator.cards.text import FontBook
from generator.cards.theme import Theme, load_theme
from kelurahan.dates import long_date
from kelurahan.files import file_sha256
from kelurahan.model import City, Kelurahan, Post
from kelurahan.outputs import CardManifest

log = logging.getLogger(__name__)
_STEM = re.compile(r"^\d{4}-\d{2}-\d{2}-")
# How long after its `jadwal` a post may still go out: at least `kelurahan publish`'s
# look-back (publish.social.schedule.LOOKBACK, 7 days; a test keeps this in step), with room
# for a publish job that was down for a while. Older posts are drawn lazily if ever needed.
STILL_PUBLISHABLE = dt.timedelta(days=14)


def wanted_channels(post: Post, now: dt.datetime) -> tuple[str, ...]:
    """Facebook always (the page's og:image); all three while the post can still be published."""
    return CHANNELS if post.publish_at >= now - STILL_PUBLISHABLE else ("facebook",)


@dataclass
class CardRun:
    """What every post of one kelurahan shares during a run, and each post's cache entry."""

    city: City
    kel: Kelurahan
    theme: Theme
    book: FontBook
    art: Artwork
    logo_digest: str | None
    cache: CardCache
    force: bool
    share: Share | None
    report: CardReport
    themes_dir: Path | None = None
    entries: dict[str, tuple[Post, Entry]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    kept: Kept = field(default_factory=Kept)
    digest: Callable[[Path], str] = file_sha256  # a photo's content hash


def draw_cards(city: City, kel: Kelurahan, *, now: dt.datetime, cache_dir: Path,
               force: bool = False, themes_dir: Path | None = None,
               share: Share | None = None, kept: Kept | None = None,
               digest: Callable[[Path], str] = file_sha256) -> CardRun:
    """Draw into the cache every card still usable and not there yet; `place_cards` installs them.

    Split in two so the build can draw before mkdocs (which empties the site folder) while the
    photo is decoded anyway for the site's WebP copies (`share`). `kept`: photos fitted and
    words rasterised by earlier runs of this process (a build worker's). `digest`: photo
    hashes, remembered by the build (`PhotoDigests`) instead of reading every photo again.
    """
    run = _start(city, kel, cache_dir, force, themes_dir, share, kept or Kept(), digest)
    for post in sorted(kel.posts, key=lambda p: p.stem):
        if post.publishable:  # not a draft, nor still the `kelurahan post` placeholder
            _post_cards(run, post, wanted_channels(post, now))
    return run


def fit_shared_photos(kel: Kelurahan, *, now: dt.datetime, share: Share, kept: Kept,
                      themes_dir: Path | None = None,
                      digest: Callable[[Path], str] = file_sha256) -> None:
    """Decode now each card photo `share` asks for (a new photo, whose WebP copies the site
    needs before mkdocs), fitted to its card boxes into `kept`, where `draw_cards` with the same
    `kept` finds it: the cards can then be drawn after the website, while Pagefind indexes. A
    photo that cannot be used is left for `draw_cards` to report."""
    theme = load_theme(kel.slug, themes_dir)
    for post in kel.posts:
        if not (post.publishable and post.photos):
            continue
        path = post.photos[0].path
        boxes = [theme.channels[channel].photo[2:] for channel in wanted_channels(post, now)]
        try:
            sharing = share(path)  # reads the photo's hash: a photo gone since loading raises
            if sharing is not None:
                kept.photos.put((digest(path), theme.primary),
                                FittedPhoto.of(load_photo(path, boxes, theme.primary, sharing),
                                               boxes))
        except (PhotoProblem, OSError):
            continue


def place_cards(run: CardRun, out_root: Path, now: dt.datetime) -> CardReport:
    """Cards, captions and `kartu.json` into `<out_root>/<slug>/kartu/`; the preview page last."""
    manifests = {stem: _place(run, post, entry, out_root, wanted_channels(post, now) == CHANNELS)
                 for stem, (post, entry) in run.entries.items()}
    _remove_stale(out_root / run.kel.slug / "kartu", set(manifests))
    run.cache.prune(run.keys)
    report = run.report
    report.preview = str(write_preview(
        out_root, run.city, run.kel, manifests, report.failed + report.warnings, now,
        kept={stem: entry.folder for stem, (_, entry) in run.entries.items()},
        themes_dir=run.themes_dir))
    log.info(report.summary())
    return report


def render_cards(city: City, kel: Kelurahan, out_root: Path, *, now: dt.datetime, cache_dir: Path,
                 force: bool = False, themes_dir: Path | None = None) -> CardReport:
    """Cards for every non-draft post into `<out_root>/<slug>/kartu/`; the preview page last."""
    run = draw_cards(city, kel, now=now, cache_dir=cache_dir, force=force, themes_dir=themes_dir)
    return place_cards(run, out_root, now)


def draw_missing(city: City, kel: Kelurahan, posts: list[Post], out_root: Path, *,
                 cache_dir: Path, channels: tuple[str, ...] = CHANNELS,
                 themes_dir: Path | None = None) -> CardReport:
    """Add `channels` to the cards of `posts` already built in `out_root` (first use of an old
    post's Instagram or TikTok card); `kartu.json` is rewritten to list them. Nothing else of
    the site is touched, and the cache is not pruned."""
    run = _start(city, kel, cache_dir, False, themes_dir, None, Kept())
    for post in posts:
        _post_cards(run, post, channels)
    for post, entry in run.entries.values():
        _place(run, post, entry, out_root, caption_files=False)
    return run.report


def _start(city: City, kel: Kelurahan, cache_dir: Path, force: bool, themes_dir: Path | None,
           share: Share | None, kept: Kept,
           digest: Callable[[Path], str] = file_sha256) -> CardRun:
    theme = load_theme(kel.slug, themes_dir)
    report = CardReport(kel.slug)
    logo = _load_logo(kel, report)
    return CardRun(city, kel, theme, kept.book(theme.fonts), Artwork(logo),
                   file_sha256(kel.logo) if kel.logo and logo else None, CardCache(cache_dir / kel.slug), force,
                   share, report, themes_dir, kept=kept, digest=digest)


def card_text(city: City, kel: Kelurahan, post: Post, book: FontBook) -> tuple[CardText, list[str]]:
    """What the card says, limited to characters the font can draw; warnings for what was lost."""
    warnings = []
    title = book.printable("judul", post.title)
    if not title:
        title = f"Kegiatan {kel.display_name}"
        warnings.append("judul hanya berisi emoji atau simbol yang tidak bisa dicetak di kartu; "
                        f"kartu memakai judul \u201c{title}\u201d")
    address = city.url(kel.url_path).split("://", 1)[-1].rstrip("/")
    text = CardText(
        title=title,
        date=long_date(post.date),
        name=book.printable("kepala", kel.display_name),
        subline=book.printable("biasa", f"Kecamatan {kel.district} · {city.name}"),
        footer=book.printable("biasa", address),
    )
    return text, warnings


def _post_cards(run: CardRun, post: Post, wanted: tuple[str, ...]) -> None:
    """Reuse what the cache has and draw the wanted channels it lacks."""
    text, text_warnings = card_text(run.city, run.kel, post, run.book)
    photo_path = post.photos[0].path if post.photos else None
    try:
        photo_digest = run.digest(photo_path) if photo_path else None
    except OSError:
        photo_digest = "tidak-terbaca"
    key = card_key(run.theme.fingerprint, text, photo_digest, run.logo_digest)
    run.keys.add(key)
    entry = None if run.force else run.cache.get(key)
    missing = [c for c in wanted if entry is None or c not in entry.channels]
    if missing:
        try:
            images, notes = _draw_post(run, text, photo_path, photo_digest, missing)
        except Exception as exc:  # one post must never stop the build of 59 kelurahan
            log.exception("kartu %s gagal", post.stem)
            run.report.failed.append(CardIssue(post.stem, f"gagal membuat kartu: {exc}", False))
            return
        notes["peringatan"] = text_warnings + notes["peringatan"]
        if entry is not None:
            notes["dipotong"] = sorted({*entry.notes.get("dipotong", []), *notes["dipotong"]})
        entry = run.cache.put(key, images, notes, add=entry is not None)
        run.report.rendered.append(post.stem)
    elif entry is not None:
        run.report.reused.append(post.stem)
    if entry is not None:
        _record_notes(run.report, post.stem, entry.notes)
        run.entries[post.stem] = (post, entry)


def _place(run: CardRun, post: Post, entry: Entry, out_root: Path,
           caption_files: bool) -> CardManifest:
    """The cached cards linked into the site, with captions and the manifest listing them."""
    target = out_root / post.card_dir
    fresh = place(entry, target)
    manifest = card_manifest(run.city, run.kel, post, run.theme, captions(run.city, run.kel, post),
                             entry.channels)
    write_manifest(target, manifest, caption_files=caption_files, fresh=fresh)
    return manifest


def _draw_post(run: CardRun, text: CardText, photo_path: Path | None, digest: str | None,
               channels: list[str]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The JPEGs of `channels` and the notes (failure reason, warnings) to keep in the cache."""
    notes: dict[str, Any] = {"gagal": None, "peringatan": [], "dipotong": []}
    layouts = {channel: run.theme.channels[channel] for channel in channels}
    photo = None
    if photo_path is not None:
        boxes = [layout.photo[2:] for layout in layouts.values()]
        try:
            photo = _fitted(run, photo_path, digest, boxes)
        except PhotoProblem as problem:
            if problem.broken:
                notes["gagal"] = f"{problem.reason}; kartu memakai desain tanpa foto"
            else:
                notes["peringatan"].append(problem.reason)
    images: dict[str, bytes] = {}
    for channel, layout in layouts.items():
        card = draw_card(layout, run.theme, run.book, text, photo, run.art)
        images[channel] = encode_jpeg(card.image, run.theme.quality)
        if card.shortened:
            notes["dipotong"].append(channel)
    return images, notes


def _fitted(run: CardRun, path: Path, digest: str | None,
            boxes: list[tuple[int, int]]) -> FittedPhoto:
    """The photo fitted to `boxes`: from the photos fitted lately (same content, same
    background for transparent ones), or decoded now."""
    key = (digest, run.theme.primary) if digest else None
    known = run.kept.photos.get(key, boxes) if key else None
    if known is not None:
        return known  # its WebP copies were stored when it was decoded, or the site makes them
    share = run.share(path) if run.share else None
    fitted = FittedPhoto.of(load_photo(path, boxes, run.theme.primary, share), boxes)
    if key:
        run.kept.photos.put(key, fitted)
    return fitted


def _record_notes(report: CardReport, stem: str, notes: dict[str, Any]) -> None:
    if notes.get("gagal"):
        report.failed.append(CardIssue(stem, notes["gagal"], has_cards=True))
    warnings = list(notes.get("peringatan", []))
    if notes.get("dipotong"):
        warnings.append("judul terlalu panjang, dipotong dengan \u201c…\u201d pada kartu "
                        + ", ".join(c for c in CHANNELS if c in notes["dipotong"]))
    report.warnings.extend(CardIssue(stem, w) for w in warnings)


def _load_logo(kel: Kelurahan, report: CardReport) -> Image.Image | None:
    if kel.logo is None:
        return None
    try:
        with Image.open(kel.logo) as image:
            image.draft("RGB", (512, 512))
            logo = image.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        report.warnings.append(CardIssue("logo", f"{kel.logo.name} tidak bisa dibaca; kartu tanpa logo"))
        return None
    logo.thumbnail((512, 512), Image.Resampling.LANCZOS)
    return logo


def _remove_stale(folder: Path, current: set[str]) -> None:
    """Cards of posts that were deleted or turned back into drafts must not stay public."""
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if (child.is_dir() and _STEM.match(child.name) and child.name not in current
                and (child / MANIFEST).is_file()):
            shutil.rmtree(child)
