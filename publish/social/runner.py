"""`publish_due`: post every due card exactly once, recording each attempt in the ledger.

For each due (post, channel): claim the ledger row (in-flight) → reconcile with the platform if
the row was attempted before → check the card (platform limits, reachable online) → post →
record the outcome. Token, permission, block and rate-limit errors stop that account for the
rest of the run; Meta's app-level throttling (code 4) stops every Facebook and Instagram call.
Nothing here raises for the outside world; every attempt ends as a row.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from kelurahan.model import Channel, City, Kelurahan, Post
from kelurahan.settings import Settings, token_name
from publish.social.accounts import Account, Options, connect
from publish.social.card import (
    Card,
    CardMissing,
    CardNotDrawn,
    limit_problems,
    load_card,
    offline_problem,
)
from publish.social.ledger import SETTLED_STATES, Claim, Ledger, Row, State, open_ledger
from publish.social.outcome import STOPS_ACCOUNT, Kind, Outcome, redact
from publish.social.schedule import Job, plan
from publish.social.withdraw import renamed

log = logging.getLogger(__name__)

GRAPH_CHANNELS = ("facebook", "instagram")
# Draws a card the build left for first use (an old post's Instagram or TikTok card) into the
# site; returns None when drawn, else the reason. `kelurahan.cli` passes the generator's.
CardDrawer = Callable[[Kelurahan, Post, Channel], "str | None"]


@dataclass(frozen=True)
class Result:
    """One attempt of this run: what we tried, what the ledger now says, any loud warning."""

    kind: Kind
    row: Row
    warning: str | None = None


def publish_due(city: City, site_dir: Path, settings: Settings, now: dt.datetime,
                only: Collection[str] = (), draw: CardDrawer | None = None) -> list[Result]:
    """Post everything due at `now` (aware); withdraw or replace Facebook-held posts that
    no longer match the kegiatan (draft, deleted, new `jadwal`, corrected text or image)."""
    options = Options.from_settings(settings)
    ledger = open_ledger(settings.state_dir, settings.get("KELURAHAN_DATABASE_URL"))
    try:
        rows = ledger.rows()
        open_work = {r.key for r in rows if r.state not in SETTLED_STATES}
        runner = _Run(ledger, site_dir, settings, options, now, draw)
        runner.gone = renamed(city, rows)
        results = runner.withdraw(city, rows, only)
        jobs = plan(city, now, only, open_work)
        return results + [r for job in jobs if (r := runner.attempt(job)) is not None]
    finally:
        ledger.close()


class _Run:
    def __init__(self, ledger: Ledger, site_dir: Path, settings: Settings, options: Options,
                 now: dt.datetime, draw: CardDrawer | None = None) -> None:
        self.ledger = ledger
        self.site_dir = site_dir
        self.settings = settings
        self.options = options
        self.now = now
        self.started = time.monotonic()
        self.stopped: set[tuple[str, str]] = set()
        self.app_stopped = False
        self.draw = draw
        self.gone: dict[tuple[str, str, str, dt.datetime], str] = {}

    def clock(self) -> dt.datetime:
        """`now` moved on by the time this run has taken (decisions made at request time)."""
        return self.now + dt.timedelta(seconds=time.monotonic() - self.started)

    def _blocked(self, slug: str, channel: str) -> bool:
        return (slug, channel) in self.stopped or (self.app_stopped and channel in GRAPH_CHANNELS)

    def attempt(self, job: Job) -> Result | None:
        if self._blocked(job.kelurahan.slug, job.channel):
            return None
        claim = self.ledger.claim(job.key, job.post.publish_at, self.now)
        if claim is None:
            return None
        card: list[Card] = []
        try:
            outcome = self._attempt(job, claim, card)
        except Exception:  # a bug must not lose the row: leave it to be reconciled
            # The traceback is for -v only, without secrets; the lurah reads the row's reason.
            log.debug("%s: kesalahan tak terduga:\n%s", job.key, redact(traceback.format_exc()))
            outcome = Outcome(Kind.UNKNOWN, "kesalahan tak terduga; dicocokkan dulu dengan "
                              "platform sebelum mencoba lagi (rincian dengan kelurahan -v)")
        fingerprint = card[0].fingerprint if card and outcome.done and not outcome.stale else None
        row = self.ledger.finish(claim, outcome, self.now, fingerprint=fingerprint)
        log.info("%s: %s %s", job.key, row.state, row.last_error or row.platform_id or "")
        self._note_stop(job.kelurahan.slug, job.channel, outcome.kind)
        return Result(outcome.kind, row)

    def _note_stop(self, slug: str, channel: str, kind: Kind) -> None:
        if kind in STOPS_ACCOUNT:
            self.stopped.add((slug, channel))
        if kind is Kind.APP_LIMITED:
            self.app_stopped = True

    def _attempt(self, job: Job, claim: Claim, loaded: list[Card]) -> Outcome:
        twin = None if claim.previous else self.gone.get(
            (job.kelurahan.slug, job.channel, job.post.stem[:10], job.post.publish_at))
        if twin is not None:
            return Outcome(Kind.MANUAL, f"mungkin kegiatan yang sama dengan {twin} (sudah "
                           f"terbit di {job.channel}; berkasnya berganti nama?), jadi tidak "
                           "diposting otomatis")
        account = self._account(job.kelurahan, job.channel)
        if isinstance(account, Outcome):
            return account
        try:
            card = self._card(job)
        except CardMissing as exc:
            return Outcome(Kind.WAITING, str(exc))
        loaded.append(card)
        settled = self._settle(account, card, job, claim.previous)
        if settled is not None:
            return settled
        problem = self._preflight(card)
        if problem is not None:
            return problem
        return account.post(card, job.post.publish_at, self.clock,
                            lambda ref: self.ledger.note_ref(job.key, ref))

    def _card(self, job: Job) -> Card:
        """The built card; one the build left for first use is drawn now if we can."""
        try:
            return load_card(self.site_dir, job.post, job.channel)
        except CardNotDrawn:
            if self.draw is None:
                raise
            problem = self.draw(job.kelurahan, job.post, job.channel)
            if problem is not None:
                raise CardMissing(problem) from None
            return load_card(self.site_dir, job.post, job.channel)

    def _settle(self, account: Account, card: Card, job: Job, previous: Row | None
                ) -> Outcome | None:
        """What a previous attempt left on the platform: the answer, or None to post now."""
        if previous is None:
            return None
        if previous.state is State.SCHEDULED and previous.platform_id:
            return account.cancel(previous.platform_id)
        found = account.reconcile(card, _remote_ref(previous), previous.last_attempt_at,
                                  self.now)
        if found is None or not _old_schedule(found, job):
            return found
        # Facebook holds it for a jadwal or a text since changed: replace it.
        return account.cancel(found.platform_id) if found.platform_id else None

    def _preflight(self, card: Card) -> Outcome | None:
        """Refuse locally what the platform would refuse; wait for a card not yet online."""
        problems = limit_problems(card)
        if problems:
            return Outcome(Kind.INVALID, "; ".join(problems) + "; perbaiki judul atau ringkasan "
                           "kegiatan lalu jalankan 'kelurahan build'")
        if card.channel in ("instagram", "tiktok"):
            offline = offline_problem(card.image_url, self.options.timeout)
            if offline:
                return Outcome(Kind.NOT_ONLINE, f"kartu belum bisa diambil {card.channel}: "
                               f"{offline}; pastikan situs sudah diunggah (deploy)")
        return None

    def _account(self, kel: Kelurahan, channel: Channel) -> Account | Outcome:
        token = self.settings.token(kel.slug, channel)
        if not token:
            return Outcome(Kind.TOKEN, f"token {channel} belum diatur: setel "
                           f"{token_name(kel.slug, channel)} di lingkungan atau berkas rahasia")
        return connect(kel, channel, token, self.settings, self.options)

    def withdraw(self, city: City, rows: list[Row], only: Collection[str]) -> list[Result]:
        """Cancel posts Facebook holds that no longer match their kegiatan."""
        from publish.social.withdraw import unwanted

        results = []
        for row, kel, why, wanted in unwanted(city, rows, self.now, self.site_dir, only):
            if self._blocked(kel.slug, "facebook"):
                continue
            claim = self.ledger.claim(row.key, row.publish_at, self.now, withdraw=True)
            if claim is None:
                continue
            outcome, warning = self._cancel(kel, row, why, wanted)
            self._note_stop(kel.slug, "facebook", outcome.kind)
            row = self.ledger.finish(claim, outcome, self.now)
            results.append(Result(outcome.kind, row, warning))
        return results

    def _cancel(self, kel: Kelurahan, row: Row, why: str, wanted: bool
                ) -> tuple[Outcome, str | None]:
        """Cancelled, or a loud warning and a row the next run picks up again: still
        `scheduled` (withdrawn next run), or `unknown` when the held post may be gone and the
        kegiatan is still wanted (reconciled, then posted anew: never lost)."""
        account = self._account(kel, "facebook")
        if isinstance(account, Outcome):
            failed: Outcome | None = account
        else:  # without a platform id nothing is held on Facebook
            failed = account.cancel(row.platform_id) if row.platform_id else None
        if failed is None:
            return Outcome(Kind.CANCELLED, f"jadwal Facebook dibatalkan karena {why}"), None
        if failed.kind is Kind.PUBLISHED:   # already live: never deleted, never posted again
            return failed, (f"posting ini sudah terbit di Facebook, jadi tidak dibatalkan "
                            f"({why}); bila perlu, ubah atau hapus di Meta Business Suite.")
        log.warning("%s: gagal membatalkan jadwal Facebook: %s", row.key, failed.reason)
        warning = (f"Facebook mungkin masih memegang versi lama dan akan menerbitkannya; gagal "
                   f"diganti ({failed.reason}). Dicoba lagi pada run berikutnya; bila tetap "
                   "gagal, ubah atau hapus posting terjadwal itu di Meta Business Suite.")
        if wanted and failed.kind is Kind.UNKNOWN:
            return Outcome(Kind.UNKNOWN, f"jadwal Facebook lama mungkin sudah terhapus: "
                           f"{failed.reason}"), warning
        return Outcome(Kind.SCHEDULED, platform_id=row.platform_id, url=row.url,
                       scheduled_for=row.publish_at), warning


def _remote_ref(previous: Row) -> str | None:
    """A failed container is not worth resuming; anything else may be."""
    return None if previous.state in (State.FAILED, State.CANCELLED) else previous.remote_ref


def _old_schedule(found: Outcome, job: Job) -> bool:
    """Facebook holds our post for a time or a text that is no longer the kegiatan's."""
    return found.kind is Kind.SCHEDULED and (found.stale or (
        found.scheduled_for is not None and found.scheduled_for != job.post.publish_at))
