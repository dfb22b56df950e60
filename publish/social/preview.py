"""`--dry-run`: what would be posted where, with which caption, and everything that would fail.

Reads the ledger read-only (when it exists) so posts already out are not listed again; never
creates the state folder and never calls a platform. It does open the card URLs on our own
site, as Instagram and TikTok would, to say whether they are online.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kelurahan.model import City
from kelurahan.settings import Settings, token_name
from publish.social.accounts import Options
from publish.social.card import (
    CardMissing,
    CardNotDrawn,
    limit_problems,
    load_card,
    offline_problem,
)
from publish.social.ledger import SETTLED_STATES, decide, read_rows
from publish.social.schedule import Job, plan, schedule_ahead


@dataclass(frozen=True)
class Preview:
    job: Job
    scheduled: bool            # Facebook would hold it until `jadwal`
    target: str
    caption: str
    image: str
    problems: tuple[str, ...] = ()


def preview(city: City, site_dir: Path, settings: Settings, now: dt.datetime,
            only: Collection[str] = ()) -> list[Preview]:
    rows = {r.key: r for r in read_rows(settings.state_dir, settings.get("KELURAHAN_DATABASE_URL"))}
    open_work = {k for k, r in rows.items() if r.state not in SETTLED_STATES}
    timeout = Options.from_settings(settings).timeout
    return [_preview(job, site_dir, settings, now, timeout)
            for job in plan(city, now, only, open_work)
            if decide(rows.get(job.key), job.post.publish_at, now, time.time())]


def _preview(job: Job, site_dir: Path, settings: Settings, now: dt.datetime,
             timeout: float) -> Preview:
    kel, channel = job.kelurahan, job.channel
    account = {"facebook": kel.social.facebook_page_id,
               "instagram": kel.social.instagram_user_id}.get(channel, "")
    target = {"facebook": f"halaman Facebook {account or '(belum diisi)'}",
              "instagram": f"Instagram {account or '(belum diisi)'}",
              "tiktok": "TikTok (akun pemilik token)"}[channel]
    ahead = channel == "facebook" and schedule_ahead(job.post.publish_at, now)
    problems = [] if settings.token(kel.slug, channel) else [
        f"token belum diatur: {token_name(kel.slug, channel)}"]
    if account is None:
        key = "facebook_page_id" if channel == "facebook" else "instagram_user_id"
        problems.append(f"{kel.folder / 'profil.md'}: sosial.{key} belum diisi")
    try:
        card = load_card(site_dir, job.post, channel)
    except CardNotDrawn:  # an old post's card: the real run draws it before posting
        return Preview(job, ahead, target, "", "(kartu digambar saat diposting)",
                       tuple(problems))
    except CardMissing as exc:
        return Preview(job, ahead, target, "", "", (*problems, str(exc)))
    problems += limit_problems(card)
    if channel != "facebook":
        problems += _online_problems(card.image_url, timeout, settings.local_site)
    image = str(card.image) if channel == "facebook" else card.image_url
    caption = f"{card.title}\n{card.caption}" if card.title else card.caption
    return Preview(job, ahead, target, caption, image, tuple(problems))


def _online_problems(url: str, timeout: float, local_site: bool) -> list[str]:
    """Instagram and TikTok fetch the card themselves: public https, answering now."""
    problems = []
    if not url.startswith("https://") and not local_site:
        problems.append(f"alamat gambar {url} bukan https:// (atur alamat_situs di kota.yml)")
    offline = offline_problem(url, timeout)
    if offline:
        problems.append(f"kartu belum online: {offline}")
    return problems
