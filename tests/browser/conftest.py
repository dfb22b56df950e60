"""One build of the sample city for every browser test (building is the expensive part): the
session's `sample_city` (tests/conftest.py), shared with the audit tests. Every test here
drives Chromium, so each is marked `browser` (`pytest -m "not browser"` skips them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.site_support import serving
from tests.conftest import SampleCity

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site(sample_city: SampleCity) -> Path:
    return sample_city.site


@pytest.fixture(scope="session")
def base(site: Path):
    with serving(site) as url:
        yield url
