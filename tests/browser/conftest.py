"""One build of the sample city for every browser test (building is the expensive part)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.site_support import build_sample, serving


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def base(site: Path):
    with serving(site) as url:
        yield url
