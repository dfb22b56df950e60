"""The webhook over HTTP, served by waitress: a maintained production WSGI server.

Waitress reads each request (headers and body) in its asynchronous loop and hands only
complete requests to a bounded pool of worker threads, so a slow or stalled client holds a
socket, never a worker; idle connections are closed after `CHANNEL_TIMEOUT`. Malformed HTTP
(`Content-Length: ²`, a broken chunk) gets waitress's 400, never a dropped connection. There
is no access log: the query string carries the verify token, and nothing a request carries
(token, body, signature) reaches the log.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from kelurahan.errors import KelurahanError
from kelurahan.settings import Settings
from publish.bot.app import BotConfig, Delivery, WebhookApp
from publish.bot.desk import Desk, DeskTools
from publish.bot.dispatch import Dispatcher, Handler
from publish.bot.menus import MenuSource
from publish.bot.outbox import Outbox, Outgoing, RetryPolicy
from publish.bot.router import ResidentRouter
from publish.bot.sender import TIMEOUT, GraphTransport
from publish.bot.store import BotStore

log = logging.getLogger(__name__)

PATHS = ("/", "/webhook")
REQUIRED = ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN")
THREADS = 8  # the work per request is CPU (HMAC, JSON, SQLite); more threads only queue on the GIL
SENDERS = 8  # outbox workers: ≈ 40 Graph API calls/s at Meta's usual latency; more if needed
CHANNEL_TIMEOUT = 30  # seconds an idle or stalled connection is kept
STATUS_TEXT = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
               404: "Not Found", 405: "Method Not Allowed", 411: "Length Required",
               413: "Payload Too Large", 503: "Service Unavailable"}
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class BotServer:
    """The waitress server around a `WebhookApp`; `server_address` is the bound (host, port)."""

    def __init__(self, address: tuple[str, int], app: WebhookApp, *,
                 threads: int = THREADS) -> None:
        from waitress.server import create_server

        self.app = app
        self.stopped = False
        # "Task queue depth is N" after every burst says only that all 8 workers were busy.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        self.desk: Desk | None = None  # the staff's posting desk, when content/ was given
        self._server = create_server(
            self._wsgi, host=address[0], port=address[1], threads=threads,
            ident="kelurahan-bot", channel_timeout=CHANNEL_TIMEOUT, connection_limit=500,
            backlog=1024, max_request_body_size=4 * app.config.max_body,
            max_request_header_size=64 * 1024, asyncore_use_poll=True, expose_tracebacks=False)
        self.server_address = (self._server.effective_host, self._server.effective_port)
        self._thread: threading.Thread | None = None

    def serve_in_background(self) -> None:
        self._thread = threading.Thread(target=self._server.run, name="bot-http", daemon=True)
        self._thread.start()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop accepting, let running requests finish (up to `timeout`), close everything."""
        from waitress import wasyncore

        closed = threading.Event()
        listening = self._server  # its own close() would also close the loop's trigger

        def stop_listening() -> None:
            wasyncore.dispatcher.close(listening)
            closed.set()

        self._server.trigger.pull_trigger(stop_listening)
        closed.wait(timeout)
        self._server.task_dispatcher.shutdown(cancel_pending=False, timeout=timeout)
        self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._server._map))
        if self._thread is not None:
            self._thread.join(timeout)

    def _wsgi(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            result = self._route(environ)
        except Exception as exc:  # a bug must not leak a trace or a request's contents
            log.error("kesalahan internal saat menangani webhook: %s", type(exc).__name__)
            result = Delivery(503, "gagal", "kesalahan internal, coba lagi")
        return _respond(result, environ["REQUEST_METHOD"], start_response)

    def _route(self, environ: dict[str, Any]) -> Delivery:
        method = environ["REQUEST_METHOD"]
        if environ.get("PATH_INFO", "") not in PATHS:
            return Delivery(404, "ditolak", "alamat tidak dikenal")
        if method in ("GET", "HEAD"):
            return self.app.verify(environ.get("QUERY_STRING", ""))
        if method != "POST":
            return Delivery(405, "ditolak", "hanya GET dan POST")
        raw = _body(environ, self.app.config.max_body)
        if isinstance(raw, Delivery):
            return raw
        return self.app.deliver(raw, environ.get("HTTP_X_HUB_SIGNATURE_256"))


def _body(environ: dict[str, Any], max_body: int) -> bytes | Delivery:
    """The request body (waitress has read it, de-chunked, within 4× the cap)."""
    length = environ.get("CONTENT_LENGTH")
    if not length:
        return Delivery(411, "ditolak", "Content-Length wajib")
    if int(length) > max_body:  # waitress checked it is digits
        return Delivery(413, "ditolak", "isi lebih dari 1 MB")
    raw = environ["wsgi.input"].read(int(length))
    return raw if len(raw) == int(length) else Delivery(400, "ditolak", "isi terpotong")


def _respond(result: Delivery, method: str, start_response: StartResponse) -> list[bytes]:
    if result.code != 200:
        log.info("webhook %s %s: %s", method, result.code, result.reason)
    if result.body is not None:
        data, kind = result.body.encode("utf-8"), "text/plain; charset=utf-8"
    else:
        data = json.dumps({"status": result.status, "alasan": result.reason}).encode()
        kind = "application/json"
    headers = [("Content-Type", kind), ("Content-Length", str(len(data))),
               ("X-Content-Type-Options", "nosniff")]
    if result.code == 503:
        headers.append(("Retry-After", "5"))
    start_response(f"{result.code} {STATUS_TEXT.get(result.code, '')}".strip(), headers)
    return [data]  # waitress leaves the body out of a HEAD response


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


def senders_from(settings: Settings) -> int:
    """`KELURAHAN_BOT_SENDERS`: parallel Graph API sends (each waits ~0.1–0.3 s on Meta)."""
    value = settings.get("KELURAHAN_BOT_SENDERS") or str(SENDERS)
    if not value.isdecimal() or not 1 <= int(value) <= 64:
        raise KelurahanError(f"KELURAHAN_BOT_SENDERS harus angka 1–64, bukan {value!r}")
    return int(value)


def start_bot(site_dir: Path, settings: Settings, *, host: str, port: int,
              handoff_minutes: float = 120, reload_seconds: float = 10.0, handlers: Sequence[Handler] = (),
              retry: RetryPolicy | None = None,
              send_timeout: tuple[float, float] = TIMEOUT,
              desk_tools: DeskTools | None = None, media_timeout: float = 20.0) -> BotServer:
    """A running bot (serving in a background thread); `stop_bot` ends it cleanly.

    `handlers` are tried before the resident router; with `desk_tools` the staff's posting
    desk (drafts from WhatsApp) comes right before it.
    """
    config, access_token = config_from(settings, handoff_minutes)
    senders = senders_from(settings)  # every refusal before anything is opened or created
    menus = MenuSource(site_dir, every=reload_seconds)
    store = BotStore.open(settings, settings.state_dir)
    transport = GraphTransport(settings.graph_api_url, settings.graph_api_version, access_token,
                               timeout=send_timeout)
    outbox = Outbox(store, transport, policy=retry, workers=senders)
    desk = None if desk_tools is None else _desk(desk_tools, settings, outbox, access_token,
                                                 reload_seconds, media_timeout)
    dispatcher = Dispatcher([*handlers, *([desk] if desk else []), ResidentRouter()])
    server = BotServer((host, port), WebhookApp(menus, store, outbox, config, dispatcher))
    server.desk = desk
    outbox.start()
    server.serve_in_background()
    return server


def _desk(tools: DeskTools, settings: Settings, outbox: Outbox, access_token: str,
          reload_seconds: float, media_timeout: float) -> Desk:
    """The staff's posting desk: drafts in the bot's database, media through the Graph API,
    replies through the outbox (they answer no webhook: they come seconds later)."""
    from publish.bot.drafts import DraftStore
    from publish.bot.media import MediaClient
    from publish.bot.staff import ProfileSource

    def send(phone_number_id: str, to: str, payload: dict, ref: str) -> None:
        outbox.put([Outgoing(phone_number_id, to, payload, ref)])

    drafts = DraftStore.open(settings, settings.state_dir)
    media = MediaClient(settings.graph_api_url, settings.graph_api_version, access_token,
                        timeout=media_timeout)
    return Desk(tools, ProfileSource(tools.content_dir, every=reload_seconds), drafts, media, send)


def stop_bot(server: BotServer) -> None:
    """Stop taking requests, send what is due, close the database; a second call does nothing."""
    if server.stopped:
        return
    server.stopped = True
    server.shutdown()
    if server.desk is not None:  # its last replies go through the outbox
        server.desk.close()
    server.app.outbox.close()
    server.app.store.close()
