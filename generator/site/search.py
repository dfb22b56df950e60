"""Pagefind search index for one kelurahan site (`<slug>/pagefind/`), Indonesian stemming.

Pagefind reads the built HTML; `<html lang="id">` selects its Indonesian stemmer, so "pindah"
finds "kepindahan". Only elements marked `data-pagefind-body` (posts, services, home) are indexed.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

from kelurahan.errors import KelurahanError

log = logging.getLogger(__name__)


def _executable() -> str:
    """The binary Pagefind's own Python API would start (`PAGEFIND_BINARY_PATH`, else the
    pinned `pagefind_bin` wheel), without importing that API: it pulls in asyncio."""
    from pagefind_bin import get_executable

    return str(Path(os.environ.get("PAGEFIND_BINARY_PATH") or get_executable()).resolve())


class Indexing:
    """A Pagefind run in progress: the build draws cards meanwhile, then waits for it."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.process = subprocess.Popen(
            [_executable(), "--site", str(site_dir), "--output-subdir", "pagefind",
             "--force-language", "id", "--silent"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait(self) -> None:
        out, err = self.process.communicate()
        if self.process.returncode != 0:
            detail = (err or out).strip().splitlines()[-1:] or ["(tanpa pesan)"]
            raise KelurahanError(f"indeks pencarian gagal dibuat: {detail[0]}")
        log.debug("pagefind %s: %s", self.site_dir.name, out.strip())

    def stop(self) -> None:
        """The site failed after all: end the run, leave no process behind."""
        self.process.kill()
        self.process.communicate()

