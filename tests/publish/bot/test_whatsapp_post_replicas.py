"""Posting from WhatsApp through several bot replicas behind a load balancer.

The photo reaches one replica, Terbitkan another: the draft and its photo are in the shared
database, so the second replica writes the post with the photo. Two Terbitkan at once (two
taps, and one webhook delivered to both replicas) write one post. Each replica has its own
state folder; they share content/, site/ and `KELURAHAN_DATABASE_URL` (on SQLite: two bots on
one machine share the state folder). An install that kept draft photos in `<state>/draf/`
publishes its open draft after the upgrade.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.bot.desk import NO_DRAFT, PUBLISHING
from tests.conftest import snapshot
from tests.publish.bot.desk_support import (
    OLD_DRAFTS,
    STAFF,
    Desk,
    copy_city,
    jpeg,
    photo,
    start_desk,
    stop_desk,
)
from tests.publish.bot.desk_support import template as template  # the fixture
from tests.publish.bot.support import ACCESS_TOKEN, PHONE_ID, button_reply, envelope, post, value
from tests.publish.fake_platforms import FakeWhatsApp

CAPTION = "Kerja Bakti RT 05\nWarga membersihkan selokan sepanjang 200 meter."
LIVE = re.compile(r"\u2705 Sudah tayang: https://kelurahan\.kotauji\.example/sukamaju/kegiatan/"
                  r"(\d{4}-\d\d-\d\d-kerja-bakti-rt-05)/")


@pytest.fixture(params=["sqlite", "postgresql"])
def replicas(request, template: Path, tmp_path: Path) -> Iterator[list[Desk]]:
    """Two bots with the desk, one fake WhatsApp Cloud API, one database."""
    content, site, _ = copy_city(template, tmp_path)
    extra = {} if request.param == "sqlite" else {
        "KELURAHAN_DATABASE_URL": request.getfixturevalue("fresh_postgres")}
    states = [tmp_path / ("state" if not extra else f"mesin-{n}") for n in range(2)]
    wa = FakeWhatsApp(ACCESS_TOKEN)
    wa.start()
    desks = []
    for state in states:
        if not (state / "cache").exists():
            shutil.copytree(template / "state" / "cache", state / "cache")
        desks.append(start_desk(content, site, state, wa=wa, **extra))
    yield desks
    for desk in desks:
        stop_desk(desk, fake_too=False)
    wa.stop()
    if extra:  # nothing of the drafts on the replicas' disks
        assert not any((s / "bot.sqlite3").exists() or (s / "draf").exists() for s in states)


def posts(desk: Desk) -> list[Path]:
    return sorted((desk.content / "sukamaju" / "kegiatan").glob("*-kerja-bakti-rt-05*.md"))


def test_photo_on_one_replica_terbitkan_on_the_other(replicas: list[Desk]) -> None:
    a, b = replicas
    sent = jpeg("seagreen")
    a.send(photo(a.wa.add_media(sent), "wamid.f1", CAPTION))
    card = a.reply(1)
    assert card["interactive"]["body"]["text"].startswith("Draf kegiatan dibuat: Kerja Bakti RT 05")
    before = snapshot(a.content)

    b.press("staf.terbitkan", "Terbitkan", "wamid.t1")
    stem = LIVE.match(b.text_reply(2)).group(1)
    assert (b.site / "sukamaju" / "kegiatan" / stem / "index.html").is_file()
    added = set(snapshot(a.content)) - set(before)
    assert added == {f"sukamaju/kegiatan/{stem}.md", f"sukamaju/media/{stem}-1.jpg"}
    assert f"foto: [media/{stem}-1.jpg]\n" in (a.content / "sukamaju" / "kegiatan" /
                                               f"{stem}.md").read_text("utf-8")
    assert (a.content / "sukamaju" / "media" / f"{stem}-1.jpg").stat().st_size > 1000
    a.press("staf.terbitkan", "Terbitkan", "wamid.t2")  # the draft is gone on every replica
    assert a.text_reply(3).startswith(NO_DRAFT)
    assert posts(a) == [a.content / "sukamaju" / "kegiatan" / f"{stem}.md"]


def test_two_terbitkan_at_once_on_two_replicas_write_one_post(replicas: list[Desk]) -> None:
    a, b = replicas
    a.send(photo(a.wa.add_media(jpeg()), "wamid.f1", CAPTION))
    a.reply(1)
    taps = [(a, "wamid.t1"), (b, "wamid.t1"), (b, "wamid.t2")]  # t1: one webhook sent to both
    threads = [threading.Thread(target=lambda d=d, mid=mid: post(d.server, envelope(value(
        _tap(mid))))) for d, mid in taps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers = [m["text"]["body"] for m in a.wa.wait_for(3, timeout=30)[1:]]
    a.quiet(3, seconds=1.0)  # t1 was answered by one replica only
    live = [s for s in answers if LIVE.match(s)]
    assert len(live) == 1, answers
    (other,) = set(answers) - set(live)
    assert other == PUBLISHING or other.startswith(NO_DRAFT), answers
    assert len(posts(a)) == 1


def test_an_old_install_publishes_its_open_draft_with_the_photo(template: Path,
                                                                tmp_path: Path) -> None:
    content, site, state = copy_city(template, tmp_path)
    shutil.copytree(template / "state" / "cache", state / "cache")
    old = sqlite3.connect(state / "bot.sqlite3")
    old.executescript(OLD_DRAFTS)
    old.execute("INSERT INTO drafts VALUES ('d1', ?, ?, 'sukamaju', 'Kerja Bakti RT 05', "
                "'Isi.', NULL, 1, 1, strftime('%s', 'now'))", (PHONE_ID, STAFF))
    old.commit()
    old.close()
    (state / "draf" / "d1").mkdir(parents=True)
    (state / "draf" / "d1" / "1.jpg").write_bytes(jpeg("navy"))
    desk = start_desk(content, site, state)
    try:
        assert not (state / "draf").exists()
        desk.press("staf.terbitkan", "Terbitkan", "wamid.t1")
        stem = LIVE.match(desk.text_reply(1)).group(1)
        assert (content / "sukamaju" / "media" / f"{stem}-1.jpg").is_file()
    finally:
        stop_desk(desk)


def _tap(mid: str) -> dict:
    reply = button_reply("staf.terbitkan", "Terbitkan", mid)
    reply["from"] = STAFF
    return reply
