"""Which addresses the audit may connect to: the public internet only, unless told otherwise.

A sites list is whatever someone typed or exported; a row (or a redirect from a public site)
pointing at `169.254.169.254`, `127.0.0.1`, `10.x` or `fe80::` would make the server that runs the
audit probe its own network. The check runs where the socket is opened, on the address DNS
actually returned, for every request and every redirect hop, and the connection goes to that
checked address (no second lookup for a rebinding DNS server to answer differently).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError, NewConnectionError

ALLOW_FLAG = "--izinkan-jaringan-lokal"


class LocalAddressRefused(NewConnectionError):
    """The host resolved to a loopback, private, link-local or otherwise non-public address."""

    def __init__(self, conn: HTTPConnection, host: str, address: str) -> None:
        super().__init__(conn, f"{host} mengarah ke alamat jaringan lokal {address}")
        self.host, self.address = host, address


def is_public(address: str) -> bool:
    """Globally routable; an IPv4-mapped IPv6 address is judged by its IPv4 part."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


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


class _PublicOnly:
    """Mixed into urllib3's connections: resolve, check every address, connect to a checked one."""

    _dns_host: str  # urllib3's, set on the connection before this runs

    def _new_conn(self) -> socket.socket:
        host = self._dns_host
        try:
            infos = socket.getaddrinfo(host, self.port, type=socket.SOCK_STREAM)  # type: ignore[attr-defined]
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[attr-defined,arg-type]
        for info in infos:
            if not is_public(str(info[4][0])):
                raise LocalAddressRefused(self, host, str(info[4][0]))  # type: ignore[arg-type]
        self._dns_host = str(infos[0][4][0])
        try:
            return super()._new_conn()  # type: ignore[misc]
        finally:
            self._dns_host = host


class _HTTPConnection(_PublicOnly, HTTPConnection):
    pass


class _HTTPSConnection(_PublicOnly, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class PublicOnlyAdapter(HTTPAdapter):
    """requests' adapter whose pools only connect to public addresses."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


def restrict_to_public(session: requests.Session) -> None:
    """Every request of `session`, redirects included, refuses non-public addresses."""
    for prefix in ("http://", "https://"):
        session.mount(prefix, PublicOnlyAdapter())
