"""A portal of more than 60 kelurahan in Chromium: kecamatan pages whose search finds only the
kelurahan of that kecamatan."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.synth import generate
from tests.browser.site_support import browser_page, serving
from tests.generator.site_support import run_build

PHONE = {"width": 360, "height": 640}


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("provinsi")
    content = generate(root / "content", kelurahan=62, posts=1, photo_pool=2)
    out = root / "site"
    run_build(content, out, now=None, jobs=2)
    return out


def test_the_root_lists_kecamatan_and_a_kecamatan_page_searches_only_its_kelurahan(
        province: Path) -> None:
    with serving(province) as base, browser_page(PHONE) as (page, traffic):
        page.goto(base)
        links = page.locator("#kelurahan ~ ul.daftar a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))")
        assert len(links) == 10 and all(link.startswith("kecamatan/") for link in links)
        assert page.locator("#kd-q").count() == 0  # no search over 62 indexes on the root
        page.locator("a", has_text="Kecamatan Pesisir").first.click()
        page.wait_for_url("**/kecamatan/pesisir/")
        own = set(page.locator("#kelurahan ~ ul.daftar > li > a:first-child").evaluate_all(
            "els => els.map(e => new URL(e.href).pathname)"))
        assert own == {f"/kelurahan-{n:03d}/" for n in range(1, 62, 10)}  # the second kecamatan
        page.locator("#kd-q").fill("ktp")
        page.wait_for_selector("#kd-hasil li a", timeout=30_000)
        found = page.locator("#kd-hasil li a").evaluate_all(
            "els => els.map(e => new URL(e.href).pathname)")
        assert found and all("/" + path.split("/")[1] + "/" in own for path in found)
        page.goto(base + "kecamatan/pesisir/")
        first = page.locator("#kelurahan ~ ul.daftar > li > a:first-child").first
        target = first.evaluate("e => new URL(e.href).pathname")
        first.click()
        page.wait_for_url("**" + target)
        assert page.locator("h1").inner_text().startswith("Kelurahan ")
    assert traffic.foreign == []


def test_the_split_portal_scores_100_in_lighthouse(province: Path) -> None:
    import json
    import shutil
    import subprocess

    from tests.browser.test_lighthouse import CATEGORIES, LIGHTHOUSE, SCRIPT

    node = shutil.which("node")
    if node is None or not (LIGHTHOUSE / "node_modules" / "lighthouse").is_dir():
        pytest.skip("Lighthouse tidak ada: jalankan 'make lighthouse'")
    with serving(province) as base:
        urls = [base, base + "kecamatan/pesisir/"]
        result = subprocess.run([node, str(SCRIPT), str(LIGHTHOUSE), ",".join(CATEGORIES), *urls],
                                capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout)
    assert {url: (found[url]["scores"], found[url]["failed"]) for url in urls} == {
        url: ({c: 100 for c in CATEGORIES}, []) for url in urls}
