"""Auditing many sites at once: a bounded pool of workers, one HTTP session each."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping

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

    Workers pull the next site from one shared queue (no future per site, so 100,000 sites cost
    only their results); `expected_seconds` (from the previous run) puts the slowest first.
    """
    thresholds = thresholds or Thresholds()
    options = options or AuditOptions()
    started = time.monotonic()
    sites, notes = unique(targets)
    queue = iter(_slowest_first(sites, expected_seconds or {}))
    results: list[SiteResult] = []
    lock, stop = threading.Lock(), threading.Event()

    def work() -> None:
        with new_session(options) as session:
            while not stop.is_set():
                with lock:
                    target = next(queue, None)
                if target is None:
                    return
                result = _safely(target, session, now, thresholds, options)
                with lock:
                    results.append(result)
                    if progress:
                        progress(result)

    workers = [threading.Thread(target=work, name=f"audit-{n}", daemon=True)
               for n in range(min(options.concurrency, max(1, len(sites))))]
    for worker in workers:
        worker.start()
    try:
        for worker in workers:
            worker.join()
    finally:
        stop.set()  # on Ctrl-C the queued sites are dropped, not audited before exiting
    results.sort(key=lambda r: r.sort_key)
    return AuditReport(city, now, thresholds, tuple(results), time.monotonic() - started,
                       tuple(notes))


def _safely(target: Target, session: requests.Session, now: dt.datetime,
            thresholds: Thresholds, options: AuditOptions) -> SiteResult:
    """A bug while auditing one site becomes that site's reason, not a failed audit."""
    try:
        return audit_site(target, session, now, thresholds, options)
    except Exception:
        log.exception("audit of %s failed", target.url)
        return SiteResult(target, Status.UNREACHABLE,
                          "pemeriksaan situs ini gagal karena galat program (rinciannya di log "
                          "dengan -v); situs lain tetap diperiksa")


def unique(targets: Iterable[Target]) -> tuple[list[Target], list[str]]:
    """The same site listed twice is audited once (the first listing names it), and said so."""
    seen: dict[str, Target] = {}
    notes = []
    for target in targets:
        key = _site_key(target.url)
        first = seen.setdefault(key, target)
        if first is not target:
            notes.append(f"{target.url} ({target.source or target.name}) sama dengan "
                         f"{first.source or first.name}; diperiksa sekali")
    return list(seen.values()), notes


_TRACKING = ("utm_", "fbclid", "gclid", "yclid", "msclkid", "mc_cid", "mc_eid", "_ga")


def _site_key(url: str) -> str:
    """The same site whatever the case of its host, a trailing `/`, a `#fragment` or tracking
    parameters (`?utm_source=…`, `fbclid`) copied with it."""
    scheme, _, rest = url.partition("://")
    rest = rest.split("#", 1)[0]
    rest, _, query = rest.partition("?")
    host, _, path = rest.partition("/")
    kept = sorted(pair for pair in query.split("&")
                  if pair and not pair.casefold().startswith(_TRACKING))
    key = f"{scheme.lower()}://{host.lower()}/{path}".rstrip("/")
    return key + ("?" + "&".join(kept) if kept else "")


def _slowest_first(targets: list[Target], expected: Mapping[str, float]) -> list[Target]:
    """Longest expected audit first (LPT scheduling): a site that hung for the whole deadline
    last week starts at once instead of last; sites without history keep their order."""
    return sorted(targets, key=lambda target: -expected.get(target.url, 0.0))
