"""The build engine: incremental decisions, staging and the all-or-nothing swap, --only, --jobs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from generator.build import BuildOptions, BuildReport, build
from kelurahan.cli import main
from kelurahan.errors import ContentError, KelurahanError
from kelurahan.problems import Problem
from tests.conftest import snapshot, write
from tests.generator.site_support import CITY_NOW, REPO, add_kelurahan, run_build

NEW_POST = """\
---
judul: Posyandu Balita RW 02
tanggal: 2026-11-21
kategori: [Kesehatan]
---
Penimbangan balita di posyandu.
"""


def _inodes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def _leftovers(out: Path) -> list[str]:
    return [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.baru-")]


@pytest.fixture
def two(content: Path) -> Path:
    add_kelurahan(content, "mekarsari", "Mekarsari")
    return content


def test_first_build_then_nothing_changed_does_nothing(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = run_build(content, out)
    assert (first.built, first.portal) == (["sukamaju"], True)
    before = snapshot(out)
    again = run_build(content, out)
    assert (again.built, again.portal, again.unchanged) == ([], False, ["sukamaju"])
    assert snapshot(out) == before


def test_one_new_post_rebuilds_that_site_and_the_portal_only(two: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_build(two, out)
    untouched = _inodes(out / "mekarsari")
    write(two / "sukamaju" / "kegiatan" / "2026-11-21-posyandu.md", NEW_POST)
    report = run_build(two, out)
    assert (report.built, report.unchanged, report.portal) == (["sukamaju"], ["mekarsari"], True)
    assert _inodes(out / "mekarsari") == untouched  # not even rewritten
    assert (out / "sukamaju/kegiatan/2026-11-21-posyandu/index.html").is_file()
    portal = (out / "index.html").read_text("utf-8")
    assert "Posyandu Balita RW 02" in portal
    assert '<li><a href="mekarsari/">Kelurahan Mekarsari</a>' in portal
    assert _leftovers(out) == []


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(two: Path, tmp_path: Path) -> None:
    """Unchanged files are not re-read (their metadata is remembered); a same-size edit with
    its mtime put back still changes the file's ctime, so it is rebuilt."""
    out = tmp_path / "site"
    run_build(two, out)
    post = next((two / "sukamaju" / "kegiatan").glob("*.md"))
    before = post.stat()
    text = post.read_text("utf-8")
    post.write_text(text.replace("a", "o", 1), "utf-8")
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert post.stat().st_size == before.st_size and post.stat().st_mtime_ns == before.st_mtime_ns
    assert run_build(two, out).built == ["sukamaju"]


def test_a_fresh_copy_of_unchanged_content_is_not_rebuilt(two: Path, tmp_path: Path) -> None:
    """A new clone (new inodes and times, same bytes) is read again but matches: nothing to do."""
    out = tmp_path / "site"
    run_build(two, out)
    clone = tmp_path / "klon"
    shutil.copytree(two, clone)
    shutil.rmtree(two)
    clone.rename(two)
    assert run_build(two, out).built == []


