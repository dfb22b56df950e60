"""A city's `content/instansi_lain.yml`: checked like content, every mistake named."""

from __future__ import annotations

from pathlib import Path

import pytest

from kelurahan.cli import main
from tests.conftest import make_content


@pytest.mark.parametrize(("text", "problem"), [
    ("- id: polisi\n  nama: Polsek\n  urusan: SKCK\n", "entri ke-1.kata_kunci: wajib diisi"),
    ("- id: polisi\n  nama: Polsek\n  urusan: SKCK\n  kata_kunci: skck\n",
     "entri ke-1.kata_kunci: harus berupa daftar kata, bukan 'skck'"),
    ("id: polisi\n", "instansi_lain: harus berupa daftar instansi (baris diawali '- id:')"),
    ("- SKCK ke Polsek\n", "entri ke-1: harus berisi id, nama, urusan, kata_kunci"),
])
def test_check_names_the_file_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      text: str, problem: str) -> None:
    content = make_content(tmp_path)
    (content / "instansi_lain.yml").write_text(text, "utf-8")
    assert main(["check", "--content", str(content)]) == 1
    assert f"{content / 'instansi_lain.yml'}: {problem}" in capsys.readouterr().out.splitlines()


def test_build_refuses_it_and_leaves_the_output(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    content = make_content(tmp_path)
    (content / "instansi_lain.yml").write_text("- id: x\n", "utf-8")
    out = tmp_path / "site"
    assert main(["menu", "--content", str(content), "--out", str(out)]) == 1
    shown = capsys.readouterr()
    assert f"{content / 'instansi_lain.yml'}: entri ke-1.nama: wajib diisi" in shown.out + shown.err
    assert not (out / "sukamaju" / "whatsapp" / "menu.json").exists()
