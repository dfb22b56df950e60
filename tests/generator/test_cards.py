"""Cards end to end: `render_cards` on a real content tree, decoded JPEGs, manifest, cache, CLI."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from generator.cards import CardIssue, ThemeError, render_cards
from kelurahan import load_valid
from kelurahan.cli import main
from kelurahan.outputs import CardManifest, read_output
from tests.conftest import snapshot, write
from tests.generator.cards_support import NOW, SIZES, add_post, decode, detailed_photo, media

STEM = "2026-11-16-kerja-bakti"  # the post of the shared `content` fixture


def run(content: Path, out: Path, cache: Path, **options):
    city = load_valid(content)
    return render_cards(city, city.get("sukamaju"), out, now=NOW, cache_dir=cache, **options)


def test_three_cards_per_post_decoded_and_measured(content: Path, tmp_path: Path):
    detailed_photo((4000, 3000)).save(media(content, "2026-11-16-kerja-bakti-1.jpg"), quality=95)
    report = run(content, tmp_path / "site", tmp_path / "cache")
    assert report.rendered == [STEM] and report.failed == [] and report.warnings == []
    for channel, size in SIZES.items():
        path = tmp_path / "site" / "sukamaju" / "kartu" / STEM / f"{channel}.jpg"
        image = decode(path)
        assert image.size == size
        assert image.mode == "RGB"
        assert path.stat().st_size < 1_000_000
        assert not image.getexif()
        profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
        assert "sRGB" in ImageCms.getProfileDescription(profile)


def test_manifest_keys_are_what_publish_reads(content: Path, tmp_path: Path):
    run(content, tmp_path / "site", tmp_path / "cache")
    folder = tmp_path / "site" / "sukamaju" / "kartu" / STEM
    manifest = json.loads((folder / "kartu.json").read_text("utf-8"))
    base = "https://kelurahan.kotauji.example/sukamaju/"
    assert manifest["versi"] == 1
    assert manifest["kelurahan"] == "sukamaju"
    assert manifest["post"] == STEM
    assert manifest["judul"] == "Kerja Bakti Bersih Sungai"
    assert manifest["url"] == base + f"kegiatan/{STEM}/"
    assert manifest["jadwal"] == "2026-11-16T09:00:00+08:00"
    assert manifest["terbit"] == ["facebook", "instagram"]
    assert manifest["gambar"] == {
        channel: {"berkas": f"{channel}.jpg", "lebar": w, "tinggi": h,
                  "url": base + f"kartu/{STEM}/{channel}.jpg"}
        for channel, (w, h) in SIZES.items()
    }
    assert manifest["keterangan"]["facebook"] == (
        "Kerja Bakti Bersih Sungai\n\nKelurahan Sukamaju, Senin, 16 November 2026\n\n"
        "Warga RT 03 membersihkan sungai.\n\n"
        f"Selengkapnya: {base}kegiatan/{STEM}/\n\n#KelurahanSukamaju #KotaUji #Kebersihan")
    assert manifest["keterangan"]["tiktok"]["judul"] == "Kerja Bakti Bersih Sungai"
    assert (folder / "caption-instagram.txt").read_text("utf-8") == (
        manifest["keterangan"]["instagram"] + "\n")
    parsed = read_output(folder / "kartu.json", CardManifest)
    assert parsed.captions.tiktok.title == "Kerja Bakti Bersih Sungai"
    assert parsed.to_json() == (folder / "kartu.json").read_text("utf-8")


def test_scheduled_posts_get_cards_drafts_do_not(content: Path, tmp_path: Path):
    add_post(content, "2026-11-30-rapat-rw", "Rapat RW")
    add_post(content, "2026-11-17-draf", "Belum siap", extra="draf: ya")
    report = run(content, tmp_path / "site", tmp_path / "cache")
    assert report.rendered == [STEM, "2026-11-30-rapat-rw"]
    cards = tmp_path / "site" / "sukamaju" / "kartu"
    assert sorted(p.name for p in cards.iterdir() if p.is_dir()) == [STEM, "2026-11-30-rapat-rw"]


BAD_INPUTS = {
    "2026-11-09-foto-rusak": ("rusak.jpg", "Foto rusak"),
    "2026-11-10-foto-cmyk": ("cmyk.jpg", "Foto CMYK"),
    "2026-11-11-foto-16bit": ("abu16.png", "Foto PNG 16 bit"),
    "2026-11-12-foto-besar": ("besar.jpg", "Foto 6000 × 4000"),
    "2026-11-13-foto-kecil": ("kecil.jpg", "Foto 20 × 20"),
    "2026-11-14-judul-panjang": (None, "Gotong royong " * 21 + "akhir"),
    "2026-11-15-judul-emoji": (None, "🎉🇮🇩🧹"),
    "2026-11-15-tanpa-foto": (None, "Posyandu Mawar: imunisasi & penimbangan balita"),
}


def _bad_content(content: Path) -> None:
    media(content, "rusak.jpg").write_bytes(b"\xff\xd8\xff\xe0 bukan gambar sama sekali" * 10)
    detailed_photo((800, 600)).convert("CMYK").save(media(content, "cmyk.jpg"), quality=90)
    Image.linear_gradient("L").resize((640, 480)).convert("I").point(lambda v: v * 257).convert(
        "I;16").save(media(content, "abu16.png"))
    detailed_photo((6000, 4000)).save(media(content, "besar.jpg"), quality=80)
    Image.new("RGB", (20, 20), "orange").save(media(content, "kecil.jpg"))
    for stem, (photo, title) in BAD_INPUTS.items():
        add_post(content, stem, title, photo=photo)


def test_bad_inputs_each_get_cards_and_a_clear_report(content: Path, tmp_path: Path):
    _bad_content(content)
    report = run(content, tmp_path / "site", tmp_path / "cache")
    assert report.failed == [CardIssue(
        "2026-11-09-foto-rusak",
        "foto rusak.jpg rusak atau terpotong dan tidak bisa dibaca; kartu memakai desain tanpa foto",
        has_cards=True)]
    assert report.warnings == [
        CardIssue("2026-11-13-foto-kecil", "foto kecil.jpg terlalu kecil (20×20 piksel, minimal "
                  "240 piksel); kartu memakai desain tanpa foto"),
        CardIssue("2026-11-14-judul-panjang", "judul terlalu panjang, dipotong dengan “…” pada "
                  "kartu facebook, instagram, tiktok"),
        CardIssue("2026-11-15-judul-emoji", "judul hanya berisi emoji atau simbol yang tidak bisa "
                  "dicetak di kartu; kartu memakai judul “Kegiatan Kelurahan Sukamaju”"),
    ]
    assert sorted(report.rendered) == sorted([*BAD_INPUTS, STEM])
    for stem in BAD_INPUTS:
        for channel, size in SIZES.items():
            path = tmp_path / "site" / "sukamaju" / "kartu" / stem / f"{channel}.jpg"
            image = decode(path)
            assert (image.size, image.mode) == (size, "RGB")
            assert path.stat().st_size < 1_000_000


def test_cmyk_photo_keeps_its_colours(content: Path, tmp_path: Path):
    Image.new("RGB", (800, 600), (200, 30, 30)).convert("CMYK").save(media(content, "merah.jpg"))
    add_post(content, "2026-11-02-merah", "Merah", photo="merah.jpg")
    run(content, tmp_path / "site", tmp_path / "cache")
    card = decode(tmp_path / "site" / "sukamaju" / "kartu" / "2026-11-02-merah" / "facebook.jpg")
    red, green, blue = card.getpixel((900, 315))
    assert red > 150 and green < 80 and blue < 80


def test_noisy_large_photo_still_under_one_megabyte(content: Path, tmp_path: Path):
    noise = Image.frombytes("RGB", (1600, 1600), os.urandom(1600 * 1600 * 3))
    noise.save(media(content, "2026-11-16-kerja-bakti-1.jpg"), quality=98)
    run(content, tmp_path / "site", tmp_path / "cache")
    for channel in SIZES:
        path = tmp_path / "site" / "sukamaju" / "kartu" / STEM / f"{channel}.jpg"
        assert path.stat().st_size < 1_000_000, channel


def test_unchanged_cards_are_reused_not_redrawn(content: Path, tmp_path: Path):
    add_post(content, "2026-11-09-kedua", "Kedua", photo="2026-11-16-kerja-bakti-1.jpg")
    first = run(content, tmp_path / "site", tmp_path / "cache")
    assert sorted(first.rendered) == ["2026-11-09-kedua", STEM]
    before_cache = snapshot(tmp_path / "cache")
    before_site = snapshot(tmp_path / "site")
    again = run(content, tmp_path / "site", tmp_path / "cache")
    assert again.rendered == [] and sorted(again.reused) == ["2026-11-09-kedua", STEM]
    assert snapshot(tmp_path / "cache") == before_cache
    assert snapshot(tmp_path / "site") == before_site
    fresh = run(content, tmp_path / "fresh-site", tmp_path / "cache")  # an empty staging folder
    assert fresh.rendered == [] and snapshot(tmp_path / "fresh-site") == before_site


def test_changed_photo_or_title_redraws_only_that_post(content: Path, tmp_path: Path):
    add_post(content, "2026-11-09-kedua", "Kedua")
    run(content, tmp_path / "site", tmp_path / "cache")
    Image.new("RGB", (800, 600), "purple").save(media(content, "2026-11-16-kerja-bakti-1.jpg"))
    report = run(content, tmp_path / "site", tmp_path / "cache")
    assert report.rendered == [STEM] and report.reused == ["2026-11-09-kedua"]
    add_post(content, "2026-11-09-kedua", "Kedua, judul baru")
    report = run(content, tmp_path / "site", tmp_path / "cache")
    assert report.rendered == ["2026-11-09-kedua"] and report.reused == [STEM]
    assert run(content, tmp_path / "site", tmp_path / "cache", force=True).rendered == [
        "2026-11-09-kedua", STEM]
    entries = [p for p in (tmp_path / "cache" / "sukamaju").glob("*/*") if p.is_dir()]
    assert len(entries) == 2, "cards of the old photo and the old title were pruned"


def test_a_reused_broken_photo_is_still_reported(content: Path, tmp_path: Path):
    media(content, "rusak.jpg").write_bytes(b"not an image")
    add_post(content, "2026-11-09-foto-rusak", "Foto rusak", photo="rusak.jpg")
    first = run(content, tmp_path / "site", tmp_path / "cache")
    again = run(content, tmp_path / "site", tmp_path / "cache")
    assert again.reused == ["2026-11-09-foto-rusak", STEM]
    assert again.failed == first.failed and [f.post for f in again.failed] == ["2026-11-09-foto-rusak"]
    # only the entry with something to say keeps notes: one file fewer for every other post
    notes = [json.loads(p.read_text("utf-8")) for p in (tmp_path / "cache").rglob("meta.json")]
    assert len(notes) == 1 and "rusak.jpg" in notes[0]["gagal"]


def test_cards_of_a_post_turned_back_into_a_draft_are_removed(content: Path, tmp_path: Path):
    add_post(content, "2026-11-09-kedua", "Kedua")
    run(content, tmp_path / "site", tmp_path / "cache")
    add_post(content, "2026-11-09-kedua", "Kedua", extra="draf: true")
    run(content, tmp_path / "site", tmp_path / "cache")
    assert not (tmp_path / "site" / "sukamaju" / "kartu" / "2026-11-09-kedua").exists()
    assert (tmp_path / "site" / "sukamaju" / "kartu" / STEM / "facebook.jpg").is_file()


def test_kelurahan_override_changes_colours_and_the_cache_key(content: Path, tmp_path: Path):
    themes = tmp_path / "themes"
    shutil.copytree(Path(__file__).resolve().parents[2] / "themes", themes)
    run(content, tmp_path / "site", tmp_path / "cache", themes_dir=themes)
    write(themes / "cards" / "sukamaju.yml", 'warna: {utama: "#f7f1e3", aksen: "#c0392b"}\n')
    report = run(content, tmp_path / "site", tmp_path / "cache", themes_dir=themes)
    assert report.rendered == [STEM]
    card = decode(tmp_path / "site" / "sukamaju" / "kartu" / STEM / "instagram.jpg")
    assert all(abs(a - b) <= 3 for a, b in zip(card.getpixel((1060, 1330)), (0xF7, 0xF1, 0xE3), strict=True))


def test_a_theme_with_text_outside_the_safe_zone_is_refused(content: Path, tmp_path: Path):
    themes = tmp_path / "themes"
    shutil.copytree(Path(__file__).resolve().parents[2] / "themes", themes)
    write(themes / "cards" / "sukamaju.yml", "kanal:\n  tiktok:\n    judul: [64, 1500, 876, 270]\n")
    (tmp_path / "site").mkdir()
    before = snapshot(tmp_path / "site")
    with pytest.raises(ThemeError) as error:
        run(content, tmp_path / "site", tmp_path / "cache", themes_dir=themes)
    assert str(error.value) == (
        f"{themes / 'cards' / 'sukamaju.yml'}: kanal.tiktok.judul: kotak [64, 1500, 876, 270] "
        "keluar dari zona aman [64, 270, 876, 1266]")
    assert snapshot(tmp_path / "site") == before
    write(themes / "cards" / "sukamaju.yml", "kanal:\n  facebook:\n    foto: [0, 0, 1200, 630]\n")
    with pytest.raises(ThemeError) as error:
        run(content, tmp_path / "site", tmp_path / "cache", themes_dir=themes)
    lines = str(error.value).splitlines()
    assert lines[0] == (
        f"{themes / 'cards' / 'sukamaju.yml'}: kanal.facebook.foto: kotak foto [0, 0, 1200, 630] "
        "menimpa panel [0, 0, 560, 630]; panel dan teks harus di luar foto")
    assert [line.split(" menimpa ")[1].split(" [")[0] for line in lines] == [
        "panel", "aksen", "kepala", "judul", "tanggal", "kaki"]  # every overlap, at once


def test_every_theme_mistake_is_reported_at_once_with_file_and_key(content: Path, tmp_path: Path):
    themes = tmp_path / "themes"
    shutil.copytree(Path(__file__).resolve().parents[2] / "themes", themes)
    theme = themes / "cards" / "sukamaju.yml"
    write(theme, 'warna: {utama: "hijau"}\nlogo: {posisi: tengah}\njpeg: {mutu: 100}\n'
                 "kanal:\n  instagram:\n    judul: [64, 1500]\n  tiktok:\n    judul: [64, 1500, 876, 270]\n")
    (tmp_path / "site").mkdir()
    before = snapshot(tmp_path / "site")
    with pytest.raises(ThemeError) as error:
        run(content, tmp_path / "site", tmp_path / "cache", themes_dir=themes)
    assert str(error.value).splitlines() == [
        f"{theme}: warna.utama: harus warna seperti \"#0f5c4a\", bukan 'hijau'",
        f"{theme}: logo.posisi: harus 'kiri' atau 'kanan', bukan 'tengah'",
        f"{theme}: jpeg.mutu: harus bilangan 40–95, bukan 100",
        f"{theme}: kanal.instagram.judul: harus 4 bilangan bulat ≥ 0, bukan [64, 1500]",
        f"{theme}: kanal.tiktok.judul: kotak [64, 1500, 876, 270] keluar dari zona aman "
        "[64, 270, 876, 1266]",
    ]
    assert snapshot(tmp_path / "site") == before


def test_preview_page_shows_this_weeks_cards_and_captions(content: Path, tmp_path: Path):
    add_post(content, "2026-11-02-lama", "Kegiatan lama")
    add_post(content, "2026-11-20-jumat", "Senam Jumat <bersama>")
    run(content, tmp_path / "site", tmp_path / "cache")
    page = (tmp_path / "site" / "sukamaju" / "kartu" / "index.html").read_text("utf-8")
    this_week = page.split("<h2>Kartu minggu ini</h2>")[1].split("<h2>")[0]
    assert "Kerja Bakti Bersih Sungai" in this_week
    assert "Senam Jumat &lt;bersama&gt;" in this_week and "(terjadwal)" in this_week
    assert (f'<a href="{STEM}/instagram.jpg"><img class="nanti" ' in this_week
            and f'data-src="{STEM}/instagram-kecil.webp" width="270" height="338"' in this_week)
    assert "#KelurahanSukamaju #KotaUji #Kebersihan" in this_week
    assert "Kegiatan lama" not in this_week and "2026-11-02-lama/facebook.jpg" in page
    assert "<script src" not in page and ' src="http' not in page
    assert re.findall(r"<link[^>]*>", page) == ['<link rel="icon" href="data:,">']


def test_cards_command(content: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    media(content, "rusak.jpg").write_bytes(b"not an image")
    add_post(content, "2026-11-09-foto-rusak", "Foto rusak", photo="rusak.jpg")
    args = ["cards", "--content", str(content), "--out", str(tmp_path / "site"),
            "--now", "2026-11-18T12:00"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("sukamaju: kartu 2 dibuat, 0 dipakai ulang, 1 gagal → ")
    assert ("sukamaju: 2026-11-09-foto-rusak: foto rusak.jpg tidak bisa dibaca: bukan berkas "
            "gambar yang dikenali (JPEG, PNG atau WebP); kartu memakai desain tanpa foto"
            ) in captured.err
    assert (tmp_path / "state" / "cache" / "kartu").is_dir()
    assert main([*args, "--only", "tidak-ada"]) == 1
    assert capsys.readouterr().err.strip() == (
        "Gagal: kelurahan tidak dikenal: tidak-ada (yang ada: sukamaju)")


def test_a_kelurahan_with_only_drafts_gets_an_empty_preview(content: Path, tmp_path: Path):
    add_post(content, "2026-11-16-kerja-bakti", "Kerja Bakti", extra="draf: ya")
    report = run(content, tmp_path / "site", tmp_path / "cache")
    assert (report.rendered, report.reused, report.failed) == ([], [], [])
    folder = tmp_path / "site" / "sukamaju" / "kartu"
    assert [p.name for p in folder.iterdir()] == ["index.html"]
    assert "<h2>Kartu minggu ini</h2><p>Tidak ada.</p>" in (folder / "index.html").read_text("utf-8")


def test_phone_photos_are_turned_upright_by_their_exif_orientation(content: Path, tmp_path: Path):
    """Stored sideways (left red, right blue) with Orientation 6: shown upright, red on top."""
    stored = Image.new("RGB", (800, 600), "red")
    stored.paste(Image.new("RGB", (400, 600), "blue"), (400, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(media(content, "miring.jpg"), exif=exif.tobytes())
    add_post(content, "2026-11-10-miring", "Foto miring", photo="miring.jpg")
    run(content, tmp_path / "site", tmp_path / "cache")
    card = decode(tmp_path / "site" / "sukamaju" / "kartu" / "2026-11-10-miring" / "tiktok.jpg")
    top, bottom = card.getpixel((540, 20)), card.getpixel((540, 980))
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom
