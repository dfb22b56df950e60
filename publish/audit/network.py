"""Connections of the audit: only to public addresses (unless told otherwise), and never past
the site's deadline.

A sites list is whatever someone typed or exported; a row (or a redirect from a public site)
pointing at `169.254.169.254`, `127.0.0.1`, `10.x` or `fe80::` would make the server that runs the
audit probe its own network. The check runs where the socket is opened, on every address DNS
actually returned, for every request and every redirect hop, and the connection goes to those
checked addresses, each in turn until one answers (no second lookup for a rebinding DNS server to
answer differently).

A socket's timeout applies to each read, so a server that sends one byte every two seconds would
never time out. Each fetch therefore runs `within(deadline_end)`: the DNS lookup waits at most
the time left, and when the deadline passes a watchdog shuts the connection's socket down, which
ends any read, connect or TLS handshake at once.
"""

from __future__ import annotations

import contextlib
import heapq
import ipaddress
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

ALLOW_FLAG = "--izinkan-jaringan-lokal"


class LocalAddressRefused(NewConnectionError):
    """The host resolved to a loopback, private, link-local or otherwise non-public address."""

    def __init__(self, conn: HTTPConnection, host: str, address: str) -> None:
        super().__init__(conn, f"{host} mengarah ke alamat jaringan lokal {address}")
        self.host, self.address = host, address


_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def is_public(address: str) -> bool:
    """Globally routable. An IPv6 address that carries an IPv4 one (mapped `::ffff:a.b.c.d`,
    compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo) is judged by that
    IPv4 address: `64:ff9b::7f00:1` reaches 127.0.0.1 through a NAT64 gateway."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        carried = _carried_ipv4(ip)
        if carried:
            return all(inner.is_global and not inner.is_multicast for inner in carried)
    return ip.is_global and not ip.is_multicast


def _carried_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    low = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.ipv4_mapped:
        return [ip.ipv4_mapped]
    if ip.sixtofour:
        return [ip.sixtofour]
    if ip.teredo:
        return list(ip.teredo)
    if any(ip in network for network in _NAT64) or int(ip) >> 32 == 0:
        return [low]  # NAT64, or IPv4-compatible `::a.b.c.d` (`::1` and `::` give 0.0.0.x)
    return []


def refused_reason(error: BaseException) -> str | None:
    """The Indonesian reason when `error` (as requests wraps it) is our refusal, else None."""
    seen = 0
    exc: Any = error
    while exc is not None and seen < 6:
        if isinstance(exc, LocalAddressRefused):
            where = (f"{exc.address} adalah alamat jaringan lokal" if exc.host == exc.address
                     else f"{exc.host} mengarah ke alamat jaringan lokal {exc.address}")
            return (f"ditolak: {where}; audit hanya memeriksa situs publik "
                    f"(pakai {ALLOW_FLAG} untuk situs intranet)")
        exc = getattr(exc, "reason", None) or (exc.args[0] if exc.args and
                                               isinstance(exc.args[0], BaseException) else None)
        seen += 1
    return None


class DeadlinePassed(NewConnectionError):
    """The site's deadline passed before DNS answered."""


class _Watch:
    """The connections one fetch uses; `cut` shuts their sockets down (from the watchdog)."""

    def __init__(self, end: float) -> None:
        self.end = end
        self.expired = False
        self.done = False
        self._connections: list[Any] = []
        self._lock = threading.Lock()

    def left(self) -> float:
        return self.end - time.monotonic()

    def add(self, connection: Any) -> None:
        with self._lock:
            if connection not in self._connections:
                self._connections.append(connection)
            expired = self.expired
        if expired:
            _shut(connection)

    def cut(self) -> None:
        with self._lock:
            if self.done:
                return
            self.expired = True
            connections = list(self._connections)
        for connection in connections:
            _shut(connection)


def _shut(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the OS socket, under any TLS layer


class _Watchdog:
    """One thread for the whole audit: cuts each fetch that outlives its deadline."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Watch]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, watch: _Watch) -> None:
        with self._wake:
            heapq.heappush(self._heap, (watch.end, next(self._order), watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-watchdog",
                                                daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._wake.wait()
                    continue
                end, _, watch = self._heap[0]
                wait = end - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._heap)
            watch.cut()


_WATCHDOG = _Watchdog()
_CURRENT = threading.local()


@contextmanager
def within(end: float) -> Iterator[_Watch]:
    """Every connection this thread uses until the block ends is cut at `end` (monotonic)."""
    watch = _Watch(end)
    previous = getattr(_CURRENT, "watch", None)
    _CURRENT.watch = watch
    _WATCHDOG.watch(watch)
    try:
        yield watch
    finally:
        with watch._lock:
            watch.done = True
            watch._connections.clear()  # the heap may keep the watch until its deadline
        _CURRENT.watch = previous


def _current() -> _Watch | None:
    return getattr(_CURRENT, "watch", None)


def _resolve(host: str, port: int, seconds: float | None) -> list:
    """getaddrinfo, waiting at most `seconds`: a dead name server must not hold the site. The
    lookup runs in a daemon thread (the C library cannot be interrupted), so one that hangs
    on never delays the end of the program either."""
    if seconds is None:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    answer: list[Any] = []
    done = threading.Event()

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the waiting thread
            answer.append(exc)
        finally:
            done.set()

    threading.Thread(target=lookup, name="audit-dns", daemon=True).start()
    if not done.wait(max(seconds, 0.0)):
        raise TimeoutError(f"DNS {host} tidak menjawab dalam {seconds:.1f} detik")
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]


class _Audited:
    """Mixed into urllib3's connections: bounded DNS, every address checked (unless local
    addresses are allowed), and the socket cut when the current fetch's deadline passes."""

    public_only = True
    _dns_host: str  # urllib3's, set on the connection before this runs

    def request(self, *args: Any, **kwargs: Any) -> Any:
        watch = _current()
        if watch is not None:
            watch.add(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]

    def _new_conn(self) -> socket.socket:
        watch = _current()
        if watch is not None:
            watch.add(self)
        host = self._dns_host
        try:
            infos = _resolve(host, self.port, watch.left() if watch else None)  # type: ignore[attr-defined]
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[attr-defined,arg-type]
        except TimeoutError as exc:
            raise DeadlinePassed(self, str(exc)) from exc  # type: ignore[arg-type]
        if self.public_only:
            for info in infos:
                if not is_public(str(info[4][0])):
                    raise LocalAddressRefused(self, host, str(info[4][0]))  # type: ignore[arg-type]
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        connect = getattr(self, "timeout", None)
        try:
            for number, address in enumerate(addresses, start=1):
                self._limit_connect(connect, watch)
                self._dns_host = address
                try:
                    return super()._new_conn()  # type: ignore[misc]
                except (NewConnectionError, ConnectTimeoutError):
                    if number == len(addresses) or (watch is not None and watch.left() <= 0):
                        raise
            raise NewConnectionError(self, f"{host}: tidak ada alamat")  # type: ignore[arg-type]
        finally:
            self._dns_host = host
            setattr(self, "timeout", connect)  # noqa: B010

    def _limit_connect(self, connect: object, watch: _Watch | None) -> None:
        """Each address's connect timeout no longer than the time the site has left."""
        if watch is None or not (connect is None or isinstance(connect, int | float)):
            return
        left = max(watch.left(), 0.001)
        setattr(self, "timeout", left if connect is None else min(connect, left))  # noqa: B010


class _HTTPConnection(_Audited, HTTPConnection):
    pass


class _HTTPSConnection(_Audited, HTTPSConnection):
    pass


class _LocalHTTPConnection(_Audited, HTTPConnection):
    public_only = False


class _LocalHTTPSConnection(_Audited, HTTPSConnection):
    public_only = False


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _LocalHTTPPool(HTTPConnectionPool):
    ConnectionCls = _LocalHTTPConnection


class _LocalHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _LocalHTTPSConnection


class AuditAdapter(HTTPAdapter):
    """requests' adapter whose pools only connect to public addresses (`public_only`) and
    whose sockets are cut at the current fetch's deadline."""

    def __init__(self, public_only: bool = True) -> None:
        self.public_only = public_only
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = (
            {"http": _HTTPPool, "https": _HTTPSPool} if self.public_only
            else {"http": _LocalHTTPPool, "https": _LocalHTTPSPool})


def mount_audit_adapter(session: requests.Session, *, public_only: bool) -> None:
    """Every request of `session`, redirects included, is bounded by the fetch's deadline and,
    with `public_only`, refuses non-public addresses."""
    for prefix in ("http://", "https://"):
        session.mount(prefix, AuditAdapter(public_only))
