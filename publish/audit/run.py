"""Auditing many sites at once: a bounded pool of workers, one HTTP session each."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor

import requests

from publish.audit.fetching import new_session
from publish.audit.model import AuditOptions, AuditReport, SiteResult, Status, Target, Thresholds
from publish.audit.site import audit_site

log = logging.getLogger(__name__)

Progress = Callable[[SiteResult], None]


def audit(targets: Iterable[Target], now: dt.datetime, *, city: str = "",
          thresholds: Thresholds | None = None, options: AuditOptions | None = None,
          progress: Progress | None = None,
          expected_seconds: Mapping[str, float] | None = None) -> AuditReport:
    """Every target audited at most `options.concurrency` at a time; results worst first.

    `expected_seconds` (from the previous run) puts the slowest sites at the front of the queue.
    """
    thresholds = thresholds or Thresholds()
    options = options or AuditOptions()
    started = time.monotonic()
    local = threading.local()
    sessions: list[requests.Session] = []
    lock = threading.Lock()

    def one(target: Target) -> SiteResult:
        if not hasattr(local, "session"):
            local.session = new_session(options)
            with lock:
                sessions.append(local.session)
        result = _safely(target, local.session, now, thresholds, options)
        if progress:
            progress(result)
        return result

    pool = ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="audit")
    try:
        results = list(pool.map(one, _slowest_first(_unique(targets), expected_seconds or {})))
    finally:
        # On Ctrl-C, drop the queued sites instead of auditing them all before exiting.
        pool.shutdown(wait=True, cancel_futures=True)
        for session in sessions:
            session.close()
    results.sort(key=lambda r: r.sort_key)
    return AuditReport(city, now, thresholds, tuple(results), time.monotonic() - started)


def _safely(target: Target, session: requests.Session, now: dt.datetime,
            thresholds: Thresholds, options: AuditOptions) -> SiteResult:
    """A bug while auditing one site becomes that site's reason, not a failed audit."""
    try:
        return audit_site(target, session, now, thresholds, options)
    except Exception as exc:
        log.exception("audit of %s failed", target.url)
        return SiteResult(target, Status.UNREACHABLE,
                          f"pemeriksaan gagal: {type(exc).__name__}: {exc}")


def _unique(targets: Iterable[Target]) -> list[Target]:
    """The same URL listed twice is audited once (the first listing names it)."""
    seen: dict[str, Target] = {}
    for target in targets:
        seen.setdefault(target.url.rstrip("/"), target)
    return list(seen.values())


def _slowest_first(targets: list[Target], expected: Mapping[str, float]) -> list[Target]:
    """Longest expected audit first (LPT scheduling): a site that hung for the whole deadline
    last week starts at once instead of last; sites without history keep their order."""
    return sorted(targets, key=lambda target: -expected.get(target.url, 0.0))
