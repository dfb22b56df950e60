"""A page's HTML from the last build is used only when converting it again would give the same."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from generator.site.mkdocs_site import run_mkdocs
from tests.generator.test_mkdocs_memory import DOCS, _config

LINKING = {
    "index.md": "# Beranda\n\n[Syarat KTP](layanan/ktp.md) · [Jadwal](jadwal.md#senin)\n",
    "layanan/index.md": "# Layanan\n\n## Daftar\n\nLihat [beranda](../index.md).\n",
}


def _site(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder / "situs"): p.read_bytes()
            for p in (folder / "situs").rglob("*.html")}


def _build(folder: Path, docs: dict[str, str], memo: Path | None) -> dict[Path, bytes]:
    run_mkdocs(_config(folder), docs, memo=memo)
    return _site(folder)


@pytest.fixture(autouse=True)
def _fixed_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # the theme prints its build time


def test_pages_from_the_memo_are_the_pages_mkdocs_converts(tmp_path: Path):
    memo = tmp_path / "memo.json"
    first = _build(tmp_path / "1", DOCS, memo)
    kept = json.loads(memo.read_text("utf-8"))["pages"]
    assert len(kept) == len(DOCS)
    again = _build(tmp_path / "2", DOCS, memo)
    fresh = _build(tmp_path / "3", DOCS, None)
    assert first == again == fresh and len(fresh) == len(DOCS) + 1  # and 404.html
    # and the second build did take them from the memo: a mark put there shows up
    stored = json.loads(memo.read_text("utf-8"))
    for entry in stored["pages"].values():
        entry["html"] += "<!-- dari memo -->"
    memo.write_text(json.dumps(stored), "utf-8")
    marked = _build(tmp_path / "4", DOCS, memo)
    assert all(b"<!-- dari memo -->" in html for page, html in marked.items()
               if page.name != "404.html")


def test_a_link_is_pointed_again_when_its_target_appears_or_goes(tmp_path: Path):
    memo = tmp_path / "memo.json"
    before = _build(tmp_path / "1", LINKING, memo)
    assert 'href="layanan/ktp.md"' in before[Path("index.html")].decode()  # not found: as is
    grown = {**LINKING, "layanan/ktp.md": "# KTP\n", "jadwal.md": "# Jadwal\n\n## Senin\n"}
    after = _build(tmp_path / "2", grown, memo)
    assert after == _build(tmp_path / "3", grown, None)
    assert 'href="layanan/ktp/"' in after[Path("index.html")].decode()
    assert 'href="jadwal/#senin"' in after[Path("index.html")].decode()
    back = _build(tmp_path / "4", LINKING, memo)
    assert back == before


def test_mkdocs_warns_again_about_a_broken_link_of_a_page_from_the_memo(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    memo = tmp_path / "memo.json"
    broken = "Doc file 'index.md' contains a link 'layanan/ktp.md', but the target is not found"
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        _build(tmp_path / "1", LINKING, memo)
        assert [r.levelname for r in caplog.records if broken in r.getMessage()] == ["WARNING"]
        caplog.clear()
        _build(tmp_path / "2", LINKING, memo)
        assert [r.levelname for r in caplog.records if broken in r.getMessage()] == ["WARNING"]


def test_a_changed_page_is_converted_and_the_memo_keeps_only_this_builds_pages(tmp_path: Path):
    memo = tmp_path / "memo.json"
    _build(tmp_path / "1", LINKING, memo)
    edited = {**LINKING, "layanan/index.md": "# Layanan\n\n## Daftar baru\n\nLihat [beranda](../index.md).\n"}
    pages = _build(tmp_path / "2", edited, memo)
    assert 'id="daftar-baru"' in pages[Path("layanan/index.html")].decode()
    assert len(json.loads(memo.read_text("utf-8"))["pages"]) == len(edited)


@pytest.mark.parametrize("stored", ["", "{", "[]", '{"version": 1, "pages": []}',
                                    '{"version": 999, "pages": {}}'])
def test_an_unreadable_memo_only_means_every_page_is_converted(tmp_path: Path, stored: str):
    memo = tmp_path / "memo.json"
    memo.write_text(stored, "utf-8")
    assert _build(tmp_path / "1", LINKING, memo) == _build(tmp_path / "2", LINKING, None)
    assert len(json.loads(memo.read_text("utf-8"))["pages"]) == len(LINKING)
