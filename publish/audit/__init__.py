"""The Diskominfo audit: which kelurahan sites (ours and outside ones) have stopped posting.

`audit(targets, now)` fetches every site with bounded concurrency and per-site deadlines and
returns an `AuditReport` in which each site has a status and a reason, never an exception;
`write_report` turns it into `audit.csv`, `audit.json` and the `audit.html` dashboard.
"""

from __future__ import annotations

from publish.audit.model import (
    Activity,
    AuditOptions,
    AuditReport,
    Kind,
    SiteResult,
    Status,
    Target,
    Thresholds,
)
from publish.audit.report import Written, write_report
from publish.audit.run import audit
from publish.audit.targets import city_targets, read_sites_csv, url_targets

__all__ = [
    "Activity", "AuditOptions", "AuditReport", "Kind", "SiteResult", "Status", "Target",
    "Thresholds", "Written", "audit", "city_targets", "read_sites_csv", "url_targets",
    "write_report",
]
