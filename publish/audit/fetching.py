"""HTTP for the audit: one GET with a deadline, a size cap and a reason for every failure.

requests' read timeout applies to each socket read, not to the whole response, so each fetch
runs `within` the site's deadline (`network.py`): DNS waits at most the time left, and a watchdog
shuts the socket down when the deadline passes, whatever the request is waiting for (connect, TLS,
a status line sent one byte at a time, the body).
"""

from __future__ import annotations

import errno
import http.client
import logging
import re
import socket
import time
from dataclasses import dataclass

import requests
import urllib3

from publish.audit.model import AuditOptions
from publish.audit.network import DeadlinePassed, mount_audit_adapter, refused_reason, within
from publish.audit.pages import hosting_problem

log = logging.getLogger(__name__)

USER_AGENT = "KelurahanDigital-Audit/1.0 (+Diskominfo)"
_CHUNK = 64 * 1024
_HTTP_REASONS = {401: "perlu login", 403: "akses ditolak", 404: "tidak ditemukan",
                 410: "sudah dihapus", 429: "terlalu banyak permintaan",
                 500: "kesalahan server", 502: "gateway bermasalah",
                 503: "layanan tidak tersedia", 504: "gateway kehabisan waktu"}


@dataclass(frozen=True)
class Fetched:
    """A response body, or the Indonesian reason there is none."""

    url: str
    body: bytes = b""
    content_type: str = ""
    status_code: int | None = None
    error: str | None = None
    too_large: bool = False
    truncated: bool = False  # `truncate` cut the body at the limit
    network: bool = False  # failed on the audit server's side: DNS not answering, no route

    @property
    def ok(self) -> bool:
        return self.error is None


class Deadline:
    """The total time one site may take, shared by all its requests."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    @property
    def passed(self) -> bool:
        return self.left() <= 0


def new_session(options: AuditOptions) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy or .netrc from the environment: sites are fetched directly
    mount_audit_adapter(session, public_only=not options.allow_local_network)
    session.max_redirects = options.max_redirects
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept"] = ("application/rss+xml, application/atom+xml, "
                                 "application/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
    return session


def fetch(session: requests.Session, url: str, deadline: Deadline, options: AuditOptions,
          *, limit: int, truncate: bool = False) -> Fetched:
    """GET `url`; bodies over `limit` are cut (`truncate`) or refused as too large."""
    if deadline.passed:
        return Fetched(url, error=_timeout_reason(deadline))
    with within(deadline.end) as watch:
        got = _get(session, url, deadline, options, limit=limit, truncate=truncate)
    if not got.ok and not got.network and (watch.expired or deadline.passed):
        return Fetched(url, status_code=got.status_code, error=_timeout_reason(deadline))
    return got


def _get(session: requests.Session, url: str, deadline: Deadline, options: AuditOptions,
         *, limit: int, truncate: bool) -> Fetched:
    timeout = (min(options.connect_timeout, deadline.left()), deadline.left())
    try:
        with session.get(url, timeout=timeout, stream=True) as response:
            return _read(response, deadline, limit, truncate)
    except requests.exceptions.TooManyRedirects:
        return Fetched(url, error=f"terlalu banyak pengalihan (lebih dari {options.max_redirects})")
    except (requests.exceptions.SSLError, urllib3.exceptions.SSLError) as exc:
        return Fetched(url, error=_tls_reason(exc))
    except requests.exceptions.ConnectTimeout:
        return Fetched(url, error=_connect_timeout_reason(timeout[0]))
    except (requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError, TimeoutError):
        return Fetched(url, error=_timeout_reason(deadline))
    except (urllib3.exceptions.DecodeError, requests.exceptions.ContentDecodingError):
        log.debug("decoding %s failed", url, exc_info=True)
        return Fetched(url, error=BAD_ENCODING)
    except urllib3.exceptions.ProtocolError:
        log.debug("reading %s failed", url, exc_info=True)
        return Fetched(url, error="koneksi terputus saat membaca jawaban server; coba lagi nanti")
    except requests.exceptions.ConnectionError as exc:
        dns = _dns_failure(exc)
        if dns is not None:
            return dns_fetched(url, dns)
        unroutable = _errno(exc) == errno.ENETUNREACH
        return Fetched(url, error=refused_reason(exc) or _connection_reason(exc, timeout[0]),
                       network=unroutable)
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, ValueError,
            OSError):
        log.debug("fetch %s failed", url, exc_info=True)
        return Fetched(url, error="permintaan gagal: alamat atau jawaban server tidak sah")


def _read(response: requests.Response, deadline: Deadline, limit: int, truncate: bool) -> Fetched:
    url, content_type = response.url, response.headers.get("Content-Type", "")
    if response.status_code >= 400:
        headers = {name.lower(): value for name, value in response.headers.items()}
        problem = hosting_problem(response.status_code, headers,
                                  response.raw.read1(_CHUNK, decode_content=True))
        meaning = _HTTP_REASONS.get(response.status_code, "galat")
        return Fetched(url, status_code=response.status_code,
                       error=problem or f"HTTP {response.status_code} ({meaning})")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit and not truncate:
        return Fetched(url, status_code=response.status_code, too_large=True,
                       error=_too_large(limit))
    body = bytearray()  # one buffer, no list of chunks joined and sliced (64 workers at once)
    while len(body) <= limit:
        chunk = response.raw.read1(min(_CHUNK, limit + 1 - len(body)), decode_content=True)
        if not chunk:
            break
        body += chunk
        if deadline.passed:
            return Fetched(url, status_code=response.status_code, error=_timeout_reason(deadline))
    if deadline.passed:  # the watchdog ended the body early: what came is not the whole page
        return Fetched(url, status_code=response.status_code, error=_timeout_reason(deadline))
    over = len(body) > limit
    if over and not truncate:
        return Fetched(url, status_code=response.status_code, too_large=True,
                       error=_too_large(limit))
    del body[limit:]
    return Fetched(url, bytes(body), content_type, response.status_code, truncated=over)


CLOSED_WITHOUT_ANSWER = ("server menerima sambungan lalu menutupnya tanpa menjawab (server web "
                         "bermasalah atau kelebihan beban; hubungi pengelola situs)")
BAD_ENCODING = ("server salah konfigurasi: jawaban ditandai terkompresi (Content-Encoding) tetapi "
                "isinya tidak; hubungi pengelola situs atau penyedia hosting")
NO_SUCH_DOMAIN = ("nama domain tidak ditemukan (DNS): periksa ejaan alamat, atau domain sudah "
                  "tidak diperpanjang")
DNS_DOWN = ("DNS tidak menjawab (gagal sementara): server nama domain situs ini, atau DNS server "
            "audit, tidak memberi jawaban; coba lagi nanti")
_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


def dns_fetched(url: str, kind: str) -> Fetched:
    """`nxdomain`: the domain does not exist; anything else is our DNS failing, not the site."""
    if kind == "nxdomain":
        return Fetched(url, error=NO_SUCH_DOMAIN)
    return Fetched(url, error=DNS_DOWN, network=True)


def _dns_failure(exc: BaseException) -> str | None:
    """`nxdomain`, `temporary` or None (not a DNS failure), from the exception chain."""
    for cause in _chain(exc):
        if isinstance(cause, socket.gaierror):
            return "nxdomain" if cause.errno in _NO_SUCH_NAME else "temporary"
        if isinstance(cause, DeadlinePassed):
            return "temporary"
    return None


def _errno(exc: BaseException) -> int | None:
    for cause in _chain(exc):
        if isinstance(cause, OSError) and cause.errno is not None:
            return cause.errno
    return None


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (`reason`, first argument) and what caused it."""
    found: list[BaseException] = []
    todo: list[object] = [exc]
    while todo and len(found) < 12:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or item in found:
            continue
        found.append(item)
        todo += [getattr(item, "reason", None), item.__cause__, item.__context__,
                 *(arg for arg in item.args if isinstance(arg, BaseException))]
    return found


