"""Who may post, and the messages the posting desk sends (Cloud API payloads, in Indonesian).

Staff come from `petugas` in each `profil.md` (content/, not the built site: the list is
never published). A number is staff only on the kelurahan number it is listed for; on any
other kelurahan's number it is a resident like everyone else.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kelurahan.model import City, Kelurahan, Staff
from kelurahan.posting import load_profiles
from kelurahan.problems import Problem

log = logging.getLogger(__name__)

PREFIX = "staf."
PUBLISH, EDIT, CANCEL = f"{PREFIX}terbitkan", f"{PREFIX}ubah", f"{PREFIX}batal"
EDIT_TITLE, EDIT_BODY, EDIT_PHOTO = f"{EDIT}.judul", f"{EDIT}.isi", f"{EDIT}.foto"
NEW_POST, ADD_TO_DRAFT = f"{PREFIX}baru", f"{PREFIX}tambah"  # a caption while a draft is open
WITHDRAW = f"{PREFIX}tarik:"  # + stem: chosen from the list, asks for confirmation
WITHDRAW_YES, WITHDRAW_NO = f"{PREFIX}tarik.ya:", f"{PREFIX}tarik.tidak"  # + stem: confirmed

PII = ("⚠️ Pesan ini memuat 16 digit seperti NIK/KK ({masked}). Demi data pribadi warga "
       "(UU PDP No. 27/2022) pesan ini tidak disimpan. Kirim ulang tanpa nomor itu.")
PUBLISHING = "Draf ini sedang diterbitkan. Tunggu balasan tautannya sebentar."
WITHDRAW_ASK = ("Tarik kegiatan \u201c{title}\u201d ({day}) dari situs? Halamannya tidak akan "
                "tampil lagi dan kartunya tidak dikirim.")
# a post from WhatsApp is due at once (`jadwal` = now before jam_terbit, today at jam_terbit
# after it): its cards go with the next publishing run, at night too
CARDS_NEXT_RUN = ("Kartu media sosial ikut dikirim pada putaran publikasi berikutnya (biasanya "
                  "dalam beberapa menit).")
TITLE_MAX = 90  # characters of a title taken from a caption; the rest goes to the text
# what staff type for a card's buttons
TYPED = {said: action for action, words in (
    (PUBLISH, ("terbitkan", "terbitkan ya", "ya terbitkan", "terbit", "tayangkan")),
    (EDIT, ("ubah", "ubah draf", "edit")),
    (CANCEL, ("batal", "batalkan", "batalkan draf", "batal draf", "hapus draf")),
) for said in words}
# the resident menu, whatever the desk is waiting for (the guide: "Ketik menu kapan saja")
ESCAPES = frozenset({"menu", "0", "kembali", "menu utama", "lihat menu"})
NO_DRAFT = "Tidak ada draf yang terbuka. Kirim foto kegiatan dengan keterangan (baris pertama = judul)."


@dataclass(frozen=True)
class Poster:
    """A staff member writing to their own kelurahan's number."""

    city: City
    kel: Kelurahan
    staff: Staff


class ProfileSource:
    """The profiles, reloaded when any `profil.md` or `kota.yml` changes (checked every `every` s)."""

    def __init__(self, content_dir: Path, *, every: float = 10.0,
                 loader: Callable[[Path], City | None] = load_profiles) -> None:
        self.content_dir, self.every, self._loader = content_dir, every, loader
        self._lock = threading.Lock()
        self._stamp = self._current_stamp()
        self._city = loader(content_dir)
        self._checked = time.monotonic()

    def poster(self, phone_number_id: str, sender: str) -> Poster | None:
        city = self.current()
        if city is None:
            return None
        kel = _kelurahan_for(city, phone_number_id)
        staff = kel.staff_member(sender) if kel else None
        return Poster(city, kel, staff) if kel and staff else None

    def current(self) -> City | None:
        now = time.monotonic()
        with self._lock:
            if now - self._checked >= self.every:
                self._checked = now
                stamp = self._current_stamp()
                if stamp != self._stamp:
                    self._stamp, self._city = stamp, self._loader(self.content_dir)
                    log.info("daftar petugas dimuat ulang")
            return self._city

    def _current_stamp(self) -> tuple[tuple[str, int], ...]:
        paths = [self.content_dir / "kota.yml", *self.content_dir.glob("*/profil.md")]
        stamp = []
        for path in sorted(paths):
            try:
                stamp.append((str(path), path.stat().st_mtime_ns))
            except OSError:
                continue
        return tuple(stamp)


