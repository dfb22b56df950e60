"""A Facebook Page: post the card with its caption, or let Facebook schedule it itself.

Posts far enough ahead (see `schedule_ahead`, decided when the request is sent, not when the
run started) go out with `published=false` + `scheduled_publish_time`, so they are published
even if our job is down at that hour; if Facebook still refuses the time, we post it ourselves
at its time. Reconciling looks for the post's canonical URL (in every caption, unchanged by a
corrected typo) among the Page's published and scheduled posts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace

from publish.social.card import Card
from publish.social.graph import Graph
from publish.social.outcome import Kind, Outcome, no_id
from publish.social.schedule import schedule_ahead

log = logging.getLogger(__name__)

_FIELDS = "id,message,permalink_url,created_time,scheduled_publish_time"
# The ledger's remote_ref while a /photos request is out: "terkirim@<ISO time sent>".
SENT = "terkirim@"
# A post sent but not in the Page's listings before this long did not land; before that the
# listing may lag behind (a repost then would be a duplicate), so look again later.
SETTLE = dt.timedelta(minutes=10)
_PAGES = 5          # pages of 100 posts read when reconciling


class FacebookPage:
    def __init__(self, graph: Graph, page_id: str) -> None:
        self.graph = graph
        self.page_id = page_id

    def post(self, card: Card, publish_at: dt.datetime, clock: Callable[[], dt.datetime],
             note_ref: Callable[[str], None]) -> Outcome:
        now = clock()
        ahead = schedule_ahead(publish_at, now)
        if publish_at > now and not ahead:
            return _ourselves(publish_at, "terlalu dekat untuk dijadwalkan di Facebook")
        data = {"caption": card.caption}
        if ahead:
            data |= {"published": "false",
                     "scheduled_publish_time": str(int(publish_at.timestamp()))}
        note_ref(SENT + now.replace(microsecond=0).isoformat())
        with card.image.open("rb") as image:
            result = self.graph.post(f"{self.page_id}/photos", data,
                                     files={"source": ("kartu.jpg", image, "image/jpeg")})
        if isinstance(result, Outcome):
            if ahead and result.kind is Kind.REJECTED and result.code == "100":
                return replace(_ourselves(publish_at, "Facebook menolak waktu jadwalnya "
                                          "(kode 100)"), remote_ref="")
            # Only an answer that may hide a post keeps the send time for reconciling.
            return result if result.kind is Kind.UNKNOWN else replace(result, remote_ref="")
        if not (result.get("post_id") or result.get("id")):
            return no_id("Facebook", "id posting")
        post_id = str(result.get("post_id") or result.get("id"))
        if ahead:
            return Outcome(Kind.SCHEDULED, platform_id=post_id, scheduled_for=publish_at,
                           remote_ref="")
        return Outcome(Kind.PUBLISHED, platform_id=post_id,
                       url=f"https://www.facebook.com/{post_id}", remote_ref="")

    def reconcile(self, card: Card, remote_ref: str | None, sent_at: dt.datetime | None,
                  now: dt.datetime) -> Outcome | None:
        """Our post if the Page already has it (published or scheduled); None if not, once a
        post sent less than SETTLE ago has had the time to show in the listings."""
        for edge, kind in (("published_posts", Kind.PUBLISHED),
                           ("scheduled_posts", Kind.SCHEDULED)):
            items = self.graph.listing(f"{self.page_id}/{edge}", _PAGES, fields=_FIELDS,
                                       limit="100")
            if isinstance(items, Outcome):
                return items
            for item in items:
                if card.mentions_post(item.get("message")):
                    log.info("found on Facebook page %s: %s", self.page_id, item.get("id"))
                    return replace(_found(item, kind, card), remote_ref="")
        sent = _sent_at(remote_ref)
        if sent is not None and now - sent < SETTLE:
            return Outcome(Kind.PENDING, "kiriman ke Facebook belum tampil di daftar posting "
                           "Halaman; dicek lagi nanti", retry_at=sent + SETTLE)
        return None

    def cancel(self, platform_id: str) -> Outcome | None:
        """Withdraw a post Facebook holds for later; None when done (or already gone).

        A post Facebook has already published is never deleted (our clock may be behind, or
        `--now` earlier than the jadwal): that answers PUBLISHED. A failed delete is checked
        against the Page's scheduled posts: still held is a plain retry (TRANSIENT); if even
        that cannot be read, whether it is gone is UNKNOWN.
        """
        live = self._published(platform_id)
        if live is not None:
            return live
        result = self.graph.delete(platform_id)
        if not isinstance(result, Outcome):
            return None
        held = self.graph.get(f"{self.page_id}/scheduled_posts", fields="id", limit="100")
        if isinstance(held, Outcome):
            return replace(result, kind=Kind.UNKNOWN)
        if all(str(item.get("id")) != platform_id for item in held.get("data", [])):
            return None
        return Outcome(Kind.TRANSIENT, f"posting terjadwal belum terhapus: {result.reason}")

    def _published(self, platform_id: str) -> Outcome | None:
        """PUBLISHED when the post is live, a read error as is; None when still held or gone.
        Its `is_published` decides; without it, the Page's listings."""
        state = self.graph.get(platform_id, fields="is_published,permalink_url")
        if not isinstance(state, Outcome) and isinstance(state.get("is_published"), bool):
            return _live(platform_id, state["is_published"], state.get("permalink_url"))
        if isinstance(state, Outcome) and state.kind is not Kind.REJECTED:
            return state
        for edge, live in (("scheduled_posts", False), ("published_posts", True)):
            items = self.graph.listing(f"{self.page_id}/{edge}", _PAGES, fields="id",
                                       limit="100")
            if isinstance(items, Outcome):
                return items
            if any(str(item.get("id")) == platform_id for item in items):
                return _live(platform_id, live, None)
        return None


def _live(platform_id: str, published: bool, url: str | None) -> Outcome | None:
    if not published:
        return None
    return Outcome(Kind.PUBLISHED, "sudah terbit di Facebook; tidak dibatalkan",
                   platform_id=platform_id, url=url or f"https://www.facebook.com/{platform_id}")


def _sent_at(remote_ref: str | None) -> dt.datetime | None:
    if not remote_ref or not remote_ref.startswith(SENT):
        return None
    try:
        return dt.datetime.fromisoformat(remote_ref.removeprefix(SENT))
    except ValueError:
        return None


def _ourselves(publish_at: dt.datetime, why: str) -> Outcome:
    return Outcome(Kind.DEFERRED, f"{why}; diposting sendiri tepat pada waktunya",
                   retry_at=publish_at)


def _found(item: dict, kind: Kind, card: Card) -> Outcome:
    when = item.get("scheduled_publish_time")
    scheduled = dt.datetime.fromtimestamp(int(when), dt.UTC) if when else None
    url = item.get("permalink_url") or f"https://www.facebook.com/{item.get('id')}"
    stale = kind is Kind.SCHEDULED and str(item.get("message", "")).strip() != card.caption.strip()
    return Outcome(kind, platform_id=str(item.get("id")), url=url, stale=stale,
                   scheduled_for=scheduled if kind is Kind.SCHEDULED else None)
