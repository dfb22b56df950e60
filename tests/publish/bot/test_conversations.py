"""Realistic resident messages (conversations.yml) through the resident router, with the
sample city's real menu: 0 wrong services, ≥ 95 % right answers; the confusion list on failure.

No HTTP here (the webhook tests cover the wire): 270 messages in well under a second.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.whatsapp import write_menu
from kelurahan import load_valid
from publish.bot.events import Incoming, Kind
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
