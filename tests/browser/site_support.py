"""Build the sample city once and open it in Debian's headless Chromium (Playwright).

Every request is recorded; one that is not for 127.0.0.1 is aborted and kept in `foreign`, so a
test can prove the pages never reach a third-party origin. Transfer sizes come from Chromium's
own network events (CDP `Network.loadingFinished.encodedDataLength`: bytes on the wire, gzip).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
REPO = Path(__file__).resolve().parents[2]

KEPINDAHAN = """\
---
judul: Pelayanan Sabtu untuk Warga Baru
tanggal: 2026-11-09
kategori: [Pelayanan]
ringkasan: Kantor kelurahan buka hari Sabtu.
---
Mulai bulan ini kantor kelurahan melayani surat kepindahan penduduk setiap Sabtu pagi.
"""


@contextmanager
def serving(site: Path) -> Iterator[str]:
    from generator.preview import make_server

    server = make_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Traffic:
    """What the browser fetched: wire bytes per URL, and every request to another origin."""

    sizes: dict[str, int] = field(default_factory=dict)
    foreign: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.sizes.values())


@contextmanager
def browser_page(viewport: dict[str, int], scale: float = 1.0, *,
                 javascript: bool = True) -> Iterator[tuple[object, Traffic]]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium tidak ada di /usr/bin/chromium (make browser)")
    from playwright.sync_api import sync_playwright

    traffic = Traffic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport=viewport, device_scale_factor=scale,
                                      java_script_enabled=javascript)
        page = context.new_page()
        page.route("**/*", lambda route: _guard(route, traffic))
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        requests: dict[str, str] = {}
        cdp.on("Network.requestWillBeSent",
               lambda e: requests.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: traffic.sizes.__setitem__(
            requests.get(e["requestId"], e["requestId"]), int(e["encodedDataLength"])))
        try:
            yield page, traffic
        finally:
            browser.close()


def _guard(route, traffic: Traffic) -> None:
    url = route.request.url
    traffic.urls.append(url)
    if urlsplit(url).hostname != "127.0.0.1" and not url.startswith("data:"):
        traffic.foreign.append(url)
        route.abort()
    else:
        route.continue_()


def page_kinds(slug: str, post: str) -> dict[str, str]:
    """One address per kind of page a resident (or the lurah) opens, under the output root."""
    return {
        "portal": "", "beranda": f"{slug}/", "daftar layanan": f"{slug}/layanan/",
        "layanan": f"{slug}/layanan/ktp-el/", "daftar kegiatan": f"{slug}/kegiatan/",
        "kegiatan": f"{slug}/kegiatan/{post}/", "cari": f"{slug}/cari/",
        "404": f"{slug}/tidak-ada/", "pratinjau kartu": f"{slug}/kartu/",
    }


# WCAG 2.2 AA contrast of every piece of text against the background it is drawn on.
CONTRAST_JS = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  const ch = v => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("").trim();
    const style = getComputedStyle(el);
    if (!text || style.visibility === "hidden" || !el.getClientRects().length) continue;
    if (el.closest("noscript, script, style") || el.getBoundingClientRect().right < 0) continue;
    const [a, b] = [lum(rgb(style.color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) bad.push(`${el.tagName} "${text.slice(0, 30)}" ${ratio.toFixed(2)}:1`);
  }
  return bad;
}"""
