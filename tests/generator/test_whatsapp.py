"""The WhatsApp menu files: exact text, Meta's limits, pagination, quick replies, bad content.

Fixture: conftest's one-kelurahan city (2 services), plus services written per test.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from generator.whatsapp import limit_problems, write_menu
from generator.whatsapp.text import shorten, split_message
from kelurahan import check, load_valid
from kelurahan.cli import main
from kelurahan.outputs import WhatsAppMenu, read_output
from tests.conftest import snapshot, write

FILES = ["list_message.json", "menu.json", "menu.txt", "quick_replies.csv"]

MENU_TXT = """\
Selamat datang di layanan informasi *Kelurahan Sukamaju*, Kecamatan Kota Baru.
Jam layanan: Senin–Jumat 08.00–15.00 WITA

*Layanan:*
1. Surat Pengantar KTP-el
2. Kartu Keluarga

Ketik angka atau kata kunci, 0 untuk kembali.
Ketik *petugas* untuk bicara dengan petugas.
"""

KTP_ANSWER = """\
*1. Surat Pengantar KTP-el*

*Syarat:*
1. Surat pengantar RT/RW
2. Fotokopi Kartu Keluarga

*Biaya:* Gratis
*Waktu:* 1 hari kerja
*Jam layanan:* Senin–Jumat 08.00–15.00 WITA

Selengkapnya: https://kelurahan.kotauji.example/sukamaju/layanan/ktp-el/

Ketik 0 untuk kembali ke menu. Ketik *petugas* untuk bicara dengan petugas."""


def service(content: Path, slug: str, title: str, order: int, *, syarat: list[str] | None = None,
            keywords: list[str] | None = None, summary: str | None = None) -> Path:
    lines = ["---", f"judul: {json.dumps(title)}", f"urutan: {order}",
             f"syarat: {json.dumps(syarat or ['Surat pengantar RT/RW'])}",
             f"kata_kunci: {json.dumps(keywords if keywords is not None else [slug])}"]
    if summary:
        lines.append(f"ringkasan: {json.dumps(summary)}")
    return write(content / "sukamaju" / "layanan" / f"{slug}.md", "\n".join([*lines, "---", ""]))


def build(content: Path, out: Path) -> Path:
    city = load_valid(content)
    write_menu(city, city.get("sukamaju"), out)
    return out / "sukamaju" / "whatsapp"


def read_json(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_writes_the_four_files_with_exact_menu(content: Path, tmp_path: Path) -> None:
    folder = build(content, tmp_path / "site")
    assert sorted(p.name for p in folder.iterdir()) == FILES  # no temp files left behind
    assert (folder / "menu.txt").read_text("utf-8") == MENU_TXT
    menu = read_json(folder / "menu.json")
    assert menu["kelurahan"] == "Sukamaju"
    assert menu["phone_number_id"] == "100000000000001"
    assert menu["salam"] == MENU_TXT.split("\n\n")[0]
    assert menu["kembali"] == ["0", "menu", "kembali"]
    assert menu["petugas"]["kata"] == ["petugas"]
    assert menu["kantor"]["situs"] == "https://kelurahan.kotauji.example/sukamaju/"
    assert menu["kantor"]["telepon"] == "(0541) 700-1001"
    ktp = menu["layanan"][0]
    assert {k: ktp[k] for k in ("nomor", "id", "judul", "ringkasan", "syarat", "kata_kunci")} == {
        "nomor": 1, "id": "ktp-el", "judul": "Surat Pengantar KTP-el", "ringkasan": None,
        "syarat": ["Surat pengantar RT/RW", "Fotokopi Kartu Keluarga"],
        "kata_kunci": ["ktp", "ktp-el"]}
    assert ktp["jawaban"] == KTP_ANSWER
    assert menu["versi"] == 1
    parsed = read_output(folder / "menu.json", WhatsAppMenu)  # what the bot reads
    assert parsed.services[0].answer == KTP_ANSWER
    assert parsed.to_json() == (folder / "menu.json").read_text("utf-8")


def test_numbered_by_urutan_with_stable_ids(content: Path, tmp_path: Path) -> None:
    service(content, "sktm", "Surat Keterangan Tidak Mampu", 0, keywords=["sktm"])
    layanan = read_json(build(content, tmp_path / "site") / "menu.json")["layanan"]
    assert [(s["nomor"], s["id"]) for s in layanan] == [(1, "sktm"), (2, "ktp-el"), (3, "kk")]


def assert_list_within_limits(body: dict) -> None:
    """Meta's limits for an interactive list message (Cloud API reference)."""
    assert body["messaging_product"] == "whatsapp" and body["type"] == "interactive"
    inter = body["interactive"]
    assert inter["type"] == "list"
    assert len(inter["header"]["text"]) <= 60 and inter["header"]["type"] == "text"
    assert 0 < len(inter["body"]["text"]) <= 1024
    assert len(inter["footer"]["text"]) <= 60
    assert 0 < len(inter["action"]["button"]) <= 20
    rows = [r for s in inter["action"]["sections"] for r in s["rows"]]
    assert 0 < len(rows) <= 10
    assert len({r["id"] for r in rows}) == len(rows)
    for section in inter["action"]["sections"]:
        assert 0 < len(section["title"]) <= 24
    for row in rows:
        assert 0 < len(row["title"]) <= 24 and len(row["description"]) <= 72
        assert len(row["id"]) <= 200


