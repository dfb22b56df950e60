"""What the CLI does with the world's failures: one Indonesian line with the path, no traceback."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kelurahan.cli import main
from kelurahan.errors import describe_os_error
from tests.conftest import replace_text, snapshot

REPO = Path(__file__).resolve().parents[2]


def _build(content: Path, out: Path, *extra: str) -> int:
    return main([*extra, "build", "--content", str(content), "--out", str(out), "--jobs", "1",
                 "--now", "2026-11-23T10:00"])


def test_out_under_a_file_is_one_line(content: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    before = snapshot(content)
    assert _build(content, blocker / "site") == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"Gagal: {blocker}/.site.baru-{os.getpid()}: bagian jalurnya berkas, "
                   "bukan folder")
    assert snapshot(content) == before and blocker.read_text() == "x"


@pytest.mark.skipif(not os.path.isdir("/sys/kernel"), reason="needs a read-only /sys")
def test_out_without_permission_is_one_line(content: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert _build(content, Path("/sys/kelurahan-situs")) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"Gagal: /sys/.kelurahan-situs.baru-{os.getpid()}: ")
    assert err.endswith(("tidak diizinkan; periksa pemilik dan izin folder itu",
                         "tidak ada izin; periksa pemilik dan izin folder itu",
                         "sistem berkas hanya-baca; pilih folder lain"))
    assert "\n" not in err and "Traceback" not in err


def test_debug_shows_the_traceback(content: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    with pytest.raises(NotADirectoryError):
        _build(content, blocker / "site", "--debug")


@pytest.mark.parametrize("code, path, expected", [
    (errno.ENOSPC, "/srv/situs/sukamaju/index.html",
     "/srv/situs/sukamaju/index.html: disk penuh; kosongkan ruang disk lalu coba lagi"),
    (errno.EACCES, "/srv/situs", "/srv/situs: tidak ada izin; periksa pemilik dan izin folder itu"),
    (errno.ELOOP, "/srv/a", "/srv/a: kesalahan sistem (ELOOP)"),
    (errno.ETIMEDOUT, None, "waktu sambungan habis"),
])
def test_os_errors_in_indonesian(code: int, path: str | None, expected: str) -> None:
    assert describe_os_error(OSError(code, os.strerror(code), path)) == expected


def test_build_shows_content_warnings(content: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    replace_text(content / "sukamaju/profil.md", "lurah:", "catatan_lurah: x\nlurah:")
    assert _build(content, tmp_path / "site") == 0
    output = capsys.readouterr()
    assert output.err.splitlines() == [
        f"{content}/sukamaju/profil.md:4: catatan_lurah: peringatan: kunci tidak dikenal, "
        "diabaikan"]
    assert output.out.startswith("Selesai: 1 situs dibangun ulang")


def test_click_speaks_indonesian_in_help_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Penggunaan: kelurahan [OPSI] PERINTAH [ARGUMEN]...")
    assert "\nOpsi:\n" in shown and "\nPerintah:\n" in shown
    assert "Tampilkan bantuan ini lalu keluar." in shown and "Tampilkan versi lalu keluar." in shown
    assert main(["build", "--jbos", "2"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "Penggunaan: kelurahan build [OPSI]", "Lihat 'kelurahan build --help' untuk bantuan.",
        "", "Galat: Tidak ada opsi '--jbos'. Maksud Anda '--jobs'?"]
    assert main(["new"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == "Galat: Argumen belum diisi 'SLUG'."
    assert main(["build", "--jobs", "x"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "Galat: Nilai tidak sah untuk '--jobs': 'x' bukan angka yang sah.")


def test_every_translated_click_text_is_one_click_still_uses() -> None:
    """A click upgrade that rewords a message would silently bring English back."""
    import click

    from kelurahan.cli.bahasa import PLURALS, WORDS

    source = "".join(p.read_text("utf-8") for p in Path(click.__file__).parent.glob("*.py"))
    unused = [text for text in [*WORDS, *PLURALS]
              if '"' + text.encode("unicode_escape").decode("ascii") + '"' not in source]
    assert unused == []


def test_verbose_logs_never_quote_request_addresses(content: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """`-v` showed urllib3's request lines: a media download URL, a Graph access_token."""
    import http.server
    import logging
    import threading

    import requests

    caplog.set_level(logging.DEBUG)
    assert main(["-v", "check", "--content", str(content)]) == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        requests.get(f"http://127.0.0.1:{server.server_address[1]}/foto?access_token=RAHASIA",
                     timeout=5)
    finally:
        server.shutdown()
    assert "RAHASIA" not in caplog.text
