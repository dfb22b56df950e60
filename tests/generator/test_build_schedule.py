"""`kelurahan build` and `kelurahan post` say when a post that is not visible yet will appear."""

from __future__ import annotations

from pathlib import Path

import pytest

from kelurahan.cli import main

REPO = Path(__file__).resolve().parents[2]


def build(content: Path, out: Path, now: str) -> int:
    return main(["build", "--content", str(content), "--out", str(out), "--jobs", "1",
                 "--now", now])


def test_build_says_when_each_waiting_post_appears(content: Path, tmp_path: Path, capsys,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(REPO)
    out = tmp_path / "site"
    post = content / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti.md"
    assert build(content, out, "2026-11-16T08:04") == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "Belum tampil (muncul sendiri pada build pertama setelah waktunya):",
        f'  {post}: "Kerja Bakti Bersih Sungai" tampil Senin, 16 November 2026 pukul 09.00 WITA']
    assert build(content, out, "2026-11-16T08:09") == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Tidak ada perubahan: 1 situs sudah terbaru di {out}/.",
        "Belum tampil (muncul sendiri pada build pertama setelah waktunya):",
        "  sukamaju: kegiatan terjadwal berikutnya tampil Senin, 16 November 2026 pukul 09.00 WITA"]
    assert build(content, out, "2026-11-16T09:00") == 0
    assert capsys.readouterr().out.strip() == (
        f"Selesai: 1 situs dibangun ulang, 0 tidak berubah; portal kota di {out}/index.html")
    assert (out / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti" / "index.html").is_file()


def test_post_says_when_it_appears(content: Path, capsys) -> None:
    assert main(["post", "sukamaju", "Posyandu Mawar", "--content", str(content),
                 "--now", "2026-12-01T08:04"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "Kegiatan ini tampil Selasa, 1 Desember 2026 pukul 09.00 WITA (jam_terbit di kota.yml; "
        "ubah dengan 'jadwal:'), pada build pertama setelah waktu itu.")
    # 01:30 UTC is 09:30 in Makassar: today's publishing hour has passed.
    assert main(["post", "sukamaju", "Rapat RW", "--content", str(content),
                 "--now", "2026-12-01T01:30+00:00"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "Kegiatan ini tampil pada build berikutnya (jam terbit hari ini sudah lewat).")


def test_an_unwritten_post_and_an_ending_announcement_are_not_said_to_appear(
        content: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """A post `kelurahan post` started and nobody wrote is never published, and an
    announcement's last day is not a post: both were listed under "Belum tampil"."""
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(REPO)
    assert main(["post", "sukamaju", "Posyandu Mawar", "--content", str(content),
                 "--now", "2026-12-01T08:04"]) == 0
    (content / "sukamaju" / "pengumuman").mkdir(exist_ok=True)
    (content / "sukamaju" / "pengumuman" / "air.md").write_text(
        "---\njudul: Air PDAM mati\nberlaku_sampai: 2026-12-05\n---\nSabar ya.\n", "utf-8")
    out = tmp_path / "site"
    assert build(content, out, "2026-12-01T08:05") == 0
    assert "Belum tampil" not in capsys.readouterr().out
    assert build(content, out, "2026-12-01T08:10") == 0  # nothing changed: told from the records
    assert capsys.readouterr().out.splitlines() == [
        f"Tidak ada perubahan: 1 situs sudah terbaru di {out}/."]