def test_list_message_fits_and_holds_the_numbered_menu(content: Path, tmp_path: Path) -> None:
    body = read_json(build(content, tmp_path / "site") / "list_message.json")
    assert_list_within_limits(body)
    assert "to" not in body  # the bot adds the recipient
    assert body["interactive"]["body"]["text"] == MENU_TXT.rstrip("\n")
    rows = body["interactive"]["action"]["sections"][0]["rows"]
    assert rows == [
        {"id": "ktp-el", "title": "Surat Pengantar KTP-el", "description": "1. Gratis · 1 hari kerja"},
        {"id": "kk", "title": "Kartu Keluarga", "description": "2. Gratis"},
    ]


def test_more_than_eight_services_paginate_with_lainnya(content: Path, tmp_path: Path) -> None:
    service(content, "sktm", "Surat Keterangan Tidak Mampu untuk Beasiswa", 3,
            summary="Keterangan kondisi ekonomi keluarga untuk keringanan biaya sekolah dan "
                    "rumah sakit di seluruh kota")
    for n in range(4, 12):
        service(content, f"layanan-{n}", f"Layanan Nomor {n}", n)
    folder = build(content, tmp_path / "site")
    pages = read_json(folder / "menu.json")["daftar"]["halaman"]
    assert read_json(folder / "list_message.json") == pages[0]
    assert len(pages) == 2
    for page in pages:
        assert_list_within_limits(page)
    first = [r["id"] for s in pages[0]["interactive"]["action"]["sections"] for r in s["rows"]]
    second = [r["id"] for s in pages[1]["interactive"]["action"]["sections"] for r in s["rows"]]
    assert first == ["ktp-el", "kk", "sktm", *[f"layanan-{n}" for n in range(4, 9)],
                     "#halaman-2", "#petugas"]
    assert second == ["layanan-9", "layanan-10", "layanan-11", "#petugas"]
    sktm = pages[0]["interactive"]["action"]["sections"][0]["rows"][2]
    assert sktm["title"] == "Ket. Tidak Mampu untuk…"  # whole words, never "Beasisw"
    assert sktm["description"] == ("3. Keterangan kondisi ekonomi keluarga untuk keringanan biaya "
                                   "sekolah…")


def test_shorten_and_split_on_word_boundaries() -> None:
    assert shorten("Surat Keterangan Domisili Usaha", 24) == "Surat Keterangan…"
    assert shorten("Pendek", 24) == "Pendek"
    assert shorten("Supercalifragilisticexpialidocious", 24) is None
    parts = split_message("baris satu\n" + "kata " * 300, 1024)
    assert all(len(p) <= 1024 for p in parts) and len(parts) == 2
    assert parts[0].startswith("baris satu\nkata kata") and parts[1].startswith("kata")
    assert " ".join(" ".join(parts).split()) == " ".join(("baris satu " + "kata " * 300).split())


