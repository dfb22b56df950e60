"""The webhook over HTTP: stdlib `ThreadingHTTPServer`, one thread per connection.

The work per request is small (HMAC, JSON, one SQLite insert, a queue put), so the standard
library is enough and adds no web framework to install on the city's server. Nothing a
request carries (query string with the verify token, body, signature) reaches the log.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kelurahan.errors import KelurahanError
from kelurahan.settings import Settings
from publish.bot.app import BotConfig, Delivery, WebhookApp
from publish.bot.menus import MenuSource
from publish.bot.sender import GraphSender
from publish.bot.store import BotStore

log = logging.getLogger(__name__)

PATHS = ("/", "/webhook")
REQUIRED = ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN")


class BotServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], app: WebhookApp) -> None:
        self.app = app
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line, no traceback: a traceback could quote a request's contents."""
        log.error("koneksi webhook gagal ditangani")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kelurahan-bot"
    sys_version = ""
    timeout = 15  # a client that stops sending mid-body frees its thread
    # Headers and body leave in one segment: with Nagle on, a keep-alive client waits ~40 ms
    # for the delayed ACK between them.
    disable_nagle_algorithm = True
    wbufsize = -1
    server: BotServer

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path not in PATHS:
            return self._respond(Delivery(404, "ditolak", "alamat tidak dikenal"))
        self._respond(self.server.app.verify(query))

    def do_POST(self) -> None:
        if self.path.partition("?")[0] not in PATHS:
            return self._respond(Delivery(404, "ditolak", "alamat tidak dikenal"), close=True)
        raw = self._body()
        if isinstance(raw, Delivery):
            return self._respond(raw, close=True)
        try:
            result = self.server.app.deliver(raw, self.headers.get("X-Hub-Signature-256"))
        except Exception as exc:  # a bug must not take the webhook down or leak a trace
            log.error("kesalahan internal saat menangani webhook: %s", type(exc).__name__)
            result = Delivery(500, "gagal", "kesalahan internal")
        self._respond(result)

    def _body(self) -> bytes | Delivery:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return Delivery(411, "ditolak", "Content-Length wajib")
        length = self.headers.get("Content-Length")
        if length is None:
            return Delivery(411, "ditolak", "Content-Length wajib")
        if not length.isdigit():
            return Delivery(400, "ditolak", "Content-Length tidak valid")
        if int(length) > self.server.app.config.max_body:
            self._discard(int(length))
            return Delivery(413, "ditolak", "isi lebih dari 1 MB")
        raw = self.rfile.read(int(length))
        return raw if len(raw) == int(length) else Delivery(400, "ditolak", "isi terpotong")

    def _discard(self, length: int) -> None:
        """Read a too-big body (up to 4× the cap) so the client sees our 413, not a reset."""
        if length > 4 * self.server.app.config.max_body:
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                return
            length -= len(chunk)

    def _respond(self, result: Delivery, *, close: bool = False) -> None:
        if result.code != 200:
            log.info("webhook %s %s: %s", self.command, result.code, result.reason)
        if result.body is not None:
            data, kind = result.body.encode("utf-8"), "text/plain; charset=utf-8"
        else:
            data = json.dumps({"status": result.status, "alasan": result.reason}).encode()
            kind = "application/json"
        self.send_response(result.code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: the default line holds the query string, which holds the verify token."""


def config_from(settings: Settings, handoff_minutes: float) -> tuple[BotConfig, str]:
    """The bot's secrets from the environment; KelurahanError naming what is missing."""
    missing = [name for name in REQUIRED if not settings.get(name)]
    if missing:
        raise KelurahanError(f"belum diatur: {', '.join(missing)} (isi di lingkungan atau di "
                             "berkas rahasia .secrets.env)")
    config = BotConfig(verify_token=settings.get("WHATSAPP_VERIFY_TOKEN") or "",
                       app_secret=settings.get("WHATSAPP_APP_SECRET") or "",
                       handoff_seconds=handoff_minutes * 60)
    return config, settings.get("WHATSAPP_ACCESS_TOKEN") or ""


def start_bot(site_dir: Path, settings: Settings, *, host: str, port: int,
              handoff_minutes: float = 120, poll_interval: float = 0.5,
              reload_seconds: float = 10.0) -> BotServer:
    """A running bot (serving in a background thread); `stop_bot` ends it cleanly."""
    config, access_token = config_from(settings, handoff_minutes)
    menus = MenuSource(site_dir, every=reload_seconds)
    store = BotStore(settings.state_dir / "bot.sqlite3")
    sender = GraphSender(settings.graph_api_url, settings.graph_api_version, access_token)
    server = BotServer((host, port), WebhookApp(menus, store, sender, config))
    threading.Thread(target=server.serve_forever, args=(poll_interval,), name="bot-http",
                     daemon=True).start()
    return server


def stop_bot(server: BotServer) -> None:
    server.shutdown()
    server.server_close()
    server.app.sender.close()
    server.app.store.close()
