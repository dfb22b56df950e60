"""Pagefind search index for one kelurahan site (`<slug>/pagefind/`), Indonesian stemming.

Pagefind reads the built HTML; `<html lang="id">` selects its Indonesian stemmer, so "pindah"
finds "kepindahan". Only elements marked `data-pagefind-body` (posts, services, home) are indexed.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from kelurahan.errors import KelurahanError

log = logging.getLogger(__name__)


def _executable() -> str:
    from pagefind.service import _must_get_executable

    return str(_must_get_executable().resolve())


def index_site(site_dir: Path) -> None:
    """Run the Pagefind binary over `site_dir`; its index lands in `site_dir/pagefind/`."""
    result = subprocess.run(
        [_executable(), "--site", str(site_dir), "--output-subdir", "pagefind", "--force-language", "id", "--silent"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["(tanpa pesan)"]
        raise KelurahanError(f"indeks pencarian gagal dibuat: {detail[0]}")
    log.debug("pagefind %s: %s", site_dir.name, result.stdout.strip())