def read_quick_replies(folder: Path) -> list[dict[str, str]]:
    text = (folder / "quick_replies.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_quick_replies_shortcuts_and_split_messages(content: Path, tmp_path: Path) -> None:
    many = [f"Dokumen pendukung nomor {n} yang harus dibawa dalam bentuk asli dan fotokopi"
            for n in range(1, 31)]
    service(content, "sktm", "Surat Keterangan Tidak Mampu", 3, syarat=many,
            keywords=["surat miskin", "sktm"])
    rows = read_quick_replies(build(content, tmp_path / "site"))
    shortcuts = [r["pintasan"] for r in rows]
    assert shortcuts == ["/menu", "/ktp", "/kk", "/sktm", "/sktm-2", "/sktm-3", "/petugas"]
    assert all(s.startswith("/") and len(s) <= 25 for s in shortcuts)
    assert all(len(r["pesan"]) <= 1024 for r in rows)
    sktm = "\n".join(r["pesan"] for r in rows if r["pintasan"].startswith("/sktm"))
    assert all(f"{n}. {item}" in sktm for n, item in enumerate(many, start=1))


def test_quick_reply_shortcuts_stay_unique_and_short(content: Path, tmp_path: Path) -> None:
    service(content, "surat-keterangan-ahli-waris-dan-pembagian", "Ahli Waris", 3, keywords=[])
    service(content, "surat-keterangan-ahli-waris-dan-pembagian-2", "Ahli Waris Kedua", 4,
            keywords=[])
    shortcuts = [r["pintasan"] for r in read_quick_replies(build(content, tmp_path / "site"))]
    assert shortcuts[3:5] == ["/surat-keterangan-ahli-wa", "/surat-keterangan-ahli-2"]
    assert len(set(shortcuts)) == len(shortcuts)


def test_rewrite_replaces_files_whole(content: Path, tmp_path: Path) -> None:
    folder = build(content, tmp_path / "site")
    service(content, "sktm", "Surat Keterangan Tidak Mampu", 3, keywords=["sktm"])
    build(content, tmp_path / "site")
    assert sorted(p.name for p in folder.iterdir()) == FILES
    assert "3. Surat Keterangan Tidak Mampu" in (folder / "menu.txt").read_text("utf-8")


# Each case: service file contents → the exact problem line fragment.
LIMIT_CASES = {
    "answer too long": (dict(syarat=[f"Syarat nomor {n} " + "x" * 60 for n in range(60)]),
                        "sukamaju/layanan/baru.md:4: syarat: jawaban WhatsApp 5079 karakter, melebihi "
                        "batas 4096; persingkat syarat atau ringkasan"),
    "title word too long": (dict(title="Pengantarsuratketeranganusaha"),
                            "sukamaju/layanan/baru.md:2: judul: kata pertama judul terlalu panjang "
                            "untuk daftar WhatsApp (maks. 24 karakter); pakai judul yang lebih "
                            "pendek"),
    "keyword is a command": (dict(keywords=["baru", "menu"]),
                             "sukamaju/layanan/baru.md:5: kata_kunci: kata kunci 'menu' sudah "
                             "dipakai bot sebagai perintah; pilih kata lain"),
    "keyword is a number": (dict(keywords=["3"]),
                            "sukamaju/layanan/baru.md:5: kata_kunci: kata kunci '3' dibaca bot "
                            "sebagai nomor layanan; pilih kata lain"),
}


@pytest.mark.parametrize("case", list(LIMIT_CASES))
def test_check_reports_what_cannot_fit(case: str, content: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    fields, expected = LIMIT_CASES[case]
    service(content, "baru", fields.get("title", "Layanan Baru"), 3,
            syarat=fields.get("syarat"), keywords=fields.get("keywords", ["baru"]))
    before = snapshot(content)
    code = main(["check", "--content", str(content)])
    out = capsys.readouterr()
    assert code == 1
    assert expected in out.out
    assert snapshot(content) == before
    # `kelurahan menu` refuses too, writing nothing.
    assert main(["menu", "--content", str(content), "--out", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()


def test_keyword_equal_to_another_title_is_reported(content: Path) -> None:
    service(content, "baru", "Layanan Baru", 3, keywords=["Kartu Keluarga"])
    problems = [str(p) for p in limit_problems(check(content).city)]
    assert [p.split("content/", 1)[1] for p in problems] == [
        "sukamaju/layanan/baru.md: kata_kunci: kata kunci 'kartu keluarga' sama dengan judul "
        "layanan kk; pilih kata lain"]


def test_same_short_titles_are_a_warning(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service(content, "a", "Surat Pernyataan Ahli Waris Almarhum", 3, keywords=["a1"])
    service(content, "b", "Surat Pernyataan Ahli Waris Almarhumah", 4, keywords=["b1"])
    assert main(["check", "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert ("sukamaju/layanan/b.md:2: judul: peringatan: di daftar WhatsApp judul ini dipersingkat "
            "menjadi 'Surat Pernyataan Ahli…', sama dengan layanan a; persingkat judul") in out


def test_menu_command_writes_and_rejects_unknown_slug(content: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["menu", "--content", str(content), "--out", str(out), "--only", "sukamaju"]) == 0
    assert sorted(p.name for p in (out / "sukamaju" / "whatsapp").iterdir()) == FILES
    before = snapshot(out)
    assert main(["menu", "--content", str(content), "--out", str(out), "--only", "tidakada"]) == 1
    assert capsys.readouterr().err.strip() == (
        "Gagal: kelurahan tidak dikenal: tidakada (yang ada: sukamaju)")
    assert snapshot(out) == before


def test_kelurahan_without_services_still_gets_a_valid_menu(content: Path, tmp_path: Path) -> None:
    for path in (content / "sukamaju" / "layanan").iterdir():
        path.unlink()
    folder = build(content, tmp_path / "site")
    body = read_json(folder / "list_message.json")
    assert_list_within_limits(body)
    assert [s["title"] for s in body["interactive"]["action"]["sections"]] == ["Bantuan"]
    assert read_json(folder / "menu.json")["bantuan"] == (
        "Maaf, pesan Anda belum bisa kami jawab otomatis. Ketik angka atau kata kunci layanan, "
        "atau *petugas* untuk bicara dengan petugas.")
