"""Indonesian text for the lurah and Diskominfo: run results, dry-run preview, queue status.

Posts are named by kelurahan, title and date, and published ones by their platform link
(Facebook/Instagram permalink, TikTok share URL), never by internal ids. A row is only said to
be "dicoba lagi otomatis" when the runner really will, and never at a time already past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from kelurahan.dates import local_time, long_date
from kelurahan.model import CHANNELS, City, Post
from kelurahan.settings import token_name
from publish.social.accounts import PERMISSIONS
from publish.social.ledger import Key, Row, State
from publish.social.outcome import Kind
from publish.social.preview import Preview
from publish.social.runner import Result
from publish.social.schedule import plan, upcoming
from publish.social.withdraw import stale_card

STATE_WORDS = {State.PUBLISHED: "terbit", State.SCHEDULED: "dijadwalkan di Facebook",
               State.RETRY: "menunggu dicoba lagi", State.UNKNOWN: "belum pasti, akan dicocokkan",
               State.FAILED: "gagal", State.MANUAL: "periksa manual",
               State.CANCELLED: "dibatalkan", State.INFLIGHT: "sedang diproses"}
WAITING_STATES = (State.RETRY, State.UNKNOWN, State.INFLIGHT)
PLATFORM = {"facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok"}


def when(moment: dt.datetime, city: City) -> str:
    """`Senin, 27 Oktober 2025 09.00 WITA` in the city's zone."""
    local = moment.astimezone(city.tz)
    return f"{long_date(local.date())} {local_time(local, city.timezone)}"


def label(city: City, slug: str, stem: str, channel: str) -> str:
    """`sukamaju: "Kerja Bakti" (Senin, 16 November 2026) → facebook`."""
    post = _post(city, slug, stem)
    if post is None:
        return f"{slug}/{stem} → {channel}"
    day = long_date(post.publish_at.astimezone(city.tz).date())
    return f'{slug}: "{post.title}" ({day}) → {channel}'


def _post(city: City, slug: str, stem: str) -> Post | None:
    kel = next((k for k in city.kelurahan if k.slug == slug), None)
    return next((p for p in kel.posts if p.stem == stem), None) if kel else None


def advice(row: Row, city: City, now: dt.datetime) -> str:
    """What to do about a row that is not (yet) out, in plain Indonesian."""
    kind = row.error_kind or ""
    due = row.next_attempt_at is not None and row.next_attempt_at > now
    later = (when(row.next_attempt_at, city) if due and row.next_attempt_at
             else "pada run berikutnya")
    env = token_name(row.kelurahan, row.channel)
    if row.state is State.MANUAL:
        return _manual_advice(row, city)
    if row.state is State.FAILED:
        return ("Perbaiki kartu atau keterangannya, jalankan 'kelurahan build', lalu ubah "
                "`jadwal` kegiatan agar dicoba lagi.")
    post = _post(city, row.kelurahan, row.post)
    if post is None or post.draft or row.channel not in post.channels:
        return ("Tidak dicoba lagi: kegiatan sudah dihapus, dijadikan draf, atau kanal ini tidak "
                "lagi ada di `terbit`.")
    fixed = {
        "token": f"Buat token baru dengan izin {PERMISSIONS[row.channel]}, setel {env} di "
                 "lingkungan atau berkas rahasia; dicoba lagi pada run berikutnya.",
        "permission": f"Token {env} perlu izin {PERMISSIONS[row.channel]}; buat token baru "
                      f"dengan izin itu dan setel {env}; dicoba lagi pada run berikutnya.",
        "blocked": f"Buka Meta Business Suite → Kualitas Akun untuk akun ini; dicoba lagi "
                   f"otomatis {later}.",
        "offline": f"Unggah (deploy) situs dulu; dicoba lagi otomatis {later}.",
        "invalid": f"Perbaiki judul atau ringkasan kegiatan, jalankan 'kelurahan build'; dicek "
                   f"lagi otomatis {later}.",
        "deferred": f"Diposting otomatis {later}.",
        "waiting": f"Perbaiki sesuai pesan di atas; dicoba lagi otomatis {later}.",
        "config": f"Perbaiki pengaturan sesuai pesan di atas; dicoba lagi otomatis {later}.",
    }
    if kind in fixed:
        return fixed[kind]
    if kind in ("unknown", "pending") or row.state in (State.INFLIGHT, State.UNKNOWN):
        return f"Dicocokkan dengan platform {later} sebelum mencoba lagi; tidak akan dobel."
    return f"Dicoba lagi otomatis {later}."


