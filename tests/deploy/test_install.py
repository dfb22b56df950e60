"""The built wheel works outside the checkout: `init`, `check`, `build` from any folder.

The wheel is built from a copy of the source and installed (without dependencies) into a fresh
venv; the dependencies come from the development venv through a `.pth` line, so the test stays
offline and fast while `pip check` still proves the wheel's declared requirements are met.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOP_LEVEL_SKIP = {".git", ".venv", "site", "build", ".kelurahan", ".pytest_cache", ".ruff_cache",
                  "content", "tests", "benchmarks", "docs", "audit"}


def _skip(folder: str, names: list[str]) -> set[str]:
    """Only the source: the checkout's own outputs, venv and tests stay behind."""
    top = TOP_LEVEL_SKIP if Path(folder) == REPO else set()
    return {n for n in names if n in top or n == "__pycache__" or n.endswith(".egg-info")}


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                            env=env, check=False)
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_wheel_installs_and_builds_a_new_city_anywhere(tmp_path: Path) -> None:
    source = tmp_path / "sumber"
    shutil.copytree(REPO, source, symlinks=True, ignore=_skip)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", tmp_path / "dist", source, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("kelurahan_digital-*.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                       cwd=tmp_path).strip())
    (purelib / "dev-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel,
        cwd=tmp_path)
    run(sys.executable, "-m", "pip", "--python", python, "check", cwd=tmp_path)
    shutil.rmtree(source)  # nothing may be read from a checkout

    where = run(python, "-c", "import kelurahan, generator; print(kelurahan.__file__)",
                cwd=tmp_path)
    assert where.startswith(str(purelib)), where
    kelurahan = venv / "bin" / "kelurahan"
    env = {"PATH": "/usr/bin:/bin", "KELURAHAN_STATE_DIR": str(tmp_path / "status")}
    out = run(kelurahan, "init", "kota-uji", "--kota", "Kota Uji", "--zona-waktu",
              "Asia/Makassar", cwd=tmp_path, env=env)
    assert out.startswith("Dibuat kota-uji/")
    city = tmp_path / "kota-uji"
    assert "Konten Kota Uji baik: 1 kelurahan" in run(kelurahan, "check", cwd=city, env=env)
    out = run(kelurahan, "build", "--jobs", "1", cwd=city, env=env)
    assert out.startswith("Selesai: 1 situs dibangun ulang")
    site = city / "site"
    assert "Portal Kelurahan Kota Uji" in (site / "index.html").read_text()
    assert (site / "404.html").is_file()
    assert "Kelurahan Contoh" in (site / "contoh" / "index.html").read_text()
    home = (site / "contoh" / "index.html").read_text()
    assert "a:focus-visible,button:focus-visible" in home, "the shipped site theme was used"
    assert (site / "contoh" / "whatsapp" / "menu.json").is_file()
