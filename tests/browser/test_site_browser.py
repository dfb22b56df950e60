"""The built sample sites in headless Chromium, as a resident on a phone would use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.site_support import browser_page

PHONE = {"width": 360, "height": 640}
BUDGET = 16 * 1024  # first view: fits the first round trips on 3G (docs/quality-budgets.md)


def test_home_shows_the_kelurahan_and_navigation_reaches_a_service(base: str) -> None:
    with browser_page(PHONE) as (page, traffic):
        page.goto(base + "sukamaju/")
        assert page.locator("article h1").inner_text() == "Kelurahan Sukamaju"
        assert page.locator("a.tombol-wa").get_attribute("href") == "https://wa.me/6281200001001"
        page.locator("article a", has_text="Surat Pengantar KTP-el").first.click()
        page.wait_for_url("**/sukamaju/layanan/ktp-el/")
        assert page.locator("article h1").inner_text() == "Surat Pengantar KTP-el"
        page.locator("footer a", has_text="Portal kelurahan").click()
        page.wait_for_url(base)
        assert "Kelurahan Sukamaju" in page.locator("main").inner_text()
    assert traffic.foreign == []


def test_service_page_lists_every_requirement_and_a_prefilled_whatsapp_link(base: str) -> None:
    from kelurahan import load_valid

    service = next(s for s in load_valid(Path("content")).get("sukamaju").services
                   if s.slug == "ktp-el")
    with browser_page(PHONE) as (page, traffic):
        page.goto(base + "sukamaju/layanan/ktp-el/")
        shown = page.locator("ul.syarat li").all_inner_texts()
        assert [s.strip() for s in shown] == list(service.requirements)
        assert page.locator("a.tombol-wa").get_attribute("href") == (
            "https://wa.me/6281200001001?text=Halo%2C%20saya%20ingin%20bertanya%20tentang%20"
            "Surat%20Pengantar%20KTP-el")
    assert traffic.foreign == []


def _search(page, words: str) -> list[str]:
    page.locator("#kd-hasil").evaluate("el => { el.innerHTML = '' }")
    page.locator("#kd-q").fill(words)
    page.wait_for_selector("#kd-hasil li, #kd-hasil p", timeout=10_000)
    return page.locator("#kd-hasil li a").evaluate_all("els => els.map(e => e.pathname)")


def test_search_loads_only_when_used_and_finds_indonesian_words(base: str) -> None:
    with browser_page(PHONE) as (page, traffic):
        page.goto(base + "sukamaju/")
        page.wait_for_load_state("networkidle")
        assert not [u for u in traffic.urls if "/pagefind/" in u]
        page.locator("#kd-q").focus()
        assert "/sukamaju/layanan/ktp-el/" in _search(page, "ktp")
        found = _search(page, "pindah")
        assert "/sukamaju/kegiatan/2026-11-09-pelayanan-sabtu/" in found
        assert [u for u in traffic.urls if "/pagefind/" in u]
    assert traffic.foreign == []


@pytest.mark.parametrize("path", [
    "", "sukamaju/", "sukamaju/layanan/ktp-el/", "sukamaju/kegiatan/",
    "sukamaju/kegiatan/2026-09-07-sosialisasi-pbb-p2-2026/", "sukamaju/kartu/",
])
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_first_view_is_under_16_kb_gzipped_and_stays_on_loopback(
        base: str, path: str, scale: float) -> None:
    with browser_page(PHONE, scale) as (page, traffic):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    assert traffic.foreign == []
    assert traffic.sizes, "tidak ada data jaringan dari Chromium"
    print(f"{path or 'portal'} @{scale}x: {traffic.total} B")
    assert traffic.total <= BUDGET, sorted(traffic.sizes.items(), key=lambda kv: -kv[1])


def test_post_page_shows_its_resized_photo(base: str) -> None:
    with browser_page(PHONE) as (page, traffic):
        page.goto(base + "sukamaju/kegiatan/2026-09-07-sosialisasi-pbb-p2-2026/")
        image = page.locator("article figure img").first
        image.wait_for()
        page.wait_for_function("document.querySelector('article figure img').currentSrc.endsWith('.webp')")
        page.wait_for_function("document.querySelector('article figure img').complete")
        assert image.evaluate("img => img.currentSrc").endswith("-480.webp")
    assert any(u.endswith(".webp") for u in traffic.urls)


def test_pages_read_and_navigate_without_javascript(base: str) -> None:
    with browser_page(PHONE, javascript=False) as (page, traffic):
        page.goto(base + "sukamaju/kegiatan/")
        assert page.locator("article h1").inner_text() == "Kegiatan"
        page.locator("article a", has_text="Arsip per bulan").click()
        page.wait_for_url("**/sukamaju/kegiatan/arsip/")
        page.locator("article ul.daftar a").first.click()
        page.wait_for_url("**/sukamaju/kegiatan/arsip/#20*")
        section = page.url.rsplit("#", 1)[1]
        page.locator(f"h2[id='{section}'] + ul.daftar a").first.click()
        page.wait_for_url("**/sukamaju/kegiatan/20*/")
        assert page.locator("article figure img").count() >= 1
    assert traffic.foreign == []
