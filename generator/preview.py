"""A local preview server for `site/`: static files, gzip like a real host, loopback only.

Used by `kelurahan serve` and by the browser tests, which measure what a phone would download;
without gzip those numbers would be wrong.
"""

from __future__ import annotations

import functools
import gzip
import logging
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv")


class _Handler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **SimpleHTTPRequestHandler.extensions_map, ".webp": "image/webp",
        ".js": "text/javascript", ".pagefind": "application/octet-stream",
        ".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream",
        ".pf_fragment": "application/octet-stream"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # 301 to `/slug/`, so relative links resolve there
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page gets the site's Indonesian 404 page, as nginx is set up to do."""
        page = self._not_found_page() if code == 404 else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        """`<slug>/404.html` for an address under a kelurahan site, else the portal's."""
        from kelurahan.slugs import is_slug

        root = Path(self.directory)
        first = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        candidates = [root / first / "404.html"] if is_slug(first) else []
        candidates.append(root / "404.html")
        return next((page for page in candidates if page.is_file()), None)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class _Body:
    """What `send_head` returns: copyfile() reads it, then it is closed."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        self.data = b""


def make_server(site_dir: Path, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for `site_dir` (call `serve_forever()`; port 0 picks a free port)."""
    handler = functools.partial(_Handler, directory=str(site_dir))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
