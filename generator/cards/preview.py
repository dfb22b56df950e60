"""`<slug>/kartu/index.html`: the lurah checks this week's cards and captions before they go out.

One light page like every page of the site (≤ 16 KB for the first view on a phone): small copies
of the cards (`generator/cards/small.py`), fetched after the page has loaded as they come into
view by the site's own inline script (so the web server's Content-Security-Policy hash fits), each
linking to the full card. No external resources; everything is linked relatively so the page
works from the built site and from a copied folder alike.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from html import escape
from pathlib import Path

from generator.cards.manifest import write_text_if_changed
from generator.cards.report import CardIssue
from generator.cards.small import small_copies
from generator.site.images import Rendition, lazy_img
from kelurahan.dates import local_time, long_date
from kelurahan.model import City, Kelurahan, Post
from kelurahan.outputs import CHANNEL_LABELS, CardImage, CardManifest, Channel
from kelurahan.resources import bundled_root

ARCHIVE_SIZE = 12
_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;overflow-wrap:anywhere;background:#f4f5f4;color:#1b1b1b}
header,main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.5em 0 .5em}
section.post{background:#fff;border-radius:8px;padding:16px;margin:16px 0;box-shadow:0 1px 3px #0002}
.cards{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure{margin:0;flex:0 1 232px;min-width:0}
figure img{width:100%;height:auto;border:1px solid #ddd;border-radius:4px}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f7f7;padding:8px;font:14px/1.4 system-ui,sans-serif}
.issue{background:#fff4d6;border-left:4px solid #e0a800;padding:8px 12px}
.meta{color:#555}
"""


def write_preview(out_root: Path, city: City, kel: Kelurahan, manifests: dict[str, CardManifest],
                  issues: list[CardIssue], now: dt.datetime, *, kept: dict[str, Path] | None = None,
                  themes_dir: Path | None = None) -> Path:
    """Write the preview page and the small copies of the cards it shows; returns its path.

    `kept`: each post's card cache entry, where its small copies are kept between builds.
    """
    posts = [p for p in kel.posts if p.stem in manifests]
    current, upcoming, older = _by_week(posts, now)
    if not current and not upcoming and older:
        current, older = older[:1], older[1:]
    shown = {p.stem for p in current + upcoming}
    kept = kept or {}
    small = {stem: small_copies(out_root / kel.slug / "kartu" / stem, {
        channel: kept.get(stem) for channel in manifest.images} if stem in shown else {})
        for stem, manifest in manifests.items()}
    parts = [_head(kel, city), _issues(issues),
             _section("Kartu minggu ini", current, manifests, small, city, now),
             _section("Terjadwal berikutnya", upcoming, manifests, small, city, now),
             _archive(older[:ARCHIVE_SIZE], manifests),
             f"</main>{site_script(themes_dir)}</body></html>\n"]
    path = out_root / kel.slug / "kartu" / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_if_changed(path, "".join(parts))
    return path


def _by_week(posts: list[Post], now: dt.datetime) -> tuple[list[Post], list[Post], list[Post]]:
    """Posts of the week containing `now` (Monday–Sunday, city time), later ones, earlier ones."""
    local = now.astimezone(posts[0].publish_at.tzinfo) if posts else now
    monday = dt.datetime.combine(local.date() - dt.timedelta(days=local.weekday()), dt.time(),
                                 local.tzinfo)
    week_end = monday + dt.timedelta(days=7)
    ordered = sorted(posts, key=lambda p: (p.publish_at, p.stem))
    current = [p for p in ordered if monday <= p.publish_at < week_end]
    upcoming = [p for p in ordered if p.publish_at >= week_end]
    older = [p for p in reversed(ordered) if p.publish_at < monday]
    return current, upcoming, older


def _head(kel: Kelurahan, city: City) -> str:
    title = f"Pratinjau kartu media sosial — {kel.display_name}"
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex"><link rel="icon" href="data:,">'
        f'<meta name="description" content="Kartu media sosial {escape(kel.display_name)} '
        'dan keterangannya, untuk diperiksa sebelum terbit.">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style>"
        "<noscript><style>img.nanti{display:none}</style></noscript></head><body>"
        f"<header><h1>{escape(title)}</h1><p class=\"meta\">{escape(city.name)} · "
        "Periksa gambar dan keterangan sebelum terbit. Kartu dibuat ulang otomatis "
        "setiap kali situs dibangun.</p></header><main>"
    )


