"""The audit against a real HTTP server on 127.0.0.1: one site per way a site can be.

Every site is audited once per module (total timeout 1 s so the slow ones cost ~1 s), and each
test asserts what the audit made of one site: status, reason, dates, warnings.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import socket

import pytest

from publish.audit import AuditOptions, Kind, SiteResult, Status, Target, Thresholds, audit
from tests.publish.audit_support import (
    NOW,
    AuditServer,
    Route,
    atom,
    days_ago,
    page,
    rfc822,
    rss,
    self_signed_context,
)

RSS = "application/rss+xml"
ATOM = "application/atom+xml"
OPTIONS = AuditOptions(concurrency=8, connect_timeout=1.0, total_timeout=1.0,
                       allow_local_network=True)


def _serve_sites(server: AuditServer) -> dict[str, str]:
    """Register every kind of site; returns name → URL to audit."""
    add = server.add
    # Our own built site: the page links `feed.xml` relatively, as the build does.
    add("/kota/sukamaju/", page("Kelurahan Sukamaju", (RSS, "feed.xml")))
    add("/kota/sukamaju/feed.xml", Route(rss("Sukamaju", [
        ("a", rfc822(days_ago(2))), ("b", rfc822(days_ago(9))), ("c", rfc822(days_ago(16)))]),
        content_type=RSS))
    # WordPress: absolute link to /feed/, a duplicate item (same guid twice).
    add("/wp/", page("Kelurahan Lama Jaya", (RSS, server.url("/wp/feed/")),
                     ("application/rss+xml", server.url("/wp/comments/feed/"))))
    add("/wp/feed/", Route(rss("Lama Jaya", [
        ("123", rfc822(days_ago(10))), ("123", rfc822(days_ago(10))),
        ("99", rfc822(days_ago(20))), ("80", rfc822(days_ago(40)))]),
        content_type="application/rss+xml; charset=UTF-8"))
    # OpenSID: no <link>, feed at /index.php/feed, Indonesian dates and zone names.
    add("/opensid/", page("Kelurahan Sungai Putih"))
    add("/opensid/index.php/feed", Route(rss("Sungai Putih", [
        ("1", "Jumat, 20 November 2026 14.30 WITA"), ("2", "Senin, 27 Okt 2026 09:00 WITA"),
        ("3", "5 Mei 2026")]), content_type="text/xml"))
    # Atom, linked relatively.
    add("/atom/", page("Kelurahan Atom", (ATOM, "atom.xml")))
    add("/atom/atom.xml", Route(atom("Atom", [("x", days_ago(45)), ("y", days_ago(60))]),
                                content_type=ATOM))
    # Blogger: no link, feed at /feeds/posts/default.
    add("/blogger/", page("Kelurahan Blogspot"))
    add("/blogger/feeds/posts/default", Route(atom("Blog", [("7", days_ago(20))], blogger=True),
                                               content_type="application/atom+xml; charset=UTF-8"))
    add("/rusak500/", Route(b"Internal Server Error", 500))
    add("/putar/", Route(status=302, headers={"Location": "/putar2/"}))
    add("/putar2/", Route(status=302, headers={"Location": "/putar/"}))
    add("/pindah/", Route(status=301, headers={"Location": "/wp/"}))
    add("/lambat/", Route(page("Lambat").encode(), delay=5))
    add("/tetes/", Route(page("Tetes").encode(), trickle=0.1))
    add("/tanpa-feed/", page("Tanpa Feed"))
    add("/xml-rusak/", page("XML rusak", (RSS, "feed.xml")))
    add("/xml-rusak/feed.xml", Route(b"<?xml version='1.0'?><rss><channel><title>x</titl",
                                     content_type=RSS))
    add("/setengah/", page("Setengah", (RSS, "feed.xml")))
    add("/setengah/feed.xml", Route(rss("Setengah", [("s", rfc822(days_ago(1)))])
                                    .replace("</channel></rss>", "<item><title>patah</item>"),
                                    content_type=RSS))
    add("/kosong/", page("Kosong", (RSS, "feed.xml")))
    add("/kosong/feed.xml", Route(rss("Kosong", []), content_type=RSS))
    big = rss("Besar", [(str(i), rfc822(days_ago(1))) for i in range(1)],
              extra="<!--" + "x" * (10 * 1024 * 1024) + "-->")
    add("/besar/", page("Besar", (RSS, "feed.xml")))
    add("/besar/feed.xml", Route(big.encode(), content_type=RSS))
    add("/besar-tanpa-panjang/", page("Besar", (RSS, "feed.xml")))
    add("/besar-tanpa-panjang/feed.xml", Route(big.encode(), content_type=RSS, length=False))
    add("/besar-gzip/", page("Besar", (RSS, "feed.xml")))  # 10 MB that travel as ~10 KB
    add("/besar-gzip/feed.xml", Route(gzip.compress(big.encode()), content_type=RSS,
                                      headers={"Content-Encoding": "gzip"}))
    # An active WordPress with years of posts in one feed (6 MB, no length): newest first.
    add("/besar-aktif/", page("Besar aktif", (RSS, "feed.xml")))
    add("/besar-aktif/feed.xml", Route(rss("Besar aktif", [
        (str(i), rfc822(days_ago(1 + i))) for i in range(8000)]).replace(
            "<description><![CDATA[Warga", "<description><![CDATA[" + "isi " * 150 + "Warga"),
        content_type=RSS, length=False))
    # JSON Feed (Micro.blog, Hugo themes), linked as such; WordPress' REST link is not a feed.
    add("/json-feed/", page("JSON Feed", ("application/json", "/wp-json/wp/v2/pages/2"),
                            ("application/feed+json", "feed.json")))
    add("/json-feed/feed.json", Route(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Kelurahan JSON",
        "items": [{"id": "2", "date_published": days_ago(4).isoformat(), "title": "Rapat"},
                  {"id": "1", "date_published": days_ago(11).isoformat(), "title": "Posyandu"}]}),
        content_type="application/feed+json"))
    # RSS linked as text/xml and as application/xml (older CMSs).
    add("/text-xml/", page("Text XML", ("text/xml", "rss.php")))
    add("/text-xml/rss.php", Route(rss("Text", [("t", rfc822(days_ago(6)))]), content_type="text/xml"))
    add("/app-xml/", page("App XML", ("application/xml", "berita.xml")))
    add("/app-xml/berita.xml", Route(rss("App", [("a", rfc822(days_ago(8)))]),
                                     content_type="application/xml"))
    add("/gzip/", page("Gzip", (RSS, "feed.xml")))
    add("/gzip/feed.xml", Route(gzip.compress(rss("Gzip", [("g", rfc822(days_ago(3)))]).encode()),
                                content_type=RSS, headers={"Content-Encoding": "gzip"}))
    add("/halaman-besar/", page("Halaman besar", (RSS, "feed.xml")).replace(
        "</body>", "<p>" + "isi " * 1_000_000 + "</p></body>"))  # 4 MB page: head is enough
    add("/halaman-besar/feed.xml", Route(rss("Besar", [("h", rfc822(days_ago(5)))]), content_type=RSS))
    add("/masa-depan/", page("Masa depan", (RSS, "feed.xml")))
    add("/masa-depan/feed.xml", Route(rss("Masa depan", [
        ("f1", rfc822(days_ago(-3))), ("f2", rfc822(days_ago(-30))), ("p", rfc822(days_ago(12))),
        ("f3", "Tue, 01 Jan 2030 09:00:00 +0800"), ("f4", "2030-01-01 09:00:00")]),
        content_type=RSS))
    add("/tanpa-tanggal/", page("Tanpa tanggal", (RSS, "feed.xml")))
    add("/tanpa-tanggal/feed.xml", Route(rss("Tanpa tanggal", [("n1", None), ("n2", None)]),
                                         content_type=RSS))
    add("/html-feed/", page("HTML", (RSS, "feed.xml")))
    add("/html-feed/feed.xml", page("Bukan feed"))
    names = ["kota/sukamaju", "wp", "opensid", "atom", "blogger", "rusak500", "putar", "pindah",
             "lambat", "tetes", "tanpa-feed", "xml-rusak", "setengah", "kosong", "besar",
             "besar-tanpa-panjang", "besar-gzip", "besar-aktif", "json-feed", "text-xml", "app-xml", "gzip", "halaman-besar", "masa-depan", "tanpa-tanggal", "html-feed"]
    urls = {name: server.url(f"/{name}/") for name in names}
    urls["hilang"] = server.url("/hilang/")
    urls["feed-langsung"] = server.url("/wp/feed/")
    urls["tls"] = f"https://127.0.0.1:{server.port}/"
    urls["ditolak"] = f"http://127.0.0.1:{_closed_port()}/"
    return urls


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def results() -> dict[str, SiteResult]:
    with AuditServer() as server:
        urls = _serve_sites(server)
        targets = [Target(name, url, Kind.EXTRA) for name, url in urls.items()]
        report = audit(targets, NOW, city="Kota Uji", thresholds=Thresholds(7, 30), options=OPTIONS)
    return {r.target.name: r for r in report.results}


def test_every_site_gets_a_result_worst_first(results):
    order = [r.status.severity for r in results.values()]
    assert len(results) == 30
    assert order == sorted(order, reverse=True)


def test_our_built_site_found_through_its_relative_feed_link(results):
    site = results["kota/sukamaju"]
    assert (site.status, site.reason) == (Status.ACTIVE, "kegiatan terakhir 2 hari lalu")
    assert site.feed_url.endswith("/kota/sukamaju/feed.xml")
    activity = site.activity
    assert (activity.posts_7, activity.posts_30, activity.posts_90, activity.total) == (1, 3, 3, 3)
    assert activity.last_post == days_ago(2)
    assert activity.weekly == (0,) * 9 + (1, 1, 1)
    assert site.warnings == ()


def test_wordpress_feed_counts_a_duplicate_once(results):
    site = results["wp"]
    assert site.status is Status.LESS_ACTIVE
    assert site.reason == "kegiatan terakhir 10 hari lalu (lebih dari 7 hari)"
    assert site.feed_url.endswith("/wp/feed/")
    assert (site.activity.posts_30, site.activity.posts_90) == (2, 3)
    assert site.warnings == ("1 entri ganda diabaikan",)


def test_opensid_feed_found_at_index_php_with_indonesian_dates(results):
    site = results["opensid"]
    assert site.status is Status.ACTIVE
    assert site.feed_url.endswith("/opensid/index.php/feed")
    wita = dt.timezone(dt.timedelta(hours=8))
    assert site.activity.last_post == dt.datetime(2026, 11, 20, 14, 30, tzinfo=wita)
    assert site.activity.days_since == 3
    assert (site.activity.posts_30, site.activity.posts_90, site.activity.total) == (2, 2, 3)
    assert site.warnings == ()


def test_atom_feed_older_than_thirty_days_is_inactive(results):
    site = results["atom"]
    assert site.status is Status.INACTIVE
    assert site.reason == "kegiatan terakhir 45 hari lalu (lebih dari 30 hari)"
    assert site.feed_url.endswith("/atom/atom.xml")


def test_blogger_feed_found_at_feeds_posts_default(results):
    site = results["blogger"]
    assert site.status is Status.LESS_ACTIVE
    assert site.feed_url.endswith("/blogger/feeds/posts/default")
    assert site.activity.days_since == 20


@pytest.mark.parametrize(("name", "reason"), [
    ("hilang", "HTTP 404 (tidak ditemukan)"),
    ("rusak500", "HTTP 500 (kesalahan server)"),
    ("putar", "terlalu banyak pengalihan (lebih dari 5)"),
    ("lambat", "waktu habis: situs tidak selesai menjawab dalam 1 detik"),
    ("tetes", "waktu habis: situs tidak selesai menjawab dalam 1 detik"),
    ("ditolak", "koneksi ditolak: server menyala tetapi tidak melayani web di alamat ini"),
])
def test_unreachable_sites_say_why(results, name, reason):
    site = results[name]
    assert (site.status, site.reason) == (Status.UNREACHABLE, reason)
    assert site.activity is None


NO_EVIDENCE = ("halaman dapat dibuka, tetapi tidak ada tanda kegiatan yang dapat dibaca "
               "(feed, sitemap, atau tanggal tulisan)")


def test_a_page_that_loads_without_any_evidence_is_inactive_not_unreachable(results):
    site = results["tanpa-feed"]
    assert (site.status, site.reason) == (Status.INACTIVE, NO_EVIDENCE)
    assert site.warnings == (
        "feed RSS/Atom tidak ditemukan: halaman tidak menautkan feed (<link rel=\"alternate\">) "
        "dan tidak ada feed di /feed, /feed.xml, /rss, /index.php/feed, /feeds/posts/default, "
        "/rss.xml",)


def test_https_to_a_plain_http_port_is_a_tls_error(results):
    site = results["tls"]
    assert (site.status, site.reason) == (
        Status.UNREACHABLE, "kesalahan TLS/sertifikat: server tidak melayani HTTPS di alamat ini")


def test_self_signed_certificate_is_a_tls_error(tmp_path):
    context = self_signed_context(tmp_path)
    if context is None:
        pytest.skip("openssl tidak tersedia untuk membuat sertifikat uji")
    with AuditServer(tls=context) as server:
        server.add("/", page("Sertifikat sendiri"))
        report = audit([Target("tls", server.url("/"), Kind.EXTRA)], NOW, options=OPTIONS)
    site = report.results[0]
    assert (site.status, site.reason) == (
        Status.UNREACHABLE, "kesalahan TLS/sertifikat: sertifikat ditandatangani sendiri, tidak tepercaya")


def test_slow_sites_are_cut_at_the_deadline(results):
    assert results["lambat"].seconds < 2.5
    assert results["tetes"].seconds < 2.5


@pytest.mark.parametrize(("name", "warning"), [
    ("xml-rusak", "/xml-rusak/feed.xml: rusak, tidak dapat dibaca: XML rusak di baris 1 kolom 60"),
    ("html-feed", "/html-feed/feed.xml: berisi halaman HTML, bukan RSS/Atom"),
])
def test_a_broken_feed_on_a_page_that_loads_is_a_warning(results, name, warning):
    site = results[name]
    assert (site.status, site.reason) == (Status.INACTIVE, NO_EVIDENCE)
    assert site.warnings[0].startswith("feed http://127.0.0.1:")
    assert site.warnings[0].endswith(warning)


@pytest.mark.parametrize("name", ["besar", "besar-tanpa-panjang", "besar-gzip"])
def test_a_huge_feed_without_entries_in_its_first_part_is_a_warning_not_unreachable(
        results, name):
    site = results[name]
    assert (site.status, site.reason) == (Status.INACTIVE, NO_EVIDENCE)
    assert site.warnings[0].startswith("feed http://127.0.0.1:")
    assert site.warnings[0].endswith(f"/{name}/feed.xml: terlalu besar (lebih dari 512 KB) "
                                     "dan 512 KB pertamanya tidak memuat entri")


def test_an_endless_active_feed_is_read_from_its_first_part(results):
    site = results["besar-aktif"]
    assert (site.status, site.reason) == (Status.ACTIVE, "kegiatan terakhir 1 hari lalu")
    assert site.warnings == ("feed lebih dari 512 KB: hanya 512 KB pertama yang dibaca "
                             "(entri terbaru ada di awal)",)


def test_half_broken_feed_is_read_as_far_as_it_goes(results):
    site = results["setengah"]
    assert site.status is Status.ACTIVE
    assert site.activity.days_since == 1
    assert site.warnings[0].startswith("feed tidak sepenuhnya valid (")
    assert site.warnings[0].endswith("); dibaca sebagian")


def test_empty_feed_is_inactive(results):
    site = results["kosong"]
    assert (site.status, site.reason) == (Status.INACTIVE, "feed kosong: belum ada kegiatan")
    assert site.activity.last_post is None
    assert site.activity.weekly == (0,) * 12


def test_future_dates_are_ignored_with_a_warning(results):
    site = results["masa-depan"]
    assert site.status is Status.LESS_ACTIVE
    assert site.activity.days_since == 12
    assert site.warnings == ("4 entri bertanggal di masa depan diabaikan",)  # 2030 too


def test_feed_without_dates_is_inactive_with_a_warning(results):
    site = results["tanpa-tanggal"]
    assert site.status is Status.INACTIVE
    assert site.reason == "belum pernah ada kegiatan bertanggal di feed"
    assert site.warnings == ("2 entri tanpa tanggal yang sah diabaikan",)


def test_a_huge_page_is_read_only_as_far_as_needed(results):
    site = results["halaman-besar"]
    assert (site.status, site.activity.days_since) == (Status.ACTIVE, 5)


@pytest.mark.parametrize(("name", "status", "reason", "feed"), [
    ("json-feed", Status.ACTIVE, "kegiatan terakhir 4 hari lalu", "/json-feed/feed.json"),
    ("text-xml", Status.ACTIVE, "kegiatan terakhir 6 hari lalu", "/text-xml/rss.php"),
    ("app-xml", Status.LESS_ACTIVE, "kegiatan terakhir 8 hari lalu (lebih dari 7 hari)",
     "/app-xml/berita.xml"),
])
def test_json_feed_and_feeds_linked_as_xml_are_read(results, name, status, reason, feed):
    site = results[name]
    assert (site.status, site.reason, site.warnings) == (status, reason, ())
    assert site.feed_url.endswith(feed)


def test_gzip_feed_is_decoded(results):
    site = results["gzip"]
    assert (site.status, site.activity.days_since) == (Status.ACTIVE, 3)


def test_redirect_is_followed(results):
    site = results["pindah"]
    assert site.status is Status.LESS_ACTIVE
    assert site.feed_url.endswith("/wp/feed/")


def test_a_feed_given_directly_is_read_as_is(results):
    site = results["feed-langsung"]
    assert site.status is Status.LESS_ACTIVE
    assert site.feed_url.endswith("/wp/feed/")