def _manual_advice(row: Row, city: City) -> str:
    post = _post(city, row.kelurahan, row.post)
    title = f'"{post.title}"' if post else row.post
    first, last = row.first_attempt_at, row.last_attempt_at
    sent = "" if last is None else f" yang dikirim {when(last, city)}" if first in (None, last) \
        else f" yang dikirim antara {when(first, city)} dan {when(last, city)}"
    return (f"Buka akun {PLATFORM[row.channel]} kelurahan {row.kelurahan} dan cari posting "
            f"{title}{sent}. Jika sudah ada: kelurahan publish --sudah-terbit {row.key}. "
            f"Jika tidak ada: kelurahan publish --kirim-ulang {row.key}.")


def link(row: Row, city: City, *, airs: bool = True) -> str:
    """Where to see it: the platform link, and for a held post when it goes out."""
    parts = []
    if row.url:
        parts.append(f" {row.url}")
    elif row.state is State.PUBLISHED and row.channel == "tiktok":
        parts.append(" (posting privat, tanpa tautan publik)")
    if airs and row.state is State.SCHEDULED and row.published_at:
        parts.append(f", tayang {when(row.published_at, city)}")
    return "".join(parts)


def result_lines(results: list[Result], city: City, now: dt.datetime) -> list[str]:
    lines = []
    for result in results:
        row = result.row
        head = f"{label(city, row.kelurahan, row.post, row.channel)}: {STATE_WORDS[row.state]}"
        if row.state in (State.PUBLISHED, State.SCHEDULED):
            lines.append(head + link(row, city))
        else:
            lines.append(f"{head}: {row.last_error or ''}".rstrip(": "))
            if row.state is not State.CANCELLED:
                lines.append(f"    {advice(row, city, now)}")
        if result.warning:
            lines.append(f"    PERINGATAN: {result.warning}")
    if _unreachable(results):
        lines.append("Tidak ada platform yang bisa dihubungi atau menjawab dengan benar pada "
                     "run ini; periksa sambungan internet server.")
    return lines + _summary(results) if results else lines


def run_failed(results: list[Result]) -> bool:
    """Exit 1: a post failed, a person must act (manual check, token, permission, a setting,
    a held post that could not follow an edit), or no platform could be reached at all."""
    return _unreachable(results) or any(
        r.row.state in (State.FAILED, State.MANUAL) or r.warning
        or r.row.error_kind in ("token", "permission", "config") for r in results)


def _unreachable(results: list[Result]) -> bool:
    """Every attempt of this run met a network failure or a platform hiccup."""
    return bool(results) and all(r.kind in (Kind.TRANSIENT, Kind.UNKNOWN) for r in results)


def _summary(results: list[Result]) -> list[str]:
    """One closing line for cron logs: how many of each."""
    states = [r.row.state for r in results]
    waiting = sum(s in WAITING_STATES for s in states)
    return [f"Selesai: {states.count(State.PUBLISHED)} terbit, {states.count(State.SCHEDULED)} "
            f"dijadwalkan di Facebook, {waiting} menunggu, {states.count(State.FAILED)} gagal, "
            f"{states.count(State.MANUAL)} periksa manual, {states.count(State.CANCELLED)} "
            "dibatalkan."]


def preview_lines(previews: list[Preview], city: City) -> list[str]:
    lines = []
    for item in previews:
        post = item.job.post
        how = f"dijadwalkan di Facebook untuk {when(post.publish_at, city)}" if item.scheduled \
            else "diposting sekarang"
        name = label(city, item.job.kelurahan.slug, post.stem, item.job.channel)
        lines.append(f"{name} ({item.target}): {how}")
        lines.extend(f"    masalah: {problem}" for problem in item.problems)
        if item.image:
            lines.append(f"    gambar: {item.image}")
        lines.extend(f"    | {text}" for text in item.caption.splitlines())
    failing = sum(bool(item.problems) for item in previews)
    if failing:
        lines.append(f"{failing} kartu akan gagal diposting; perbaiki masalah di atas dulu.")
    return lines


