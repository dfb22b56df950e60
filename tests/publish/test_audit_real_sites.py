"""The audit against loopback sites modelled on what real kelurahan sites serve.

Each route says what it imitates: a kelurahan that is a category of the city's WordPress
portal, an old domain redirecting to the portal, sites without feeds (WordPress with feeds
off, Joomla without a head link), suspended hosting, parked domains, a Cloudflare challenge,
and feed items dated the way Indonesian CMS themes date them. All sites are audited once.
"""

from __future__ import annotations

import datetime as dt

import pytest

from publish.audit import AuditOptions, Kind, SiteResult, Status, Target, Thresholds, audit
from publish.audit.discovery import feed_belongs
from publish.audit.pages import CHALLENGE, PARKED, SUSPENDED
from tests.publish.audit_support import NOW, AuditServer, Route, days_ago, page, rfc822, rss

RSS = "application/rss+xml"
OPTIONS = AuditOptions(concurrency=8, connect_timeout=1.0, total_timeout=2.0,
                       allow_local_network=True)
NO_EVIDENCE = ("halaman dapat dibuka, tetapi tidak ada tanda kegiatan yang dapat dibaca "
               "(feed, sitemap, atau tanggal tulisan)")


def _items(*items: tuple[str, str, str | None]) -> str:
    """RSS items as (title, link, pubDate) with no guid, as some themes write them."""
    body = "".join(f"<item><title>{title}</title><link>{link}</link>"
                   + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>"
                   for title, link, date in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
            f"<link>http://x/</link>{body}</channel></rss>")


