"""Indonesian text for the lurah and Diskominfo: run results, dry-run preview, queue status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from kelurahan.dates import local_time, long_date
from kelurahan.model import CHANNELS, City
from kelurahan.settings import token_name
from publish.social.ledger import Key, Row
from publish.social.preview import Preview
from publish.social.runner import Result
from publish.social.schedule import plan, upcoming

STATE_WORDS = {"published": "terbit", "scheduled": "dijadwalkan di Facebook",
               "retry": "menunggu dicoba lagi", "unknown": "belum pasti, akan dicocokkan",
               "failed": "gagal", "cancelled": "dibatalkan", "inflight": "sedang diproses"}


def when(moment: dt.datetime, city: City) -> str:
    """`Senin, 27 Oktober 2025 09.00 WITA` in the city's zone."""
    local = moment.astimezone(city.tz)
    return f"{long_date(local.date())} {local_time(local, city.timezone)}"


def advice(row: Row, city: City) -> str:
    """What to do about a row that is not (yet) out, in plain Indonesian."""
    kind = row.error_kind or ""
    later = when(row.next_attempt_at, city) if row.next_attempt_at else "run berikutnya"
    if kind == "token":
        return (f"Perbarui token {row.channel}, setel {token_name(row.kelurahan, row.channel)} "
                "di lingkungan atau berkas rahasia; dicoba lagi pada run berikutnya.")
    if kind == "rejected":
        return ("Perbaiki kartu atau keterangannya, jalankan 'kelurahan build', lalu ubah "
                "`jadwal` kegiatan agar dicoba lagi.")
    if kind == "unverifiable":
        return (f"Periksa akun {row.channel}: jika posting belum ada, ubah `jadwal` kegiatan "
                "agar dicoba lagi.")
    if kind in ("unknown", "pending") or row.state == "inflight":
        return f"Dicocokkan dengan platform {later} sebelum mencoba lagi; tidak akan dobel."
    if kind == "waiting":
        return f"Perbaiki sesuai pesan di atas; dicoba lagi otomatis {later}."
    return f"Dicoba lagi otomatis {later}."


def result_lines(results: list[Result], city: City) -> list[str]:
    lines = []
    for result in results:
        row = result.row
        head = f"{row.kelurahan}/{row.post} → {row.channel}: {STATE_WORDS.get(row.state, row.state)}"
        if row.state in ("published", "scheduled"):
            lines.append(head + _where(row, city))
        else:
            lines.append(f"{head}: {row.last_error or ''}".rstrip(": "))
            if row.state != "cancelled":
                lines.append(f"    {advice(row, city)}")
    return lines + _summary(results) if results else lines


def _summary(results: list[Result]) -> list[str]:
    """One closing line for cron logs: how many of each."""
    states = [r.row.state for r in results]
    waiting = sum(s in ("retry", "unknown", "inflight") for s in states)
    return [f"Selesai: {states.count('published')} terbit, {states.count('scheduled')} "
            f"dijadwalkan di Facebook, {waiting} menunggu, {states.count('failed')} gagal, "
            f"{states.count('cancelled')} dibatalkan."]


def _where(row: Row, city: City, *, airs: bool = True) -> str:
    parts = [f" (id {row.platform_id})" if row.platform_id else ""]
    if row.url:
        parts.append(f" {row.url}")
    if airs and row.state == "scheduled" and row.published_at:
        parts.append(f", tayang {when(row.published_at, city)}")
    return "".join(parts)


def preview_lines(previews: list[Preview], city: City) -> list[str]:
    lines = []
    for item in previews:
        post = item.job.post
        how = f"dijadwalkan di Facebook untuk {when(post.publish_at, city)}" if item.scheduled \
            else "diposting sekarang"
        lines.append(f"{item.job.kelurahan.slug}/{post.stem} → {item.job.channel} "
                     f"({item.target}): {how}")
        if item.problem:
            lines.append(f"    masalah: {item.problem}")
        if item.image:
            lines.append(f"    gambar: {item.image}")
        lines.extend(f"    | {text}" for text in item.caption.splitlines())
    return lines


def status_lines(city: City, rows: list[Row], now: dt.datetime,
                 only: Collection[str] = ()) -> list[str]:
    """The queue: due, scheduled, published, failed (with what to do), waiting for retry."""
    rows = [r for r in rows if not only or r.kelurahan in only]
    known = {r.key for r in rows}
    lines = [f"Antrean publikasi {city.name} — sekarang {when(now, city)}"]
    lines += _section("Siap diposting pada run berikutnya", [
        f"{when(j.post.publish_at, city)}  {j.kelurahan.slug}/{j.post.stem} → {j.channel}"
        for j in plan(city, now, only) if j.key not in known and j.post.publish_at <= now])
    lines += _section("Terjadwal", _scheduled(city, rows, now, only, known))
    lines += _section("Terbit", [
        f"{r.kelurahan}/{r.post} → {r.channel}{_where(r, city)}, "
        f"{when(r.published_at or r.publish_at, city)}" for r in rows if r.state == "published"])
    lines += _section("Gagal", [
        f"{r.kelurahan}/{r.post} → {r.channel}: {r.last_error}\n    {advice(r, city)}"
        for r in rows if r.state == "failed"])
    lines += _section("Menunggu dicoba lagi", [
        f"{r.kelurahan}/{r.post} → {r.channel} (percobaan ke-{r.attempts}): "
        f"{r.last_error or STATE_WORDS[r.state]}\n    {advice(r, city)}"
        for r in rows if r.state in ("retry", "unknown", "inflight")])
    return lines


def _scheduled(city: City, rows: list[Row], now: dt.datetime, only: Collection[str],
               known: set[Key]) -> list[str]:
    """Future posts, soonest first: those Facebook holds and those still to come."""
    held = [(r.publish_at, r.kelurahan, r.post, CHANNELS.index(r.channel),
             f"{when(r.publish_at, city)}  {r.kelurahan}/{r.post} → {r.channel}: dipegang "
             f"Facebook{_where(r, city, airs=False)}") for r in rows if r.state == "scheduled"]
    coming = [(j.post.publish_at, j.kelurahan.slug, j.post.stem, CHANNELS.index(j.channel),
               f"{when(j.post.publish_at, city)}  {j.kelurahan.slug}/{j.post.stem} → {j.channel}")
              for j in upcoming(city, now, only) if j.key not in known]
    return [item[-1] for item in sorted(held + coming)]


def _section(title: str, items: list[str]) -> list[str]:
    return ["", f"{title} ({len(items)}):", *(f"  {item}" for item in items or ["-"])]
