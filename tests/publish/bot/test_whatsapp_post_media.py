"""Photo downloads against a loopback media server that trickles or goes silent mid-photo:
the whole fetch gives up at its deadline (the desk serves every kelurahan of the city from
one worker, so one slow photo held everyone's drafts for 46 s)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from publish.bot import media as replies
from publish.bot.media import MediaClient
from tests.publish.bot.desk_support import jpeg

PHOTO = jpeg(size=(400, 300))


class _Slow(BaseHTTPRequestHandler):
    """`/v21.0/<id>`: the media's metadata; `/unduh/<mode>`: the photo, `trickle` (one byte
    every 0.2 s), `silent` (headers, some bytes, then nothing) or `fast`."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        host = self.headers["Host"]
        if self.path.startswith("/v21.0/"):
            mode = {"1": "trickle", "2": "silent", "3": "fast"}[self.path.rsplit("/", 1)[-1]]
            body = json.dumps({"url": f"http://{host}/unduh/{mode}",
                               "file_size": len(PHOTO)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(PHOTO)))
        self.end_headers()
        mode = self.path.rsplit("/", 1)[-1]
        try:
            if mode == "fast":
                self.wfile.write(PHOTO)
            elif mode == "silent":
                self.wfile.write(PHOTO[:100])
                self.wfile.flush()
                time.sleep(5)
            else:
                for byte in PHOTO[:50]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
        except OSError:
            pass  # the client gave up: what the test wants


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("media_id", ["1", "2"], ids=["trickle", "silent"])
def test_a_slow_download_gives_up_at_the_deadline(server: str, media_id: str) -> None:
    client = MediaClient(server, "v21.0", "token", timeout=20.0, deadline=1.0)
    started = time.monotonic()
    fetched = client.fetch(media_id)
    took = time.monotonic() - started
    client.close()
    assert fetched.problem == replies.TIMED_OUT
    assert took < 2.0, took


def test_a_fast_download_is_read_whole(server: str) -> None:
    client = MediaClient(server, "v21.0", "token", deadline=1.0)
    fetched = client.fetch("3")
    client.close()
    assert fetched.jpeg is not None and fetched.jpeg.startswith(b"\xff\xd8")
