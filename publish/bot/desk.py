"""The posting desk: a staff member's photos on WhatsApp become a draft, then a live post.

Photo(s) with a caption → "Draf kegiatan dibuat: <judul>" with the Instagram card and the
buttons Terbitkan / Ubah / Batal. Terbitkan writes the post into content/ (all or nothing,
after `check`), builds only that kelurahan and answers with the live URL. "tarik <judul>"
asks (Ya, tarik / Jangan) before it turns a post of the last 7 days back into a draft; while
a draft awaits a title or text, the next text is that value, whatever it starts with. Anything else a staff member writes goes
to the resident menu. Work runs on one background thread per kelurahan (fetching, drawing
and building take seconds; a slow photo in one kelurahan holds no other), in the order each
message came; the webhook only decides whether a message is the desk's.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kelurahan.posting import (
    Author,
    CardRenderer,
    NewPost,
    SiteBuilder,
    identity_numbers,
    post_stem,
    publish_post,
    recent_posts,
    withdraw_post,
)
from publish.bot import staff as ui
from publish.bot.dispatch import Reply, Turn
from publish.bot.drafts import MAX_PHOTOS, Draft, DraftStore
from publish.bot.events import Incoming, Kind
from publish.bot.media import WRONG_TYPE, MediaClient
from publish.bot.staff import Poster, ProfileSource
from publish.bot.words import normalise

log = logging.getLogger(__name__)

# (phone_number_id, recipient, payload, incoming id): queued in the outbox
Send = Callable[[str, str, dict[str, Any], str], None]
EXPIRE_EVERY = 3600.0
ALBUM_GAP = 1.0  # seconds a photo's card waits for the album's next photo
PHOTO_KINDS = ("image", "document")
NOT_PHOTOS = (Kind.VIDEO, Kind.AUDIO, Kind.STICKER)  # answered: "Berkas ini bukan foto…"


@dataclass(frozen=True)
class DeskTools:
    """What the desk needs from outside `publish`: wired by `kelurahan.cli` (no generator import)."""

    content_dir: Path
    site_dir: Path
    render_card: CardRenderer
    build_site: SiteBuilder


@dataclass(frozen=True)
class _Job:
    incoming: Incoming
    poster: Poster


_STOP = object()


@dataclass
class _Lane:
    """One kelurahan's queue and worker: a slow photo or build there holds no other kelurahan,
    and one sender's messages are still answered in the order they came."""

    jobs: deque[_Job | object] = field(default_factory=deque)
    active: tuple[str, str] | None = None  # (number, sender) of the photo in hand
    thread: threading.Thread | None = None


