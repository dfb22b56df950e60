"""`render_cards`: every non-draft post of one kelurahan → three cards, captions, manifest, preview.

Scheduled (future) posts get cards too: publishing needs the image at its public URL before
the scheduled time. One bad post (corrupt photo, odd title) is reported, never fatal.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from generator.cards.cache import CardCache, card_key, file_digest, place
from generator.cards.captions import captions
from generator.cards.manifest import MANIFEST, card_manifest, write_manifest
from generator.cards.photo import PhotoProblem, load_photo
from generator.cards.preview import write_preview
from generator.cards.render import Artwork, CardText, draw_card, encode_jpeg
from generator.cards.report import CardIssue, CardReport
from generator.cards.text import FontBook
from generator.cards.theme import Theme, load_theme
from kelurahan.dates import long_date
from kelurahan.model import City, Kelurahan, Post
from kelurahan.outputs import CardManifest

log = logging.getLogger(__name__)
_STEM = re.compile(r"^\d{4}-\d{2}-\d{2}-")


@dataclass
class _Run:
    """What every post of one kelurahan shares during a run."""

    city: City
    kel: Kelurahan
    out_root: Path
    theme: Theme
    book: FontBook
    art: Artwork
    logo_digest: str | None
    cache: CardCache
    force: bool
    report: CardReport
    manifests: dict[str, CardManifest] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)


def render_cards(city: City, kel: Kelurahan, out_root: Path, *, now: dt.datetime, cache_dir: Path,
                 force: bool = False, themes_dir: Path | None = None) -> CardReport:
    """Cards for every publishable post into `<out_root>/<slug>/kartu/`; the preview page last."""
    theme = load_theme(kel.slug, themes_dir)
    report = CardReport(kel.slug)
    logo = _load_logo(kel, report)
    run = _Run(city, kel, out_root, theme, FontBook(theme.fonts), Artwork(logo),
               file_digest(kel.logo) if logo else None, CardCache(cache_dir / kel.slug), force,
               report)
    for post in sorted(kel.posts, key=lambda p: p.stem):
        if post.publishable:  # not a draft, nor still the `kelurahan post` placeholder
            _post_cards(run, post)
    _remove_stale(out_root / kel.slug / "kartu", set(run.manifests))
    run.cache.prune(run.keys)
    issues = report.failed + report.warnings
    report.preview = str(write_preview(out_root, city, kel, run.manifests, issues, now))
    log.info(report.summary())
    return report


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


def _post_cards(run: _Run, post: Post) -> None:
    text, text_warnings = card_text(run.city, run.kel, post, run.book)
    photo_path = post.photos[0].path if post.photos else None
    try:
        photo_digest = file_digest(photo_path)
    except OSError:
        photo_digest = "tidak-terbaca"
    key = card_key(run.theme.fingerprint, text, photo_digest, run.logo_digest)
    target = run.out_root / post.card_dir
    run.keys.add(key)
    notes = None if run.force else run.cache.get(key)
    if notes is not None:
        place(run.cache.entry(key), target)
        run.report.reused.append(post.stem)
    else:
        try:
            images, notes = _draw_post(run, text, photo_path)
        except Exception as exc:  # one post must never stop the build of 59 kelurahan
            log.exception("kartu %s gagal", post.stem)
            run.report.failed.append(CardIssue(post.stem, f"gagal membuat kartu: {exc}", False))
            return
        notes["peringatan"] = text_warnings + notes["peringatan"]
        place(run.cache.put(key, images, notes), target)
        run.report.rendered.append(post.stem)
    _record_notes(run.report, post.stem, notes)
    manifest = card_manifest(run.city, run.kel, post, run.theme, captions(run.city, run.kel, post))
    write_manifest(target, manifest)
    run.manifests[post.stem] = manifest


def _draw_post(run: _Run, text: CardText, photo_path: Path | None) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The three JPEGs and the notes (failure reason, warnings) to keep with them in the cache."""
    notes: dict[str, Any] = {"gagal": None, "peringatan": []}
    photo = None
    if photo_path is not None:
        boxes = [layout.photo[2:] for layout in run.theme.channels.values()]
        try:
            photo = load_photo(photo_path, boxes, run.theme.primary)
        except PhotoProblem as problem:
            if problem.broken:
                notes["gagal"] = f"{problem.reason}; kartu memakai desain tanpa foto"
            else:
                notes["peringatan"].append(problem.reason)
    images: dict[str, bytes] = {}
    shortened = []
    for channel, layout in run.theme.channels.items():
        card = draw_card(layout, run.theme, run.book, text, photo, run.art)
        images[channel] = encode_jpeg(card.image, run.theme.quality)
        if card.shortened:
            shortened.append(channel)
    if shortened:
        notes["peringatan"].append(
            f"judul terlalu panjang, dipotong dengan \u201c…\u201d pada kartu {', '.join(shortened)}")
    return images, notes


def _record_notes(report: CardReport, stem: str, notes: dict[str, Any]) -> None:
    if notes.get("gagal"):
        report.failed.append(CardIssue(stem, notes["gagal"], has_cards=True))
    report.warnings.extend(CardIssue(stem, w) for w in notes.get("peringatan", []))


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
