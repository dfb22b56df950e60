"""`audit.html` in headless Chromium: self-contained, sortable by clicking, printable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from publish.audit import Activity, AuditReport, Kind, SiteResult, Status, Target, Thresholds
from publish.audit import write_report as write_audit
from tests.publish.audit_support import NOW

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def _result(name: str, status: Status, days: int | None, weekly: tuple[int, ...]) -> SiteResult:
    last = NOW - dt.timedelta(days=days) if days is not None else None
    activity = Activity(last, days, int(days is not None and days <= 7), sum(weekly[-4:]),
                        sum(weekly), weekly, sum(weekly))
    return SiteResult(Target(name, f"https://{name.lower()}.example/", Kind.OURS, "Kota Baru"),
                      status, "alasan", activity=activity if days is not None else None)


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory) -> Path:
    results = (
        _result("Hilang", Status.UNREACHABLE, None, ()),
        _result("Bukit", Status.INACTIVE, 45, (1,) + (0,) * 11),
        _result("Anggrek", Status.LESS_ACTIVE, 12, (0,) * 10 + (2, 0)),
        _result("Cempaka", Status.ACTIVE, 2, (1,) * 12),
    )
    report = AuditReport("Kota Uji", NOW, Thresholds(), results)
    out = tmp_path_factory.mktemp("audit")
    write_audit(report, out)
    return out / "audit.html"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium tidak terpasang di /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _column(page, index: int) -> list[str]:
    return [cell.inner_text() for cell in page.query_selector_all(f"#situs tbody td:nth-child({index})")]


@pytest.mark.browser
def test_dashboard_loads_nothing_from_elsewhere_and_sorts_by_clicking(browser, dashboard):
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(dashboard.as_uri())
    assert requests == [dashboard.as_uri()]
    assert _column(page, 2) == ["Hilang", "Bukit", "Anggrek", "Cempaka"]
    assert len(page.query_selector_all("#situs svg.spark")) == 3
    page.click("th:has-text('Kelurahan')")
    assert _column(page, 2) == ["Anggrek", "Bukit", "Cempaka", "Hilang"]
    page.click("th:has-text('Hari sejak')")
    assert _column(page, 6) == ["2", "12", "45", "—"]
    page.click("th:has-text('Hari sejak')")
    assert _column(page, 6) == ["—", "45", "12", "2"]
    page.click("th:has-text('Status')")
    assert _column(page, 4) == ["aktif", "kurang aktif", "tidak aktif", "tidak dapat diakses"]
    page.close()


@pytest.mark.browser
def test_dashboard_prints_without_the_screen_hints(browser, dashboard):
    page = browser.new_page()
    page.goto(dashboard.as_uri())
    assert page.is_visible("text=Klik judul kolom")
    page.emulate_media(media="print")
    assert not page.is_visible("text=Klik judul kolom")
    assert page.pdf(format="A4", landscape=True)[:4] == b"%PDF"
    page.close()
