"""The guides in docs/panduan/ build, and every command in them works (see guide_support)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kelurahan.cli import COMMANDS, cli
from tests.conftest import make_photo
from tests.docs.guide_support import (
    GUIDES,
    REPO,
    blocks,
    kelurahan_commands,
    script,
    shipped_paths,
    unit_names,
)

BIN = Path(sys.executable).parent
CHECKED = [GUIDES / "lurah-staf.md", GUIDES / "diskominfo.md", REPO / "deploy" / "README.md"]


def run_script(text: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", text], cwd=cwd, env=env,
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return result.stdout


KEPT_POST = "2026-11-16-kerja-bakti-jelang-musim-hujan"


def sample_city(root: Path) -> Path:
    """Kota Contoh with Sukamaju and one of its posts: every command works, builds quickly."""
    content = root / "content"
    content.mkdir(parents=True)
    shutil.copy(REPO / "content" / "kota.yml", content)
    shutil.copytree(REPO / "content" / "sukamaju", content / "sukamaju")
    for post in (content / "sukamaju" / "kegiatan").glob("*.md"):
        if post.stem != KEPT_POST:
            post.unlink()
    return root


def base_env(state: Path) -> dict[str, str]:
    return {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(state.parent), "LANG": "C.UTF-8",
            "KELURAHAN_STATE_DIR": str(state), "CI": "1"}


def test_staff_guide_commands_run(tmp_path: Path) -> None:
    city = sample_city(tmp_path / "kota")
    make_photo(city / "foto-kerja-bakti.jpg")
    out = run_script(script(GUIDES / "lurah-staf.md", {}), city, base_env(tmp_path / "status"))
    assert "Dibuat content/sukamaju/kegiatan/" in out
    assert "Konten Kota Contoh baik" in out
    posts = list((city / "content" / "sukamaju" / "kegiatan").glob("*-kerja-bakti-bersih-parit-rt-05.md"))
    assert len(posts) == 1
    assert (city / "content" / "sukamaju" / "media" / f"{posts[0].stem}-1.jpg").is_file()


def test_every_error_the_staff_guide_explains_is_what_check_prints(tmp_path: Path) -> None:
    city = sample_city(tmp_path)
    kel = city / "content" / "sukamaju"
    ktp = kel / "layanan" / "ktp-el.md"
    ktp.write_text(re.sub(r"syarat:\n(- .*\n)+", "syarat: KTP asli\n", ktp.read_text(), count=1))
    kk = kel / "layanan" / "kk.md"
    kk.write_text(kk.read_text().replace("syarat:", "sayrat:", 1))
    post = kel / "kegiatan" / f"{KEPT_POST}.md"
    text = post.read_text().replace("tanggal: 2026-11-16", "tanggal: 2026-11-17", 1)
    text = text.replace("media/2026-11-16-kerja-bakti-2.jpg", "media/salah.jpg")
    post.write_text(text.rstrip("\n") + "\n\nPenerima bantuan: Budi, NIK 6471010101900001.\n")
    result = subprocess.run([BIN / "kelurahan", "check"], cwd=city, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 1
    explained = next(b for b in blocks(GUIDES / "lurah-staf.md", "text") if "data pribadi" in b.text)
    assert explained.text.splitlines() == [line for line in result.stdout.splitlines()
                                           if line.startswith("content/")]


def test_diskominfo_guide_commands_run(tmp_path: Path) -> None:
    root = tmp_path / "server"
    for folder in ("srv/kelurahan", "var/lib/kelurahan", "opt/kelurahan/bin"):
        (root / folder).mkdir(parents=True)
    (root / "srv" / "kelurahan" / ".bashrc").write_text("# rumah pengguna kelurahan\n")
    (root / "opt" / "kelurahan" / "bin" / "kelurahan").symlink_to(BIN / "kelurahan")
    moved = {"/srv/kelurahan": f"{root}/srv/kelurahan", "/opt/kelurahan": f"{root}/opt/kelurahan",
             "/var/lib/kelurahan": f"{root}/var/lib/kelurahan"}
    env = base_env(root / "var" / "lib" / "kelurahan")
    out = run_script(script(GUIDES / "diskominfo.md", moved), tmp_path, env)
    city = root / "srv" / "kelurahan"
    assert "Konten Kota Contoh baik: 1 kelurahan" in out
    assert sorted(p.name for p in (city / "site").iterdir() if p.is_dir()) == [
        "sukamaju", "tanjung-harapan"]
    assert (city / "audit" / "riwayat").is_dir()
    assert (city / "cadangan" / "status.tar.gz").is_file()


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_root_commands_are_valid(path: Path) -> None:
    for text in [b.text for b in blocks(path, "bash")]:
        checked = subprocess.run(["bash", "-n"], input=text, text=True, capture_output=True,
                                 check=False)
        assert checked.returncode == 0, f"{path.name}: {checked.stderr}"
        for shipped in shipped_paths(text):
            assert (REPO / shipped).exists(), f"{path.name}: {shipped} does not exist"
        for unit in unit_names(text):
            assert (REPO / "deploy" / unit).is_file(), f"{path.name}: {unit} is not shipped"
    for args in [c for b in blocks(path) for c in kelurahan_commands(b.text)]:
        assert args[0] in COMMANDS, f"{path.name}: kelurahan {args[0]}"
        command = cli.get_command(click.Context(cli), args[0])
        with click.Context(cli) as parent:
            context = command.make_context(args[0], list(args[1:]), parent=parent)
            if isinstance(command, click.Group):  # `database copy …`: its options parsed too
                sub = command.get_command(context, args[1])
                assert sub is not None, f"{path.name}: kelurahan {args[0]} {args[1]}"
                sub.make_context(args[1], list(args[2:]), parent=context)


def test_guides_build_with_the_product_mkdocs_setup(tmp_path: Path) -> None:
    result = subprocess.run([BIN / "mkdocs", "build", "--strict", "-q", "-f",
                             REPO / "docs" / "mkdocs.yml", "--site-dir", tmp_path / "panduan"],
                            capture_output=True, text=True, check=False,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "panduan" / "diskominfo" / "index.html").read_text()
    assert '<html lang="id"' in html
    for guide in GUIDES.glob("*.md"):
        for image in re.findall(r"\]\((gambar/[^)]+)\)", guide.read_text()):
            assert (GUIDES / image).is_file(), f"{guide.name}: {image}"
