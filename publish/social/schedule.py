"""Which (post, channel) pairs are due at `now`, from the content model alone.

A post is due on a channel listed in its `terbit` once its `jadwal` has passed (in the city's
zone: the model makes `publish_at` aware). Facebook also takes posts 10 minutes to 30 days
ahead, to hold them on its side. Posts older than `LOOKBACK` are not posted late unless the
ledger already knows them (a first run must not flood a Page with a year of history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from kelurahan.model import Channel, City, Kelurahan, Post
from publish.social.ledger import Key

LOOKBACK = dt.timedelta(days=7)
# Facebook checks that scheduled_publish_time is 10 minutes to 30 days ahead when the request
# *arrives*; we decide when we send it (not when the run started), with a margin for the upload
# and clock drift. Closer than that, we post it ourselves at its time.
SCHEDULE_MIN = dt.timedelta(minutes=10)
SCHEDULE_MARGIN = dt.timedelta(minutes=3)
SCHEDULE_MAX = dt.timedelta(days=30)


def schedule_ahead(publish_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether Facebook should hold the post itself (so it goes out even if we are down)."""
    return SCHEDULE_MIN + SCHEDULE_MARGIN < publish_at - now <= SCHEDULE_MAX


@dataclass(frozen=True)
class Job:
    kelurahan: Kelurahan
    post: Post
    channel: Channel

    @property
    def key(self) -> Key:
        return Key(self.kelurahan.slug, self.post.stem, self.channel)


def plan(city: City, now: dt.datetime, only: Collection[str] = (),
         known: Collection[Key] = ()) -> list[Job]:
    """Due jobs, oldest `jadwal` first; `known` are keys the ledger still has work for."""
    jobs = [
        Job(kel, post, channel)
        for kel in city.kelurahan if not only or kel.slug in only
        for post in kel.posts if post.publishable  # never a draft or an unedited scaffold
        for channel in post.channels
        if _due(post, channel, now, Key(kel.slug, post.stem, channel) in known)
    ]
    return sorted(jobs, key=lambda j: (j.post.publish_at, j.kelurahan.slug, j.post.stem))


def _due(post: Post, channel: Channel, now: dt.datetime, known: bool) -> bool:
    late = now - post.publish_at
    if late >= dt.timedelta(0):
        return known or late <= LOOKBACK
    return channel == "facebook" and schedule_ahead(post.publish_at, now)


def upcoming(city: City, now: dt.datetime, only: Collection[str] = ()) -> list[Job]:
    """Posts still to come (for `--status`), soonest first."""
    jobs = [
        Job(kel, post, channel)
        for kel in city.kelurahan if not only or kel.slug in only
        for post in kel.posts if post.publishable and post.publish_at > now
        for channel in post.channels
    ]
    return sorted(jobs, key=lambda j: (j.post.publish_at, j.kelurahan.slug, j.post.stem))
