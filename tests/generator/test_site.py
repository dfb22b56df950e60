"""What one build of the small fixture city puts in site/: pages, photos, feed, portal."""

from __future__ import annotations

import hashlib
from pathlib import Path

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from PIL.ExifTags import IFD

from tests.conftest import make_content, write
from tests.generator.site_support import gps_photo, html_files, run_build

DRAFT = """\
---
judul: Rencana Rahasia Draf
tanggal: 2026-11-18
draf: ya
---
Belum boleh tayang.
"""

SCHEDULED = """\
---
judul: Lomba Kebersihan Antar RT
tanggal: 2026-11-20
jadwal: 2026-11-30T09:00
---
Akan tayang nanti.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("site")
    content = make_content(root)
    gps_photo(content / "sukamaju" / "media" / "2026-11-16-kerja-bakti-1.jpg")
    write(content / "sukamaju" / "kegiatan" / "2026-11-18-rencana.md", DRAFT)
    write(content / "sukamaju" / "kegiatan" / "2026-11-20-lomba.md", SCHEDULED)
    out = root / "site"
    run_build(content, out)
    return content, out


def test_output_layout(built: tuple[Path, Path]) -> None:
    _, site = built
    for path in ["index.html", "feed.xml", "sukamaju/index.html", "sukamaju/feed.xml",
                 "sukamaju/layanan/ktp-el/index.html", "sukamaju/layanan/kk/index.html",
                 "sukamaju/kegiatan/index.html",
                 "sukamaju/kegiatan/2026-11-16-kerja-bakti/index.html",
                 "sukamaju/kegiatan/arsip/index.html",
                 "sukamaju/kegiatan/kategori/index.html",
                 "sukamaju/pagefind/pagefind.js", "sukamaju/whatsapp/menu.json",
                 "sukamaju/kartu/2026-11-16-kerja-bakti/facebook.jpg"]:
        assert (site / path).is_file(), path


def test_photos_are_resized_webp_without_exif_and_originals_never_copied(
        built: tuple[Path, Path]) -> None:
    content, site = built
    original = content / "sukamaju" / "media" / "2026-11-16-kerja-bakti-1.jpg"
    assert Image.open(original).getexif().get_ifd(IFD.GPSInfo)  # the camera wrote a position
    photos = sorted((site / "sukamaju" / "foto").iterdir())
    assert [Image.open(p).size for p in photos] == [(160, 120), (480, 360), (960, 720)]
    for photo in photos:
        image = Image.open(photo)
        assert image.format == "WEBP"
        assert not image.getexif(), photo.name
        assert "exif" not in image.info and "xmp" not in image.info
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    every = [p for p in site.rglob("*") if p.is_file()]
    assert not [p for p in every if hashlib.sha256(p.read_bytes()).hexdigest() == digest]
    assert not [p for p in every if p.suffix.lower() in {".jpg", ".jpeg"} and "kartu" not in p.parts]


def test_post_page_has_photo_srcset_and_open_graph_card(built: tuple[Path, Path]) -> None:
    _, site = built
    page = (site / "sukamaju/kegiatan/2026-11-16-kerja-bakti/index.html").read_text("utf-8")
    card = "https://kelurahan.kotauji.example/sukamaju/kartu/2026-11-16-kerja-bakti/facebook.jpg"
    assert f'<meta property="og:image" content="{card}">' in page
    assert f'<meta name="twitter:image" content="{card}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    assert ('<meta property="og:url" content="https://kelurahan.kotauji.example/sukamaju/'
            'kegiatan/2026-11-16-kerja-bakti/">') in page
    assert '<meta property="og:title" content="Kerja Bakti Bersih Sungai">' in page
    assert 'srcset="../../foto/' in page and '-960.webp 960w"' in page
    assert "Senin, 16 November 2026" in page


def test_every_page_links_the_feed_and_no_third_party_asset(built: tuple[Path, Path]) -> None:
    _, site = built
    pages = html_files(site / "sukamaju")
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text("utf-8")
        assert '<link rel="alternate" type="application/rss+xml"' in text, page
        assert "fonts.googleapis" not in text and "cdn." not in text, page
        assert '<html lang="id"' in text, page
    assert '<link rel="alternate" type="application/rss+xml"' in (site / "index.html").read_text()


def test_feed_is_rss_2_with_published_posts_only(built: tuple[Path, Path]) -> None:
    _, site = built
    feed = feedparser.parse((site / "sukamaju" / "feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.version == "rss20"
    assert [e.title for e in feed.entries] == ["Kerja Bakti Bersih Sungai"]
    entry = feed.entries[0]
    assert entry.link == "https://kelurahan.kotauji.example/sukamaju/kegiatan/2026-11-16-kerja-bakti/"
    assert entry.id == entry.link
    assert entry.published == "Mon, 16 Nov 2026 09:00:00 +0800"
    assert entry.summary == "Warga RT 03 membersihkan sungai."
    city = feedparser.parse((site / "feed.xml").read_bytes())
    assert [e.title for e in city.entries] == ["Kerja Bakti Bersih Sungai (Kelurahan Sukamaju)"]


def test_drafts_are_nowhere_and_future_posts_not_on_the_website(built: tuple[Path, Path]) -> None:
    _, site = built
    assert not (site / "sukamaju/kegiatan/2026-11-18-rencana").exists()
    assert not (site / "sukamaju/kegiatan/2026-11-20-lomba").exists()
    for path in [p for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".xml", ".json"}]:
        assert "Rencana Rahasia Draf" not in path.read_text("utf-8"), path
    website = [*html_files(site), *site.rglob("*.xml")]
    assert len(website) > 10
    for path in website:
        assert "Lomba Kebersihan" not in path.read_text("utf-8"), path


def test_service_page_checklist_cost_and_prefilled_whatsapp(built: tuple[Path, Path]) -> None:
    _, site = built
    page = (site / "sukamaju/layanan/ktp-el/index.html").read_text("utf-8")
    assert ('<li><input type="checkbox" id="syarat-1" aria-labelledby="syarat-1-teks">'
            '<label for="syarat-1"></label><span id="syarat-1-teks">Surat pengantar RT/RW</span></li>') in page
    assert '<span id="syarat-2-teks">Fotokopi Kartu Keluarga</span></li>' in page
    assert "<tr><th>Biaya</th><td>Gratis</td></tr>" in page
    assert "<tr><th>Waktu penyelesaian</th><td>1 hari kerja</td></tr>" in page
    assert ('href="https://wa.me/6281200001001?text=Halo%2C%20saya%20ingin%20bertanya%20tentang'
            '%20Surat%20Pengantar%20KTP-el"') in page


def test_home_page_profile(built: tuple[Path, Path]) -> None:
    _, site = built
    page = (site / "sukamaju/index.html").read_text("utf-8")
    for fact in ["<tr><th>Lurah</th><td>Hj. Rina Marlina, S.Sos.</td></tr>",
                 "<tr><th>Jumlah penduduk</th><td>12.450 jiwa</td></tr>",
                 "<tr><th>Jumlah RT / RW</th><td>24 RT / 6 RW</td></tr>",
                 "<tr><th>Batas utara</th><td>Sungai Kecil</td></tr>",
                 '<a class="tombol-wa" href="https://wa.me/6281200001001">',
                 '<a href="https://instagram.com/kel.sukamaju" rel="me">Instagram</a>']:
        assert fact in page


def test_portal_lists_each_kelurahan_and_the_services_index(built: tuple[Path, Path]) -> None:
    _, site = built
    portal = (site / "index.html").read_text("utf-8")
    assert '<h3>Kecamatan Kota Baru</h3>\n<ul class="daftar">\n\n<li><a href="sukamaju/">Kelurahan Sukamaju</a>' in portal
    assert ('<small>Kegiatan terakhir 16 November 2026: '
            '<a href="sukamaju/kegiatan/2026-11-16-kerja-bakti/">Kerja Bakti Bersih Sungai</a></small>') in portal
    assert '<a class="kontak" href="https://wa.me/6281200001001">' in portal
    assert ('<li><strong>Surat Pengantar KTP-el</strong>: '
            '<a href="sukamaju/layanan/ktp-el/">Sukamaju</a></li>') in portal


def test_preview_server_gzips_text_like_a_real_host(built: tuple[Path, Path]) -> None:
    import gzip
    import threading
    import urllib.request

    from generator.preview import make_server

    _, site = built
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sukamaju/"
    try:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()) == (site / "sukamaju/index.html").read_bytes()
        with urllib.request.urlopen(url) as response:
            assert response.headers["Content-Encoding"] is None
            assert response.read() == (site / "sukamaju/index.html").read_bytes()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_preview_server_always_redirects_a_folder_without_its_slash(
        built: tuple[Path, Path], encoding: str) -> None:
    """`/sukamaju` must become `/sukamaju/`, or relative links resolve against `/`."""
    import http.client
    import threading

    from generator.preview import make_server

    _, site = built
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    try:
        connection.request("GET", "/sukamaju?q=1", headers={"Accept-Encoding": encoding})
        response = connection.getresponse()
        response.read()
        assert (response.status, response.headers["Location"]) == (301, "/sukamaju/?q=1")
    finally:
        connection.close()
        server.shutdown()
        server.server_close()


def test_serve_refuses_before_a_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kelurahan.cli import main

    assert main(["serve", "--out", str(tmp_path / "kosong")]) == 1
    assert capsys.readouterr().err.strip() == (
        f"Gagal: {tmp_path / 'kosong'}/index.html belum ada; jalankan 'kelurahan build' dulu")


def test_archive_by_month_and_categories(built: tuple[Path, Path]) -> None:
    _, site = built
    archive = (site / "sukamaju/kegiatan/arsip/index.html").read_text("utf-8")
    assert '<h2 id="2026-11">November 2026</h2>' in archive
    assert '<a href="../2026-11-16-kerja-bakti/">Kerja Bakti Bersih Sungai</a>' in archive
    categories = (site / "sukamaju/kegiatan/kategori/index.html").read_text("utf-8")
    assert '<h2 id="kebersihan">Kebersihan</h2>' in categories
    assert '<a href="../2026-11-16-kerja-bakti/">Kerja Bakti Bersih Sungai</a>' in categories
    post = (site / "sukamaju/kegiatan/2026-11-16-kerja-bakti/index.html").read_text("utf-8")
    assert '<a href="../kategori/#kebersihan">Kebersihan</a>' in post


@pytest.mark.parametrize(("width", "expected"), [
    (4000, [(160, 120), (480, 360), (960, 720)]),
    (700, [(160, 120), (480, 360), (700, 525)]),
    (160, [(160, 120)]),
    (120, [(120, 90)]),
])
def test_each_photo_copy_is_listed_and_nothing_else_is_kept(tmp_path: Path, width: int,
                                                             expected: list[tuple[int, int]]):
    """Copies are made from the next larger one (a third of the resizing of three copies from
    the original); a photo narrower than a width is kept at its own size, once."""
    from generator.site.images import cached_file, planned_renditions, prepare_photo
    from tests.generator.cards_support import detailed_photo

    photo = tmp_path / "foto.jpg"
    detailed_photo((width, width * 3 // 4)).save(photo, quality=90)
    renditions = prepare_photo(photo, "kunci", tmp_path / "cache")
    assert [(r.width, r.height) for r in renditions] == expected
    assert planned_renditions("kunci", (width, width * 3 // 4)) == renditions  # known beforehand
    for rendition in renditions:
        with Image.open(cached_file(tmp_path / "cache", rendition)) as image:
            assert image.format == "WEBP" and image.size == (rendition.width, rendition.height)
    folder = cached_file(tmp_path / "cache", renditions[0]).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [r.name for r in renditions] + ["sizes.txt"])


def test_copies_encoded_on_the_side_are_the_copies_the_pages_were_given(tmp_path: Path) -> None:
    """A one-post build renders the pages while the new photo's copies are encoded on another
    thread: the names and sizes handed to the pages at once are those of the files written."""
    import threading

    from generator.site.images import CopiesOnTheSide, cached_file, prepare_photo
    from tests.generator.cards_support import detailed_photo

    photo = tmp_path / "foto.jpg"
    detailed_photo((1600, 1200)).save(photo, quality=90)
    with Image.open(photo) as image, CopiesOnTheSide(tmp_path / "cache") as copies:
        image.load()
        copies.store(photo, "baru", image)
        planned = copies.planned("baru")
        copies.wait()
    assert planned is not None and copies.planned("lain") is None
    assert prepare_photo(photo, "baru", tmp_path / "cache") == planned  # read back, on disk
    for rendition in planned:
        with Image.open(cached_file(tmp_path / "cache", rendition)) as copy:
            assert copy.size == (rendition.width, rendition.height)
    assert not [t for t in threading.enumerate() if t.name.startswith("webp")]


def test_a_copy_that_cannot_be_written_on_the_side_is_raised_not_lost(tmp_path: Path) -> None:
    """The pages already name the copies: if they cannot be written (the cache folder is not a
    folder, a full disk), the site step fails instead of linking files that are not there."""
    from generator.site.images import CopiesOnTheSide
    from tests.generator.cards_support import detailed_photo

    blocked = tmp_path / "cache"
    blocked.write_text("bukan folder", "utf-8")
    with CopiesOnTheSide(blocked) as copies:
        copies.store(tmp_path / "foto.jpg", "baru", detailed_photo((800, 600)))
        with pytest.raises(NotADirectoryError):
            copies.wait()
    assert blocked.read_text("utf-8") == "bukan folder"


def test_a_wide_gamut_photo_is_converted_to_srgb_for_the_site(tmp_path: Path) -> None:
    """Copies made by the site itself (a post's second photo) are colour-managed like those
    made from the card step's decode: a Display-P3 photo shown as sRGB would look dull."""
    from generator.site.images import cached_file, prepare_photo
    from kelurahan.srgb import to_srgb
    from tests.colour_support import wide_gamut_profile

    profile = wide_gamut_profile()
    photo = tmp_path / "p3.jpg"
    Image.new("RGB", (1200, 900), (200, 100, 50)).save(photo, quality=95, icc_profile=profile)
    expected = to_srgb(Image.open(photo).convert("RGB"), (255, 255, 255), profile).getpixel((600, 450))
    assert max(abs(a - b) for a, b in zip(expected, (200, 100, 50), strict=True)) > 15
    for rendition in prepare_photo(photo, "p3", tmp_path / "cache"):
        with Image.open(cached_file(tmp_path / "cache", rendition)) as copy:
            got = copy.convert("RGB").getpixel((copy.width // 2, copy.height // 2))
            assert "icc_profile" not in copy.info
        assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= 4, (got, expected)


def test_a_transparent_picture_gets_the_same_site_copies_whichever_step_decodes_it(
        tmp_path: Path) -> None:
    """A poster with a transparent background is shown on white on the site, whether its copies
    come from the card step's decode (a first build) or from the site's own (a post's second
    picture): before, the card step's copies had the theme colour behind them. Its card still
    puts it on the theme colour."""
    from generator.cards.photo import Sharing, load_photo
    from generator.site.images import cached_file, prepare_photo, store_copies

    poster = tmp_path / "poster.png"
    image = Image.new("RGBA", (1200, 900), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (300, 200, 900, 700))
    image.save(poster)
    theme = (15, 92, 74)
    handed: list[Image.Image] = []
    card = load_photo(poster, [(640, 630)], theme, Sharing(960, handed.append))
    assert card.image.getpixel((5, 5)) == theme
    store_copies(poster, "kartu", tmp_path / "from-card", handed[0])
    from_card = prepare_photo(poster, "kartu", tmp_path / "from-card")  # read back, not re-encoded
    from_site = prepare_photo(poster, "situs", tmp_path / "from-site")
    assert [(r.width, r.height) for r in from_card] == [(r.width, r.height) for r in from_site]
    for one, other in zip(from_card, from_site, strict=True):
        with (Image.open(cached_file(tmp_path / "from-card", one)) as a,
              Image.open(cached_file(tmp_path / "from-site", other)) as b):
            for x, y in ((2, 2), (a.width // 2, a.height // 2)):
                left, right = a.convert("RGB").getpixel((x, y)), b.convert("RGB").getpixel((x, y))
                assert max(abs(p - q) for p, q in zip(left, right, strict=True)) <= 4, (x, y)
            assert min(a.convert("RGB").getpixel((2, 2))) >= 250  # white, not the theme colour


_SEGMENTS = st.lists(st.sampled_from(["kegiatan", "layanan", "kk", "foto", "arsip", "a", "b",
                                      "2026-11-16-kerja-bakti", "#kebersihan", "x.webp"]),
                     max_size=4)


@given(here=_SEGMENTS, there=_SEGMENTS, folder=st.booleans())
def test_relative_links_are_what_posixpath_would_give(here: list[str], there: list[str],
                                                      folder: bool) -> None:
    """Every link on every page goes through `rel`, computed by segments without asking the
    OS for the working folder: the same answer as `posixpath.relpath`, for any two pages."""
    import posixpath

    from generator.site.pages import rel

    from_dir = "/".join(here) + ("/" if here else "")
    to_path = "/".join(there) + ("/" if folder and there else "")
    expected = posixpath.relpath(to_path or ".", from_dir or ".")
    expected = "./" if expected == "." else expected + ("/" if to_path.endswith("/") else "")
    assert rel(from_dir, to_path) == expected


def test_the_city_feed_is_the_newest_posts_of_all_kelurahan(sample_city) -> None:
    """Each site handed the portal only its 10 newest posts, so a kelurahan posting often
    pushed the others' newer posts out of the city's 30."""
    import datetime as dt

    from kelurahan import load_valid
    from tests.conftest import SAMPLE_NOW

    city = load_valid(sample_city.content)
    now = dt.datetime.fromisoformat(SAMPLE_NOW)
    posts = sorted((p for kel in city.kelurahan for p in kel.published_posts(now)),
                   key=lambda p: p.publish_at, reverse=True)
    assert len(posts) > 30
    feed = feedparser.parse((sample_city.site / "feed.xml").read_bytes())
    assert [e.link for e in feed.entries] == [city.url(p.url_path) for p in posts[:30]]


def test_robots_txt_names_every_kelurahan_sitemap(sample_city) -> None:
    """Search engines ask only for /robots.txt and /sitemap.xml: both were 404."""
    robots = (sample_city.site / "robots.txt").read_text("utf-8").splitlines()
    assert robots[:2] == ["User-agent: *", "Allow: /"]
    sitemaps = [line.removeprefix("Sitemap: ") for line in robots[2:]]
    assert sitemaps == [f"https://kelurahan.kotacontoh.example/{slug}/sitemap.xml"
                        for slug in ("bukit-indah", "sukamaju", "tanjung-harapan")]
    for slug in ("bukit-indah", "sukamaju", "tanjung-harapan"):
        assert (sample_city.site / slug / "sitemap.xml").is_file()


def test_every_page_but_the_404_names_its_canonical_address(sample_city) -> None:
    """Only post pages had `canonical` and `og:url`; search engines and shares need them on
    services, lists and the home page too."""
    import re

    base = "https://kelurahan.kotacontoh.example/"
    for path, address in [("sukamaju/index.html", "sukamaju/"),
                          ("sukamaju/layanan/ktp-el/index.html", "sukamaju/layanan/ktp-el/"),
                          ("sukamaju/kegiatan/index.html", "sukamaju/kegiatan/"),
                          ("sukamaju/cari/index.html", "sukamaju/cari/")]:
        html = (sample_city.site / path).read_text("utf-8")
        assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [base + address]
        assert re.findall(r'<meta property="og:url" content="([^"]+)">', html) == [base + address]
    assert "canonical" not in (sample_city.site / "sukamaju/404.html").read_text("utf-8")


def test_the_sitemap_dates_a_post_by_its_day_and_nothing_else_by_the_build(sample_city) -> None:
    """Every page carried the build's UTC date: the site looked new at each rebuild, and a
    post that appeared just after midnight WITA was dated the day before."""
    import xml.etree.ElementTree as ET

    from kelurahan import load_valid

    city = load_valid(sample_city.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(sample_city.site / "sukamaju" / "sitemap.xml").getroot()
    dated = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
             for u in root.findall("s:url", ns)}
    posts = {city.url(p.url_path): p.publish_at.date().isoformat()
             for p in city.get("sukamaju").posts if p.url_path and city.url(p.url_path) in dated}
    assert posts and all(dated[url] == day for url, day in posts.items())
    assert dated["https://kelurahan.kotacontoh.example/sukamaju/"] is None
    assert dated["https://kelurahan.kotacontoh.example/sukamaju/layanan/ktp-el/"] is None


def test_serve_on_a_busy_port_says_so_in_indonesian(tmp_path: Path, capsys) -> None:
    import socket

    from kelurahan.cli import main

    (tmp_path / "index.html").write_text("<h1>Portal</h1>", "utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--out", str(tmp_path), "--port", str(port)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"Gagal: port {port} tidak bisa dipakai (sudah dipakai program lain); coba --port lain, "
        "misalnya --port 8001")