def _kelurahan_for(city: City, phone_number_id: str) -> Kelurahan | None:
    """By `whatsapp_phone_id`; a one-kelurahan city may leave it out."""
    for kel in city.kelurahan:
        if kel.whatsapp_phone_id == phone_number_id:
            return kel
    if len(city.kelurahan) == 1 and city.kelurahan[0].whatsapp_phone_id is None:
        return city.kelurahan[0]
    return None


def text(to: str, body: str) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "text", "text": {"preview_url": False, "body": body}}


def buttons(to: str, body: str, choices: list[tuple[str, str]],
            image_id: str | None = None) -> dict[str, Any]:
    """Reply buttons (at most 3, titles ≤ 20 characters), optionally under an image header."""
    interactive: dict[str, Any] = {
        "type": "button", "body": {"text": body[:1024]},
        "action": {"buttons": [{"type": "reply", "reply": {"id": i, "title": t[:20]}}
                               for i, t in choices[:3]]}}
    if image_id:
        interactive["header"] = {"type": "image", "image": {"id": image_id}}
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "interactive", "interactive": interactive}


def choice_list(to: str, body: str, button: str, rows: list[tuple[str, str, str]]) -> dict[str, Any]:
    """A list message: rows of (id, title ≤ 24, description ≤ 72), at most 10."""
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "interactive", "interactive": {
                "type": "list", "body": {"text": body[:1024]},
                "action": {"button": button[:20], "sections": [{"title": "7 hari terakhir", "rows": [
                    {"id": i, "title": _short(t, 24), "description": _short(d, 72)}
                    for i, t, d in rows[:10]]}]}}}


def for_draft(action: str, draft_id: str) -> str:
    """A button id naming its draft, so a tap on an old card never acts on a newer draft."""
    return f"{action}:{draft_id}"


def draft_card(to: str, title: str, photo_count: int, *, created: bool,
               image_id: str | None, draft_id: str) -> dict[str, Any]:
    """The draft with its Instagram card and the three choices."""
    head = "Draf kegiatan dibuat" if created else "Draf kegiatan diperbarui"
    body = (f"{head}: {title}\n\n{photo_count} foto. Periksa kartunya, lalu pilih *Terbitkan* "
            "untuk menayangkan di situs, *Ubah* untuk mengganti judul, isi atau foto, atau "
            "*Batal*.")
    if image_id is None:
        body += "\n\n(Gambar kartu belum bisa dikirim; kartu tetap dibuat saat terbit.)"
    return buttons(to, body, [(for_draft(PUBLISH, draft_id), "Terbitkan"),
                              (for_draft(EDIT, draft_id), "Ubah"),
                              (for_draft(CANCEL, draft_id), "Batal")], image_id)


# WhatsApp's *bold* and _italic_: a marker after no letter, around text that starts and ends
# with a non-space, followed by no letter (so snake_case and 5*3*2 stay as typed)
_FORMATTED = re.compile(r"(?<![\w*_])([*_])(?=\S)([^\n]*?\S)\1(?![\w*_])")
_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]|"} | {"<": "&lt;", ">": "&gt;"})


def plain(text: str) -> str:
    """What a staff member typed without WhatsApp's formatting marks (for a title)."""
    return _FORMATTED.sub(r"\2", " ".join(text.split()))