def _issues(issues: list[CardIssue]) -> str:
    if not issues:
        return ""
    items = "".join(f"<li>{escape(str(issue))}</li>" for issue in issues)
    return f'<div class="issue"><strong>Perlu diperiksa:</strong><ul>{items}</ul></div>'


def site_script(themes_dir: Path | None) -> str:
    """The site's one inline script (search + photo loader), byte for byte, so the hash in the
    web server's Content-Security-Policy allows it here too; from the city's own theme if any."""
    folder = themes_dir / "site" if themes_dir else None
    if folder is None or not (folder / "partials" / "skrip.html").is_file():
        folder = bundled_root() / "themes" / "site"
    return _render_script(folder)


@lru_cache(maxsize=4)
def _render_script(folder: Path) -> str:
    from jinja2 import Environment, FileSystemLoader

    return Environment(loader=FileSystemLoader(folder)).get_template(
        "partials/skrip.html").render()


Small = dict[str, dict[Channel, Rendition]]


def _section(heading: str, posts: list[Post], manifests: dict[str, CardManifest], small: Small,
             city: City, now: dt.datetime) -> str:
    if not posts:
        return f"<h2>{escape(heading)}</h2><p>Tidak ada.</p>"
    return f"<h2>{escape(heading)}</h2>" + "".join(
        _post(p, manifests[p.stem], small[p.stem], city, now) for p in posts)


def _post(post: Post, manifest: CardManifest, small: dict[Channel, Rendition], city: City,
          now: dt.datetime) -> str:
    when = f"{long_date(post.publish_at.date())} pukul {local_time(post.publish_at, city.timezone)}"
    state = "sudah terbit" if post.publish_at <= now else "terjadwal"
    channels = ", ".join(post.channels) or "tidak ada (hanya situs)"
    captions = manifest.captions
    tiktok = captions.tiktok
    texts = {"facebook": captions.facebook, "instagram": captions.instagram,
             "tiktok": f"{tiktok.title}\n\n{tiktok.description}"}
    figures = "".join(_figure(post, channel, image, small.get(channel), texts[channel])
                      for channel, image in manifest.images.items())
    return (f'<section class="post" id="{escape(post.stem)}"><h3>{escape(post.title)}</h3>'
            f'<p class="meta">{escape(when)} ({state}) · terbit ke: {escape(channels)} · '
            f'<a href="{escape(manifest.url)}">halaman kegiatan</a></p>'
            f'<div class="cards">{figures}</div>{_not_drawn(post, manifest)}</section>')


def _not_drawn(post: Post, manifest: CardManifest) -> str:
    """Old posts have only their Facebook card; say how to get the others."""
    missing = [label for channel, label in CHANNEL_LABELS.items() if channel not in manifest.images]
    if not missing:
        return ""
    command = f"kelurahan cards --only {manifest.kelurahan} --post {post.stem}"
    return (f'<p class="meta">Kartu {" dan ".join(missing)} untuk kegiatan lama dibuat saat '
            f"diperlukan (otomatis oleh <code>kelurahan publish</code>, atau dengan "
            f"<code>{escape(command)}</code>).</p>")


def _figure(post: Post, channel: Channel, image: CardImage, small: Rendition | None,
            caption: str) -> str:
    """The small copy (or the card itself if no copy could be made), linking to the card."""
    shown = small or Rendition(post.stem, image.file, image.width, image.height)
    return (f'<figure><figcaption><strong>{CHANNEL_LABELS[channel]}</strong> '
            f'({image.width}×{image.height})</figcaption>'
            f'<a href="{escape(post.stem)}/{escape(image.file)}">'
            f'{lazy_img(shown, f"{post.stem}/", f"Kartu {channel} untuk {post.title}")}</a>'
            f"<pre>{escape(caption)}</pre></figure>")


def _archive(posts: list[Post], manifests: dict[str, CardManifest]) -> str:
    """Links to the cards that exist (old posts usually have only the Facebook one)."""
    if not posts:
        return ""
    items = "".join(
        f'<li>{escape(long_date(p.date))}: {escape(p.title)} — ' + " · ".join(
            f'<a href="{escape(p.stem)}/{escape(image.file)}">{CHANNEL_LABELS[channel]}</a>'
            for channel, image in manifests[p.stem].images.items()) + "</li>"
        for p in posts)
    return f"<h2>Kartu sebelumnya</h2><ul>{items}</ul>"