def test_changes_outside_a_kelurahan_rebuild_every_site(two: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_build(two, out)
    kota = two / "kota.yml"
    kota.write_text(kota.read_text("utf-8").replace("Kota Uji", "Kota Uji Baru"), "utf-8")
    assert run_build(two, out).built == ["mekarsari", "sukamaju"]
    assert run_build(two, out, force=True).built == ["mekarsari", "sukamaju"]


def test_deleted_output_is_rebuilt(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_build(content, out)
    (out / "sukamaju" / "index.html").unlink()
    assert run_build(content, out).built == ["sukamaju"]


def test_scheduled_post_appears_when_its_time_comes_without_any_file_change(
        content: Path, tmp_path: Path) -> None:
    write(content / "sukamaju" / "kegiatan" / "2026-11-21-posyandu.md",
          NEW_POST.replace("tanggal: 2026-11-21", "tanggal: 2026-11-21\njadwal: 2026-11-25T08:00"))
    out = tmp_path / "site"
    page = out / "sukamaju/kegiatan/2026-11-21-posyandu/index.html"
    run_build(content, out, now="2026-11-25T07:59:00+08:00")
    assert not page.exists()
    assert run_build(content, out, now="2026-11-25T07:59:30+08:00").built == []
    assert run_build(content, out, now="2026-11-25T08:00:00+08:00").built == ["sukamaju"]
    assert page.is_file()
    assert run_build(content, out, now="2026-11-24T08:00:00").built == ["sukamaju"]
    assert not page.exists()


def test_invalid_content_leaves_the_previous_site_exactly(two: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_build(two, out)
    before = snapshot(out)
    write(two / "sukamaju" / "kegiatan" / "2026-11-21-posyandu.md", NEW_POST)
    ktp = two / "sukamaju" / "layanan" / "ktp-el.md"
    ktp.write_text(ktp.read_text("utf-8").replace(
        "syarat:\n  - Surat pengantar RT/RW\n  - Fotokopi Kartu Keluarga", "syarat: []"), "utf-8")
    failure = _held(run_build(two, out))
    assert [(p.path, p.field) for p in failure] == [(str(ktp), "syarat")]
    assert snapshot(out) == before
    assert _leftovers(out) == []


@pytest.mark.parametrize("force", [False, True], ids=["incremental", "full"])
def test_a_nik_stops_the_build_with_file_and_line_and_writes_nothing(
        two: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], force: bool) -> None:
    out = tmp_path / "site"
    run_build(two, out)
    before = snapshot(out)
    post = write(two / "sukamaju" / "kegiatan" / "2026-11-21-posyandu.md",
                 NEW_POST.replace("Penimbangan", "Bantuan untuk NIK 6471010101900001.\nPenimbangan"))
    failure = _held(run_build(two, out, force=force))
    assert [str(p) for p in failure] == [
        f"{post}:6: data pribadi: memuat 16 digit seperti NIK/KK (6471••••••••0001); "
        "hapus data pribadi warga (UU PDP No. 27/2022)"]
    assert snapshot(out) == before
    assert _leftovers(out) == []
    assert "6471010101900001" not in "".join(p.read_text("utf-8", "ignore")
                                            for p in out.rglob("*.html"))


def test_a_menu_that_cannot_fit_whatsapp_stops_the_build_as_check_does(
        two: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    run_build(two, out)
    before = snapshot(out)
    kk = two / "sukamaju" / "layanan" / "kk.md"
    kk.write_text(kk.read_text("utf-8").replace("kata_kunci: [kk, kartu keluarga]",
                                                "kata_kunci: [kk, menu]"), "utf-8")
    expected = f"{kk}:5: kata_kunci: kata kunci 'menu' sudah dipakai bot sebagai perintah"
    with pytest.raises(ContentError) as failure:
        run_build(two, out)  # the incremental path: only sukamaju is loaded
    assert [str(p) for p in failure.value.problems] == [expected + "; pilih kata lain"]
    assert snapshot(out) == before
    assert main(["check", "--content", str(two)]) == 1
    assert expected in capsys.readouterr().out


def test_a_changed_kelurahan_cannot_take_the_name_of_an_unchanged_one(
        two: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_build(two, out)
    before = snapshot(out)
    profile = two / "mekarsari" / "profil.md"
    profile.write_text(profile.read_text("utf-8").replace("nama: Mekarsari", "nama: SUKAMAJU"))
    failure = _held(run_build(two, out))
    assert [str(p) for p in failure] == [
        f"{profile}:2: nama: nama kelurahan sukamaju sudah dipakai oleh {two}/sukamaju/profil.md"]
    assert snapshot(out) == before


def test_a_changed_kelurahan_cannot_list_a_staff_number_of_an_unchanged_one(
        two: Path, tmp_path: Path) -> None:
    """The bot could not tell where a photo from a number listed twice belongs."""
    staff = 'petugas:\n  - {nama: Siti Rahma, whatsapp: "0812-5555-0101"}\nlurah:'
    unchanged, changed = two / "mekarsari" / "profil.md", two / "sukamaju" / "profil.md"
    unchanged.write_text(unchanged.read_text("utf-8").replace("lurah:", staff), "utf-8")
    out = tmp_path / "site"
    run_build(two, out)
    before = snapshot(out)
    changed.write_text(changed.read_text("utf-8").replace("lurah:", staff), "utf-8")
    failure = _held(run_build(two, out))  # only sukamaju is loaded
    assert [str(p) for p in failure] == [
        f"{changed}:4: petugas: nomor +6281255550101 juga tercantum sebagai petugas di "
        f"{unchanged}; satu nomor hanya boleh untuk satu kelurahan"]
    assert snapshot(out) == before


@pytest.mark.parametrize("force", [False, True], ids=["incremental", "force"])
def test_a_kecamatan_written_another_way_stops_the_build(
        two: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], force: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Incremental: the changed one against the recorded summaries of the unchanged one. The
    other kelurahan is not held back with it (here it has nothing to rebuild)."""
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    out = tmp_path / "site"
    run_build(two, out)
    before = snapshot(out)
    profile = two / "sukamaju" / "profil.md"
    profile.write_text(profile.read_text("utf-8").replace("kecamatan: Kota Baru",
                                                          "kecamatan: Kota-Baru"), "utf-8")
    expected = (f"{profile}:3: kecamatan: kecamatan 'Kota-Baru' ditulis 'Kota Baru' di "
                f"{two}/mekarsari/profil.md; keduanya kecamatan yang sama, samakan penulisan "
                "nama kecamatan (huruf besar/kecil, spasi, tanda baca)")
    failure = _held(run_build(two, out, force=force))
    assert [str(p) for p in failure] == [expected]
    assert snapshot(out) == before
    assert _leftovers(out) == []
    assert main(["build", "--content", str(two), "--out", str(out), "--now", CITY_NOW]) == 3
    assert capsys.readouterr().out == expected + "\n"
    assert snapshot(out) == before


def _project_with_card_theme(root: Path, slug: str, theme: str) -> Path:
    """A copy of the repository's mkdocs.yml and themes with one kelurahan's card theme added."""
    project = root / "proyek"
    shutil.copytree(REPO / "themes", project / "themes")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    write(project / "themes" / "cards" / f"{slug}.yml", theme)
    return project


def test_a_site_that_fails_is_named_and_nothing_is_swapped(two: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    project = _project_with_card_theme(tmp_path, "sukamaju", "logo: {posisi: tengah}\n")
    options = BuildOptions(content_dir=two, out_dir=out, state_dir=tmp_path / "state",
                           project_root=project, now=dt.datetime.fromisoformat(CITY_NOW),
                           only=("mekarsari",))
    build(options)
    before = snapshot(out)
    write(two / "mekarsari" / "kegiatan" / "2026-11-21-posyandu.md", NEW_POST)
    with pytest.raises(KelurahanError) as failure:
        build(dataclasses.replace(options, only=(), jobs=2))
    assert str(failure.value) == (
        "1 situs kelurahan gagal dibangun; situs lama tidak diubah:\n"
        f"  sukamaju: {project / 'themes/cards/sukamaju.yml'}: logo.posisi: harus 'kiri' atau "
        "'kanan', bukan 'tengah'")
    assert snapshot(out) == before
    assert _leftovers(out) == []


@pytest.mark.parametrize("damage", ["not an image", "truncated"])
def test_a_broken_photo_never_fails_its_site(content: Path, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "site"
    photo = content / "sukamaju" / "media" / "2026-11-16-kerja-bakti-1.jpg"
    data = photo.read_bytes()
    photo.write_bytes(b"ini bukan foto" if damage == "not an image" else data[: len(data) // 2])
    before = snapshot(content)
    report = run_build(content, out)
    reason = ("bukan berkas gambar yang dikenali; pakai foto JPEG, PNG atau WebP"
              if damage == "not an image" else
              "rusak atau terpotong (berkas tidak utuh, mungkin belum selesai disalin atau "
              "diunduh); salin ulang foto aslinya")
    post = content / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti.md"
    assert report.built == ["sukamaju"]
    assert report.warnings[0] == (f"sukamaju: {post}: foto #1: media/2026-11-16-kerja-bakti-1.jpg: "
                                  f"foto {reason}; kegiatan ini tampil tanpa foto itu")
    assert report.warnings[1].startswith("sukamaju: kartu: 2026-11-16-kerja-bakti: foto ")
    page = (out / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti" / "index.html").read_text()
    assert "Kerja Bakti Bersih Sungai" in page and "<figure>" not in page
    assert (out / "sukamaju" / "kartu" / "2026-11-16-kerja-bakti" / "facebook.jpg").is_file()
    assert snapshot(content) == before


def test_parallel_build_makes_the_same_files(two: Path, tmp_path: Path) -> None:
    serial, parallel = tmp_path / "a" / "site", tmp_path / "b" / "site"
    run_build(two, serial, jobs=1)
    assert run_build(two, parallel, jobs=2).built == ["mekarsari", "sukamaju"]
    assert snapshot(serial) == snapshot(parallel)  # every file, byte for byte


def test_only_builds_the_named_kelurahan(two: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_build(two, out, only=("mekarsari",)).built == ["mekarsari"]
    assert not (out / "sukamaju").exists()
    assert "sukamaju/" not in (out / "index.html").read_text("utf-8")


def test_cli_unknown_only_is_a_clear_error(content: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    out = tmp_path / "site"
    code = main(["build", "--content", str(content), "--out", str(out), "--only", "sukamju"])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "Gagal: kelurahan tidak dikenal: sukamju; maksud Anda sukamaju? (yang ada: sukamaju)")
    assert not out.exists()


def test_cli_build_says_what_it_did(content: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    out = tmp_path / "site"
    args = ["build", "--content", str(content), "--out", str(out), "--jobs", "1",
            "--now", "2026-11-23T10:00"]
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == (
        f"Selesai: 1 situs dibangun ulang, 0 tidak berubah; portal kota di {out}/index.html")
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == f"Tidak ada perubahan: 1 situs sudah terbaru di {out}/."
    assert os.listdir(tmp_path / "state" / "build")


def test_cli_build_collects_garbage_rarely_only_while_it_builds(content: Path, tmp_path: Path,
                                                                 monkeypatch) -> None:
    """The raised collection threshold is the build's; a process calling the CLI (the tests,
    a wrapper) gets its own back, even when the build fails."""
    import gc

    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    seen = []

    def plan(*args: object) -> None:
        seen.append(gc.get_threshold())
        raise KelurahanError("berhenti di sini")

    monkeypatch.setattr("generator.build._plan", plan)
    before = gc.get_threshold()
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "site")]) == 1
    assert seen == [(100_000, 20, 20)]
    assert gc.get_threshold() == before


def test_leftovers_of_a_killed_build_are_cleared(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write(tmp_path / ".site.baru-99999" / "sukamaju" / "index.html", "setengah jadi")
    run_build(content, out)
    assert _leftovers(out) == []


def test_one_hash_file_per_photo_of_older_versions_is_deleted(content: Path, tmp_path: Path) -> None:
    """Earlier versions kept a hash file per photo (8,850 for a city); they are now one per
    photo folder, and the old ones must not stay on the server forever."""
    import time

    out = tmp_path / "site"
    legacy = tmp_path / "state" / "cache" / "foto" / "stat"
    write(legacy / "3f2a", "0123456789abcdef0123")
    run_build(content, out)
    deadline = time.monotonic() + 10
    while legacy.exists() and time.monotonic() < deadline:  # deleted in the background
        time.sleep(0.05)
    assert not legacy.exists()
    assert list((tmp_path / "state" / "cache" / "foto" / "sidik").glob("*.json"))


def test_a_second_build_of_the_same_output_waits_its_turn(content: Path, tmp_path: Path) -> None:
    import fcntl
    import hashlib

    out = tmp_path / "site"
    key = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    lock = tmp_path / "state" / "build" / f"{key}.lock"
    lock.parent.mkdir(parents=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(KelurahanError) as refused:
            run_build(content, out)
    assert str(refused.value) == (
        f"build lain sedang berjalan untuk {out}; tunggu sampai selesai lalu coba lagi")
    assert not out.exists()
    assert run_build(content, out).built == ["sukamaju"]


def test_a_deleted_kelurahan_leaves_the_site_and_the_portal(two: Path, tmp_path: Path) -> None:
    import shutil

    out = tmp_path / "site"
    run_build(two, out)
    shutil.rmtree(two / "mekarsari")
    report = run_build(two, out)
    assert (report.built, report.removed, report.portal) == ([], ["mekarsari"], True)
    assert not (out / "mekarsari").exists()
    assert "mekarsari/" not in (out / "index.html").read_text("utf-8")
    assert (out / "sukamaju" / "index.html").is_file()


def test_folders_read_by_the_workers_give_the_problems_check_gives(two: Path,
                                                                  tmp_path: Path) -> None:
    """A build with workers reads the kelurahan folders in them; every problem comes back, in
    the order `kelurahan check` (one process) reports it, and nothing is written."""
    from kelurahan import check

    out = tmp_path / "site"
    run_build(two, out)
    before = snapshot(out)
    for slug, extra in (("mekarsari", "Bantuan untuk NIK 6471010101900001."),
                        ("sukamaju", "Hubungi 3273012345670009 untuk info.")):
        write(two / slug / "kegiatan" / "2026-11-21-posyandu.md",
              NEW_POST.replace("Penimbangan", f"{extra}\nPenimbangan").replace(
                  "kategori:", "catatan_rahasia: ya\nkategori:"))
    found = [str(p) for p in check(two).problems]
    errors = [str(p) for p in check(two).problems if p.is_error]
    assert len(errors) == 2 and "mekarsari" in errors[0] and "sukamaju" in errors[1]
    assert len(found) > len(errors)  # the unknown keys are warnings
    failure = _held(run_build(two, out, jobs=2, force=True))
    assert [str(p) for p in failure] == errors
    assert snapshot(out) == before and _leftovers(out) == []
    for slug in ("mekarsari", "sukamaju"):
        post = two / slug / "kegiatan" / "2026-11-21-posyandu.md"
        post.write_text(post.read_text("utf-8").replace("6471010101900001", "").replace(
            "3273012345670009", "kantor kelurahan"), "utf-8")
    warnings = [str(p) for p in check(two).problems]
    assert len(warnings) == 2 and not any(p.is_error for p in check(two).problems)
    report = run_build(two, out, jobs=2, force=True)
    assert [str(p) for p in report.content_warnings] == warnings


def test_a_live_site_rebuilt_alone_is_the_site_built_among_others(two: Path,
                                                                  tmp_path: Path) -> None:
    """A live site rebuilt alone (one new post with a new photo, as after Terbitkan) has its
    new photo decoded first and its cards drawn after mkdocs; built among others, cards come
    first. The same files, byte for byte."""
    from tests.generator.cards_support import add_post, detailed_photo, media

    alone, among = tmp_path / "a" / "site", tmp_path / "b" / "site"
    assert run_build(two, alone).built == ["mekarsari", "sukamaju"]
    detailed_photo((1600, 1200), seed=7).save(media(two, "2026-11-22-posyandu-1.jpg"), quality=90)
    add_post(two, "2026-11-22-posyandu", "Posyandu Balita RW 02", photo="2026-11-22-posyandu-1.jpg")
    assert run_build(two, alone).built == ["sukamaju"]
    assert run_build(two, among).built == ["mekarsari", "sukamaju"]
    files = snapshot(alone / "sukamaju")
    assert "kartu/2026-11-22-posyandu/instagram.jpg" in files
    assert len([name for name in files if name.startswith("foto/")]) == 6  # 3 copies × 2 photos
    assert files == snapshot(among / "sukamaju")


def _held(report: BuildReport) -> list[Problem]:
    """The errors that held kelurahan back: their live sites stay, nothing else is stopped."""
    assert report.held
    return report.held_problems


def test_one_kelurahan_with_a_typo_does_not_stop_the_others(
        two: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo in sukamaju used to stop the whole city's build (and with it the timer's
    publish): mekarsari's post that came due stayed hidden until someone fixed sukamaju."""
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    out = tmp_path / "site"
    write(two / "mekarsari" / "kegiatan" / "2026-11-24-posyandu.md",
          NEW_POST.replace("tanggal: 2026-11-21", "tanggal: 2026-11-24\njadwal: 2026-11-24T08:00"))
    run_build(two, out)  # 2026-11-23: the post is not due yet
    sukamaju = {k: v for k, v in snapshot(out).items() if k.startswith("sukamaju/")}
    assert not (out / "mekarsari/kegiatan/2026-11-24-posyandu").exists()
    ktp = two / "sukamaju" / "layanan" / "ktp-el.md"
    ktp.write_text(ktp.read_text("utf-8").replace("syarat:", "sayrat:"), "utf-8")

    code = main(["build", "--content", str(two), "--out", str(out), "--jobs", "1",
                 "--now", "2026-11-24T09:00:00+08:00"])

    printed = capsys.readouterr()
    assert code == 3
    assert printed.out.splitlines()[0].startswith(f"{ktp}:")
    assert "Selesai: 1 situs dibangun ulang" in printed.out
    assert printed.err.strip() == (
        "Gagal sebagian: sukamaju tidak dibangun karena "
        f"{printed.out.count(str(ktp))} masalah pada kontennya (situsnya yang lama tetap "
        "tayang); kelurahan lain tidak ikut tertahan. Perbaiki lalu build lagi.")
    assert (out / "mekarsari/kegiatan/2026-11-24-posyandu/index.html").is_file()
    assert {k: v for k, v in snapshot(out).items() if k.startswith("sukamaju/")} == sukamaju
    assert _leftovers(out) == []

    ktp.write_text(ktp.read_text("utf-8").replace("sayrat:", "syarat:"), "utf-8")
    assert main(["build", "--content", str(two), "--out", str(out), "--jobs", "1",
                 "--now", "2026-11-24T09:00:00+08:00"]) == 0
    assert capsys.readouterr().out.startswith("Tidak ada perubahan: 2 situs")  # as it is live


def test_a_broken_logo_is_told_in_indonesian_without_module_names(content: Path,
                                                                     tmp_path: Path) -> None:
    """The build printed `WARNING generator.site.images: … (cannot identify image file …)`."""
    import subprocess
    import sys

    (content / "sukamaju" / "media" / "logo.png").write_bytes(b"bukan gambar")
    result = subprocess.run(
        [sys.executable, "-m", "kelurahan.cli", "build", "--content", str(content), "--out",
         str(tmp_path / "site"), "--jobs", "1", "--now", CITY_NOW],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "KELURAHAN_STATE_DIR": str(tmp_path / "state")})
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "logo" in line]
    assert warned and all(line.startswith("Peringatan: ") for line in warned), result.stderr
    assert "WARNING" not in result.stderr and "cannot identify" not in result.stderr