class Desk:
    """A dispatch handler (before the resident router) whose replies come from its own thread."""

    name = "meja terbit"

    def __init__(self, tools: DeskTools, profiles: ProfileSource, drafts: DraftStore,
                 media: MediaClient, send: Send, clock: Callable[[], float] = time.time) -> None:
        self.tools, self.profiles, self.drafts, self.media = tools, profiles, drafts, media
        self.send, self.clock = send, clock
        self._lanes: dict[str, _Lane] = {}  # by kelurahan slug, started with its first message
        self._ready = threading.Condition()
        self._expired = 0.0

    def handle(self, turn: Turn) -> Reply | None:
        """Takes a listed staff member's desk messages (answered later); None for the rest."""
        if not self.claim(turn.event):
            return None
        return Reply("meja terbit petugas")  # marked read now, answered from the worker

    def claim(self, incoming: Incoming) -> bool:
        """True when the message is the desk's (queued); False: the resident menu answers it."""
        poster = self.profiles.poster(incoming.phone_number_id, incoming.sender)
        if poster is None or not self._is_desk_message(incoming):
            return False
        with self._ready:
            lane = self._lanes.get(poster.kel.slug)
            if lane is None:
                lane = self._lanes[poster.kel.slug] = _Lane()
                lane.thread = threading.Thread(target=self._work, args=(lane,), daemon=True,
                                               name=f"meja-terbit-{poster.kel.slug}")
                lane.thread.start()
            lane.jobs.append(_Job(incoming, poster))
            self._ready.notify_all()
        return True

    def close(self, timeout: float = 30.0) -> None:
        with self._ready:
            lanes = list(self._lanes.values())
            for lane in lanes:
                lane.jobs.append(_STOP)
            self._ready.notify_all()
        until = time.monotonic() + timeout
        for lane in lanes:
            if lane.thread is not None:
                lane.thread.join(max(0.0, until - time.monotonic()))
        self.media.close()
        self.drafts.close()

    def _is_desk_message(self, incoming: Incoming) -> bool:
        if incoming.kind in (*PHOTO_KINDS, *NOT_PHOTOS) or (incoming.reply_id or "").startswith(
                ui.PREFIX):
            return True
        said = normalise(incoming.text or "")
        if said in ui.TYPED:  # answered even without a draft ("Tidak ada draf…")
            return True
        if said in ui.ESCAPES:
            self._stop_waiting(incoming)
            return False
        if self._has_work_for(incoming):  # a title typed right after its photo: in order
            return True
        if said == "tarik" or said.startswith("tarik "):
            return True
        draft = self.drafts.current(incoming.phone_number_id, incoming.sender, self.clock())
        if draft is None:
            return False
        raw = (incoming.text or "").strip().casefold()
        return draft.awaiting is not None or raw.startswith(("judul:", "isi:"))

    def _stop_waiting(self, incoming: Incoming) -> None:
        """`menu` leaves what Ubah or a caption-less photo waits for (the draft stays)."""
        draft = self.drafts.current(incoming.phone_number_id, incoming.sender, self.clock())
        if draft is not None and draft.awaiting is not None:
            self.drafts.save(replace(draft, awaiting=None), self.clock())

    def _has_work_for(self, incoming: Incoming) -> bool:
        """A photo of this sender on this number is queued or being handled."""
        who = (incoming.phone_number_id, incoming.sender)
        with self._ready:
            return any(lane.active == who or any(
                isinstance(j, _Job) and j.incoming.kind in PHOTO_KINDS
                and (j.incoming.phone_number_id, j.incoming.sender) == who for j in lane.jobs)
                for lane in self._lanes.values())

    def _work(self, lane: _Lane) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: bool(lane.jobs), timeout=EXPIRE_EVERY)
                job = lane.jobs.popleft() if lane.jobs else None
                lane.active = (job.incoming.phone_number_id, job.incoming.sender) if (
                    isinstance(job, _Job) and job.incoming.kind in PHOTO_KINDS) else None
                due = self.clock() - self._expired >= EXPIRE_EVERY
                if due:
                    self._expired = self.clock()
            if due:  # drafts untouched for 24 h go (one lane does it for all)
                self.drafts.expire(self.clock())
            if job is _STOP:
                return
            if not isinstance(job, _Job):
                continue
            try:
                self._handle(job)
            except Exception as exc:  # one message must never stop the desk
                log.error("meja terbit: pesan %s gagal: %s", job.incoming.message_id,
                          type(exc).__name__)
                self._say(job, "Maaf, terjadi gangguan. Coba lagi sebentar lagi.")
            finally:
                with self._ready:
                    lane.active = None

    def _handle(self, job: _Job) -> None:
        incoming = job.incoming
        if not self.drafts.first_time(incoming.message_id, self.clock()):
            log.info("pesan %s sudah ditangani replika lain", incoming.message_id)
            return None
        masked = identity_numbers(incoming.text or "")
        if masked:
            log.info("pesan %s ditolak: memuat NIK/KK", incoming.message_id)
            return self._say(job, ui.PII.format(masked=masked[0]))
        if incoming.kind in PHOTO_KINDS:
            return self._photo(job)
        if incoming.kind in NOT_PHOTOS:
            return self._say(job, WRONG_TYPE)
        said = normalise(incoming.text or "")
        draft = self._open(job)
        reply_id = incoming.reply_id or ""
        typed = ui.TYPED.get(said, "") if not reply_id else ""
        if draft is not None and draft.awaiting and typed == ui.CANCEL and draft.title:
            return self._cancel_change(job, draft)
        if draft is not None and draft.awaiting in {"judul", "isi"} and not reply_id and not typed:
            return self._edit_text(job, draft)  # the value asked for, even "Tarik tambang"
        if reply_id.startswith((ui.WITHDRAW_YES, ui.WITHDRAW_NO)):
            return self._withdraw_confirmed(job, reply_id)
        if said == "tarik" or said.startswith("tarik ") or reply_id.startswith(ui.WITHDRAW):
            return self._withdraw(job, said.removeprefix("tarik").strip())
        if reply_id:  # a tap on a card: only its own draft's card counts
            action, _, card = reply_id.partition(":")
            if draft is None or card != draft.id:
                return self._say(job, ui.stale_card(_title_of(draft)))
            return self._act(job, draft, action)
        if draft is None:
            return self._say(job, ui.NO_DRAFT)
        return self._act(job, draft, typed)

    def _act(self, job: _Job, draft: Draft, action: str) -> None:
        """A button of this draft's card, a typed command, or (neither) a typed change."""
        if action != ui.PUBLISH and self._published(job, draft):
            self.drafts.delete(draft)  # its post is out (the answer was cut short): no edits
            return self._say(job, ui.stale_card(None) if job.incoming.reply_id else ui.NO_DRAFT)
        if draft.pending is not None and action not in {ui.NEW_POST, ui.ADD_TO_DRAFT, ui.CANCEL}:
            return self._ask_new(job, draft)  # which post the newer photos belong to, first
        if action == ui.ADD_TO_DRAFT:
            return self._show(job, self.drafts.set_pending(draft, None, None, self.clock()))
        handlers = {ui.PUBLISH: self._publish, ui.CANCEL: self._cancel, ui.EDIT: self._ask_what,
                    ui.NEW_POST: self._split, ui.EDIT_TITLE: self._await,
                    ui.EDIT_BODY: self._await, ui.EDIT_PHOTO: self._await}
        return handlers.get(action, self._edit_text)(job, draft)

    # ---- photos and edits -------------------------------------------------------------

    def _photo(self, job: _Job) -> None:
        incoming = job.incoming
        if incoming.media is None:
            return self._say(job, "Foto tidak terbaca dari WhatsApp. Silakan kirim ulang fotonya.")
        fetched = self.media.fetch(incoming.media.id, document=incoming.kind == Kind.DOCUMENT)
        if fetched.jpeg is None:
            log.info("foto %s ditolak: %s", incoming.message_id, fetched.problem)
            return self._say(job, str(fetched.problem))
        now = self.clock()
        draft = self._open(job)
        if draft is not None and self._published(job, draft):
            self.drafts.delete(draft)  # a Terbitkan cut short before its answer: a new post
            draft = None
        if draft is None:
            draft = self.drafts.create(incoming.phone_number_id, incoming.sender,
                                       job.poster.kel.slug, now)
        caption = (incoming.text or "").strip()
        replacing = draft.awaiting == "foto"
        if replacing:
            draft = replace(self.drafts.clear_photos(draft, now), awaiting=None)
        if not draft.title and caption:
            title, body = ui.caption(caption)
            draft = replace(draft, title=title, body=body)
            caption = ""
        added = self.drafts.add_photo(draft, fetched.jpeg, now)
        if added is not None and caption and not replacing and draft.pending is None:
            # a caption while a titled draft is open: new post or more photos? asked below
            added = self.drafts.set_pending(added, caption, added.photo_count, now)
        if added is None:
            draft = self.drafts.save(draft, now)
            self._say(job, f"Draf sudah berisi {MAX_PHOTOS} foto (batasnya). Foto ini tidak "
                      "ditambahkan.")
        if self._more_photos_coming(job):  # one card, after the album's last photo
            return
        latest = self.drafts.current(incoming.phone_number_id, incoming.sender, self.clock())
        if latest is not None and latest.photo_count > (added or draft).photo_count:
            return  # another replica took a later photo of the album: it shows the card
        self._show(job, latest or added or draft)

    def _ask_new(self, job: _Job, draft: Draft) -> None:
        """A photo came with a caption while this titled draft was open: which post is it?"""
        first = draft.pending_from or draft.photo_count
        new_title, _ = ui.caption(draft.pending or "")
        body = (f"Draf \u201c{draft.title}\u201d ({first - 1} foto) masih terbuka. Foto yang baru "
                f"dikirim ({draft.photo_count - first + 1} foto, \u201c{new_title}\u201d) untuk "
                "kegiatan baru, atau ditambahkan ke draf itu?\n\n*Kegiatan baru*: draf "
                f"\u201c{draft.title}\u201d diganti; foto lamanya dihapus.\n*Tambah ke draf*: foto "
                "baru masuk ke draf itu; keterangannya tidak dipakai.")
        self._reply(job, ui.buttons(job.incoming.sender, body, [
            (ui.for_draft(ui.NEW_POST, draft.id), "Kegiatan baru"),
            (ui.for_draft(ui.ADD_TO_DRAFT, draft.id), "Tambah ke draf")]))

    def _split(self, job: _Job, draft: Draft) -> None:
        title, body = ui.caption(draft.pending or "")
        new = self.drafts.split(draft, title, body, self.clock())
        if new is None:
            return self._say(job, ui.stale_card(_title_of(self._open(job))))
        self._show(job, new)

    def _ask_what(self, job: _Job, draft: Draft) -> None:
        self._reply(job, ui.buttons(job.incoming.sender, "Apa yang ingin diubah?", [
            (ui.for_draft(ui.EDIT_TITLE, draft.id), "Judul"),
            (ui.for_draft(ui.EDIT_BODY, draft.id), "Isi"),
            (ui.for_draft(ui.EDIT_PHOTO, draft.id), "Foto")]))

    def _await(self, job: _Job, draft: Draft) -> None:
        what = (job.incoming.reply_id or "").partition(":")[0].rsplit(".", 1)[-1]
        self.drafts.save(replace(draft, awaiting=what), self.clock())
        self._say(job, {"judul": "Kirim judul baru.",
                        "isi": "Kirim isi (teks kegiatan) yang baru.",
                        "foto": "Kirim foto baru; foto lama di draf akan diganti."}[what])

    def _edit_text(self, job: _Job, draft: Draft) -> None:
        """`judul: …`, `isi: …`, or the value Ubah asked for."""
        raw = (job.incoming.text or "").strip()
        key, _, value = raw.partition(":")
        if key.strip().casefold() in {"judul", "isi"} and value.strip():
            what, value = key.strip().casefold(), value.strip()
        elif draft.awaiting in {"judul", "isi"} and raw:
            what, value = draft.awaiting, raw
        elif draft.awaiting == "foto":
            return self._say(job, "Draf menunggu foto baru. Kirim fotonya, atau ketik *batal*.")
        else:
            return self._say(job, "Tulis *judul: …* atau *isi: …* diikuti teksnya.")
        if what == "judul":  # its first line; the rest is the text (added to any before)
            title, rest = ui.caption(value)
            body = "\n\n".join(part for part in (draft.body, rest) if part)
            draft = replace(draft, title=title, body=body, awaiting=None)
        else:
            draft = replace(draft, body=value, awaiting=None)
        self._show(job, draft)

    def _show(self, job: _Job, draft: Draft) -> None:
        """The card of the draft with the three buttons, or a request for the title."""
        if draft.pending is not None:
            return self._ask_new(job, draft)
        if not draft.title:
            self.drafts.save(replace(draft, awaiting="judul"), self.clock())
            return self._say(job, f"{draft.photo_count} foto diterima. Kirim judul kegiatannya.")
        self.drafts.save(replace(draft, shown=True), self.clock())
        kel, city = job.poster.kel, job.poster.city
        with self.drafts.photo_files(draft, limit=1) as photos:  # the card shows the first
            card = self.tools.render_card(city, kel, _new_post(draft, photos), self._today(job))
        image_id = self.media.upload(job.incoming.phone_number_id, card)
        self._reply(job, ui.draft_card(job.incoming.sender, draft.title, draft.photo_count,
                                       created=not draft.shown, image_id=image_id,
                                       draft_id=draft.id))

    def _cancel_change(self, job: _Job, draft: Draft) -> None:
        """`batal` while Ubah waits for a title, text or photos: only the change is dropped."""
        draft = self.drafts.save(replace(draft, awaiting=None), self.clock())
        self._say(job, f"Perubahan dibatalkan; draf \u201c{draft.title}\u201d tetap seperti "
                  "semula. Pilih *Terbitkan*, *Ubah* atau *Batal* pada kartunya.")

    def _cancel(self, job: _Job, draft: Draft) -> None:
        self.drafts.delete(draft)
        self._say(job, f"Draf \u201c{draft.title or 'tanpa judul'}\u201d dibatalkan; fotonya "
                  "sudah dihapus.")

    # ---- publishing and withdrawing ---------------------------------------------------

    def _publish(self, job: _Job, draft: Draft) -> None:
        if not draft.title:
            return self._say(job, "Draf belum punya judul. Kirim *judul: …* dulu.")
        poster, now = job.poster, self._now(job)
        stem = self.drafts.claim(draft, self.clock(), post_stem(
            self.tools.content_dir, poster.kel.slug, draft.title, now))
        if stem is None:
            return self._say(job, ui.PUBLISHING)
        author = Author(poster.staff.name, poster.staff.whatsapp)
        try:
            with self.drafts.photo_files(draft) as photos:
                written = publish_post(self.tools.content_dir, poster.kel.slug,
                                       _new_post(draft, photos), now=now,
                                       publish_time=poster.city.publish_time, author=author,
                                       stem=stem)
        except BaseException:
            if not (self.tools.content_dir / poster.kel.slug / "kegiatan" / f"{stem}.md").exists():
                self.drafts.release(draft)  # nothing moved in: it may be pressed again
            raise
        if not written.ok:
            self.drafts.release(draft)
            return self._say(job, ui.refused(written.problems, poster, stem))
        log.info("kegiatan %s/%s diterbitkan lewat WhatsApp", poster.kel.slug, written.stem)
        url = poster.city.url(f"{poster.kel.slug}/kegiatan/{written.stem}/")
        if self._built(poster, f"kegiatan/{written.stem}/index.html", present=True):
            self._say(job, f"\u2705 Sudah tayang: {url}\n\n{ui.CARDS_NEXT_RUN}")
        else:
            self._say(job, f"Kegiatan sudah tersimpan, tetapi situs belum berhasil diperbarui. "
                      f"Halamannya akan tampil di {url} setelah pembangunan berikutnya; hubungi "
                      "Diskominfo bila belum tampil dalam satu jam.")
        # only now: killed before the answer, the next Terbitkan finds the post written and
        # answers with its link (the claim kept its name) instead of "no draft"
        self.drafts.delete(draft)

    def _withdraw(self, job: _Job, query: str) -> None:
        """One match (typed or chosen from the list) is asked about first, never withdrawn."""
        posts = recent_posts(self.tools.content_dir, job.poster.kel.slug, self._now(job))
        stem = (job.incoming.reply_id or "").removeprefix(ui.WITHDRAW)
        chosen = [p for p in posts if p.stem == stem] if job.incoming.reply_id else [
            p for p in posts if query and normalise(query) in normalise(p.title)]
        if len(chosen) != 1:
            return self._withdraw_list(job, posts, query)
        post = chosen[0]
        self._reply(job, ui.buttons(job.incoming.sender, ui.WITHDRAW_ASK.format(
            title=post.title, day=post.date.isoformat()),
            [(f"{ui.WITHDRAW_YES}{post.stem}", "Ya, tarik"), (ui.WITHDRAW_NO, "Jangan")]))

    def _withdraw_confirmed(self, job: _Job, reply_id: str) -> None:
        if not reply_id.startswith(ui.WITHDRAW_YES):
            return self._say(job, "Baik, tidak ada kegiatan yang ditarik.")
        poster, stem = job.poster, reply_id.removeprefix(ui.WITHDRAW_YES)
        posts = recent_posts(self.tools.content_dir, poster.kel.slug, self._now(job))
        chosen = [p for p in posts if p.stem == stem]
        if not chosen:
            return self._say(job, "Kegiatan itu sudah tidak tayang (mungkin sudah ditarik) atau "
                             "sudah lebih dari 7 hari. Ketik *tarik* untuk melihat daftarnya.")
        post = chosen[0]
        withdraw_post(self.tools.content_dir, post, Author(poster.staff.name, poster.staff.whatsapp))
        gone = self._built(poster, f"kegiatan/{post.stem}/index.html", present=False)
        site = "halamannya sudah tidak tampil di situs" if gone else \
            "halamannya hilang dari situs setelah pembangunan berikutnya"
        self._say(job, f"Kegiatan \u201c{post.title}\u201d ditarik (jadi draf): {site}. "
                  "Kartunya tidak akan dikirim lagi, dan kiriman Facebook yang masih terjadwal "
                  "dibatalkan otomatis pada putaran publikasi berikutnya.\n\nYang *tidak bisa* "
                  "ditarik otomatis: kiriman yang sudah terbit di Facebook, Instagram atau "
                  "TikTok. Hapus sendiri lewat aplikasi masing-masing bila perlu.")

    def _withdraw_list(self, job: _Job, posts: list, query: str) -> None:
        if not posts:
            return self._say(job, "Tidak ada kegiatan yang terbit dalam 7 hari terakhir.")
        head = f"Tidak ada satu kegiatan yang cocok dengan \u201c{query}\u201d. " if query else ""
        rows = [(f"{ui.WITHDRAW}{p.stem}", p.title, p.date.isoformat()) for p in posts]
        self._reply(job, ui.choice_list(job.incoming.sender, head + "Pilih kegiatan yang ingin "
                                        "ditarik dari situs:", "Pilih kegiatan", rows))

    def _built(self, poster: Poster, page: str, *, present: bool) -> bool:
        built = self.tools.build_site(poster.kel.slug)
        if not built.ok:
            log.warning("build %s setelah pesan petugas gagal: %s", poster.kel.slug, built.reason)
            return False
        return (self.tools.site_dir / poster.kel.slug / page).is_file() == present

    # ---- small helpers ----------------------------------------------------------------

    def _open(self, job: _Job) -> Draft | None:
        return self.drafts.current(job.incoming.phone_number_id, job.incoming.sender,
                                   self.clock())

    def _published(self, job: _Job, draft: Draft) -> bool:
        """A Terbitkan of this draft wrote its post (and was stopped before deleting it)."""
        return bool(draft.target) and (self.tools.content_dir / job.poster.kel.slug / "kegiatan"
                                       / f"{draft.target}.md").is_file()

    def _more_photos_coming(self, job: _Job) -> bool:
        """Another photo of this sender is queued, waited for up to `ALBUM_GAP` while nothing
        else is: WhatsApp delivers an album as one message per photo, in one webhook or in
        several a moment apart, and the card is drawn once, for the whole album."""
        incoming = job.incoming
        with self._ready:
            lane = self._lanes[job.poster.kel.slug]
            self._ready.wait_for(lambda: bool(lane.jobs), timeout=ALBUM_GAP)
            return any(isinstance(j, _Job) and j.incoming.sender == incoming.sender
                       and j.incoming.phone_number_id == incoming.phone_number_id
                       and j.incoming.kind in PHOTO_KINDS for j in lane.jobs)

    def _now(self, job: _Job) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), job.poster.city.tz)

    def _today(self, job: _Job) -> dt.date:
        return self._now(job).date()

    def _say(self, job: _Job, body: str) -> None:
        self._reply(job, ui.text(job.incoming.sender, body))

    def _reply(self, job: _Job, payload: dict[str, Any]) -> None:
        self.send(job.incoming.phone_number_id, job.incoming.sender, payload,
                  job.incoming.message_id)


def _new_post(draft: Draft, photos: tuple[Path, ...]) -> NewPost:
    """The post as written into content/: the text as Markdown that shows what was typed."""
    return NewPost(ui.plain(draft.title), ui.markdown_of(draft.body), photos)


def _title_of(draft: Draft | None) -> str | None:
    return None if draft is None else draft.title
