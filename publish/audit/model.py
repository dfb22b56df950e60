"""Plain typed objects of the audit: what to audit, how, and what came out of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

NETWORK_DOWN_SHARE = 0.9  # of the sites failing on DNS/network: the run itself failed


class Status(StrEnum):
    """Site status as Diskominfo reads it; values are the Indonesian labels."""

    ACTIVE = "aktif"
    LESS_ACTIVE = "kurang aktif"
    INACTIVE = "tidak aktif"
    UNREACHABLE = "tidak dapat diakses"

    @property
    def severity(self) -> int:
        """Higher is worse; tables and dashboards show the worst first."""
        return list(Status).index(self)


class Kind(StrEnum):
    """Where a site came from: built by us, listed in `situs_luar`, or given on the command line."""

    OURS = "kota"
    OUTSIDE = "luar"
    EXTRA = "tambahan"


@dataclass(frozen=True)
class Target:
    """One site to audit."""

    name: str
    url: str
    kind: Kind
    district: str | None = None
    slug: str | None = None
    source: str = ""  # where it was listed: `situs.csv:4`, `kota.yml`, `--url`


@dataclass(frozen=True)
class Thresholds:
    """Days since the last post: `<= active_days` is aktif, `<= less_active_days` kurang aktif."""

    active_days: int = 7
    less_active_days: int = 30


@dataclass(frozen=True)
class AuditOptions:
    """Limits that keep one bad site from slowing or crashing the whole audit."""

    concurrency: int = 64
    connect_timeout: float = 5.0
    total_timeout: float = 15.0
    max_feed_bytes: int = 512 * 1024  # read this much of a feed (newest entries come first)
    max_sitemap_bytes: int = 5 * 1024 * 1024
    max_page_bytes: int = 1024 * 1024
    max_redirects: int = 5
    weeks: int = 12
    slow_seconds: float = 5.0  # a site whose audit took longer is marked `lambat`
    allow_local_network: bool = False  # loopback/private/link-local only for an intranet audit


@dataclass(frozen=True)
class Activity:
    """Posting activity computed from the dates of a feed's entries."""

    last_post: dt.datetime | None
    days_since: int | None
    posts_7: int
    posts_30: int
    posts_90: int
    weekly: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class SiteResult:
    """The outcome for one site: a status with a reason, never an exception."""

    target: Target
    status: Status
    reason: str
    feed_url: str | None = None
    activity: Activity | None = None
    warnings: tuple[str, ...] = ()
    social: dict[str, dt.datetime] = field(default_factory=dict)
    seconds: float = 0.0
    slow: bool = False  # took longer than `AuditOptions.slow_seconds`
    network: bool = False  # failed where the audit server's own DNS or network may be to blame

    @property
    def sort_key(self) -> tuple:
        """Worst first: by status, then longest silence, then name."""
        days = self.activity.days_since if self.activity and self.activity.days_since is not None else 10**6
        return (-self.status.severity, -days, self.target.name)


@dataclass(frozen=True)
class AuditReport:
    """Everything one run found, in worst-first order."""

    city: str
    now: dt.datetime
    thresholds: Thresholds
    results: tuple[SiteResult, ...]
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # about the list itself: duplicates, skipped rows

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for result in self.results:
            counts[result.status.value] += 1
        return counts

    @property
    def network_down(self) -> bool:
        """Nearly every site failed where the audit server's own DNS or network is the likely
        cause: the run says nothing about the sites and must not replace a good one."""
        failed = sum(1 for result in self.results if result.network)
        return bool(self.results) and failed >= NETWORK_DOWN_SHARE * len(self.results)

    @property
    def all_active(self) -> bool:
        return all(r.status is Status.ACTIVE for r in self.results)
