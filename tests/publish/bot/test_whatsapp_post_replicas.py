"""Posting from WhatsApp through several bot replicas behind a load balancer.

The photo reaches one replica, Terbitkan another: the draft and its photo are in the shared
database, so the second replica writes the post with the photo. Two Terbitkan at once (two
taps, and one webhook delivered to both replicas) write one post. Each replica has its own
state folder; they share content/, site/ and `KELURAHAN_DATABASE_URL` (on SQLite: two bots on
one machine share the state folder). An install that kept draft photos in `<state>/draf/`
publishes its open draft after the upgrade. A replica killed after writing the post (before or
after its git commit) but before deleting the draft: the next Terbitkan, on another replica,
finishes that post instead of writing it again as `…-2`.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.staging import locked
from publish.bot.staff import NO_DRAFT, PUBLISHING
from tests.conftest import snapshot
from tests.deploy.nginx_support import free_port
from tests.publish.bot.desk_support import (
    CAPTION,
    OLD_DRAFTS,
    STAFF,
    Desk,
    button_id,
    copy_city,
    jpeg,
    photo,
    start_desk,
    stop_desk,
)
from tests.publish.bot.desk_support import template as template  # the fixture
from tests.publish.bot.support import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_ID,
    VERIFY_TOKEN,
    button_reply,
    envelope,
    post,
    value,
)
from tests.publish.bot.support import request as http_request
from tests.publish.fake_platforms import FakeWhatsApp

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

    b.tap("Terbitkan", "wamid.t1")
    stem = LIVE.match(b.text_reply(2)).group(1)
    assert (b.site / "sukamaju" / "kegiatan" / stem / "index.html").is_file()
    added = set(snapshot(a.content)) - set(before)
    assert added == {f"sukamaju/kegiatan/{stem}.md", f"sukamaju/media/{stem}-1.jpg"}
    assert f"foto: [media/{stem}-1.jpg]\n" in (a.content / "sukamaju" / "kegiatan" /
                                               f"{stem}.md").read_text("utf-8")
    assert (a.content / "sukamaju" / "media" / f"{stem}-1.jpg").stat().st_size > 1000
    time.sleep(0.3)  # the draft is deleted right after the answer is queued (not before it)
    a.tap("Terbitkan", "wamid.t2")  # the draft is gone on every replica
    assert a.text_reply(3) == ("Kartu ini sudah tidak berlaku: drafnya sudah diterbitkan, "
                               f"dibatalkan atau diganti. {NO_DRAFT}")
    assert posts(a) == [a.content / "sukamaju" / "kegiatan" / f"{stem}.md"]


def test_an_album_spread_over_both_replicas_gives_one_card(replicas: list[Desk]) -> None:
    """The load balancer sends an album's webhooks to either replica: the one that took the
    last photo shows the card, for all of them."""
    a, b = replicas
    small = jpeg(size=(40, 30))
    for n, desk in enumerate([a, b, a, b, a, b], start=1):
        desk.send(photo(desk.wa.add_media(small), f"wamid.s{n}", CAPTION if n == 1 else None))
        time.sleep(0.3)
    card = a.reply(1)
    assert card["interactive"]["body"]["text"].startswith(
        "Draf kegiatan dibuat: Kerja Bakti RT 05\n\n6 foto.")
    a.quiet(1, seconds=1.5)


def test_two_terbitkan_at_once_on_two_replicas_write_one_post(replicas: list[Desk]) -> None:
    a, b = replicas
    a.send(photo(a.wa.add_media(jpeg()), "wamid.f1", CAPTION))
    a.reply(1)
    taps = [(a, "wamid.t1"), (b, "wamid.t1"), (b, "wamid.t2")]  # t1: one webhook sent to both
    threads = [threading.Thread(target=lambda d=d, mid=mid: post(d.server, envelope(value(
        _tap(mid, a.wa.sent))))) for d, mid in taps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers = [m["text"]["body"] for m in a.wa.wait_for(3, timeout=30)[1:]]
    a.quiet(3, seconds=1.0)  # t1 was answered by one replica only
    live = [s for s in answers if LIVE.match(s)]
    assert len(live) == 1, answers
    (other,) = set(answers) - set(live)
    assert other == PUBLISHING or other.endswith(NO_DRAFT), answers
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
        desk.say("terbitkan", "wamid.t1")  # its card's buttons name no draft: typed instead
        stem = LIVE.match(desk.text_reply(1)).group(1)
        assert (content / "sukamaju" / "media" / f"{stem}-1.jpg").is_file()
    finally:
        stop_desk(desk)


def _tap(mid: str, sent: list[dict]) -> dict:
    reply = button_reply(button_id(sent, "Terbitkan"), "Terbitkan", mid)
    reply["from"] = STAFF
    return reply


# A git hook of content/ that kills the bot (SIGKILL) the first time it commits: `pre-commit`
# stops it after the post is written but before the commit, `post-commit` right after it.
KILL_HOOK = """#!/bin/sh
if [ -f "{armed}" ]; then rm -f "{armed}"; kill -9 "$(cat "{pid}")"; sleep 1; exit 1; fi
"""
GIT = {"GIT_AUTHOR_NAME": "Awal", "GIT_AUTHOR_EMAIL": "a@b.c", "GIT_COMMITTER_NAME": "Awal",
       "GIT_COMMITTER_EMAIL": "a@b.c"}


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
@pytest.mark.parametrize("hook", ["pre-commit", "post-commit"])
def test_a_replica_killed_after_writing_the_post_is_finished_not_doubled(
        engine: str, hook: str, request: pytest.FixtureRequest, template: Path,
        tmp_path: Path) -> None:
    content, site, _ = copy_city(template, tmp_path)
    extra = {} if engine == "sqlite" else {
        "KELURAHAN_DATABASE_URL": request.getfixturevalue("fresh_postgres")}
    states = [tmp_path / ("state" if not extra else f"mesin-{n}") for n in range(2)]
    for state in states:
        if not (state / "cache").exists():
            shutil.copytree(template / "state" / "cache", state / "cache")
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "Awal"]):
        subprocess.run(["git", *command], cwd=content, check=True, env={**os.environ, **GIT})
    armed, pid = tmp_path / "armed", tmp_path / "bot.pid"
    armed.touch()
    (content / ".git" / "hooks" / hook).write_text(KILL_HOOK.format(armed=armed, pid=pid))
    (content / ".git" / "hooks" / hook).chmod(0o755)
    wa = FakeWhatsApp(ACCESS_TOKEN)
    wa.start()
    try:
        port = free_port()
        killed = _spawn_bot(content, site, states[0], wa, port, extra)
        pid.write_text(str(killed.pid))
        _wait_listening(port, killed)
        post(port, envelope(value(_photo(wa.add_media(jpeg("seagreen")), "wamid.f1"))))
        assert wa.wait_for(1, timeout=30)[0]["type"] == "interactive"  # the draft's card
        post(port, envelope(value(_tap("wamid.t1", wa.sent))))
        assert killed.wait(timeout=60) == -9  # killed inside git commit, before the reply
        assert not armed.exists()
        (written,) = posts_in(content)
        assert _git(content, "status", "--porcelain", "--", ".") != "" if hook == "pre-commit" \
            else _git(content, "log", "--format=%s", "-1") == "Terbitkan kegiatan: Kerja Bakti RT 05"

        desk = start_desk(content, site, states[1], wa=wa, **extra)
        try:
            desk.tap("Terbitkan", "wamid.t2")  # at once: its replica is gone
            assert LIVE.match(desk.text_reply(2)).group(1) == written.stem
        finally:
            stop_desk(desk, fake_too=False)
    finally:
        wa.stop()
    assert posts_in(content) == [written]
    assert sorted(p.name for p in (content / "sukamaju" / "media").glob("*kerja-bakti-rt-05*")) \
        == [f"{written.stem}-1.jpg"]
    assert _git(content, "log", "--format=%s|%an").splitlines() == [
        "Terbitkan kegiatan: Kerja Bakti RT 05|Siti Rahma", "Awal|Awal"]
    assert _git(content, "status", "--porcelain") == ""


def posts_in(content: Path) -> list[Path]:
    return sorted((content / "sukamaju" / "kegiatan").glob("*-kerja-bakti-rt-05*.md"))


def _spawn_bot(content: Path, site: Path, state: Path, wa: FakeWhatsApp, port: int,
               extra: dict[str, str]) -> subprocess.Popen:
    # Its own temporary folder (systemd's PrivateTmp= in production): a bot killed mid-publish
    # leaves the draft's photo files there, not in the machine's /tmp.
    scratch = state.with_name(f"{state.name}-tmp")
    scratch.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN, "WHATSAPP_APP_SECRET": APP_SECRET,
           "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN, "GRAPH_API_URL": wa.server.url,
           "GRAPH_API_VERSION": "v21.0", "KELURAHAN_STATE_DIR": str(state),
           "KELURAHAN_SECRETS_FILE": str(state / "tidak-ada.env"), "TMPDIR": str(scratch),
           **extra}
    return subprocess.Popen([sys.executable, "-m", "kelurahan.cli", "bot", "--port", str(port),
                             "--content", str(content), "--site", str(site)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_listening(port: int, bot: subprocess.Popen) -> None:
    path = f"/webhook?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=7"
    for _ in range(300):
        assert bot.poll() is None, "bot berhenti sebelum mendengarkan"
        try:
            if http_request(port, "GET", path).status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("bot tidak mendengarkan")


def _photo(media_id: str, mid: str) -> dict:
    return photo(media_id, mid, CAPTION)


def _git(content: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=content, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.mark.parametrize("then", ["terbitkan", "edit"])
def test_a_bot_killed_before_its_answer_answers_the_next_terbitkan(then: str, template: Path,
                                                                   tmp_path: Path) -> None:
    """Killed while building, after the post was written: the answer was never sent. The next
    tap on the card, after a restart, answers with the link (it said 'no draft' before, and
    staff sent the post again)."""
    content, site, state = copy_city(template, tmp_path)
    shutil.copytree(template / "state" / "cache", state / "cache")
    wa = FakeWhatsApp(ACCESS_TOKEN)
    wa.start()
    try:
        port = free_port()
        killed = _spawn_bot(content, site, state, wa, port, {})
        _wait_listening(port, killed)
        post(port, envelope(value(_photo(wa.add_media(jpeg("seagreen")), "wamid.f1"))))
        assert wa.wait_for(1, timeout=30)[0]["type"] == "interactive"
        with locked(state, site, wait=False):  # the bot's build waits for this one
            post(port, envelope(value(_tap("wamid.t1", wa.sent))))
            deadline = time.monotonic() + 30
            while not posts_in(content) and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.5)
            killed.kill()  # the post is in content/; the site build waits its turn
            assert killed.wait(timeout=30) == -9
        (written,) = posts_in(content)
        assert len(wa.sent) == 1  # no answer went out
        desk = start_desk(content, site, state, wa=wa)
        try:
            if then == "edit":  # the post is out: an edit changes nothing and writes nothing
                desk.say("isi: Teks baru.", "wamid.e2")
                assert desk.text_reply(2) == NO_DRAFT
                assert "Teks baru" not in written.read_text("utf-8")
            else:
                desk.tap("Terbitkan", "wamid.t2")
                assert LIVE.match(desk.text_reply(2)).group(1) == written.stem
            desk.tap("Terbitkan", "wamid.t3")  # answered: now the card is old
            assert desk.text_reply(3).startswith("Kartu ini sudah tidak berlaku")
        finally:
            stop_desk(desk, fake_too=False)
    finally:
        wa.stop()
    assert posts_in(content) == [written]
