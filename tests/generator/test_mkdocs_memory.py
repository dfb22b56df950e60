"""The generated Markdown reaches mkdocs in memory, in the order mkdocs' own walk would give."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from generator.site.markup import front_matter
from generator.site.mkdocs_memory import _front_matter, _walk_order
from generator.site.mkdocs_site import run_mkdocs
from generator.site.raw_html import RawHtmlExtension

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
    # front matter as the generator writes it (one JSON value per line), and one it does not
    "layanan/kk.md": front_matter({"title": "KK \"baru\" – ganti: ya", "description": "Kartu\nkeluarga",
                                   "og_image": "../kartu/a/facebook.jpg", "nomor": 7}, "Isi: *tebal*"),
    "layanan/yaml.md": "---\ntitle: Judul YAML\nlist:\n  - a\n---\n\n# Isi\n",
    # what one page leaves in a reused Markdown instance must not reach the next
    "layanan/a.md": "# Sama\n\n## Sama\n\n[ref]: https://contoh.example/a\n\n[ke ref][ref] · "
                    "[KK](kk.md#sama) · <div markdown>*x*</div>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "layanan/b.md": "# Sama\n\n[ke ref][ref]\n\n```\n<kode>\n```\n\n<!--kd:html-->\n<p id=\"sama\">x</p>\n"
                    "<!--/kd:html-->\n",
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


def test_the_generators_front_matter_is_read_as_mkdocs_reads_it():
    import yaml

    for uri, text in DOCS.items():
        split = _front_matter(text)
        if text.startswith("---") and "title: Judul YAML" not in text:
            assert split is not None, uri
            head = text[4:text.index("\n---\n")]
            assert split[0] == yaml.safe_load(head), uri
        else:
            assert split is None, uri


def test_one_markdown_for_all_pages_renders_what_one_per_page_does(tmp_path: Path, monkeypatch):
    """mkdocs' own build (a new Markdown per page) against ours (one, reset between pages)."""
    from mkdocs.commands.build import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")
    sites = {}
    for name in ("per-halaman", "dipakai-ulang"):
        config_file = _config(tmp_path / name)
        for uri, text in DOCS.items():
            (tmp_path / name / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / "docs" / uri).write_text(text, "utf-8")
        if name == "per-halaman":
            config = load_config(config_file=str(config_file))
            config.markdown_extensions.append(RawHtmlExtension())
            build(config)
        else:
            config_file.write_text(config_file.read_text("utf-8") + "hooks: [" + str(
                Path(__file__).resolve().parents[2] / "generator/site/mkdocs_hooks.py") + "]\n")
            run_mkdocs(config_file)
        sites[name] = {p.relative_to(tmp_path / name / "situs"): p.read_bytes()
                       for p in (tmp_path / name / "situs").rglob("*.html")}
    assert sites["per-halaman"].keys() == sites["dipakai-ulang"].keys()
    for page, html in sites["per-halaman"].items():
        assert html == sites["dipakai-ulang"][page], page