def markdown_of(text: str) -> str:
    """A post's text typed on WhatsApp as the Markdown that shows it as WhatsApp did: every
    line break kept, *bold* and _italic_ as such, and nothing read as markup (HTML, links,
    headings, code) that the staff member did not mean."""
    lines = [_markdown_line(line.strip()) for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line:
            out[-1] += "  "  # a line break, not a space
        out.append(line)
    return "\n".join(out)


def _markdown_line(line: str) -> str:
    parts, start = [], 0
    for found in _FORMATTED.finditer(line):
        inner = found.group(2).translate(_SPECIAL)
        parts += [line[start:found.start()].translate(_SPECIAL),
                  f"**{inner}**" if found.group(1) == "*" else f"*{inner}*"]
        start = found.end()
    line = "".join([*parts, line[start:].translate(_SPECIAL)])
    if line.startswith(("#", "-", "+", "=")) and (line.startswith("#") or set(line) <= set("-+= ")):
        line = "&#" + str(ord(line[0])) + ";" + line[1:]  # not a heading or a rule
    return line


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def caption(text: str) -> tuple[str, str]:
    """A caption's title (its first line) and text (the rest). A first line longer than
    `TITLE_MAX` gives its first sentence, if short enough, else its first words and "…"; the
    whole line then opens the text, so nothing typed is lost."""
    first, _, rest = text.strip().partition("\n")
    first, rest = first.strip(), rest.strip()
    if len(first) <= TITLE_MAX:
        return first, rest
    sentence = re.match(rf"(.{{10,{TITLE_MAX}}}?[.!?])\s", first)
    if sentence:
        title = sentence.group(1).rstrip(".")
        return title, "\n".join(p for p in (first[sentence.end():].strip(), rest) if p)
    title = first[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(" ,;:-") + "\u2026"
    return title, "\n".join(p for p in (first, rest) if p)


def refused(problems: tuple[Problem, ...], poster: Poster, stem: str) -> str:
    """Why `check` refused the post: the staff member's own to fix with Ubah, or another file
    of the kelurahan (a service page, the profile) that only its admin can fix."""
    lines = "\n".join(f"\u2022 {_relative(str(p), poster)}" for p in problems[:3])
    own = (f"{poster.kel.folder}/kegiatan/{stem}.", f"{poster.kel.folder}/media/{stem}-",
           f"{poster.kel.slug}/kegiatan")  # the post, its photos, its text (NIK)
    if all(p.path.startswith(own) for p in problems):
        return f"Belum bisa diterbitkan:\n{lines}\n\nPerbaiki lewat *Ubah*, lalu pilih *Terbitkan* lagi."
    return (f"Belum bisa diterbitkan karena berkas lain kelurahan ini bermasalah:\n{lines}\n\n"
            "Berkas itu hanya bisa diperbaiki admin kelurahan atau Diskominfo: kirimkan pesan ini "
            "kepada mereka. Draf Anda tetap tersimpan; pilih *Terbitkan* lagi setelah diperbaiki.")


def _relative(problem: str, poster: Poster) -> str:
    """`kegiatan/2026-…md: judul: …` rather than the server's full path."""
    return problem.replace(f"{poster.kel.folder}/", "").replace(
        f"{poster.city.content_dir}/", "")


def stale_card(open_title: str | None) -> str:
    """A tap on a card of a draft that was published, cancelled or replaced since;
    `open_title`: the title of the draft open now (None: no draft)."""
    head = "Kartu ini sudah tidak berlaku: drafnya sudah diterbitkan, dibatalkan atau diganti."
    if open_title is None:
        return f"{head} {NO_DRAFT}"
    return (f"{head} Draf yang terbuka sekarang: \u201c{open_title or 'tanpa judul'}\u201d; "
            "pakai tombol di kartu terbarunya, atau ketik *terbitkan*, *ubah* atau *batal*.")
