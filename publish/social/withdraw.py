"""Posts Facebook holds for later that the lurah no longer wants at that time.

A kegiatan turned into a draft, deleted, taken off Facebook in `terbit`, or moved to a new
`jadwal` that cannot be rescheduled right now (too close or more than 30 days ahead): its
scheduled Facebook post must be withdrawn, or it would still go out at the old time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator

from kelurahan.model import City, Kelurahan, Post
from publish.social.ledger import Row
from publish.social.schedule import schedule_ahead


def unwanted(city: City, rows: list[Row], now: dt.datetime, only: Collection[str] = ()
             ) -> Iterator[tuple[Row, Kelurahan]]:
    """Scheduled Facebook rows still in the future whose post no longer matches them."""
    kelurahan = {k.slug: k for k in city.kelurahan}
    for row in rows:
        kel = kelurahan.get(row.kelurahan)
        if (row.state != "scheduled" or row.channel != "facebook" or row.publish_at <= now
                or kel is None or (only and kel.slug not in only)):
            continue
        post = next((p for p in kel.posts if p.stem == row.post), None)
        if post is None or _unwanted(post, row, now):
            yield row, kel


def _unwanted(post: Post, row: Row, now: dt.datetime) -> bool:
    if post.draft or "facebook" not in post.channels:
        return True
    moved = post.publish_at != row.publish_at
    return moved and post.publish_at > now and not schedule_ahead(post.publish_at, now)
