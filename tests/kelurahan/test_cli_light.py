"""`kelurahan --help` answers at once: it must not import pydantic, Pillow, mkdocs or clients."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "PIL", "mkdocs", "requests", "facebook", "feedparser", "jinja2", "yaml",
         "generator", "publish")


def test_help_imports_nothing_heavy() -> None:
    script = ("import sys\nfrom kelurahan.cli import main\ncode = main(['--help'])\n"
              f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert "Perintah:" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"
