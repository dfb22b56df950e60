"""Realistic resident messages (conversations.yml) through the resident router, with the
sample city's real menu: 0 wrong services, ≥ 95 % right answers; the confusion list on failure.

No HTTP here (the webhook tests cover the wire): 270 messages in well under a second.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.whatsapp import write_menu
from kelurahan import load_valid
from kelurahan.cli import main
from publish.bot.events import Incoming, Kind
from publish.bot.lexicon import lexicon
from publish.bot.menus import Menu, load_menus
from publish.bot.router import route

HERE = Path(__file__).parent
SAMPLE = Path(__file__).resolve().parents[3] / "content"


@pytest.fixture(scope="module")
def menu(tmp_path_factory: pytest.TempPathFactory) -> Menu:
    city = load_valid(SAMPLE)
    site = tmp_path_factory.mktemp("site")
    for kel in city.kelurahan:
        write_menu(city, kel, site)
    found = load_menus(site).by_phone
    return next(m for m in found.values() if m.slug == "sukamaju")


def answer_kind(reason: str) -> str:
    """The reply's reason as the conversation file names answers."""
    if reason.startswith("layanan "):
        return reason
    if reason.startswith("instansi lain "):
        return "instansi " + reason.removeprefix("instansi lain ")
    return {"menu": "menu", "salam": "menu", "sambutan": "menu", "kantor": "kantor",
            "petugas": "petugas", "terima kasih": "terima kasih", "penutup": "terima kasih",
            "tidak dikenal": "bantuan", "nomor lain": "bantuan"}.get(reason, reason)


def conversations() -> list[tuple[str, str]]:
    data = yaml.safe_load((HERE / "conversations.yml").read_text("utf-8"))
    return [(str(text), expected) for expected, texts in data.items() for text in texts]


def test_the_file_is_what_the_issue_asks_for() -> None:
    cases = conversations()
    assert len(cases) >= 200
    assert sum(not e.startswith("layanan ") for _, e in cases) >= 60


def test_no_wrong_service_and_95_percent_right(menu: Menu) -> None:
    results = []
    for n, (text, expected) in enumerate(conversations()):
        event = Incoming(f"wamid.c{n}", "6281234567001", "100000000000001", Kind.TEXT, text)
        results.append((text, expected, answer_kind(route(menu, event).reason)))
    wrong = [r for r in results if r[2].startswith("layanan ") and r[2] != r[1]]
    right = [r for r in results if r[2] == r[1]]
    misses = [r for r in results if r[2] != r[1]]
    confusion = Counter((expected, got) for _, expected, got in misses)
    report = "\n".join([f"{len(right)}/{len(results)} benar, {len(wrong)} layanan salah",
                        *(f"  {text!r}: harap {expected}, dapat {got}"
                          for text, expected, got in misses),
                        "confusion:", *(f"  {e} → {g}: {c}" for (e, g), c in
                                        confusion.most_common())])
    print(report)
    assert not wrong, report
    assert len(right) >= 0.95 * len(results), report


@pytest.fixture(scope="module")
def alamat_city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Menu]:
    """The sample city where Bukit Indah's domisili service has the keyword `alamat`."""
    content = tmp_path_factory.mktemp("kota") / "content"
    shutil.copytree(SAMPLE, content)
    service = content / "bukit-indah" / "layanan" / "domisili.md"
    service.write_text(service.read_text("utf-8").replace("- keterangan alamat", "- alamat"),
                       "utf-8")
    city = load_valid(content)
    site = tmp_path_factory.mktemp("site")
    for kel in city.kelurahan:
        write_menu(city, kel, site)
    menu = next(m for m in load_menus(site).by_phone.values() if m.slug == "bukit-indah")
    return content, menu


@pytest.mark.parametrize(("text", "expected"), [
    ("alamat kantor kelurahan dimana", "kantor"),
    ("alamat kantor", "kantor"),
    ("minta alamat kelurahan", "kantor"),
    ("alamat", "kantor"),
    ("surat keterangan alamat", "layanan domisili"),
    ("domisili", "layanan domisili"),
])
def test_a_service_keyword_about_the_office_does_not_take_office_questions(
        alamat_city: tuple[Path, Menu], text: str, expected: str) -> None:
    event = Incoming("wamid.a", "6281234567001", "100000000000003", Kind.TEXT, text)
    assert answer_kind(route(alamat_city[1], event).reason) == expected


def test_check_warns_about_a_keyword_residents_use_for_the_office(
        alamat_city: tuple[Path, Menu], capsys: pytest.CaptureFixture[str]) -> None:
    content = alamat_city[0]
    assert main(["check", "--content", str(content)]) == 0
    service = content / "bukit-indah" / "layanan" / "domisili.md"
    assert (f"{service}:8: kata_kunci: peringatan: kata kunci 'alamat' juga dipakai warga untuk "
            "menanyakan kantor kelurahan (alamat, telepon, jam buka), dan bot menjawabnya dengan "
            "alamat kantor; tulis frasa yang lebih lengkap untuk layanan ini, misalnya "
            "'keterangan alamat'") in capsys.readouterr().out


def test_real_words_are_not_typos_but_typos_still_are() -> None:
    words = lexicon()
    assert all(words.is_word(w) for w in (
        "kemudian", "kejadian", "meningkat", "menunggak", "tanggal", "keindahan", "pindai",
        "menikam", "mampus", "pencurian"))
    assert not any(words.is_word(w) for w in ("kematin", "meningal", "kepindahn", "domisli"))
