"""`--dry-run`: what would be posted where, with which caption, touching nothing.

Reads the ledger read-only (when it exists) so posts already out are not listed again; never
creates the state folder and never calls a platform.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kelurahan.model import City
from kelurahan.settings import Settings, token_name
from publish.social.card import CardMissing, load_card
from publish.social.ledger import DONE_STATES, decide, read_rows
from publish.social.schedule import Job, plan, schedule_ahead


@dataclass(frozen=True)
class Preview:
    job: Job
    scheduled: bool            # Facebook would hold it until `jadwal`
    target: str
    caption: str
    image: str
    problem: str | None = None


def preview(city: City, site_dir: Path, settings: Settings, now: dt.datetime,
            only: Collection[str] = ()) -> list[Preview]:
    rows = {r.key: r for r in read_rows(settings.state_dir)}
    open_work = {k for k, r in rows.items() if r.state not in (*DONE_STATES, "failed")}
    return [_preview(job, site_dir, settings, now)
            for job in plan(city, now, only, open_work)
            if decide(rows.get(job.key), job.post.publish_at, now, time.time())]


def _preview(job: Job, site_dir: Path, settings: Settings, now: dt.datetime) -> Preview:
    kel, channel = job.kelurahan, job.channel
    target = {"facebook": f"halaman Facebook {kel.social.facebook_page_id or '(belum diisi)'}",
              "instagram": f"Instagram {kel.social.instagram_user_id or '(belum diisi)'}",
              "tiktok": "TikTok (akun pemilik token)"}[channel]
    ahead = channel == "facebook" and schedule_ahead(job.post.publish_at, now)
    problems = [] if settings.token(kel.slug, channel) else [
        f"token belum diatur: {token_name(kel.slug, channel)}"]
    try:
        card = load_card(site_dir, job.post, channel)
    except CardMissing as exc:
        return Preview(job, ahead, target, "", "", problem="; ".join([*problems, str(exc)]))
    image = str(card.image) if channel == "facebook" else card.image_url
    caption = f"{card.title}\n{card.caption}" if card.title else card.caption
    return Preview(job, ahead, target, caption, image, "; ".join(problems) or None)
