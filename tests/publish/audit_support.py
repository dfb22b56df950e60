"""A real HTTP server on 127.0.0.1 for the audit tests, and feeds shaped like real ones.

Each route states what it imitates; the tests assert what the audit makes of it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import ssl
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@dataclass
class Route:
    """One canned answer; `delay` sleeps before answering, `trickle` sends the body slowly,
    `head_trickle` sends the status line and headers one byte every that many seconds."""

    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0
    head_trickle: float = 0.0
    length: bool = True  # False: no Content-Length, the body ends when the connection closes

    def __post_init__(self) -> None:
        if isinstance(self.body, str):
            self.body = self.body.encode("utf-8")


class AuditServer:
    """`with AuditServer() as server:` routes by exact path; `static` serves a folder tree."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.static: dict[str, Path] = {}
        self.stop = threading.Event()
        self.hits: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls else "http"
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def add(self, path: str, route: Route | bytes | str) -> None:
        if isinstance(route, str):
            route = route.encode("utf-8")
        self.routes[path] = route if isinstance(route, Route) else Route(route)

    def __enter__(self) -> AuditServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def find(self, path: str) -> Route | None:
        path = path.split("?", 1)[0]
        if path in self.routes:
            return self.routes[path]
        for prefix, root in self.static.items():
            if path.startswith(prefix):
                return _static(root, path[len(prefix):])
        return None


def _static(root: Path, relative: str) -> Route | None:
    target = root / relative.lstrip("/")
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return None
    kinds = {".xml": "application/rss+xml", ".html": "text/html; charset=utf-8",
             ".json": "application/json", ".css": "text/css", ".jpg": "image/jpeg"}
    return Route(target.read_bytes(), content_type=kinds.get(target.suffix, "application/octet-stream"))


def _handler(server: AuditServer) -> Callable:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body as they come, no 40 ms ACK wait

        def do_GET(self) -> None:
            server.hits.append(self.path)
            route = server.find(self.path) or Route(b"<html><body>Tidak ditemukan</body></html>", 404)
            if route.delay and server.stop.wait(route.delay):
                return
            if route.head_trickle:
                self._slow_head(route)
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if route.length:
                self.send_header("Content-Length", str(len(route.body)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self._body(route)

        def _slow_head(self, route: Route) -> None:
            head = (f"HTTP/1.1 {route.status} OK\r\nContent-Type: {route.content_type}\r\n"
                    f"Content-Length: {len(route.body)}\r\nX-Lambat: {'x' * 200}\r\n\r\n")
            self.close_connection = True
            try:
                for byte in head.encode("ascii"):
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    if server.stop.wait(route.head_trickle):
                        return
                self.wfile.write(route.body)  # type: ignore[arg-type]
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _body(self, route: Route) -> None:
            try:
                if not route.trickle:
                    self.wfile.write(route.body)
                    return
                for index in range(len(route.body)):
                    self.wfile.write(route.body[index:index + 1])
                    self.wfile.flush()
                    if server.stop.wait(route.trickle):
                        return
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def page(title: str, *links: tuple[str, str]) -> str:
    """An HTML page whose <head> announces feeds as (type, href) pairs."""
    heads = "".join(f'<link rel="alternate" type="{kind}" title="{escape(title)} » Feed" href="{href}">\n'
                    for kind, href in links)
    return (f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{escape(title)}"
            f"</title>\n{heads}</head><body><h1>{escape(title)}</h1><p>Selamat datang.</p></body></html>")


def days_ago(days: float, now: dt.datetime = NOW) -> dt.datetime:
    return now - dt.timedelta(days=days)


def rss(title: str, items: list[tuple[str, str | None]], *, link: str = "https://example.invalid/",
        extra: str = "") -> str:
    """RSS 2.0 like WordPress writes it: (guid, pubDate text or None) per item."""
    entries = "".join(
        f"<item><title>Kegiatan {escape(guid)}</title><link>{escape(link)}?p={escape(guid)}</link>"
        f"<dc:creator><![CDATA[admin]]></dc:creator>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + f"<guid isPermaLink=\"false\">{escape(link)}?p={escape(guid)}</guid>"
        f"<description><![CDATA[Warga bergotong royong {escape(guid)}.]]></description></item>\n"
        for guid, date in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
            f"<channel><title>{escape(title)}</title><link>{escape(link)}</link>"
            f"<description>Situs resmi</description><language>id-ID</language>{extra}\n"
            f"{entries}</channel></rss>\n")


def rfc822(moment: dt.datetime) -> str:
    return format_datetime(moment.astimezone(dt.UTC))


def atom(title: str, entries: list[tuple[str, dt.datetime]], *, blogger: bool = False) -> str:
    """Atom 1.0; `blogger` adds Blogger's ids, openSearch and `published` with milliseconds."""
    ns = (" xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
          "xmlns:blogger='http://schemas.google.com/blogger/2008'") if blogger else ""
    body = "".join(
        f"<entry><id>{'tag:blogger.com,1999:blog-42.post-' if blogger else 'urn:uuid:'}{escape(key)}</id>"
        f"<published>{moment.isoformat(timespec='milliseconds')}</published>"
        f"<updated>{moment.isoformat(timespec='milliseconds')}</updated>"
        f"<title type='text'>Kegiatan {escape(key)}</title>"
        f"<link rel='alternate' type='text/html' href='https://example.invalid/{escape(key)}.html'/>"
        f"<content type='html'>Isi</content></entry>\n" for key, moment in entries)
    head = (f"<id>tag:blogger.com,1999:blog-42</id>"
            f"<openSearch:totalResults>{len(entries)}</openSearch:totalResults>"
            if blogger else "<id>urn:uuid:feed</id>")
    return (f"<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'{ns}>"
            f"{head}<updated>{NOW.isoformat()}</updated><title type='text'>{escape(title)}</title>\n"
            f"{body}</feed>\n")


def self_signed_context(folder: Path) -> ssl.SSLContext | None:
    """A server TLS context with a fresh self-signed certificate (None without openssl)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
