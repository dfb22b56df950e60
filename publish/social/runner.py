"""`publish_due`: post every due card exactly once, recording each attempt in the ledger.

For each due (post, channel): claim the ledger row (in-flight) → reconcile with the platform if
the row was attempted before → post → record the outcome. A token error stops that account for
the rest of the run. Nothing here raises for the outside world; every attempt ends as a row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kelurahan.model import Channel, City, Kelurahan
from kelurahan.settings import Settings, token_name
from publish.social.accounts import Account, Options, connect
from publish.social.card import CardMissing, load_card
from publish.social.ledger import DONE_STATES, Claim, Ledger, Row, open_ledger
from publish.social.outcome import Kind, Outcome
from publish.social.schedule import Job, plan

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    """One attempt of this run: what we tried and what the ledger now says."""

    kind: Kind
    row: Row


def publish_due(city: City, site_dir: Path, settings: Settings, now: dt.datetime,
                only: Collection[str] = ()) -> list[Result]:
    """Post everything due at `now` (aware); withdraw Facebook-held posts no longer wanted."""
    options = Options.from_settings(settings)
    ledger = open_ledger(settings.state_dir)
    try:
        rows = ledger.rows()
        open_work = {r.key for r in rows if r.state not in (*DONE_STATES, "failed")}
        jobs = plan(city, now, only, open_work)
        runner = _Run(ledger, site_dir, settings, options, now)
        results = runner.withdraw(city, rows, only)
        return results + [r for job in jobs if (r := runner.attempt(job)) is not None]
    finally:
        ledger.close()


class _Run:
    def __init__(self, ledger: Ledger, site_dir: Path, settings: Settings, options: Options,
                 now: dt.datetime) -> None:
        self.ledger = ledger
        self.site_dir = site_dir
        self.settings = settings
        self.options = options
        self.now = now
        self.stopped: set[tuple[str, str]] = set()

    def attempt(self, job: Job) -> Result | None:
        account_key = (job.kelurahan.slug, job.channel)
        if account_key in self.stopped:
            return None
        claim = self.ledger.claim(job.key, job.post.publish_at, self.now)
        if claim is None:
            return None
        try:
            outcome = self._attempt(job, claim)
        except Exception:  # a bug must not lose the row: leave it to be reconciled
            log.exception("unexpected error publishing %s", job.key)
            outcome = Outcome(Kind.UNKNOWN, "kesalahan tak terduga; dicocokkan dulu dengan "
                              "platform sebelum mencoba lagi (lihat log)")
        row = self.ledger.finish(claim, outcome, self.now)
        log.info("%s: %s %s", job.key, row.state, row.last_error or row.platform_id or "")
        if outcome.kind is Kind.TOKEN:
            self.stopped.add(account_key)
        return Result(outcome.kind, row)

    def _attempt(self, job: Job, claim: Claim) -> Outcome:
        account = self._account(job.kelurahan, job.channel)
        if isinstance(account, Outcome):
            return account
        try:
            card = load_card(self.site_dir, job.post, job.channel)
        except CardMissing as exc:
            return Outcome(Kind.WAITING, str(exc))
        previous = claim.previous
        if previous is not None and previous.state == "scheduled" and previous.platform_id:
            cancelled = account.cancel(previous.platform_id)
            if cancelled is not None:
                return cancelled
        elif previous is not None:
            found = account.reconcile(card, _remote_ref(previous))
            if found is not None and not _old_schedule(found, job):
                return found
            if found is not None and found.platform_id:  # held for a jadwal since changed
                cancelled = account.cancel(found.platform_id)
                if cancelled is not None:
                    return cancelled
        return account.post(card, job.post.publish_at, self.now,
                            lambda ref: self.ledger.note_ref(job.key, ref))

    def _account(self, kel: Kelurahan, channel: Channel) -> Account | Outcome:
        token = self.settings.token(kel.slug, channel)
        if not token:
            return Outcome(Kind.WAITING, f"token {channel} belum diatur: setel "
                           f"{token_name(kel.slug, channel)} di lingkungan atau berkas rahasia")
        return connect(kel, channel, token, self.settings, self.options)

    def withdraw(self, city: City, rows: list[Row], only: Collection[str]) -> list[Result]:
        """Cancel posts Facebook holds whose kegiatan became a draft, vanished or moved away."""
        from publish.social.withdraw import unwanted

        results = []
        for row, kel in unwanted(city, rows, self.now, only):
            claim = self.ledger.claim(row.key, row.publish_at, self.now, withdraw=True)
            if claim is None:
                continue
            outcome = self._cancel(kel, row)
            results.append(Result(outcome.kind, self.ledger.finish(claim, outcome, self.now)))
        return results

    def _cancel(self, kel: Kelurahan, row: Row) -> Outcome:
        """Cancelled, or still scheduled (the failure logged) so the next run tries again."""
        account = self._account(kel, "facebook")
        if isinstance(account, Outcome):
            failed: Outcome | None = account
        else:  # without a platform id nothing is held on Facebook
            failed = account.cancel(row.platform_id) if row.platform_id else None
        if failed is None:
            return Outcome(Kind.CANCELLED, "jadwal Facebook dibatalkan karena kegiatan diubah "
                           "(draf, dihapus, atau jadwal dipindah)")
        log.warning("%s: gagal membatalkan jadwal Facebook: %s", row.key, failed.reason)
        return Outcome(Kind.SCHEDULED, platform_id=row.platform_id, url=row.url,
                       scheduled_for=row.publish_at)


def _remote_ref(previous: Row) -> str | None:
    """A failed container is not worth resuming; anything else may be."""
    return None if previous.state in ("failed", "cancelled") else previous.remote_ref



def _old_schedule(found: Outcome, job: Job) -> bool:
    """Facebook holds our post for a time that is no longer the kegiatan's `jadwal`."""
    return (found.kind is Kind.SCHEDULED and found.scheduled_for is not None
            and found.scheduled_for != job.post.publish_at)
