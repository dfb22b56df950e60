"""Only cards that can still be used are drawn; the others appear on first use, truthfully listed."""

from __future__ import annotations

import json
from pathlib import Path

from generator.cards import draw_missing, render_cards
from generator.cards.pipeline import STILL_PUBLISHABLE
from kelurahan import load_valid
from kelurahan.cli import main
from publish.social.schedule import LOOKBACK
from tests.generator.cards_support import NOW, SIZES, add_post, decode, detailed_photo, media

OLD = "2026-10-01-rapat-lama"  # 48 days before NOW: can no longer be published
RECENT = "2026-11-16-kerja-bakti"  # the fixture's post, this week


def _build(content: Path, out: Path, cache: Path):
    city = load_valid(content)
    return city, render_cards(city, city.get("sukamaju"), out, now=NOW, cache_dir=cache)


def _listed(folder: Path) -> list[str]:
    return list(json.loads((folder / "kartu.json").read_text("utf-8"))["gambar"])


def _drawn(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.jpg"))


def test_the_window_covers_what_publish_still_posts():
    assert STILL_PUBLISHABLE >= LOOKBACK


def test_old_posts_get_only_their_facebook_card_until_one_is_used(content: Path, tmp_path: Path):
    detailed_photo((1600, 1200)).save(media(content, "lama.jpg"), quality=85)
    add_post(content, OLD, "Rapat lama", photo="lama.jpg")
    out, cache = tmp_path / "site", tmp_path / "cache"
    city, report = _build(content, out, cache)
    assert report.rendered == [OLD, RECENT]
    cards = out / "sukamaju" / "kartu"
    assert _drawn(cards / OLD) == _listed(cards / OLD) == ["facebook"]
    assert sorted(p.name for p in (cards / OLD).iterdir()) == ["facebook.jpg", "kartu.json"]
    assert len(list((cards / RECENT).glob("caption-*.txt"))) == 3
    assert _drawn(cards / RECENT) == sorted(_listed(cards / RECENT)) == sorted(SIZES)
    page = (cards / "index.html").read_text("utf-8")
    assert f'href="{OLD}/facebook.jpg"' in page and f"{OLD}/instagram.jpg" not in page

    post = next(p for p in city.get("sukamaju").posts if p.stem == OLD)
    late = draw_missing(city, city.get("sukamaju"), [post], out, cache_dir=cache,
                        channels=("instagram",))
    assert late.rendered == [OLD] and late.failed == []
    assert _listed(cards / OLD) == ["facebook", "instagram"] == _drawn(cards / OLD)
    assert decode(cards / OLD / "instagram.jpg").size == SIZES["instagram"]

    _, again = _build(content, tmp_path / "fresh", cache)  # a later build keeps it, not redrawn
    assert again.rendered == [] and again.reused == [OLD, RECENT]
    assert _drawn(tmp_path / "fresh" / "sukamaju" / "kartu" / OLD) == ["facebook", "instagram"]


def test_cards_command_draws_an_old_posts_three_cards(content: Path, tmp_path: Path, monkeypatch,
                                                      capsys):
    add_post(content, OLD, "Rapat lama")
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    out = tmp_path / "site"
    args = ["cards", "--content", str(content), "--out", str(out), "--now", NOW.isoformat()]
    assert main(args) == 0
    assert _drawn(out / "sukamaju" / "kartu" / OLD) == ["facebook"]
    assert main([*args, "--only", "sukamaju", "--post", OLD]) == 0
    assert _listed(out / "sukamaju" / "kartu" / OLD) == ["facebook", "instagram", "tiktok"]
    assert main([*args, "--post", "2026-10-02-tidak-ada"]) == 1
    assert "kegiatan tidak ada (atau masih draf): 2026-10-02-tidak-ada" in capsys.readouterr().err


def test_a_photo_decoded_for_its_card_gives_the_sites_webp_copies(content: Path, tmp_path: Path):
    from PIL import Image

    from generator.cards import draw_cards
    from generator.cards.photo import Sharing
    from generator.site.images import (
        WIDEST,
        cached_file,
        copies_missing,
        photo_key,
        prepare_photo,
        store_copies,
    )
    from kelurahan.files import file_sha256

    photo = media(content, "besar.jpg")
    detailed_photo((2400, 1800)).save(photo, quality=90, exif=Image.Exif().tobytes())
    add_post(content, "2026-11-17-foto-besar", "Foto besar", photo="besar.jpg")
    small = media(content, "kecil.jpg")
    detailed_photo((200, 150)).save(small)
    add_post(content, "2026-11-17-foto-kecil", "Foto kecil", photo="kecil.jpg")
    webp = tmp_path / "foto"
    keys = {path: photo_key(file_sha256(path)) for path in (photo, small)}
    assert copies_missing(keys[photo], webp) and copies_missing(keys[small], webp)
    city = load_valid(content)
    shared: list[Path] = []

    def share(path: Path) -> Sharing:
        shared.append(path)
        key = photo_key(file_sha256(path))
        return Sharing(WIDEST, lambda image: store_copies(path, key, webp, image))

    run = draw_cards(city, city.get("sukamaju"), now=NOW, cache_dir=tmp_path / "kartu",
                     share=share)
    assert sorted(run.report.rendered) == [RECENT, "2026-11-17-foto-besar", "2026-11-17-foto-kecil"]
    assert {photo, small} <= set(shared)
    assert not copies_missing(keys[photo], webp) and not copies_missing(keys[small], webp)
    sizes = []
    for rendition in (prepare_photo(photo, keys[photo], webp)
                      + prepare_photo(small, keys[small], webp)):
        with Image.open(cached_file(webp, rendition)) as image:
            assert image.format == "WEBP" and not image.getexif()
            sizes.append(image.size)
    assert sizes == [(160, 120), (480, 360), (960, 720), (160, 120), (200, 150)]


def test_the_build_fingerprint_covers_the_generators_own_code():
    """A change of drawing or page code must rebuild the sites: the code folders are hashed."""
    from generator.incremental import CODE_PACKAGES, CODE_ROOT

    for package in CODE_PACKAGES:
        assert (CODE_ROOT / package / "__init__.py").is_file(), CODE_ROOT / package


def test_posts_sharing_a_photo_get_the_same_picture_once_fitted(content: Path, tmp_path: Path):
    detailed_photo((1600, 1200), seed=3).save(media(content, "kantor.jpg"), quality=90)
    add_post(content, "2026-11-17-rapat-a", "Rapat A", photo="kantor.jpg")
    add_post(content, "2026-11-18-rapat-b", "Rapat B yang judulnya lain", photo="kantor.jpg")
    _build(content, tmp_path / "site", tmp_path / "cache")
    cards = tmp_path / "site" / "sukamaju" / "kartu"
    for channel, box in (("facebook", (560, 0, 1200, 630)), ("tiktok", (0, 0, 1080, 1000))):
        first = decode(cards / "2026-11-17-rapat-a" / f"{channel}.jpg").crop(box)
        second = decode(cards / "2026-11-18-rapat-b" / f"{channel}.jpg").crop(box)
        assert first.tobytes() == second.tobytes()
        assert len(first.getcolors(maxcolors=1 << 20) or []) > 1000  # the photo, not a fallback
