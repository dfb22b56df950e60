"""The audit's connections: one hard deadline per site, whatever the server or DNS does.

Servers are real sockets on 127.0.0.1; a slow or failing DNS is the C library's answer, imitated
by replacing `socket.getaddrinfo` (the standard library, not our code).
"""

from __future__ import annotations

import socket
import time

from publish.audit import AuditOptions, Kind, Status, Target, audit
from tests.publish.audit_support import NOW, AuditServer, Route, page

OPTIONS = AuditOptions(concurrency=4, connect_timeout=1.0, total_timeout=1.0,
                       allow_local_network=True)
TIMED_OUT = "waktu habis: situs tidak selesai menjawab dalam 1 detik"


def test_headers_sent_one_byte_at_a_time_are_cut_at_the_deadline():
    with AuditServer() as server:
        server.add("/", Route(page("Tetes kepala"), head_trickle=0.2))
        started = time.monotonic()
        report = audit([Target("tetes", server.url("/"), Kind.EXTRA)], NOW, options=OPTIONS)
    site = report.results[0]
    assert (site.status, site.reason) == (Status.UNREACHABLE, TIMED_OUT)
    assert time.monotonic() - started < 2.0


def test_a_dns_lookup_that_hangs_is_cut_at_the_deadline(monkeypatch):
    real = socket.getaddrinfo

    def lame(host, *args, **kwargs):
        if host == "lamban.example":
            time.sleep(4)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lame)
    started = time.monotonic()
    report = audit([Target("lamban", "http://lamban.example/", Kind.EXTRA)], NOW,
                   options=AuditOptions(total_timeout=1.0, connect_timeout=1.0))
    site = report.results[0]
    assert (site.status, site.reason) == (Status.UNREACHABLE, TIMED_OUT)
    assert time.monotonic() - started < 2.0
