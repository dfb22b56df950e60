"""One kelurahan's website, as an ordered list of steps from the model to `<out>/<slug>/`.

mkdocs cleans its `site_dir`, so it runs first; photos, the feed and the search index are added
to the same folder afterwards (and the pipeline adds cards and WhatsApp menus after that).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from generator.site.feed import MAX_ITEMS, kelurahan_feed
from generator.site.images import (
    LOGO_NAME,
    PHOTO_DIR,
    CopiesOnTheSide,
    Rendition,
    data_uri,
    install_photos,
    photo_key,
    prepare_photo,
    write_logo,
)
from generator.site.markup import document
from generator.site.mkdocs_site import run_mkdocs, write_config
from generator.site.pages import home_page, rel, service_pages
from generator.site.photo_digests import PhotoDigests
from generator.site.posts import post_pages
from generator.site.search import Indexing
from kelurahan.dates import short_date
from kelurahan.model import City, Kelurahan, Post
from kelurahan.outputs import FeedItem, PortalNotice, PortalPost, PortalSite
from kelurahan.photos import photo_problem

log = logging.getLogger(__name__)

LATEST_ON_HOME = 5
LATEST_ON_PORTAL = 3
DOWNLOAD_DIR = "unduhan"
MEMO_DIR = "halaman"  # beside the photo cache: each page's HTML from the last build


# Flat and short: it is rendered into each of the ~200 pages of a site.
NAV = [{"Beranda": "index.md"}, {"Layanan": "layanan/index.md"},
       {"Kegiatan": "kegiatan/index.md"}, {"Arsip": "kegiatan/arsip/index.md"},
       {"Kategori": "kegiatan/kategori/index.md"}]


def build_kelurahan_site(city: City, kel: Kelurahan, out_root: Path, *, now: dt.datetime,
                         cache_dir: Path, work_dir: Path, base_config: Path,
                         digests: PhotoDigests | None = None,
                         copies: CopiesOnTheSide | None = None) -> tuple[Indexing, list[str]]:
    """Write the website of `kel` into `out_root/<slug>/` (replacing what was there).

    The search index is still being written when this returns: call `.wait()` on the result
    (other steps can run meanwhile on the other core). The warnings name photos left out.
    `digests`: the photos' hashes, shared with the card step (saved by the caller). `copies`:
    photos whose WebP copies are being encoded on another thread, awaited before they are
    linked in.
    """
    posts = kel.published_posts(now)
    site_dir = out_root / kel.slug
    photos, warnings = _prepare_photos(posts, cache_dir, digests or PhotoDigests(cache_dir),
                                       copies)
    docs = _documents(city, kel, posts, photos, now.date())
    shutil.rmtree(work_dir, ignore_errors=True)
    (work_dir / "docs").mkdir(parents=True)  # empty: the pages are handed over in memory
    logo = write_logo(kel.logo, cache_dir) if kel.logo else None
    config = write_config(work_dir, base_config=base_config, site_name=f"Kelurahan {kel.name}",
                          site_url=city.url(kel.url_path), site_dir=site_dir, nav=NAV,
                          extra=_theme_extra(city, kel, logo, cache_dir))
    run_mkdocs(config, docs, memo=cache_dir.parent / MEMO_DIR / f"{kel.slug}.json")
    indexing = Indexing(site_dir)  # it reads only the pages, all written now
    try:
        if copies is not None:
            copies.wait()
        for renditions in photos.values():
            install_photos(renditions, cache_dir, site_dir)
        _install_files(kel, logo, site_dir)
        (site_dir / "feed.xml").write_bytes(kelurahan_feed(city, kel, posts))
        shutil.rmtree(work_dir, ignore_errors=True)
    except BaseException:
        indexing.stop()
        raise
    return indexing, warnings


def _prepare_photos(posts: list[Post], cache_dir: Path, digests: PhotoDigests,
                    copies: CopiesOnTheSide | None = None,
                    ) -> tuple[dict[Path, list[Rendition]], list[str]]:
    """Resized copies of every photo; a broken one is left out with a warning, never fails the site."""
    photos: dict[Path, list[Rendition]] = {}
    warnings = []
    for post in posts:
        for number, photo in enumerate(post.photos, start=1):
            if photo.path in photos:
                continue
            try:
                key = photo_key(digests.of(photo.path))
                photos[photo.path] = ((copies and copies.planned(key))
                                      or prepare_photo(photo.path, key, cache_dir))
            except Exception:  # any file may be fed in, and Pillow's plugins raise many kinds
                log.debug("foto %s dilewati", photo.path, exc_info=True)
                reason = _photo_reason(photo.path)
                warnings.append(f"{post.source}: foto #{number}: {photo.src}: foto {reason}; "
                                "kegiatan ini tampil tanpa foto itu")
    return photos, warnings


def _photo_reason(path: Path) -> str:
    try:
        return photo_problem(path) or "tidak bisa dibaca"
    except OSError as exc:
        return f"tidak dapat dibaca ({exc.strerror or exc})"


def _theme_extra(city: City, kel: Kelurahan, logo: Path | None, cache_dir: Path) -> dict:
    """What the layout (themes/site/main.html) shows besides the page itself."""
    return {"kota": city.name, "kecamatan": kel.district, "alamat": kel.address,
            "root": urlsplit(city.url(kel.url_path)).path, "portal": urlsplit(city.url()).path,
            "logo": LOGO_NAME if logo else None, "logo_data": data_uri(logo) if logo else None,
            "deskripsi": f"Situs resmi Kelurahan {kel.name}, Kecamatan {kel.district}, {city.name}.",
            "jinja_cache": str(cache_dir.parent / "jinja")}


def _install_files(kel: Kelurahan, logo: Path | None, site_dir: Path) -> None:
    """The header logo (also the favicon) and the forms services offer for download."""
    if logo:
        shutil.copyfile(logo, site_dir / LOGO_NAME)
    for download in {d.path for s in kel.services for d in s.downloads}:
        (site_dir / DOWNLOAD_DIR).mkdir(exist_ok=True)
        shutil.copyfile(download, site_dir / DOWNLOAD_DIR / download.name)


def _documents(city: City, kel: Kelurahan, posts: list[Post],
               photos: dict[Path, list[Rendition]], today: dt.date) -> dict[str, str]:
    latest = [(rel("", f"kegiatan/{p.stem}/"), p.title, short_date(p.date))
              for p in posts[:LATEST_ON_HOME]]
    docs = home_page(kel, latest, today)
    docs.update(service_pages(kel))
    docs.update(post_pages(city, kel, posts,
                           lambda post: [(photos[p.path], p) for p in post.photos if p.path in photos]))
    docs["cari.md"] = document(
        {"title": "Cari", "description": f"Cari layanan dan kegiatan Kelurahan {kel.name}"},
        ["# Cari", "<p>Ketik kata kunci di kotak pencarian di atas, misalnya <em>ktp</em> atau "
         "<em>pindah</em>.</p>", "<noscript><p>Pencarian memerlukan JavaScript. Lihat "
         '<a href="../layanan/">daftar layanan</a> atau <a href="../kegiatan/">semua kegiatan</a>.'
         "</p></noscript>"])
    return docs


def summarise(city: City, kel: Kelurahan, posts: list[Post], now: dt.datetime,
              photo_cache: Path | None = None, digests: PhotoDigests | None = None) -> PortalSite:
    """What the portal needs; with `photo_cache` the latest posts get their thumbnails."""
    latest = posts[0] if posts else None
    photos = {}
    if photo_cache:
        photos = _prepare_photos(posts[:LATEST_ON_PORTAL], photo_cache,
                                 digests or PhotoDigests(photo_cache))[0]
    return PortalSite(
        slug=kel.slug, name=kel.name, district=kel.district, whatsapp=kel.whatsapp_link(),
        latest_date=latest.date.isoformat() if latest else None,
        latest_title=latest.title if latest else None,
        latest_path=latest.url_path if latest else None,
        services=tuple((s.number, s.title, s.url_path) for s in kel.services),
        feed_items=tuple(FeedItem(title=p.title, link=city.url(p.url_path),
                                  date=p.publish_at.isoformat(), summary=p.summary or p.title,
                                  kelurahan=kel.name) for p in posts[:MAX_ITEMS]),
        latest=tuple(_portal_post(p, photos) for p in posts[:LATEST_ON_PORTAL]),
        notices=tuple(PortalNotice(title=a.title, until=a.valid_until.isoformat(),
                                   path=kel.url_path)
                      for a in kel.current_announcements(now.date()) if a.important),
    )


def _portal_post(post: Post, photos: dict[Path, list[Rendition]]) -> PortalPost:
    first = photos.get(post.photos[0].path) if post.photos else None
    thumb = f"{post.kelurahan}/{PHOTO_DIR}/{first[0].name}" if first else ""
    return PortalPost(title=post.title, path=post.url_path, date=post.date.isoformat(),
                      thumb=thumb, width=str(first[0].width) if first else "",
                      height=str(first[0].height) if first else "")
