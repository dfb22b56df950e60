"""A sharded build (4 shard processes + the merge) gives the same site as one machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synth import generate
from kelurahan.cli import main
from kelurahan.outputs import SHARD_SUMMARIES, PortalSite, ShardSummaries, SiteIdentity
from kelurahan.shards import shard_number

NOW = "2026-11-20T10:00+08:00"
# Kept from a synthetic city so that each of 4 shards holds at least one (shard 4 holds two).
KEPT = ("kelurahan-001", "kelurahan-002", "kelurahan-003", "kelurahan-004", "kelurahan-014")
ENGINE_VARIABLES = ("JOB_COMPLETION_INDEX", "CI_NODE_INDEX", "CI_NODE_TOTAL")


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = generate(tmp_path_factory.mktemp("provinsi") / "content", kelurahan=14, posts=2,
                       photo_pool=2)
    for folder in content.iterdir():
        if folder.is_dir() and folder.name not in KEPT:
            shutil.rmtree(folder)
    return content


def _kelurahan(args: list[str], state: Path, **env: str) -> subprocess.Popen:
    """The real command in its own process with its own state folder, like one machine."""
    clean = {k: v for k, v in os.environ.items() if k not in ENGINE_VARIABLES}
    command = [sys.executable, "-m", "kelurahan.cli", "build", "--now", NOW, "--jobs", "1", *args]
    return subprocess.Popen(command, env={**clean, "KELURAHAN_STATE_DIR": str(state), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finished(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


def _files(root: Path) -> dict[str, bytes]:
    """Every file under root (through symbolic links, as a web server sees them), byte for byte
    (cards too: their sRGB profile carries a fixed date, generator/cards/render.py)."""
    return {str(path.relative_to(root)): path.read_bytes()
            for folder, _, names in os.walk(root, followlinks=True)
            for path in (Path(folder, name) for name in names)}


def test_four_shards_and_the_merge_equal_one_machine(province: Path, tmp_path: Path) -> None:
    single = _kelurahan(["--content", str(province), "--out", str(tmp_path / "satu")],
                        tmp_path / "state-satu")
    shards = [
        # Two shards named on the command line, two from a Kubernetes Indexed Job's index.
        _kelurahan(["--content", str(province), "--out", str(tmp_path / "hasil" / f"shard-{n}"),
                    *(["--shard", f"{n}/4"] if n <= 2 else ["--shard-count", "4"])],
                   tmp_path / f"state-{n}", **({} if n <= 2 else {"JOB_COMPLETION_INDEX": str(n - 1)}))
        for n in range(1, 5)]
    for process in [single, *shards]:
        _finished(process)
    held = {}
    for n in range(1, 5):
        summaries = ShardSummaries.model_validate_json(
            (tmp_path / "hasil" / f"shard-{n}" / SHARD_SUMMARIES).read_bytes())
        assert (summaries.shard, summaries.shard_count) == (n, 4)
        held[n] = [site.slug for site in summaries.sites]
        assert held[n] and all(shard_number(slug, 4) == n for slug in held[n])
    assert sorted(slug for slugs in held.values() for slug in slugs) == list(KEPT)

    merge = _kelurahan(["--content", str(province), "--out", str(tmp_path / "gabungan"),
                        "--portal-only", "--summaries", str(tmp_path / "hasil")],
                       tmp_path / "state-gabung")
    assert "Selesai: 5 situs dari 4 shard digabung" in _finished(merge)

    one, merged = _files(tmp_path / "satu"), _files(tmp_path / "gabungan")
    assert sorted(one) == sorted(merged)
    assert [name for name in one if one[name] != merged[name]] == []
    assert len(one) > 300
    # No bytes copied: the merged site's files are the shards' files.
    page = Path("kelurahan-014") / "index.html"
    assert (tmp_path / "gabungan" / page).samefile(tmp_path / "hasil" / "shard-2" / page)
    # --symlink: one relative link per kelurahan, the same site seen through them.
    merge = _kelurahan(["--content", str(province), "--out", str(tmp_path / "tautan"),
                        "--portal-only", "--symlink", "--summaries", str(tmp_path / "hasil")],
                       tmp_path / "state-tautan")
    _finished(merge)
    assert os.readlink(tmp_path / "tautan" / "kelurahan-014") == "../hasil/shard-2/kelurahan-014"
    assert _files(tmp_path / "tautan") == merged


def _shard_output(root: Path, number: int, count: int, slugs: list[str],
                  versi: int = 1, phone_id: str | None = None,
                  district: str = "Kota Baru", identities: bool = True,
                  built_at: str = NOW) -> Path:
    """A shard's output as the merge sees it, without building (for the refusals)."""
    folder = root / f"shard-{number}"
    folder.mkdir(parents=True, exist_ok=True)
    for slug in slugs:
        (folder / slug).mkdir(parents=True, exist_ok=True)
        (folder / slug / "index.html").write_text(f"<h1>{slug}</h1>", "utf-8")
    summaries = ShardSummaries(
        version=1, shard=number, shard_count=count, built_at=built_at,
        sites=tuple(PortalSite(slug=slug, name=slug.title(), district=district, whatsapp=None)
                    for slug in slugs),
        identities=tuple(SiteIdentity(slug=slug, name=slug.title(), phone_id=phone_id)
                         for slug in slugs if identities))
    text = summaries.to_json().replace('"versi": 1', f'"versi": {versi}')
    (folder / SHARD_SUMMARIES).write_text(text, "utf-8")
    return folder


