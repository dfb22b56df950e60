"""Lighthouse 12 (mobile) on every kind of page of the sample city: accessibility and best
practices 100 everywhere, SEO 100 on the residents' pages. The lurah's card preview is `noindex`
on purpose, so there the only SEO audit allowed to fail is the one that notices it.

One run per page kind, all in one headless Chromium (tests/browser/lighthouse.mjs), served by the
same gzip preview server as the other browser tests. `make lighthouse` installs the pinned npm
package into `.tools/lighthouse/` (`make test` does it first).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.browser.site_support import REPO, page_kinds

LIGHTHOUSE = REPO / ".tools" / "lighthouse"
SCRIPT = Path(__file__).with_name("lighthouse.mjs")
CATEGORIES = ("accessibility", "best-practices", "seo")
NOINDEX = {"pratinjau kartu"}


def _urls(base: str) -> dict[str, str]:
    # Lighthouse refuses to audit a page answered with 404, so the 404 page is opened by its
    # own address (the web server sends the same file for every missing page).
    kinds = page_kinds("sukamaju", "2026-11-16-kerja-bakti-jelang-musim-hujan")
    return {kind: base + ("sukamaju/404.html" if kind == "404" else path)
            for kind, path in kinds.items()}


def test_every_page_kind_scores_100_in_lighthouse(base: str) -> None:
    node = shutil.which("node")
    if node is None or not (LIGHTHOUSE / "node_modules" / "lighthouse").is_dir():
        pytest.skip("Lighthouse tidak ada: jalankan 'make lighthouse'")
    urls = _urls(base)
    start = time.perf_counter()
    result = subprocess.run([node, str(SCRIPT), str(LIGHTHOUSE), ",".join(CATEGORIES),
                             *urls.values()], capture_output=True, text=True, timeout=900,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    print(f"Lighthouse: {len(urls)} halaman dalam {time.perf_counter() - start:.0f} s")
    found = json.loads(result.stdout)
    wrong = {}
    for kind, url in urls.items():
        report = found[url]
        wanted = {c: 100 for c in CATEGORIES if not (kind in NOINDEX and c == "seo")}
        allowed = ["is-crawlable"] if kind in NOINDEX else []
        scores = {c: report["scores"].get(c) for c in wanted}
        if report["error"] or scores != wanted or report["failed"] != allowed:
            wrong[kind] = report
    assert wrong == {}
