"""Everything in the content that cannot fit WhatsApp's limits or would confuse the bot.

Duplicate keywords between services are checked in kelurahan/validation.py; these are the
problems only the WhatsApp rendering knows about. Run by `kelurahan check` and the build.
"""

from __future__ import annotations

import generator.whatsapp.limits as limits
import generator.whatsapp.messages as messages
from generator.whatsapp.list_message import fit_row_title, page_body, row_title
from generator.whatsapp.other_offices import other_office_problems
from generator.whatsapp.text import shorten
from kelurahan.model import City, Kelurahan, Service
from kelurahan.outputs import OFFICE_WORDS
from kelurahan.problems import Level, Problem

# Words the bot already understands; a keyword equal to one would never reach its service.
RESERVED_WORDS = {*messages.BACK_WORDS, *messages.HANDOFF_WORDS, "lainnya"}


def limit_problems(city: City) -> list[Problem]:
    """Every WhatsApp problem of every kelurahan, pinned to the file and key to change."""
    problems: list[Problem] = []
    for kel in city.kelurahan:
        problems += _profile_problems(kel)
        for service in kel.services:
            problems += _service_problems(city, kel, service)
        problems += _same_row_titles(kel)
    return problems + other_office_problems(city.content_dir)


def _same_row_titles(kel: Kelurahan) -> list[Problem]:
    """Two rows reading the same in the WhatsApp list leave the resident guessing."""
    first: dict[str, Service] = {}
    problems = []
    for service in kel.services:
        title = row_title(service.title)
        if title in first:
            problems.append(Problem(
                str(service.source), "judul",
                f"di daftar WhatsApp judul ini dipersingkat menjadi '{title}', sama dengan "
                f"layanan {first[title].slug}; persingkat judul", level=Level.WARNING))
        first.setdefault(title, service)
    return problems


def _profile_problems(kel: Kelurahan) -> list[Problem]:
    profile = str(kel.folder / "profil.md")
    problems = []
    if shorten(kel.display_name, limits.HEADER_MAX) is None:
        problems.append(Problem(profile, "nama", f"nama terlalu panjang untuk judul menu WhatsApp "
                                                 f"(maks. {limits.HEADER_MAX} karakter)"))
    body = len(page_body(kel, 1, 1))
    if body > limits.BODY_MAX:
        problems.append(Problem(profile, "jam_layanan", f"salam menu WhatsApp {body} karakter, "
                                f"melebihi batas {limits.BODY_MAX}; persingkat jam_layanan"))
    menu = len(messages.menu_text(kel))
    if menu > limits.TEXT_MAX:
        problems.append(Problem(profile, "layanan", f"menu WhatsApp {menu} karakter, melebihi "
                                f"batas {limits.TEXT_MAX}; persingkat judul layanan"))
    handoff = len(messages.handoff_answer(kel))
    if handoff > limits.TEXT_MAX:
        problems.append(Problem(profile, "alamat", f"pesan petugas {handoff} karakter, melebihi "
                                f"batas {limits.TEXT_MAX}; persingkat alamat atau jam_layanan"))
    return problems


def _service_problems(city: City, kel: Kelurahan, service: Service) -> list[Problem]:
    source = str(service.source)
    problems = []
    if fit_row_title(service.title) is None:
        problems.append(Problem(source, "judul", "kata pertama judul terlalu panjang untuk daftar "
                                f"WhatsApp (maks. {limits.ROW_TITLE_MAX} karakter); pakai "
                                "judul yang lebih pendek"))
    answer = len(messages.service_answer(city, kel, service))
    if answer > limits.TEXT_MAX:
        problems.append(Problem(source, "syarat", f"jawaban WhatsApp {answer} karakter, melebihi "
                                f"batas {limits.TEXT_MAX}; persingkat syarat atau ringkasan"))
    problems += _ambiguous_keywords(kel, service)
    return problems


def _ambiguous_keywords(kel: Kelurahan, service: Service) -> list[Problem]:
    """Keywords the bot would read as a number, a command, or another service's title."""
    others = {s.title.casefold(): s.slug for s in kel.services if s.slug != service.slug}
    problems = []
    for word in dict.fromkeys(w.casefold().strip() for w in service.keywords):
        reason = None
        if word.lstrip("#").rstrip(".").isdigit():
            reason = "dibaca bot sebagai nomor layanan"
        elif word in RESERVED_WORDS:
            reason = "sudah dipakai bot sebagai perintah"
        elif word in others:
            reason = f"sama dengan judul layanan {others[word]}"
        elif word.split() and set(word.split()) <= OFFICE_WORDS:
            problems.append(Problem(
                str(service.source), "kata_kunci",
                f"kata kunci '{word}' juga dipakai warga untuk menanyakan kantor kelurahan "
                f"(alamat, telepon, jam buka), dan bot menjawabnya dengan alamat kantor; tulis "
                f"frasa yang lebih lengkap untuk layanan ini, misalnya 'keterangan {word}'", level=Level.WARNING))
        if reason:
            problems.append(Problem(str(service.source), "kata_kunci",
                                    f"kata kunci '{word}' {reason}; pilih kata lain"))
    return problems
