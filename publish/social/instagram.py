"""An Instagram professional account: container, wait until FINISHED, publish.

The card is fetched by Instagram from its public URL on the kelurahan website. The container id
is written to the ledger as soon as it exists, so a crash is reconciled from the container's
status (`PUBLISHED`, `FINISHED`, `ERROR`…) or, failing that, from the account's recent media
(matched on the post's canonical URL in the caption). A card Instagram could not fetch
(2207052, 9004: the site is not deployed yet) waits for the next run instead of failing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace

from publish.social.card import Card
from publish.social.graph import Graph
from publish.social.outcome import Kind, Outcome, no_id

log = logging.getLogger(__name__)

_MEDIA_FIELDS = "id,caption,permalink,timestamp"
_NOT_FETCHED = {"9004", "2207052"}
_PAGES = 6          # pages of 50 media read when reconciling (Instagram allows 100 posts a day)
# Documented refusals of the card itself (size, format, aspect ratio, caption, media type):
# https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes
_CARD_REFUSED = {"2207004", "2207005", "2207009", "2207010", "2207023", "2207026", "2207028",
                 "2207035"}


class InstagramAccount:
    def __init__(self, graph: Graph, user_id: str, *, poll_seconds: float = 3.0,
                 polls: int = 10) -> None:
        self.graph = graph
        self.user_id = user_id
        self.poll_seconds = poll_seconds
        self.polls = polls

    def post(self, card: Card, publish_at: dt.datetime, clock: Callable[[], dt.datetime],
             note_ref: Callable[[str], None]) -> Outcome:
        """Quota check, new container, then publish it; `note_ref(id)` records the container."""
        full = self._quota_exhausted()
        if full is not None:
            return full
        result = self.graph.post(f"{self.user_id}/media",
                                 {"image_url": card.image_url, "caption": card.caption})
        if isinstance(result, Outcome):
            if result.code in _NOT_FETCHED:
                return _not_fetched(card.image_url, None)
            # A lost container is harmless: it is never published and expires in 24 hours.
            return replace(result, kind=Kind.TRANSIENT) if result.kind is Kind.UNKNOWN else result
        if not result.get("id"):   # no container to publish: nothing can go live from it
            return Outcome(Kind.TRANSIENT, "Instagram menjawab tanpa id wadah; dicoba lagi")
        container = str(result["id"])
        note_ref(container)
        return self._publish_container(container)

    def reconcile(self, card: Card, remote_ref: str | None, sent_at: dt.datetime | None,
                  now: dt.datetime) -> Outcome | None:
        """Finish what a previous run started; None when nothing of ours is on Instagram."""
        if remote_ref:
            status = self._status(remote_ref)
            if isinstance(status, Outcome):
                return status
            code, detail = status
            if code == "PUBLISHED":
                return self._find(card) or Outcome(Kind.PUBLISHED, remote_ref=remote_ref)
            if code == "FINISHED":
                return self._find(card) or self._publish_container(remote_ref)
            if code == "IN_PROGRESS":
                return Outcome(Kind.PENDING, "Instagram masih memproses gambar",
                               remote_ref=remote_ref)
            if code in ("ERROR", "EXPIRED"):
                failed = _container_error(code, detail, remote_ref)
                # Never published: look for the post once more, then a new container is safe.
                return self._find(card) if failed.kind is Kind.TRANSIENT else failed
        return self._find(card)

    def cancel(self, platform_id: str) -> Outcome | None:
        """Only Facebook holds posts for later; nothing here is ever scheduled."""
        return Outcome(Kind.REJECTED, "platform ini tidak punya posting terjadwal")

    def _publish_container(self, container: str) -> Outcome:
        waited = self._wait_finished(container)
        if waited is not None:
            return waited
        result = self.graph.post(f"{self.user_id}/media_publish", {"creation_id": container})
        if isinstance(result, Outcome):
            return replace(result, remote_ref=container)
        if not result.get("id"):
            return replace(no_id("Instagram", "id media"), remote_ref=container)
        media_id = str(result["id"])
        link = self.graph.get(media_id, fields="permalink")
        url = None if isinstance(link, Outcome) else link.get("permalink")
        return Outcome(Kind.PUBLISHED, platform_id=media_id, url=url, remote_ref=container)

    def _wait_finished(self, container: str) -> Outcome | None:
        """None once the container is FINISHED; otherwise why we cannot publish it now."""
        for poll in range(self.polls):
            status = self._status(container)
            if isinstance(status, Outcome):
                return replace(status, remote_ref=container)
            code, detail = status
            if code == "FINISHED":
                return None
            if code in ("ERROR", "EXPIRED"):
                return _container_error(code, detail, container)
            if poll + 1 < self.polls:
                time.sleep(self.poll_seconds)
        return Outcome(Kind.PENDING, "Instagram masih memproses gambar; dicek lagi nanti",
                       remote_ref=container)

    def _status(self, container: str) -> tuple[str, str] | Outcome:
        result = self.graph.get(container, fields="status_code,status")
        if isinstance(result, Outcome):
            return result
        return str(result.get("status_code", "")), str(result.get("status", ""))

    def _find(self, card: Card) -> Outcome | None:
        items = self.graph.listing(f"{self.user_id}/media", _PAGES, fields=_MEDIA_FIELDS,
                                   limit="50")
        if isinstance(items, Outcome):
            return items
        for item in items:
            if card.mentions_post(item.get("caption")):
                return Outcome(Kind.PUBLISHED, platform_id=str(item["id"]),
                               url=item.get("permalink"))
        return None

    def _quota_exhausted(self) -> Outcome | None:
        result = self.graph.get(f"{self.user_id}/content_publishing_limit",
                                fields="quota_usage,config")
        if isinstance(result, Outcome):
            return result
        usage = (result.get("data") or [{}])[0]
        used = int(usage.get("quota_usage", 0))
        total = int((usage.get("config") or {}).get("quota_total", 0) or 0)
        if total and used >= total:
            return Outcome(Kind.RATE_LIMITED, f"kuota publikasi Instagram habis ({used} dari "
                           f"{total} dalam 24 jam); dicoba lagi nanti")
        return None


def _container_error(status: str, detail: str, container: str) -> Outcome:
    """A container Instagram gave up on (ERROR) or let lapse (EXPIRED, after 24 hours). It was
    never published, so only a documented refusal of the card fails; anything else (Meta's
    "try again" codes, no code, expiry) is retried with a new container within the budget."""
    if any(code in detail for code in _NOT_FETCHED):
        return _not_fetched(None, container)
    codes = re.findall(r"\d{4,}", detail)
    shown = f"kode {', '.join(codes)}" if codes else "tanpa kode"
    if status == "ERROR" and any(code in _CARD_REFUSED for code in codes):
        return Outcome(Kind.REJECTED, f"Instagram menolak gambar kartu (status ERROR, "
                       f"{shown}); periksa ukuran kartu dan alamat gambar di alamat_situs",
                       remote_ref=container)
    if status == "EXPIRED":
        why = "wadah Instagram kedaluwarsa sebelum diterbitkan (status EXPIRED)"
    else:
        why = f"Instagram gagal memproses gambar kartu (status ERROR, {shown})"
    return Outcome(Kind.TRANSIENT, f"{why}; dicoba lagi dengan wadah baru", remote_ref="")


def _not_fetched(url: str | None, container: str | None) -> Outcome:
    """Instagram could not download the card: wait for the site to be online, no new post."""
    return Outcome(Kind.NOT_ONLINE, f"Instagram tidak bisa mengambil gambar kartu"
                   f"{' ' + url if url else ''}; pastikan situs sudah diunggah (deploy)",
                   remote_ref="" if container else None)
