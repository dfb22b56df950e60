"""The audit's connections: one hard deadline per site, whatever the server or DNS does.

Servers are real sockets on 127.0.0.1; a slow or failing DNS is the C library's answer, imitated
by replacing `socket.getaddrinfo` (the standard library, not our code).
"""

from __future__ import annotations

import socket
import time

import pytest

from kelurahan.cli import main
from publish.audit import AuditOptions, Kind, Status, Target, audit
from tests.conftest import snapshot
from tests.publish.audit_support import NOW, AuditServer, Route, days_ago, page, rfc822, rss

OPTIONS = AuditOptions(concurrency=4, connect_timeout=1.0, total_timeout=1.0,
                       allow_local_network=True)
TIMED_OUT = "waktu habis: situs tidak selesai menjawab dalam 1 detik"
NO_SUCH_DOMAIN = ("nama domain tidak ditemukan (DNS): periksa ejaan alamat, atau domain sudah "
                  "tidak diperpanjang")
DNS_DOWN = ("DNS tidak menjawab (gagal sementara): server nama domain situs ini, atau DNS server "
            "audit, tidak memberi jawaban; coba lagi nanti")


def _dns(monkeypatch, answers: dict[str, int | float]) -> None:
    """getaddrinfo as the C library answers: a gaierror code per host, or seconds of silence."""
    real = socket.getaddrinfo

    def lookup(host, *args, **kwargs):
        answer = answers.get(host, answers.get("*"))
        if isinstance(answer, float):
            time.sleep(answer)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        if answer is not None:
            raise socket.gaierror(answer, "gagal")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)


def test_headers_sent_one_byte_at_a_time_are_cut_at_the_deadline():
    with AuditServer() as server:
        server.add("/", Route(page("Tetes kepala"), head_trickle=0.2))
        started = time.monotonic()
        report = audit([Target("tetes", server.url("/"), Kind.EXTRA)], NOW, options=OPTIONS)
    site = report.results[0]
    assert (site.status, site.reason) == (Status.UNREACHABLE, TIMED_OUT)
    assert time.monotonic() - started < 2.0


def test_a_dns_lookup_that_hangs_is_cut_at_the_deadline(monkeypatch):
    _dns(monkeypatch, {"lamban.example": 4.0})
    started = time.monotonic()
    report = audit([Target("lamban", "http://lamban.example/", Kind.EXTRA)], NOW,
                   options=AuditOptions(total_timeout=1.0, connect_timeout=1.0))
    site = report.results[0]
    assert (site.status, site.reason) == (Status.UNREACHABLE, DNS_DOWN)
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(("code", "reason", "network"), [
    (socket.EAI_NONAME, NO_SUCH_DOMAIN, False),
    (socket.EAI_AGAIN, DNS_DOWN, True),
])
def test_a_domain_that_does_not_exist_is_told_from_dns_not_answering(monkeypatch, code, reason,
                                                                      network):
    _dns(monkeypatch, {"hilang.example": code})
    report = audit([Target("hilang", "http://hilang.example/", Kind.EXTRA)], NOW,
                   options=AuditOptions(total_timeout=1.0, connect_timeout=1.0))
    site = report.results[0]
    assert (site.status, site.reason, site.network) == (Status.UNREACHABLE, reason, network)


def test_when_dns_is_down_for_every_site_the_run_fails_and_keeps_previous_results(
        monkeypatch, tmp_path, capsys):
    out, history = tmp_path / "hasil", tmp_path / "riwayat"
    with AuditServer() as server:
        server.add("/a/", page("A", ("application/rss+xml", "feed.xml")))
        server.add("/a/feed.xml", Route(rss("A", [("1", rfc822(days_ago(2)))]),
                                        content_type="application/rss+xml"))
        args = ["audit", "--now", NOW.isoformat(), "--timeout", "2", "--izinkan-jaringan-lokal",
                "--content", str(tmp_path / "tidak-ada"), "--out", str(out),
                "--history", str(history), "--url", server.url("/a/"), "--url", server.url("/b/")]
        assert main(args) == 3
        before = snapshot(tmp_path)
        _dns(monkeypatch, {"*": socket.EAI_AGAIN})
        assert main(args) == 1
    assert snapshot(tmp_path) == before
    assert ("audit dibatalkan: 2 dari 2 situs gagal karena DNS atau jaringan, jadi jaringan/DNS "
            "server audit ini tampaknya mati; hasil dan riwayat sebelumnya tidak diubah. Periksa "
            "koneksi internet dan DNS server ini, lalu jalankan lagi") in capsys.readouterr().err


