"""`kelurahan bot`: the WhatsApp Cloud API webhook, answering from the built menus."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

import click

from kelurahan.console import Output


@click.command("bot")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port HTTP webhook.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Alamat yang didengar (di belakang reverse proxy HTTPS).")
@click.option("--site", "site_dir", type=click.Path(path_type=Path), default=Path("site"),
              show_default=True, help="Folder hasil build (berisi */whatsapp/menu.json).")
@click.option("--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
              show_default=True, help="Folder konten: petugas di profil.md boleh mengirim "
              "kegiatan lewat WhatsApp.")
@click.option("--handoff-minutes", type=click.FloatRange(min=0), default=120, show_default=True,
              help="Lama bot diam bagi warga yang meminta petugas (menit).")
def command(port: int, host: str, site_dir: Path, content_dir: Path,
            handoff_minutes: float) -> None:
    """Jalankan bot WhatsApp (webhook Cloud API) sampai dihentikan (Ctrl+C atau SIGTERM)."""
    from kelurahan.cli._desk import desk_tools
    from kelurahan.resources import project_root
    from kelurahan.settings import Settings
    from publish.bot import start_bot, stop_bot

    output = Output()
    settings = Settings.from_environment()
    tools = desk_tools(content_dir, site_dir, settings.state_dir, project_root()) \
        if content_dir.is_dir() else None
    server = start_bot(site_dir, settings, host=host, port=port,
                       handoff_minutes=handoff_minutes, desk_tools=tools)
    stopping, previous = _stop_on_signals()
    try:
        bound_host, bound_port = str(server.server_address[0]), server.server_address[1]
        menus = server.app.menus.current().all
        output.say(f"Bot WhatsApp berjalan di http://{bound_host}:{bound_port}/webhook untuk "
                   f"{len(menus)} kelurahan: {', '.join(m.slug for m in menus)}. "
                   "Ctrl+C untuk berhenti.")
        if server.desk is not None:
            city = server.desk.profiles.current()
            staff = sum(len(k.staff) for k in city.kelurahan) if city else 0
            output.say(f"Kiriman kegiatan lewat WhatsApp: {staff} petugas terdaftar di "
                       f"{content_dir}/*/profil.md.")
        stopping.wait()
        output.say("Menghentikan bot…")
    finally:
        stop_bot(server)
        for sig, handler in previous.items():
            if handler is not None:  # None: installed outside Python, cannot be put back
                signal.signal(sig, handler)


def _stop_on_signals() -> tuple[threading.Event, dict[signal.Signals, Any]]:
    """Ctrl+C and SIGTERM (systemd, docker stop) both end the bot cleanly: queued replies sent.

    Returns the event and the handlers it replaced, to put back afterwards.
    """
    stopping = threading.Event()
    previous: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, lambda *_: stopping.set())
    return stopping, previous