def _too_large(limit: int) -> str:
    return f"terlalu besar (lebih dari {limit / 1024 / 1024:g} MB)"


def _timeout_reason(deadline: Deadline) -> str:
    return f"waktu habis: situs tidak selesai menjawab dalam {deadline.seconds:g} detik"


def _connect_timeout_reason(seconds: float) -> str:
    return (f"waktu habis: server tidak menjawab sambungan dalam {seconds:g} detik "
            "(server mati, diblokir firewall, atau alamat salah)")


def _connection_reason(exc: Exception, connect_seconds: float) -> str:
    text = str(exc)
    if "NameResolution" in text or "Name or service not known" in text or "getaddrinfo" in text:
        return NO_SUCH_DOMAIN
    if any(isinstance(cause, http.client.RemoteDisconnected) for cause in _chain(exc)):
        return CLOSED_WITHOUT_ANSWER
    if "Connection refused" in text or "Errno 111" in text:
        return "koneksi ditolak: server menyala tetapi tidak melayani web di alamat ini"
    if "timed out" in text.casefold():
        return _connect_timeout_reason(connect_seconds)
    if "reset" in text.casefold() or "Errno 104" in text:
        return "koneksi diputus oleh server sebelum menjawab"
    if "unreachable" in text.casefold() or "Errno 113" in text or "Errno 101" in text:
        return "jaringan ke server tidak dapat dijangkau"
    log.debug("connection to %s failed: %s", text, exc)
    return "tidak dapat terhubung ke server"


_TLS_PROBLEMS = (
    ("self-signed", "sertifikat ditandatangani sendiri, tidak tepercaya"),
    ("certificate has expired", "sertifikat sudah kedaluwarsa"),
    ("Hostname mismatch", "sertifikat bukan untuk nama domain ini"),
    ("doesn't match", "sertifikat bukan untuk nama domain ini"),
    ("unable to get local issuer", "penerbit sertifikat tidak dikenal"),
    ("WRONG_VERSION_NUMBER", "server tidak melayani HTTPS di alamat ini"),
)


def _tls_reason(exc: Exception) -> str:
    """`kesalahan TLS/sertifikat: <what a person can act on>`; OpenSSL's text only in the log."""
    text = str(exc)
    for marker, meaning in _TLS_PROBLEMS:
        if marker in text:
            return f"kesalahan TLS/sertifikat: {meaning}"
    match = re.search(r"\[SSL: ([A-Z_]+)\]", text)
    log.debug("TLS failure: %s", text)
    code = f" ({match[1]})" if match else ""
    return (f"kesalahan TLS/sertifikat{code}: sambungan aman gagal; periksa sertifikat situs "
            "dengan peramban atau penyedia hosting")
