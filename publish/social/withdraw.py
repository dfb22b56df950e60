"""Posts Facebook holds for later that no longer match what the lurah wants then.

A kegiatan turned into a draft, deleted, taken off Facebook in `terbit`, moved to a new
`jadwal` that cannot be rescheduled right now (too close or more than 30 days ahead), or whose
card text or image was corrected: its scheduled Facebook post must be withdrawn (and, where it
is still wanted, posted anew), or Facebook would publish the old version at the old time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from pathlib import Path

from kelurahan.model import City, Kelurahan, Post
from publish.social.card import card_fingerprint
from publish.social.ledger import Row, State
from publish.social.schedule import schedule_ahead


def unwanted(city: City, rows: list[Row], now: dt.datetime, site_dir: Path,
             only: Collection[str] = ()) -> Iterator[tuple[Row, Kelurahan, str, bool]]:
    """Scheduled Facebook rows still in the future that no longer match: with why, and
    whether the post is still wanted on Facebook (at another time or with another text)."""
    kelurahan = {k.slug: k for k in city.kelurahan}
    for row in rows:
        kel = kelurahan.get(row.kelurahan)
        if (row.state is not State.SCHEDULED or row.channel != "facebook"
                or row.publish_at <= now or kel is None or (only and kel.slug not in only)):
            continue
        post = next((p for p in kel.posts if p.stem == row.post), None)
        why = "kegiatan dihapus" if post is None else _unwanted(post, row, now, site_dir)
        if why:
            wanted = post is not None and not post.draft and "facebook" in post.channels
            yield row, kel, why, wanted


def renamed(city: City, rows: list[Row]) -> dict[tuple[str, str, str, dt.datetime], str]:
    """Rows already out (published or held) whose kegiatan file is gone, by (kelurahan,
    channel, tanggal, jadwal): a new file with that tanggal and jadwal may be the same kegiatan
    renamed, and posting it would post it twice."""
    stems = {k.slug: {p.stem for p in k.posts} for k in city.kelurahan}
    return {(r.kelurahan, r.channel, r.post[:10], r.publish_at): r.post for r in rows
            if r.state in (State.PUBLISHED, State.SCHEDULED) and r.kelurahan in stems
            and r.post not in stems[r.kelurahan]}


def _unwanted(post: Post, row: Row, now: dt.datetime, site_dir: Path) -> str | None:
    if post.draft or "facebook" not in post.channels:
        return "kegiatan diubah (draf, dihapus, atau jadwal dipindah)"
    moved = post.publish_at != row.publish_at
    if moved and post.publish_at > now and not schedule_ahead(post.publish_at, now):
        return "kegiatan diubah (draf, dihapus, atau jadwal dipindah)"
    if not moved and stale_card(row, post, site_dir):
        return "teks atau gambar kartu diubah; diganti dengan versi baru"
    return None


def stale_card(row: Row, post: Post, site_dir: Path) -> bool:
    """Whether the card built now differs from the one Facebook holds."""
    current = card_fingerprint(site_dir, post, "facebook")
    return bool(row.fingerprint and current and current != row.fingerprint)
