"""A city with staff, built once, copied per test; the bot with the posting desk over real HTTP
against the fake WhatsApp Cloud API (messages, media, downloads) on 127.0.0.1."""

from __future__ import annotations

import io
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kelurahan.cli import main
from kelurahan.cli._desk import desk_tools
from kelurahan.resources import bundled_root
from publish.bot import BotServer, start_bot, stop_bot
from tests.conftest import make_content, write
from tests.publish.bot.support import (
    ACCESS_TOKEN,
    OTHER_PHONE_ID,
    PHONE_ID,
    button_reply,
    envelope,
    message,
    post,
    settings,
    text,
    value,
)
from tests.publish.fake_platforms import FakeWhatsApp

STAFF = "6281255550101"
OTHER_STAFF = "6281255550202"
CAPTION = "Kerja Bakti RT 05\nWarga membersihkan selokan sepanjang 200 meter."
STAFF_BLOCK = 'petugas:\n  - {nama: Siti Rahma, whatsapp: "0812-5555-0101"}\n'
TANJUNG = """\
---
nama: Tanjung
kecamatan: Kota Lama
whatsapp_phone_id: "100000000000002"
petugas:
  - {nama: Budi Santoso, whatsapp: "0812-5555-0202"}
---
"""
# bot.sqlite3's drafts table as the bot created it before the photos moved into the database
OLD_DRAFTS = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY, phone_number_id TEXT NOT NULL, sender TEXT NOT NULL,
    slug TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, awaiting TEXT,
    photos INTEGER NOT NULL, shown INTEGER NOT NULL, updated REAL NOT NULL,
    UNIQUE (phone_number_id, sender)
);
CREATE INDEX IF NOT EXISTS drafts_updated ON drafts (updated);
"""


def make_city(root: Path) -> tuple[Path, Path, Path]:
    """content/ (Sukamaju with Siti as staff, Tanjung with Budi), its site and build state."""
    content = make_content(root)
    profile = content / "sukamaju" / "profil.md"
    text = profile.read_text("utf-8").replace("---\n", "---\n" + STAFF_BLOCK, 1)
    text = text.replace("instagram: https://instagram.com/kel.sukamaju}",  # publish targets
                        'instagram: https://instagram.com/kel.sukamaju, facebook_page_id: "9001", '
                        'instagram_user_id: "17801"}')
    text = text.replace("terbit: [facebook, instagram]", "terbit: [facebook]")  # no URL fetch
    profile.write_text(text, "utf-8")
    write(content / "tanjung" / "profil.md", TANJUNG)
    site, state = root / "site", root / "state"
    return content, site, state


def build(content: Path, site: Path, state: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(state))
    assert main(["build", "--content", str(content), "--out", str(site), "--jobs", "1"]) == 0


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The city built once per test module; each test copies it (`copy_city`)."""
    root = tmp_path_factory.mktemp("kota")
    content, site, state = make_city(root)
    with pytest.MonkeyPatch.context() as patch:
        build(content, site, state, patch)
    return root


def copy_city(template: Path, root: Path) -> tuple[Path, Path, Path]:
    for name in ("content", "site"):
        shutil.copytree(template / name, root / name, symlinks=True)
    return root / "content", root / "site", root / "state"


def jpeg(colour: str = "seagreen", size: tuple[int, int] = (1200, 900), *,
         exif: bool = False) -> bytes:
    """A camera-like photo; with `exif` it carries a camera model, orientation and GPS."""
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x0110] = "KameraUji X1"
        data[0x0112] = 6  # rotated: the desk must turn it upright
        data.get_ifd(0x8825)[2] = (1.0, 2.0, 3.0)  # GPSLatitude
        image.save(out, "JPEG", exif=data.tobytes())
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def photo(media_id: str, mid: str, caption: str | None = None, sender: str = STAFF,
          kind: str = "image", mime: str = "image/jpeg") -> dict[str, Any]:
    body: dict[str, Any] = {"id": media_id, "mime_type": mime}
    if caption is not None:
        body["caption"] = caption
    if kind == "document":
        body["filename"] = "foto.jpg"
    return message(kind, body, mid, sender)


@dataclass
class Desk:
    server: BotServer
    wa: FakeWhatsApp
    content: Path
    site: Path
    state: Path

    def send(self, *messages: dict[str, Any], phone_id: str = PHONE_ID) -> None:
        response = post(self.server, envelope(value(*messages, phone_id=phone_id)))
        assert response.status == 200, response.body

    def reply(self, count: int) -> dict[str, Any]:
        """The `count`-th message the bot sent (1-based), waiting for it."""
        return self.wa.wait_for(count)[count - 1]

    def text_reply(self, count: int) -> str:
        sent = self.reply(count)
        assert sent["type"] == "text", sent
        return sent["text"]["body"]

    def quiet(self, count: int, seconds: float = 0.5) -> None:
        """Nothing more than `count` messages after a short wait."""
        time.sleep(seconds)
        assert len(self.wa.sent) == count, self.wa.sent[count:]

    def press(self, button_id: str, title: str, mid: str, sender: str = STAFF) -> None:
        reply = button_reply(button_id, title, mid)
        reply["from"] = sender
        self.send(reply)

    def tap(self, title: str, mid: str, sender: str = STAFF) -> str:
        """Press the button `title` on the newest card sent to `sender`; its id."""
        self.press(button_id(self.wa.sent, title, sender), title, mid, sender)
        return button_id(self.wa.sent, title, sender)

    def say(self, body: str, mid: str, sender: str = STAFF, phone_id: str = PHONE_ID) -> None:
        self.send(text(body, mid, sender), phone_id=phone_id)


def button_id(sent: list[dict[str, Any]], title: str, to: str = STAFF) -> str:
    """The id of the button `title` on the newest message with such a button sent to `to`."""
    for sent_one in reversed(sent):
        buttons = sent_one.get("interactive", {}).get("action", {}).get("buttons", [])
        ids = [b["reply"]["id"] for b in buttons if b["reply"]["title"] == title]
        if sent_one["to"] == to and ids:
            return str(ids[0])
    raise AssertionError(f"no button {title!r} sent to {to}: {sent}")


def start_desk(content: Path, site: Path, state: Path, *, media_timeout: float = 20.0,
               wa: FakeWhatsApp | None = None, **extra: str) -> Desk:
    """The bot with its desk; `wa` shared by replicas, `extra` settings (a database URL)."""
    if wa is None:
        wa = FakeWhatsApp(ACCESS_TOKEN)
        wa.start()
    config = settings(_Url(wa.server.url), state, **extra)
    tools = desk_tools(content, site, state, bundled_root())
    server = start_bot(site, config, host="127.0.0.1", port=0,
                       reload_seconds=0, desk_tools=tools, media_timeout=media_timeout)
    return Desk(server, wa, content, site, state)


def stop_desk(desk: Desk, *, fake_too: bool = True) -> None:
    stop_bot(desk.server)
    if fake_too:
        desk.wa.stop()


@dataclass
class _Url:
    url: str


__all__ = ["OTHER_PHONE_ID"]
