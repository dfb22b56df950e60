"""`kelurahan bot` as a user runs it: refuses without secrets or menus, serves until Ctrl+C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kelurahan.cli import main
from kelurahan.outputs import WhatsAppMenu
from tests.publish.bot.support import VERIFY_TOKEN, make_site, request

NAMES = ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KELURAHAN_SECRETS_FILE", str(tmp_path / "tidak-ada.env"))
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    return monkeypatch


def test_refuses_without_secrets(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    clean_env.setenv("WHATSAPP_APP_SECRET", "ada")
    assert main(["bot", "--site", str(make_site(tmp_path)), "--port", "0"]) == 1
    assert capsys.readouterr().err.strip() == (
        "Gagal: belum diatur: WHATSAPP_VERIFY_TOKEN, WHATSAPP_ACCESS_TOKEN (isi di lingkungan "
        "atau di berkas rahasia .secrets.env)")
    assert not (tmp_path / "state").exists()


def test_refuses_without_menus(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    for name in NAMES:
        clean_env.setenv(name, "x")
    assert main(["bot", "--site", str(tmp_path / "kosong"), "--port", "0"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"Gagal: tidak ada menu WhatsApp di {tmp_path / 'kosong'}/*/whatsapp/menu.json; "
        "jalankan 'kelurahan build' atau 'kelurahan menu' dulu")


def test_refuses_a_broken_menu(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    for name in NAMES:
        clean_env.setenv(name, "x")
    site = make_site(tmp_path)
    menu = site / "sukamaju" / "whatsapp" / "menu.json"
    written = WhatsAppMenu.model_validate_json(menu.read_bytes())
    menu.write_text('{"kelurahan": "Sukamaju"}', "utf-8")  # from before `versi` was checked
    assert main(["bot", "--site", str(site), "--port", "0"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"Gagal: menu WhatsApp tidak bisa dibaca: {menu} rusak (tanpa versi, harus 1): "
        "jalankan 'kelurahan menu' lagi")
    data = json.loads(written.to_json())
    del data["layanan"]
    menu.write_text(json.dumps({**data, "salam": None}), "utf-8")
    assert main(["bot", "--site", str(site), "--port", "0"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"Gagal: menu WhatsApp tidak bisa dibaca: {menu} rusak (salam: harus berupa teks, bukan "
        "kosong; dan 1 masalah lain): jalankan 'kelurahan menu' lagi")


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serves_until_interrupted(tmp_path: Path, stop_signal: signal.Signals) -> None:
    site = make_site(tmp_path)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
           "WHATSAPP_APP_SECRET": "s", "WHATSAPP_ACCESS_TOKEN": "t",
           "KELURAHAN_STATE_DIR": str(tmp_path / "state"),
           "KELURAHAN_SECRETS_FILE": str(tmp_path / "tidak-ada.env")}
    process = subprocess.Popen(
        [sys.executable, "-m", "kelurahan.cli", "bot", "--site", str(site), "--port", "0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/webhook untuk 1 kelurahan: sukamaju", line)
        assert match, line + process.stderr.read()
        query = f"hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=42"
        response = request(int(match.group(1)), "GET", f"/webhook?{query}")
        assert (response.status, response.body) == (200, "42")
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Menghentikan bot…" in out
    assert VERIFY_TOKEN not in out + err
    assert (tmp_path / "state" / "bot.sqlite3").is_file()


def test_refuses_a_bad_number_of_senders(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    for name in NAMES:
        clean_env.setenv(name, "x")
    clean_env.setenv("KELURAHAN_BOT_SENDERS", "banyak")
    assert main(["bot", "--site", str(make_site(tmp_path)), "--port", "0"]) == 1
    assert capsys.readouterr().err.strip() == (
        "Gagal: KELURAHAN_BOT_SENDERS harus angka 1–64, bukan 'banyak'")
    assert not (tmp_path / "state").exists()
