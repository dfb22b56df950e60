"""`kelurahan audit` end to end: content pointing at a loopback server, files written, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kelurahan.cli import main
from tests.conftest import KOTA, snapshot, write
from tests.publish.audit_support import NOW, AuditServer, Route, days_ago, page, rfc822, rss

RSS = "application/rss+xml"
NOW_ARG = NOW.isoformat()


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch):
    """No test reads a publish ledger it did not make."""
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture
def server():
    with AuditServer() as server:
        _sukamaju(server, days=2)
        server.add("/wp/", page("Lama Jaya", (RSS, server.url("/wp/feed/"))))
        server.add("/wp/feed/", Route(rss("Lama Jaya", [("1", rfc822(days_ago(12)))]),
                                      content_type=RSS))
        yield server


def _sukamaju(server: AuditServer, days: float) -> None:
    """Our site as the build writes it: the page links `feed.xml` next to it."""
    server.add("/kota/sukamaju/", page("Kelurahan Sukamaju", (RSS, "feed.xml")))
    server.add("/kota/sukamaju/feed.xml", Route(rss("Sukamaju", [
        ("a", rfc822(days_ago(days))), ("b", rfc822(days_ago(days + 7)))]), content_type=RSS))


def _city(content: Path, server: AuditServer, *, outside: bool = True) -> Path:
    kota = KOTA.replace("https://kelurahan.kotauji.example/", server.url("/kota/"))
    kota += "audit: {aktif_hari: 7, kurang_aktif_hari: 30}\n"
    if outside:
        kota += (f"situs_luar:\n  - nama: Kelurahan Lama Jaya\n    url: {server.url('/wp/')}\n"
                 f"    kecamatan: Kota Lama\n  - nama: Kelurahan Hilang\n"
                 f"    url: {server.url('/hilang/')}\n")
    write(content / "kota.yml", kota)
    return content


def _run(*args: str) -> int:
    return main(["audit", "--now", NOW_ARG, "--timeout", "2", "--izinkan-jaringan-lokal", *args])


def test_audit_writes_csv_json_html_and_exits_3_when_some_are_not_active(
        content, server, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    out = tmp_path / "hasil"
    assert _run("--content", str(_city(content, server)), "--out", str(out)) == 3
    raw = (out / "audit.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfnama;kecamatan;jenis;url;status;")  # Indonesian Excel
    rows = list(csv.DictReader((out / "audit.csv").open(encoding="utf-8-sig"), delimiter=";"))
    assert [(r["nama"], r["status"], r["jenis"]) for r in rows] == [
        ("Kelurahan Hilang", "tidak dapat diakses", "luar"),
        ("Kelurahan Lama Jaya", "kurang aktif", "luar"),
        ("Sukamaju", "aktif", "kota"),
    ]
    assert rows[0]["alasan"] == "HTTP 404 (tidak ditemukan)"
    assert rows[2]["terakhir"] == "2026-11-21T10:00:00+08:00"
    assert (rows[2]["hari_sejak"], rows[2]["kegiatan_7_hari"], rows[2]["kegiatan_30_hari"]) == ("2", "1", "2")
    assert rows[2]["mingguan"] == "0 0 0 0 0 0 0 0 0 0 1 1"
    assert rows[1]["kecamatan"] == "Kota Lama"
    data = json.loads((out / "audit.json").read_text("utf-8"))
    assert data["kota"] == "Kota Uji"
    assert data["waktu_audit"] == "2026-11-23T10:00:00+08:00"
    assert data["ringkasan"] == {"aktif": 1, "kurang aktif": 1, "tidak aktif": 0,
                                 "tidak dapat diakses": 1}
    assert data["situs"][2]["url"] == server.url("/kota/sukamaju/")
    assert data["situs"][2]["feed"] == server.url("/kota/sukamaju/feed.xml")
    shown = capsys.readouterr().out
    assert "Ringkasan: 1 tidak dapat diakses, 0 tidak aktif, 1 kurang aktif, 1 aktif" in shown
    assert shown.index("Kelurahan Hilang") < shown.index("Sukamaju")


def test_dashboard_has_counts_rows_sparklines_and_no_outside_resources(content, server, tmp_path):
    out = tmp_path / "hasil"
    _run("--content", str(_city(content, server)), "--out", str(out))
    html = (out / "audit.html").read_text("utf-8")
    assert '<html lang="id">' in html
    assert "Audit Situs Kelurahan — Kota Uji" in html
    assert "Senin, 23 November 2026, 10.00 WITA" in html
    assert html.count("<tr>") == 1 + 3
    assert html.count("<svg") == 2  # one per site with a feed
    assert '<span class="badge mati">tidak dapat diakses</span>' in html
    assert '<div class="card aktif"><b>1</b>aktif</div>' in html
    assert "21 November 2026" in html
    assert "@media print" in html and "<script>" in html
    assert "src=" not in html and "stylesheet" not in html


def test_history_shows_the_trend_against_the_previous_run(content, server, tmp_path):
    city, out, history = _city(content, server, outside=False), tmp_path / "o", tmp_path / "riwayat"
    _sukamaju(server, days=27)  # a week ago its last post was 20 days old
    week_ago = days_ago(7).isoformat()
    assert main(["audit", "--izinkan-jaringan-lokal", "--content", str(city), "--out", str(out), "--history", str(history),
                 "--now", week_ago, "--timeout", "2"]) == 3
    _sukamaju(server, days=2)
    assert _run("--content", str(city), "--out", str(out), "--history", str(history)) == 0
    assert sorted(p.name for p in history.iterdir()) == ["2026-11-16.json", "2026-11-23.json"]
    html = (out / "audit.html").read_text("utf-8")
    assert ("Situs aktif: <b>1</b> (audit sebelumnya, 16 November 2026: 0;\n"
            '<span class="naik">naik 1</span>).') in html
    assert "Riwayat audit" in html


def test_all_active_exits_0(content, server, tmp_path):
    city = _city(content, server, outside=False)
    assert _run("--content", str(city), "--out", str(tmp_path / "o")) == 0


def test_urls_and_sites_file_without_content(server, tmp_path):
    sites = write(tmp_path / "situs.csv", f"nama,url,kecamatan\nLama Jaya,{server.url('/wp/')},Kota Lama\n")
    out = tmp_path / "o"
    code = _run("--content", str(tmp_path / "tidak-ada"), "--sites", str(sites),
                "--url", server.url("/kota/sukamaju/"), "--out", str(out))
    assert code == 3
    data = json.loads((out / "audit.json").read_text("utf-8"))
    assert [(s["nama"], s["jenis"], s["status"]) for s in data["situs"]] == [
        ("Lama Jaya", "tambahan", "kurang aktif"),
        (server.url("/kota/sukamaju/"), "tambahan", "aktif"),
    ]
    assert data["ambang"] == {"aktif_hari": 7, "kurang_aktif_hari": 30}


def test_a_sites_file_without_its_columns_fails_with_exit_1_and_writes_nothing(tmp_path, capsys):
    sites = write(tmp_path / "situs.csv", "alamat\nhttp://x/\n")
    out = tmp_path / "o"
    assert _run("--content", str(tmp_path / "x"), "--sites", str(sites), "--out", str(out)) == 1
    assert ("baris pertama harus berisi kolom nama;url[;kecamatan] (atau dipisah koma); "
            "tidak ada kolom nama, url") in capsys.readouterr().err
    assert not out.exists()


def test_a_sites_file_with_only_bad_rows_says_so_and_writes_nothing(tmp_path, capsys):
    sites = write(tmp_path / "situs.csv", "nama,url\nA,ftp://x/\nB,\n")
    out = tmp_path / "o"
    assert _run("--content", str(tmp_path / "x"), "--sites", str(sites), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "tidak ada situs untuk diaudit" in err
    assert not out.exists()


EXCEL = ("sep=;\r\nNama;URL;Kecamatan\r\n"
         "Lama Jaya;HTTP://127.0.0.1:{port}/wp/;Kota Lama;\r\n"  # upper case, trailing ';'
         "Salah;ftp://x/;;\r\n"
         "=HYPERLINK(\"http://jahat/\");http://127.0.0.1:{port}/kota/sukamaju/;Kota Baru\r\n"
         "Lama Jaya lagi;http://127.0.0.1:{port}/wp;;\r\n")


def test_sites_file_as_indonesian_excel_saves_it(server, tmp_path, capsys):
    """`;`, a `sep=;` line, a BOM, `HTTP://`, a trailing separator: read. A bad row is skipped
    with its line, a duplicate is said, and no cell of audit.csv can run as a formula."""
    sites = tmp_path / "situs.csv"
    sites.write_bytes(b"\xef\xbb\xbf" + EXCEL.format(port=server.port).encode("utf-8"))
    out = tmp_path / "o"
    assert _run("--content", str(tmp_path / "x"), "--sites", str(sites), "--out", str(out)) == 3
    shown = capsys.readouterr().out
    assert ("⚠ situs.csv:4: url: harus alamat http:// atau https://, bukan 'ftp://x/'; "
            "baris dilewati") in shown
    assert (f"⚠ http://127.0.0.1:{server.port}/wp (situs.csv:6) sama dengan situs.csv:3; "
            "diperiksa sekali") in shown
    data = json.loads((out / "audit.json").read_text("utf-8"))
    assert [(s["nama"], s["kecamatan"]) for s in data["situs"]] == [
        ("Lama Jaya", "Kota Lama"), ('=HYPERLINK("http://jahat/")', "Kota Baru")]
    assert len(data["catatan"]) == 2
    rows = list(csv.DictReader((out / "audit.csv").open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[1]["nama"] == "'=HYPERLINK(\"http://jahat/\")"
    assert "Catatan tentang daftar situs" in (out / "audit.html").read_text("utf-8")


def test_invalid_content_fails_with_exit_1_and_leaves_previous_results(content, server, tmp_path, capsys):
    out = tmp_path / "o"
    _run("--content", str(_city(content, server)), "--out", str(out))
    before = snapshot(out)
    write(content / "kota.yml", "nama: Kota Uji\n")
    assert _run("--content", str(content), "--out", str(out)) == 1
    assert "kota.yml: alamat_situs:" in capsys.readouterr().out
    assert snapshot(out) == before


def test_unwritable_output_fails_with_exit_1(content, server, tmp_path, capsys):
    blocker = write(tmp_path / "berkas", "bukan folder")
    assert _run("--content", str(_city(content, server)), "--out", str(blocker)) == 1
    assert f"Gagal: tidak dapat menulis {blocker}/audit.csv" in capsys.readouterr().err
    assert blocker.read_text("utf-8") == "bukan folder"


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://lamajaya.example/", "--url: harus alamat http:// atau https://, bukan "
                                "'ftp://lamajaya.example/'"),
    ("http://[::1", "--url: alamat tidak sah (tanda kurung [ ] alamat IPv6 tidak lengkap): "
                    "'http://[::1'"),
    ("http://kel.example:99999/", "--url: alamat tidak sah (port harus angka 1–65535): "
                                  "'http://kel.example:99999/'"),
    ("http://kel contoh.example/", "--url: alamat tidak sah (nama host berisi spasi): "
                                   "'http://kel contoh.example/'"),
])
def test_bad_url_option_fails_with_exit_1(tmp_path, capsys, url, message):
    assert _run("--content", str(tmp_path), "--url", url, "--out", str(tmp_path / "o")) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_sites_file_rows_without_scheme_get_https_and_malformed_ones_are_list_errors(tmp_path):
    from publish.audit import read_sites_csv

    sites = write(tmp_path / "situs.csv", "nama;url\nA;www.kel-a.example\nB;kel-b.example/sukamaju\n"
                                          "C;http://[::1\nD;http://kel-d.example:99999/\n"
                                          "E;http://kel-e.example/\tx\nF;http://kel..f.example/\n"
                                          "G;203.0.113.7:8080/kel/\n")
    listed = read_sites_csv(sites)
    assert [target.url for target in listed.targets] == [
        "https://www.kel-a.example", "https://kel-b.example/sukamaju", "https://203.0.113.7:8080/kel/"]
    assert listed.notes == [
        "situs.csv:4: url: alamat tidak sah (tanda kurung [ ] alamat IPv6 tidak lengkap): "
        "'http://[::1'; baris dilewati",
        "situs.csv:5: url: alamat tidak sah (port harus angka 1–65535): "
        "'http://kel-d.example:99999/'; baris dilewati",
        "situs.csv:6: url: alamat tidak sah (alamat berisi spasi atau tab): "
        "'http://kel-e.example/\\tx'; baris dilewati",
        "situs.csv:7: url: alamat tidak sah (nama host tidak sah): "
        "'http://kel..f.example/'; baris dilewati"]


def test_the_same_site_with_a_fragment_or_tracking_parameters_is_audited_once():
    from publish.audit import Kind, Target
    from publish.audit.run import unique

    urls = ["https://kel.example/", "https://kel.example/#beranda",
            "https://KEL.example/?utm_source=whatsapp&fbclid=x1", "https://kel.example/?p=2"]
    sites, notes = unique([Target(f"S{n}", url, Kind.EXTRA, source=f"situs.csv:{n}")
                           for n, url in enumerate(urls, start=2)])
    assert [site.url for site in sites] == ["https://kel.example/", "https://kel.example/?p=2"]
    assert notes == [
        "https://kel.example/#beranda (situs.csv:3) sama dengan situs.csv:2; diperiksa sekali",
        "https://KEL.example/?utm_source=whatsapp&fbclid=x1 (situs.csv:4) sama dengan "
        "situs.csv:2; diperiksa sekali"]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, monkeypatch) -> str | None:
    """The ledger in SQLite, or in PostgreSQL through KELURAHAN_DATABASE_URL."""
    if request.param == "sqlite":
        return None
    url = request.getfixturevalue("fresh_postgres")
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", url)
    return url


def test_social_activity_comes_from_the_publish_ledger(content, server, tmp_path, monkeypatch,
                                                       database_url):
    from publish.social.ledger import Key, open_ledger
    from publish.social.outcome import Kind, Outcome

    state = tmp_path / "state"
    ledger = open_ledger(state, database_url)
    posted = days_ago(4)
    for channel, outcome in (("facebook", Outcome(Kind.PUBLISHED, platform_id="1")),
                             ("instagram", Outcome(Kind.REJECTED, "ditolak"))):
        claim = ledger.claim(Key("sukamaju", "2026-11-16-kerja-bakti", channel), posted, posted)
        ledger.finish(claim, outcome, posted)
    ledger.close()
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(state))
    out = tmp_path / "o"
    _run("--content", str(_city(content, server)), "--out", str(out))
    data = json.loads((out / "audit.json").read_text("utf-8"))
    sites = {s["nama"]: s for s in data["situs"]}
    assert sites["Sukamaju"]["sosial"] == {"facebook": posted.isoformat()}
    assert sites["Kelurahan Lama Jaya"]["sosial"] == {}
    rows = {r["nama"]: r for r in csv.DictReader((out / "audit.csv").open(encoding="utf-8-sig"), delimiter=";")}
    assert (rows["Sukamaju"]["facebook_terakhir"], rows["Sukamaju"]["instagram_terakhir"]) == (
        posted.isoformat(), "")
    html = (out / "audit.html").read_text("utf-8")
    assert "<th>Facebook terakhir</th>" in html and "Instagram terakhir" not in html
    assert "19 November 2026" in html


def test_a_corrupt_ledger_empties_the_social_columns_with_a_note(content, server, tmp_path,
                                                                monkeypatch, capsys):
    state = tmp_path / "state"
    state.mkdir()
    (state / "publish.sqlite3").write_bytes(b"bukan basis data SQLite" * 100)
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(state))
    out = tmp_path / "o"
    assert _run("--content", str(_city(content, server)), "--out", str(out)) == 3
    data = json.loads((out / "audit.json").read_text("utf-8"))
    assert [s["sosial"] for s in data["situs"]] == [{}, {}, {}]
    [note] = data["catatan"]
    assert note.startswith(f"kolom media sosial kosong: buku catatan publikasi {state}/publish.sqlite3 "
                           "tidak bisa dipakai (")
    assert "⚠ kolom media sosial kosong" in capsys.readouterr().out


def test_no_ledger_means_no_social_columns(content, server, tmp_path, monkeypatch):
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "kosong"))
    out = tmp_path / "o"
    _run("--content", str(_city(content, server)), "--out", str(out))
    assert "terakhir</th>" not in (out / "audit.html").read_text("utf-8").replace(
        "Kegiatan terakhir</th>", "")
    assert not (tmp_path / "kosong").exists()


def test_history_puts_last_weeks_slowest_sites_first(content, server, tmp_path):
    history = tmp_path / "riwayat"
    previous = {"kota": "Kota Uji", "waktu_audit": "2026-11-16T10:00:00+08:00",
                "jumlah_situs": 2, "ringkasan": {"aktif": 2},
                "situs": [{"url": server.url("/wp/"), "detik": 9.5},
                          {"url": server.url("/kota/sukamaju/"), "detik": 0.1}]}
    write(history / "2026-11-16.json", json.dumps(previous))
    city = _city(content, server, outside=True)
    assert _run("--content", str(city), "--out", str(tmp_path / "o"), "--history", str(history),
                "--concurrency", "1") == 3
    assert [hit for hit in server.hits if hit.endswith("/")][:3] == ["/wp/", "/wp/feed/", "/kota/sukamaju/"]


def test_thresholds_come_from_kota_yml(content, server, tmp_path):
    city = _city(content, server)
    kota = (city / "kota.yml").read_text("utf-8").replace(
        "audit: {aktif_hari: 7, kurang_aktif_hari: 30}", "audit: {aktif_hari: 14, kurang_aktif_hari: 60}")
    write(city / "kota.yml", kota)
    out = tmp_path / "o"
    _run("--content", str(city), "--out", str(out))
    data = json.loads((out / "audit.json").read_text("utf-8"))
    assert data["ambang"] == {"aktif_hari": 14, "kurang_aktif_hari": 60}
    assert {s["nama"]: s["status"] for s in data["situs"]}["Kelurahan Lama Jaya"] == "aktif"


def test_missing_content_without_urls_fails_with_exit_1(tmp_path, capsys):
    assert _run("--content", str(tmp_path / "tidak-ada"), "--out", str(tmp_path / "o")) == 1
    assert "tidak-ada: folder: folder konten tidak ditemukan" in capsys.readouterr().out
    assert not (tmp_path / "o").exists()


def test_without_kota_yml_an_explicit_now_offset_is_kept(server, tmp_path):
    out = tmp_path / "o"
    assert main(["audit", "--izinkan-jaringan-lokal", "--content", str(tmp_path / "x"),
                 "--url", server.url("/kota/sukamaju/"), "--now", "2026-11-23T10:00+09:00",
                 "--out", str(out)]) == 0
    data = json.loads((out / "audit.json").read_text("utf-8"))
    assert data["waktu_audit"] == "2026-11-23T10:00:00+09:00"
    assert "Audit Situs Kelurahan</h1>" in (out / "audit.html").read_text("utf-8")


def test_outputs_are_replaced_together_and_stale_temporary_files_removed(content, server, tmp_path):
    out = tmp_path / "o"
    _run("--content", str(_city(content, server)), "--out", str(out))
    (out / ".audit.json.k1ll3d.tmp").write_text("{", "utf-8")  # a run killed while writing
    _run("--content", str(content), "--out", str(out), "--now", "2026-11-30T10:00:00+08:00")
    assert sorted(p.name for p in out.iterdir()) == ["audit.csv", "audit.html", "audit.json"]
    rows = list(csv.DictReader((out / "audit.csv").open(encoding="utf-8-sig"), delimiter=";"))
    data = json.loads((out / "audit.json").read_text("utf-8"))
    assert {row["waktu_audit"] for row in rows} == {data["waktu_audit"]} == {"2026-11-30T10:00:00+08:00"}


def test_a_run_interrupted_while_writing_leaves_every_previous_file(tmp_path):
    from publish.audit.writers import write_files

    old = {name: write(tmp_path / name, f"lama {name}") for name in ("audit.csv", "audit.json")}

    def interrupted(out) -> None:
        out.write("setengah")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_files([(old["audit.csv"], lambda out: out.write("baru")),
                     (old["audit.json"], interrupted)])
    assert {p.name: p.read_text("utf-8") for p in tmp_path.iterdir()} == {
        "audit.csv": "lama audit.csv", "audit.json": "lama audit.json"}