def _merge(content: Path, out: Path, *folders: Path) -> int:
    args = ["build", "--content", str(content), "--out", str(out), "--portal-only"]
    return main(args + [arg for folder in folders for arg in ("--summaries", str(folder))])


def test_merge_assembles_and_removes_kelurahan_gone_from_the_content(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    first = _shard_output(tmp_path / "a", 1, 1, ["sukamaju"])
    assert _merge(content, out, first) == 0
    assert (out / "sukamaju" / "index.html").read_text("utf-8") == "<h1>sukamaju</h1>"
    assert "Sukamaju" in (out / "index.html").read_text("utf-8")
    assert (out / "404.html").is_file() and (out / "feed.xml").is_file()
    # A kelurahan site from an earlier merge that the shards no longer hold is taken away.
    (out / "lama" / "whatsapp").mkdir(parents=True)
    (out / "lama" / "whatsapp" / "menu.json").write_text("{}", "utf-8")
    assert _merge(content, out, first) == 0
    assert not (out / "lama").exists()
    assert "Selesai: 1 situs dari 1 shard digabung, 1 dihapus" in capsys.readouterr().out


def test_merge_takes_shards_built_with_and_without_a_zone_in_now(
        content: Path, tmp_path: Path) -> None:
    """`--now 2026-12-10T10:00` (the city's time, no zone) on one shard and the clock on the
    other: comparing their times was a TypeError and a traceback."""
    folders = [_shard_output(tmp_path / "a", 1, 2, ["sukamaju"], built_at="2026-12-10T10:00"),
               _shard_output(tmp_path / "b", 2, 2, [], built_at="2026-12-10T01:30:00+00:00")]
    assert _merge(content, tmp_path / "site", *folders) == 0
    assert (tmp_path / "site" / "sukamaju" / "index.html").is_file()


@pytest.mark.parametrize(("shards", "message"), [
    ([(1, 3, ["sukamaju"]), (2, 3, [])],
     "shard 3 (dari 3) tidak ada; berikan folder hasil setiap shard 1 sampai 3 dengan --summaries"),
    ([(1, 2, ["sukamaju"]), (1, 2, [])], "shard 1/2 diberikan dua kali: {a} dan {b}"),
    ([(1, 2, ["sukamaju"]), (2, 3, [])],
     "jumlah shard berbeda-beda: {a} (shard 1/2), {b} (shard 2/3); semua shard harus dari "
     "build dengan jumlah shard yang sama"),
    ([(1, 1, [])], "kelurahan sukamaju ada di {content} tetapi tidak ada di ringkasan shard "
                   "mana pun; bangun ulang shard-nya dari konten ini"),
    ([(1, 1, ["sukamaju", "hilang"])],
     "kelurahan hilang ada di ringkasan shard tetapi tidak ada lagi di {content}; bangun ulang "
     "shard-nya dari konten ini"),
    ([(1, 2, ["sukamaju"]), (2, 2, ["sukamaju"])],
     "kelurahan sukamaju ada di lebih dari satu shard; bangun ulang semua shard dengan jumlah "
     "shard yang sama"),
])
def test_merge_refuses_an_incomplete_set_of_shards(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        shards: list[tuple[int, int, list[str]]], message: str) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("portal lama", "utf-8")
    folders = [_shard_output(tmp_path / name, number, count, slugs)
               for name, (number, count, slugs) in zip("ab", shards, strict=False)]
    assert _merge(content, out, *folders) == 1
    expected = message.format(a=folders[0], b=folders[-1], content=content)
    assert " ".join(capsys.readouterr().err.split()) == f"Gagal: {expected}"
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text("utf-8") == "portal lama"


def test_merge_refuses_unreadable_summaries_and_half_built_shards(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    newer = _shard_output(tmp_path / "a", 1, 1, ["sukamaju"], versi=2)
    assert _merge(content, out, newer) == 1
    assert " ".join(capsys.readouterr().err.split()) == (
        f"Gagal: {newer / SHARD_SUMMARIES} rusak (versi 2 tidak dikenal, harus 1): jalankan "
        "'kelurahan build --shard I/N' lagi")
    half = _shard_output(tmp_path / "b", 1, 1, ["sukamaju"])
    (half / "sukamaju" / "index.html").unlink()
    assert _merge(content, out, half) == 1
    assert " ".join(capsys.readouterr().err.split()) == (
        f"Gagal: {half / 'sukamaju'}/index.html tidak ada: build shard 1/1 belum selesai; "
        "jalankan lagi")
    assert _merge(content, out, tmp_path / "kosong") == 1
    assert " ".join(capsys.readouterr().err.split()) == (
        f"Gagal: {tmp_path / 'kosong' / SHARD_SUMMARIES} tidak ada: jalankan "
        "'kelurahan build --shard I/N' dulu")
    assert not out.exists()


def test_flags_that_do_not_go_together(content: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "site")
    assert main(["build", "--content", str(content), "--out", out, "--summaries", out]) == 2
    assert "--summaries dan --symlink hanya dipakai bersama --portal-only" in capsys.readouterr().err
    assert main(["build", "--content", str(content), "--out", out, "--portal-only",
                 "--shard", "1/2", "--summaries", out]) == 2
    assert "jangan pakai --shard atau --shard-count" in capsys.readouterr().err
    assert main(["build", "--content", str(content), "--out", out, "--shard", "1/2",
                 "--only", "sukamaju"]) == 2
    assert "--only dan --shard tidak bisa dipakai bersama" in capsys.readouterr().err
    assert main(["build", "--content", str(content), "--out", out, "--shard", "9/2"]) == 1
    assert "Gagal: --shard 9/2: shard ke-9 tidak ada; pilih 1 sampai 2" in capsys.readouterr().err
    assert not Path(out).exists()


def test_merge_checks_names_and_bot_numbers_across_shards(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each shard reads and checks only its own kelurahan; the merge checks across shards."""
    (content / "kembar").mkdir()
    first = _shard_output(tmp_path, 1, 2, ["kembar"], phone_id="100000000000001")
    second = _shard_output(tmp_path, 2, 2, ["sukamaju"], phone_id="100000000000001")
    out = tmp_path / "site"
    assert _merge(content, out, first, second) == 1
    shown = capsys.readouterr()
    assert shown.out == (f"{content}/sukamaju/profil.md: whatsapp_phone_id: nomor WhatsApp bot "
                         f"100000000000001 sudah dipakai oleh {content}/kembar/profil.md\n")
    assert shown.err == "Gagal: 1 masalah pada konten. Perbaiki lalu coba lagi.\n"
    assert not out.exists()


@pytest.mark.parametrize("identities", [True, False], ids=["checked", "no-identities"])
def test_merge_refuses_one_kecamatan_written_two_ways_across_shards(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        identities: bool) -> None:
    """Checked with the names across shards; without them (a summaries file written before
    they were kept), the portal itself refuses: never one kecamatan page written twice."""
    (content / "kembar").mkdir()
    out = tmp_path / "site"
    assert _merge(content, out, _shard_output(tmp_path / "lama", 1, 2, ["kembar"]),
                  _shard_output(tmp_path / "lama", 2, 2, ["sukamaju"])) == 0
    before = _files(out)
    capsys.readouterr()
    first = _shard_output(tmp_path, 1, 2, ["kembar"], identities=identities)
    second = _shard_output(tmp_path, 2, 2, ["sukamaju"], district="Kota-Baru",
                           identities=identities)
    assert _merge(content, out, first, second) == 1
    shown = capsys.readouterr()
    assert shown.out == (f"{content}/sukamaju/profil.md: kecamatan: kecamatan 'Kota-Baru' ditulis "
                         f"'Kota Baru' di {content}/kembar/profil.md; keduanya kecamatan yang "
                         "sama, samakan penulisan nama kecamatan (huruf besar/kecil, spasi, "
                         "tanda baca)\n")
    assert shown.err == "Gagal: 1 masalah pada konten. Perbaiki lalu coba lagi.\n"
    assert _files(out) == before
    # No staging folder left (a `.site.lama-*` of the first merge may still be being deleted).
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".site.baru-")] == []


def test_a_shard_reads_only_its_own_kelurahan(content: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A broken kelurahan of shard 1 stops shard 1, not shard 2 (which never reads it)."""
    (content / "rusak").mkdir()
    (content / "rusak" / "profil.md").write_text("---\nnama: [\n---\n", "utf-8")
    args = ["build", "--content", str(content), "--now", NOW, "--jobs", "1"]
    assert main([*args, "--shard", "1/2", "--out", str(tmp_path / "shard-1")]) == 1
    assert f"{content}/rusak/profil.md" in capsys.readouterr().out
    assert not (tmp_path / "shard-1").exists()
    assert main([*args, "--shard", "2/2", "--out", str(tmp_path / "shard-2")]) == 0
    summaries = ShardSummaries.model_validate_json(
        (tmp_path / "shard-2" / SHARD_SUMMARIES).read_bytes())
    assert [site.slug for site in summaries.sites] == ["sukamaju"]
    assert [(i.slug, i.phone_id) for i in summaries.identities] == [
        ("sukamaju", "100000000000001")]
