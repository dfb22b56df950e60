"""The generated Markdown reaches mkdocs in memory, in the order mkdocs' own walk would give."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from generator.site.mkdocs_memory import _walk_order
from generator.site.mkdocs_site import run_mkdocs

DOCS = {
    "index.md": "# Beranda\n",
    "cari.md": "# Cari\n",
    "kegiatan/index.md": "# Kegiatan\n",
    "kegiatan/2026-11-16-kerja-bakti.md": "# Kerja bakti\n",
    "kegiatan/arsip/index.md": "# Arsip\n",
    "kegiatan/kategori/index.md": "# Kategori\n",
    "kegiatan/halaman/2.md": "# Halaman 2\n",
    "layanan/README.md": "# Layanan\n",
    "layanan/ktp-el.md": "# KTP-el\n",
    "Z.md": "# Z\n",
}


def _config(folder: Path) -> Path:
    (folder / "docs").mkdir(parents=True)
    config = folder / "mkdocs.yml"
    config.write_text(f"site_name: Uji\ndocs_dir: {folder / 'docs'}\nsite_dir: {folder / 'situs'}\n"
                      "site_url: https://contoh.example/uji/\n", "utf-8")
    return config


def test_pages_come_in_the_order_of_mkdocs_walking_a_docs_folder(tmp_path: Path):
    on_disk = _config(tmp_path / "disk")
    for uri, text in DOCS.items():
        (tmp_path / "disk" / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "disk" / "docs" / uri).write_text(text, "utf-8")
    walked = [f.src_uri for f in get_files(load_config(config_file=str(on_disk)))]
    assert sorted(DOCS, key=_walk_order) == walked


def test_a_site_built_from_memory_equals_one_built_from_files(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # the theme prints its build time
    on_disk = _config(tmp_path / "disk")
    for uri, text in DOCS.items():
        (tmp_path / "disk" / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "disk" / "docs" / uri).write_text(text, "utf-8")
    in_memory = _config(tmp_path / "memori")
    run_mkdocs(on_disk)
    run_mkdocs(in_memory, DOCS)
    assert not any((tmp_path / "memori" / "docs").iterdir())  # nothing written for mkdocs to read
    built = {p.relative_to(tmp_path / "disk" / "situs"): p.read_bytes()
             for p in (tmp_path / "disk" / "situs").rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path / "memori" / "situs"): p.read_bytes()
             for p in (tmp_path / "memori" / "situs").rglob("*") if p.is_file()}
    assert built.keys() == again.keys() and len(built) > len(DOCS)
    assert built == again
