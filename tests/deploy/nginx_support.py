"""Serve a built city with the shipped `deploy/nginx/kelurahan.conf` on loopback, as production does.

Only what must differ on a test machine is replaced (site folder, ports, certificate, bot
port); every replacement must match, so a change to the shipped file cannot silently skip it.
Run as root, the workers run as `nobody`, like www-data: a file it cannot read fails the test.
"""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

NGINX = Path("/usr/sbin/nginx")
REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "deploy" / "nginx" / "kelurahan.conf"
HOST = "kelurahan.kotacontoh.example"

MAIN_CONF = """\
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {prefix}/kelurahan.conf;
}}
"""


@dataclass(frozen=True)
class Served:
    http: str
    https: str
    prefix: Path


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render(site: Path, prefix: Path, *, http_port: int, https_port: int, bot_port: int) -> str:
    """The shipped file with test paths and ports; each replacement must occur."""
    text = SHIPPED.read_text()
    replacements = [
        ("root /srv/kelurahan/site;", f"root {site};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;\n", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;\n", ""),
        (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", f"{prefix}/cert.pem"),
        (f"/etc/letsencrypt/live/{HOST}/privkey.pem", f"{prefix}/key.pem"),
        ("server 127.0.0.1:8080;", f"server 127.0.0.1:{bot_port};"),
    ]
    for old, new in replacements:
        assert old in text, f"{SHIPPED.name} tidak lagi memuat {old!r}: perbarui tes ini"
        text = text.replace(old, new)
    return text


@contextmanager
def nginx_serving(site: Path, prefix: Path, bot_port: int) -> Iterator[Served]:
    if not NGINX.exists():
        pytest.skip("nginx tidak ada di /usr/sbin/nginx (make nginx)")
    http_port, https_port = free_port(), free_port()
    (prefix / "tmp").mkdir(parents=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={HOST}", "-keyout", str(prefix / "key.pem"),
                    "-out", str(prefix / "cert.pem")], check=True, capture_output=True)
    (prefix / "kelurahan.conf").write_text(render(site, prefix, http_port=http_port,
                                                  https_port=https_port, bot_port=bot_port))
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(MAIN_CONF.format(user=user, prefix=prefix))
    command = [str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        _wait_for(https_port, process)
        yield Served(f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{https_port}", prefix)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"nginx berhenti: {process.stderr.read().decode()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("nginx tidak mendengarkan setelah 10 detik")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, *, gzip: bool = False) -> Answer:
    """One request, redirects not followed, certificate not checked (self-signed)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirect)
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    try:
        with opener.open(request, timeout=10) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()},
                          response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())
