"""What a resident finds on the built pages: notices until they expire, forms with their size,
contact links, a paged post list with thumbnails, neighbours and share links, Indonesian 404s,
and not one English word of the theme."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import make_content, make_photo, write
from tests.generator.site_support import html_files, run_build

NOTICE = "---\njudul: {title}\nberlaku_sampai: {until}\npenting: {important}\n---\n{body}\n"
POST = "---\njudul: Kegiatan ke-{n}\ntanggal: {day}\nfoto: [media/{day}-foto.jpg]\nkategori: [Warga]\n---\nIsi {n}.\n"
# English the theme or mkdocs used to put on pages; none of it may reach a resident.
ENGLISH = ["Made with", "Material for MkDocs", 'aria-label="Header"', "Skip to content",
           "Search", "Table of contents", "Back to top", "Previous", "Next", "Initializing"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("warga")
    content = make_content(root)
    kel = content / "sukamaju"
    write(kel / "pengumuman/banjir.md", NOTICE.format(title="Siaga banjir", until="2026-11-30",
                                                      important="true", body="Posko di aula."))
    write(kel / "pengumuman/posyandu.md", NOTICE.format(
        title="Posyandu pindah", until="2026-11-24", important="false",
        body="Di balai RW 02 **mulai Senin**.\r\n\r\nBawa:\r\n\r\n- buku KIA\r\n- KTP ibu\r\n\r\n"
             "[Tanya lewat WhatsApp](https://wa.me/6281200001001)"))
    (kel / "media/formulir-f1.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 122_871)
    text = (kel / "layanan/kk.md").read_text("utf-8")
    (kel / "layanan/kk.md").write_text(text.replace("kata_kunci:", "unduhan: [media/formulir-f1.pdf]\nkata_kunci:"), "utf-8")
    for n in range(1, 22):  # 21 + the fixture's one = 22 posts: two pages
        day = f"2026-10-{n:02d}"
        make_photo(kel / f"media/{day}-foto.jpg", colour="navy")
        write(kel / f"kegiatan/{day}-kegiatan-{n}.md", POST.format(n=n, day=day))
    out = root / "site"
    run_build(content, out, now="2026-11-23T10:00:00+08:00")
    return content, out


def page(site: Path, path: str) -> str:
    return (site / path).read_text("utf-8")


def test_home_shows_current_notices_important_first_and_contact_links(built) -> None:
    _, site = built
    home = page(site, "sukamaju/index.html")
    assert home.index("Penting: Siaga banjir") < home.index("Posyandu pindah")
    assert "Berlaku sampai 30 November 2026" in home
    assert '<a href="tel:+625417001001">(0541) 700-1001</a>' in home
    assert '<a href="mailto:sukamaju@kotauji.example">sukamaju@kotauji.example</a>' in home
    assert '<a href="https://wa.me/6281200001001">+62 812-0000-1001</a>' in home
    assert "data-pagefind-body" not in home, "the home page is not a search hit"
    # Written in Markdown (here with Windows line ends), shown as such, not as raw text.
    assert ("<p>Di balai RW 02 <strong>mulai Senin</strong>.</p>\n<p>Bawa:</p>\n<ul>\n"
            "<li>buku KIA</li>\n<li>KTP ibu</li>\n</ul>\n"
            '<p><a href="https://wa.me/6281200001001">Tanya lewat WhatsApp</a></p>') in home
    portal = page(site, "index.html")
    assert "Penting: Siaga banjir" in portal and "Posyandu pindah" not in portal


def test_an_expired_notice_leaves_site_and_portal_on_the_next_build(built, tmp_path: Path) -> None:
    content, _ = built
    out = tmp_path / "site"
    run_build(content, out, now="2026-11-23T10:00:00+08:00")
    report = run_build(content, out, now="2026-11-25T08:00:00+08:00")
    assert report.built == ["sukamaju"]  # nothing edited: the expiry alone rebuilds it
    assert "Posyandu pindah" not in page(out, "sukamaju/index.html")
    assert "Siaga banjir" in page(out, "index.html")
    run_build(content, out, now="2026-12-01T08:00:00+08:00")
    assert "Pengumuman" not in page(out, "sukamaju/index.html")
    assert "Siaga banjir" not in page(out, "index.html")


def test_service_pages_repeat_the_office_and_offer_forms_with_their_size(built) -> None:
    _, site = built
    kk = page(site, "sukamaju/layanan/kk/index.html")
    assert ('<a href="../../unduhan/formulir-f1.pdf" download>formulir-f1.pdf</a> '
            "<small>(PDF, 120 KB)</small>") in kk
    assert (site / "sukamaju/unduhan/formulir-f1.pdf").stat().st_size == 122_880
    for text in ["<tr><th>Jam layanan</th><td>Senin–Jumat 08.00–15.00 WITA</td></tr>",
                 'class="tombol-wa" href="https://wa.me/6281200001001?text=']:
        assert text in kk
    listing = page(site, "sukamaju/layanan/index.html")
    assert "Biaya: Gratis · Waktu: 1 hari kerja" in listing


def test_post_list_is_paged_by_twenty_with_thumbnails_dates_and_categories(built) -> None:
    _, site = built
    first = page(site, "sukamaju/kegiatan/index.html")
    second = page(site, "sukamaju/kegiatan/halaman/2/index.html")
    assert first.count('<li class="pos">') == 20 and second.count('<li class="pos">') == 2
    assert '<span aria-current="page">1</span>' in first
    assert '<a href="halaman/2/" aria-label="Halaman 2">2</a>' in first
    assert '<a href="../../" aria-label="Halaman 1">1</a>' in second
    thumb = re.search(r'data-src="(\.\./foto/[0-9a-f]+-160\.webp)" width="160" height="120"', first)
    assert thumb and (site / "sukamaju/kegiatan" / thumb.group(1)).is_file()
    assert '<time datetime="2026-10-21">21 Oktober 2026</time> · Warga' in first


def test_post_has_neighbours_share_links_and_caption_alt(built) -> None:
    _, site = built
    post = page(site, "sukamaju/kegiatan/2026-10-02-kegiatan-2/index.html")
    assert '<a href="../2026-10-01-kegiatan-1/" rel="prev">← Sebelumnya: Kegiatan ke-1</a>' in post
    assert '<a href="../2026-10-03-kegiatan-3/" rel="next">Berikutnya: Kegiatan ke-3 →</a>' in post
    assert ('href="https://wa.me/?text=Kegiatan%20ke-2%20https%3A//kelurahan.kotauji.example/'
            'sukamaju/kegiatan/2026-10-02-kegiatan-2/"') in post
    assert ('href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fkelurahan.kotauji'
            '.example%2Fsukamaju%2Fkegiatan%2F2026-10-02-kegiatan-2%2F"') in post
    assert "<script src=" not in post, "no third-party (or any) script file"


def test_indonesian_404_pages_link_home_services_and_search(built) -> None:
    _, site = built
    missing = page(site, "sukamaju/404.html")
    assert "<h1>Halaman tidak ditemukan</h1>" in missing
    for link in ['href="/sukamaju/"', 'href="/sukamaju/layanan/"', 'href="/sukamaju/cari/"']:
        assert link in missing
    portal = page(site, "404.html")
    assert "<h1>Halaman tidak ditemukan</h1>" in portal and 'href="/#layanan"' in portal


def test_no_english_and_no_repeated_titles(built) -> None:
    _, site = built
    pages = [*html_files(site), site / "sukamaju/404.html", site / "404.html"]
    for path in pages:
        text = path.read_text("utf-8")
        shown = re.sub(r"<script>.*?</script>", "", text, flags=re.S)  # code, not text
        assert not [w for w in ENGLISH if w in shown], path
        title = re.search(r"<title>(.*?)</title>", text).group(1)
        parts = [p.strip() for p in re.split(r"[·,|-]", title)]
        assert len(parts) == len(set(parts)), (path, title)
    assert "<title>Kelurahan Sukamaju, Kota Uji</title>" in page(site, "sukamaju/index.html")
    assert "<title>Layanan · Kelurahan Sukamaju</title>" in page(site, "sukamaju/layanan/index.html")


def test_the_nginx_policy_allows_exactly_the_pages_inline_script(built) -> None:
    """The search and photo loader are inlined (no extra round trip); the shipped nginx
    Content-Security-Policy must name their hash, or browsers refuse to run them."""
    import base64
    import hashlib

    from tests.generator.site_support import REPO

    _, site = built
    hashes = set()
    for path in [*html_files(site), site / "404.html", site / "sukamaju/404.html",
                 site / "sukamaju/kartu/index.html"]:  # the card preview loads its cards with it
        for script in re.findall(r"<script>(.*?)</script>", path.read_text("utf-8"), re.S):
            hashes.add(base64.b64encode(hashlib.sha256(script.encode()).digest()).decode())
    policy = re.search(r"script-src ([^;]*);", (REPO / "deploy/nginx/kelurahan.conf").read_text())
    assert len(hashes) == 1, "one inline script, the same on every page"
    assert f"'sha256-{hashes.pop()}'" in policy.group(1).split(), (
        "deploy/nginx/kelurahan.conf: script-src needs the new hash of the inline script")


def test_the_logo_is_the_favicon_and_header_and_is_encoded_once(tmp_path: Path) -> None:
    from PIL import Image

    content = make_content(tmp_path)
    make_photo(content / "sukamaju/media/logo.png", colour="green")
    out = tmp_path / "site"
    run_build(content, out)
    with Image.open(out / "sukamaju/logo.webp") as logo:
        assert (logo.format, logo.size) == ("WEBP", (64, 64))
    home = page(out, "sukamaju/index.html")
    assert '<link rel="icon" href="data:image/webp;base64,' in home
    cached = list((tmp_path / "state").rglob("logo/*.webp"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    write(content / "sukamaju/kegiatan/2026-11-20-baru.md", "---\njudul: Baru\ntanggal: 2026-11-20\n---\nIsi.\n")
    run_build(content, out)
    assert cached[0].stat().st_mtime_ns == stamp  # reused, not encoded again


def test_an_unreadable_logo_leaves_a_site_without_logo(tmp_path: Path, caplog) -> None:
    content = make_content(tmp_path)
    (content / "sukamaju/media/logo.png").write_bytes(b"bukan gambar")
    out = tmp_path / "site"
    run_build(content, out)
    assert not (out / "sukamaju/logo.webp").exists()
    assert 'rel="icon"' not in page(out, "sukamaju/index.html")
    assert "logo rusak atau bukan gambar; situs tanpa logo" in caplog.text


def test_quotes_and_tags_in_a_title_stay_text_in_the_head_and_the_page(tmp_path: Path) -> None:
    """`Lomba "Agustusan"` cut the og:title attribute short (Facebook and WhatsApp previews
    showed `Lomba `), and a tag in a title reached <title> and the meta tags as markup."""
    content = make_content(tmp_path)
    title = 'Lomba "Agustusan" <b>RT 03</b> & <script>alert(1)</script>'
    write(content / "sukamaju/kegiatan/2026-11-20-lomba.md",
          f"---\njudul: '{title}'\ntanggal: 2026-11-20\nringkasan: 'Kata \"kutip\" <i>x</i>'\n---\nIsi.\n")
    out = tmp_path / "site"
    run_build(content, out, now="2026-11-23T10:00:00+08:00")
    html = page(out, "sukamaju/kegiatan/2026-11-20-lomba/index.html")
    assert "<script>alert" not in html and "<b>RT" not in html

    class Head(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: dict[str, str] = {}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            named = dict(attrs)
            key = named.get("property") or named.get("name")
            if tag == "meta" and key:
                self.found[key] = named.get("content") or ""

    head = Head()
    head.feed(html)
    assert head.found["og:title"] == head.found["twitter:title"] == title
    assert head.found["description"] == head.found["og:description"] == 'Kata "kutip" <i>x</i>'
    assert re.search(r"<title>(.*?)</title>", html).group(1) == (  # type: ignore[union-attr]
        "Lomba &#34;Agustusan&#34; &lt;b&gt;RT 03&lt;/b&gt; &amp; "
        "&lt;script&gt;alert(1)&lt;/script&gt; · Kelurahan Sukamaju")
