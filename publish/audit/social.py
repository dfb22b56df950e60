"""Social media activity from the publishing ledger: when each kelurahan last posted where."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from pathlib import Path

from kelurahan.errors import KelurahanError
from publish.audit.model import AuditReport

log = logging.getLogger(__name__)

Social = dict[str, dict[str, dt.datetime]]


def read_social(state_dir: Path, now: dt.datetime, database_url: str | None = None
                ) -> tuple[Social, str | None]:
    """slug → channel → last confirmed post, and a note when the ledger cannot be read: the
    audit of the sites stands on its own, so a broken ledger only empties the social columns."""
    from publish.social.ledger import last_published

    try:
        latest = last_published(state_dir, now, database_url)
    except KelurahanError as exc:
        log.debug("ledger unreadable", exc_info=True)
        return {}, f"kolom media sosial kosong: {exc}"
    social: Social = {}
    for (slug, channel), moment in latest.items():
        social.setdefault(slug, {})[channel] = moment
    return social, None


def with_social(report: AuditReport, social: Social) -> AuditReport:
    """The same report with each of our kelurahan's last social posts attached."""
    if not social:
        return report
    results = tuple(replace(r, social=social.get(r.target.slug, {})) if r.target.slug else r
                    for r in report.results)
    return replace(report, results=results)