def _serve(server: AuditServer) -> dict[str, str]:
    add, url = server.add, server.url
    # The city's WordPress portal posts daily; one kelurahan is its category, quiet for 40 days.
    add("/kota/", page("Portal Kota", (RSS, url("/kota/feed/"))))
    add("/kota/feed/", Route(rss("Portal", [("p", rfc822(days_ago(0)))]), content_type=RSS))
    add("/kota/category/sukamaju/", page(
        "Sukamaju – Portal Kota", (RSS, url("/kota/feed/")),
        (RSS, url("/kota/comments/feed/")), (RSS, url("/kota/category/sukamaju/feed/"))))
    add("/kota/category/sukamaju/feed/",
        Route(rss("Sukamaju", [("s", rfc822(days_ago(40)))]), content_type=RSS))
    # A kelurahan page of the portal, listed without a trailing slash, with no feed of its own.
    add("/kota/kelurahan/mekar", page("Mekar – Portal Kota", (RSS, url("/kota/feed/"))))
    # An old kelurahan domain that now redirects to the portal on another host.
    add("/lama/", Route(status=301, headers={"Location": f"http://localhost:{server.port}/kota/"}))
    # WordPress with feeds switched off, but its sitemap index lists the posts.
    add("/wp-tanpa-feed/", page("Kelurahan Tanpa Feed"))
    add("/wp-tanpa-feed/wp-sitemap.xml", Route(
        "<?xml version='1.0'?><sitemapindex><sitemap><loc>"
        + url("/wp-tanpa-feed/wp-sitemap-posts-post-1.xml") + "</loc></sitemap></sitemapindex>",
        content_type="application/xml"))
    add("/wp-tanpa-feed/wp-sitemap-posts-post-1.xml", Route(
        "<?xml version='1.0'?><urlset>"
        f"<url><loc>{url('/wp-tanpa-feed/2026/11/kerja-bakti/')}</loc>"
        f"<lastmod>{days_ago(4).isoformat()}</lastmod></url>"
        f"<url><loc>{url('/lain/halaman/')}</loc><lastmod>{days_ago(0).isoformat()}</lastmod></url>"
        "</urlset>", content_type="application/xml"))
    # Yoast's sitemap index: the pages' sitemap (edited long ago) listed before the posts'.
    add("/peta-indeks/", page("Kelurahan Peta Indeks"))
    add("/peta-indeks/sitemap_index.xml", Route(
        "<?xml version='1.0'?><sitemapindex>"
        f"<sitemap><loc>{url('/peta-indeks/page-sitemap.xml')}</loc>"
        f"<lastmod>{days_ago(200).isoformat()}</lastmod></sitemap>"
        f"<sitemap><loc>{url('/peta-indeks/post-sitemap.xml')}</loc>"
        f"<lastmod>{days_ago(3).isoformat()}</lastmod></sitemap></sitemapindex>",
        content_type="application/xml"))
    add("/peta-indeks/page-sitemap.xml", Route(
        f"<?xml version='1.0'?><urlset><url><loc>{url('/peta-indeks/profil/')}</loc>"
        f"<lastmod>{days_ago(200).isoformat()}</lastmod></url></urlset>",
        content_type="application/xml"))
    add("/peta-indeks/post-sitemap.xml", Route(
        f"<?xml version='1.0'?><urlset><url><loc>{url('/peta-indeks/2026/11/posyandu/')}</loc>"
        f"<lastmod>{days_ago(3).isoformat()}</lastmod></url></urlset>",
        content_type="application/xml"))
    # Listed without `www.`, the CMS writes its sitemap with `www.`.
    www = f"http://www.localhost:{server.port}"
    add("/www-peta/", page("Kelurahan Www"))
    add("/www-peta/sitemap.xml", Route(
        f"<?xml version='1.0'?><urlset><url><loc>{www}/www-peta/2026/11/rapat/</loc>"
        f"<lastmod>{days_ago(5).isoformat()}</lastmod></url></urlset>",
        content_type="application/xml"))
    # Joomla without a feed link: dates in <time> and in the newest linked article.
    add("/joomla/", page("Kelurahan Joomla").replace(
        "<p>Selamat datang.</p>",
        '<p>Senin, 23 November 2026</p>'  # today's date printed by the theme: not evidence
        '<a href="/joomla/index.php/berita/12-kerja-bakti">Kerja bakti</a>'))
    add("/joomla/index.php/berita/12-kerja-bakti", page("Kerja bakti").replace(
        "<title>", '<meta property="article:published_time" content="2026-11-11T08:00:00+07:00">'
        "<title>"))
    # Only a date widget showing today: no evidence of posting.
    add("/tanggal-hari-ini/", page("Hari ini").replace(
        "<p>Selamat datang.</p>", "<p>Senin, 23 November 2026 10:00 WITA</p>"))
    add("/ditangguhkan/", Route(status=302, headers={"Location": "/cgi-sys/suspendedpage.cgi"}))
    add("/cgi-sys/suspendedpage.cgi", "<html><body><h1>Account Suspended</h1>"
        "<p>This Account has been suspended.</p></body></html>")
    add("/parkir/", "<html><head><title>kelurahan-contoh.id</title></head><body>"
        "<h1>This domain is for sale!</h1><a href='https://dan.com/buy'>Buy</a></body></html>")
    add("/cloudflare/", Route("<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
                              "<body><script src='/cdn-cgi/challenge-platform/x'></script></body>"
                              "</html>", status=403, headers={"cf-mitigated": "challenge",
                                                               "Server": "cloudflare"}))
    # Feed items as Indonesian CMS themes date and link them.
    add("/opensid-baru/", page("Kelurahan OpenSID", (RSS, "feed")))
    add("/opensid-baru/feed", Route(_items(
        ("Rapat RT", url("/opensid-baru/"), "2026-11-23 09:00:00"),   # no zone: city time
        ("Posyandu", url("/opensid-baru/"), "20-11-2026 10:00"),       # day first
        ("Kerja bakti", url("/opensid-baru/"), "Jumat, 20 Nopember 2026 08:00 WIB"),
        ("Rusak", url("/opensid-baru/"), "0000-00-00 00:00:00"),
    ), content_type=RSS))
    names = ["kota/category/sukamaju", "lama", "wp-tanpa-feed", "joomla", "tanggal-hari-ini",
             "ditangguhkan", "parkir", "cloudflare", "opensid-baru"]
    urls = {name: url(f"/{name}/") for name in names}
    urls["kota/kelurahan/mekar"] = url("/kota/kelurahan/mekar")
    urls["peta-indeks"] = url("/peta-indeks/")
    urls["www-peta"] = f"http://localhost:{server.port}/www-peta/"
    return urls


@pytest.fixture(scope="module")
def results() -> dict[str, SiteResult]:
    with AuditServer() as server:
        targets = [Target(name, address, Kind.EXTRA) for name, address in _serve(server).items()]
        report = audit(targets, NOW, city="Kota Uji", thresholds=Thresholds(7, 30), options=OPTIONS)
    return {r.target.name: r for r in report.results}


def test_a_category_of_the_portal_is_judged_by_its_own_feed(results):
    site = results["kota/category/sukamaju"]
    assert (site.status, site.reason) == (Status.INACTIVE,
                                          "kegiatan terakhir 40 hari lalu (lebih dari 30 hari)")
    assert site.feed_url.endswith("/kota/category/sukamaju/feed/")


def test_a_portal_page_never_gets_the_portal_feed(results):
    site = results["kota/kelurahan/mekar"]
    assert (site.status, site.reason) == (Status.INACTIVE, NO_EVIDENCE)
    assert site.feed_url is None


def test_a_redirect_to_another_host_is_said_and_not_credited(results):
    site = results["lama"]
    assert site.status is Status.INACTIVE
    assert site.reason == ("dialihkan ke localhost: kegiatan di sana tidak dihitung sebagai "
                           "kegiatan situs ini; perbarui alamatnya bila itu situs baru kelurahan")
    assert site.activity is None


