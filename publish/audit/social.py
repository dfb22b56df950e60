"""Social media activity from the publishing ledger: when each kelurahan last posted where."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from dataclasses import replace
from pathlib import Path

from kelurahan.errors import KelurahanError
from publish.audit.model import AuditReport

log = logging.getLogger(__name__)

Social = dict[str, dict[str, dt.datetime]]


def read_social(state_dir: Path, now: dt.datetime) -> Social:
    """slug → channel → last confirmed post; empty without a ledger or when it cannot be read."""
    from publish.social import last_published

    try:
        latest = last_published(state_dir, now)
    except (KelurahanError, sqlite3.Error) as exc:  # the sites were audited: report them
        log.warning("kolom media sosial dikosongkan: %s", exc)
        return {}
    social: Social = {}
    for (slug, channel), moment in latest.items():
        social.setdefault(slug, {})[channel] = moment
    return social


def with_social(report: AuditReport, social: Social) -> AuditReport:
    """The same report with each of our kelurahan's last social posts attached."""
    if not social:
        return report
    results = tuple(replace(r, social=social.get(r.target.slug, {})) if r.target.slug else r
                    for r in report.results)
    return replace(report, results=results)