def test_feeds_parsed_at_once_stay_within_the_shared_byte_budget():
    import threading

    from publish.audit.feeds import ByteBudget

    budget, peak, lock = ByteBudget(10), [0], threading.Lock()

    def parse(size: int) -> None:
        with budget.hold(size):
            with lock:
                peak[0] = max(peak[0], budget.used)
            time.sleep(0.02)

    threads = [threading.Thread(target=parse, args=(size,)) for size in [4] * 12 + [50]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in threads)  # a body over the budget goes alone
    assert peak[0] <= 10
    assert budget.used == 0


def test_every_address_dns_returns_is_tried_in_turn(monkeypatch):
    with AuditServer() as server:
        server.add("/", page("Dua alamat", ("application/rss+xml", "feed.xml")))
        server.add("/feed.xml", Route(rss("Dua", [("1", rfc822(days_ago(1)))]),
                                      content_type="application/rss+xml"))
        real = socket.getaddrinfo

        def two(host, port, *args, **kwargs):
            if host != "dua.example":
                return real(host, port, *args, **kwargs)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
                    for address in ("127.0.0.2", "127.0.0.1")]  # the first one refuses

        monkeypatch.setattr(socket, "getaddrinfo", two)
        report = audit([Target("dua", f"http://dua.example:{server.port}/", Kind.EXTRA)], NOW,
                       options=OPTIONS)
    site = report.results[0]
    assert (site.status, site.reason) == (Status.ACTIVE, "kegiatan terakhir 1 hari lalu")


def test_a_server_that_accepts_then_closes_and_a_false_gzip_header_are_named():
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def close_each() -> None:  # reads the request, closes without a word
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(4096)
            connection.close()

    threading.Thread(target=close_each, daemon=True).start()
    with AuditServer() as server:
        server.add("/gzip-palsu/", Route(page("Bukan gzip"), headers={"Content-Encoding": "gzip"}))
        report = audit([Target("tutup", f"http://127.0.0.1:{listener.getsockname()[1]}/", Kind.EXTRA),
                        Target("gzip-palsu", server.url("/gzip-palsu/"), Kind.EXTRA)], NOW,
                       options=OPTIONS)
    listener.close()
    reasons = {site.target.name: (site.status, site.reason) for site in report.results}
    assert reasons == {
        "tutup": (Status.UNREACHABLE, "server menerima sambungan lalu menutupnya tanpa menjawab "
                  "(server web bermasalah atau kelebihan beban; hubungi pengelola situs)"),
        "gzip-palsu": (Status.UNREACHABLE, "server salah konfigurasi: jawaban ditandai terkompresi "
                       "(Content-Encoding) tetapi isinya tidak; hubungi pengelola situs atau "
                       "penyedia hosting"),
    }


def test_a_slow_site_that_answers_is_active_and_marked_lambat(tmp_path):
    import csv

    from publish.audit import write_report

    with AuditServer() as server:
        server.add("/pelan/", Route(page("Pelan", ("application/rss+xml", "feed.xml")), delay=0.6))
        server.add("/pelan/feed.xml", Route(rss("Pelan", [("1", rfc822(days_ago(1)))]),
                                            content_type="application/rss+xml"))
        options = AuditOptions(connect_timeout=2.0, total_timeout=3.0, slow_seconds=0.5,
                               allow_local_network=True)
        report = audit([Target("pelan", server.url("/pelan/"), Kind.EXTRA)], NOW, options=options)
    site = report.results[0]
    assert (site.status, site.reason, site.slow) == (Status.ACTIVE, "kegiatan terakhir 1 hari lalu",
                                                     True)
    took = f"{site.seconds:.1f}".replace(".", ",").removesuffix(",0")
    assert site.warnings == (f"lambat: situs ini butuh {took} detik untuk diperiksa (lebih dari "
                             "0,5 detik); warga yang membukanya juga menunggu lama",)
    write_report(report, tmp_path)
    rows = list(csv.DictReader((tmp_path / "audit.csv").open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[0]["lambat"] == "ya"