def status_lines(city: City, rows: list[Row], now: dt.datetime, site_dir: Path,
                 only: Collection[str] = ()) -> list[str]:
    """The queue: due, scheduled, published, failed, manual checks, waiting for retry."""
    rows = [r for r in rows if not only or r.kelurahan in only]
    known = {r.key for r in rows}
    lines = [f"Antrean publikasi {city.name} — sekarang {when(now, city)}"]
    lines += _section("Siap diposting pada run berikutnya", [
        f"{when(j.post.publish_at, city)}  {label(city, j.kelurahan.slug, j.post.stem, j.channel)}"
        for j in plan(city, now, only) if j.key not in known and j.post.publish_at <= now])
    lines += _section("Terjadwal", _scheduled(city, rows, now, site_dir, only, known))
    lines += _section("Terbit", [
        f"{label(city, r.kelurahan, r.post, r.channel)}{link(_aired(r), city)}, "
        f"{when(r.published_at or r.publish_at, city)}" for r in rows
        if r.state is State.PUBLISHED or _held(r, now) is False])
    for title, state in (("Gagal", State.FAILED), ("Periksa manual", State.MANUAL)):
        lines += _section(title, [
            f"{label(city, r.kelurahan, r.post, r.channel)}: {r.last_error}\n    "
            f"{advice(r, city, now)}" for r in rows if r.state is state])
    lines += _section("Menunggu dicoba lagi", [
        f"{label(city, r.kelurahan, r.post, r.channel)} (percobaan ke-{r.attempts}): "
        f"{r.last_error or STATE_WORDS[r.state]}\n    {advice(r, city, now)}"
        for r in rows if r.state in WAITING_STATES])
    return lines


def _scheduled(city: City, rows: list[Row], now: dt.datetime, site_dir: Path,
               only: Collection[str], known: set[Key]) -> list[str]:
    """Future posts, soonest first: those Facebook holds and those still to come."""
    held = [(r.publish_at, r.kelurahan, r.post, CHANNELS.index(r.channel),
             f"{when(r.publish_at, city)}  {label(city, r.kelurahan, r.post, r.channel)}: "
             f"dipegang Facebook{link(r, city, airs=False)}{_stale(city, r, site_dir)}")
            for r in rows if _held(r, now)]
    coming = [(j.post.publish_at, j.kelurahan.slug, j.post.stem, CHANNELS.index(j.channel),
               f"{when(j.post.publish_at, city)}  "
               f"{label(city, j.kelurahan.slug, j.post.stem, j.channel)}")
              for j in upcoming(city, now, only) if j.key not in known]
    return [item[-1] for item in sorted(held + coming)]


def _held(row: Row, now: dt.datetime) -> bool | None:
    """A row Facebook holds: True until its time, False once Facebook has published it at
    that time (we are not told, and it needs no run of ours); None for any other row."""
    if row.state is not State.SCHEDULED:
        return None
    return row.publish_at > now


def _aired(row: Row) -> Row:
    """A held post Facebook has published, shown like a published row with its link."""
    url = row.url or (f"https://www.facebook.com/{row.platform_id}" if row.platform_id else None)
    return replace(row, state=State.PUBLISHED, url=url)


def _stale(city: City, row: Row, site_dir: Path) -> str:
    post = _post(city, row.kelurahan, row.post)
    if post is None or not stale_card(row, post, site_dir):
        return ""
    return ("\n    PERINGATAN: kartu sudah diubah, tetapi Facebook masih memegang versi lama; "
            "jalankan 'kelurahan publish' agar diganti sebelum tayang.")


def _section(title: str, items: list[str]) -> list[str]:
    return ["", f"{title} ({len(items)}):", *(f"  {item}" for item in items or ["-"])]