def test_without_a_feed_the_sitemap_says_when_it_last_changed(results):
    site = results["wp-tanpa-feed"]
    assert (site.status, site.reason) == (Status.ACTIVE, "kegiatan terakhir 4 hari lalu (dari sitemap)")
    assert site.activity.total == 1  # the page outside the site's folder is not counted


def test_a_sitemap_index_gives_its_newest_child_not_its_first(results):
    site = results["peta-indeks"]
    assert (site.status, site.reason) == (Status.ACTIVE, "kegiatan terakhir 3 hari lalu (dari sitemap)")


def test_www_and_the_bare_host_are_the_same_site(results):
    site = results["www-peta"]
    assert (site.status, site.reason) == (Status.ACTIVE, "kegiatan terakhir 5 hari lalu (dari sitemap)")
    assert feed_belongs("https://www.kel.go.id/feed/", "https://kel.go.id/", "/")
    assert not feed_belongs("https://kel.go.id.evil.example/feed/", "https://kel.go.id/", "/")


def test_without_a_feed_or_sitemap_the_dates_in_its_pages_count(results):
    site = results["joomla"]
    assert site.status is Status.LESS_ACTIVE
    assert site.reason == ("kegiatan terakhir 12 hari lalu (lebih dari 7 hari) "
                           "(dari tanggal di halaman)")


def test_todays_date_printed_by_the_theme_is_not_activity(results):
    site = results["tanggal-hari-ini"]
    assert (site.status, site.reason) == (Status.INACTIVE, NO_EVIDENCE)


@pytest.mark.parametrize(("name", "reason"), [
    ("ditangguhkan", SUSPENDED), ("parkir", PARKED), ("cloudflare", CHALLENGE)])
def test_pages_that_are_not_the_site_are_named(results, name, reason):
    site = results[name]
    assert (site.status, site.reason) == (Status.UNREACHABLE, reason)


def test_feed_dates_as_indonesian_themes_write_them(results):
    site = results["opensid-baru"]
    assert site.status is Status.ACTIVE
    wita = dt.timezone(dt.timedelta(hours=8))
    assert site.activity.last_post == dt.datetime(2026, 11, 23, 9, tzinfo=wita)
    assert site.activity.days_since == 0
    assert site.activity.total == 3  # same link, different titles and dates: three posts
    assert site.warnings == ("1 entri tanpa tanggal yang sah diabaikan",)
    assert site.activity.posts_7 == 3  # 20-11-2026 and 20 Nopember 2026 read as 3 days ago


def test_a_parking_page_that_answers_every_path_is_parked():
    with AuditServer() as server:
        same = Route(page("kelurahan-contoh.id").encode())
        server.find = lambda path: same  # every path, even an invented one: the same page
        report = audit([Target("p", server.url("/"), Kind.EXTRA)], NOW, options=OPTIONS)
    assert (report.results[0].status, report.results[0].reason) == (Status.UNREACHABLE, PARKED)


@pytest.mark.parametrize(("url", "reason"), [
    ("http://127.0.0.1:{port}/", "ditolak: 127.0.0.1 adalah alamat jaringan lokal"),
    ("http://localhost:{port}/", "ditolak: localhost mengarah ke alamat jaringan lokal 127.0.0.1"),
    ("http://169.254.169.254/latest/meta-data/", "ditolak: 169.254.169.254 adalah alamat jaringan lokal"),
    ("http://10.20.30.40/", "ditolak: 10.20.30.40 adalah alamat jaringan lokal"),
    ("http://[fe80::1]/", "ditolak: fe80::1 adalah alamat jaringan lokal"),
    ("http://[fd12:3456::1]/", "ditolak: fd12:3456::1 adalah alamat jaringan lokal"),
    # IPv6 that carries a local IPv4 address: NAT64, 6to4, IPv4-compatible.
    ("http://[64:ff9b::7f00:1]/", "ditolak: 64:ff9b::7f00:1 adalah alamat jaringan lokal"),
    ("http://[2002:7f00:1::]/", "ditolak: 2002:7f00:1:: adalah alamat jaringan lokal"),
    ("http://[::127.0.0.1]/", "ditolak: ::127.0.0.1 adalah alamat jaringan lokal"),
    ("http://[64:ff9b::a9fe:a9fe]/", "ditolak: 64:ff9b::a9fe:a9fe adalah alamat jaringan lokal"),
])
def test_local_addresses_are_refused_by_default(url, reason):
    """Checked after DNS (localhost) and before any connection is made."""
    with AuditServer() as server:
        server.add("/", page("Intranet"))
        target = Target("x", url.format(port=server.port), Kind.EXTRA)
        report = audit([target], NOW, options=AuditOptions(connect_timeout=1, total_timeout=2))
        assert server.hits == []
    site = report.results[0]
    assert site.status is Status.UNREACHABLE
    assert site.reason == (f"{reason}; audit hanya memeriksa situs publik (pakai "
                           "--izinkan-jaringan-lokal untuk situs intranet)")
