"""The words the menu speaks: greeting, numbered menu, each service's answer, help and hand-off.

All in Indonesian with WhatsApp markup (`*tebal*`, `_miring_`); the bot sends them as written.
"""

from __future__ import annotations

from kelurahan.model import City, Kelurahan, Service

BACK_WORDS = ("0", "menu", "kembali")
HANDOFF_WORDS = ("petugas",)
INSTRUCTION = "Ketik angka atau kata kunci, 0 untuk kembali."
HANDOFF_HINT = "Ketik *petugas* untuk bicara dengan petugas."
PII_WARNING = (
    "⚠️ Demi keamanan data pribadi Anda, *jangan kirim NIK, nomor KK, atau foto KTP/KK* "
    "lewat WhatsApp ini. Pesan itu tidak kami proses. Bawa dokumen asli saat datang ke kantor "
    "kelurahan.\n\nKetik 0 untuk kembali ke menu."
)


def greeting(kel: Kelurahan) -> str:
    lines = [f"Selamat datang di layanan informasi *{kel.display_name}*, "
             f"Kecamatan {kel.district}."]
    if kel.office_hours:
        lines.append(f"Jam layanan: {kel.office_hours}")
    return "\n".join(lines)


def service_lines(kel: Kelurahan) -> list[str]:
    return [f"{s.number}. {s.title}" for s in kel.services]


def menu_text(kel: Kelurahan) -> str:
    """The numbered plain-text menu: works in every client, and as the Business app greeting."""
    parts = [greeting(kel)]
    if kel.services:
        parts.append("*Layanan:*\n" + "\n".join(service_lines(kel)))
    parts.append(f"{INSTRUCTION}\n{HANDOFF_HINT}")
    return "\n\n".join(parts)


def service_answer(city: City, kel: Kelurahan, service: Service) -> str:
    """What a resident gets for one service: requirements numbered, cost, time, link."""
    parts = [f"*{service.number}. {service.title}*"]
    if service.summary:
        parts.append(f"_{service.summary}_")
    syarat = "\n".join(f"{n}. {item}" for n, item in enumerate(service.requirements, start=1))
    parts.append(f"*Syarat:*\n{syarat}")
    facts = [f"*Biaya:* {service.cost}"]
    if service.duration:
        facts.append(f"*Waktu:* {service.duration}")
    if kel.office_hours:
        facts.append(f"*Jam layanan:* {kel.office_hours}")
    parts.append("\n".join(facts))
    parts.append(f"Selengkapnya: {city.url(service.url_path)}")
    parts.append(f"Ketik 0 untuk kembali ke menu. {HANDOFF_HINT}")
    return "\n\n".join(parts)


def office_lines(kel: Kelurahan) -> list[str]:
    lines = []
    if kel.office_hours:
        lines.append(f"*Jam layanan:* {kel.office_hours}")
    if kel.phone:
        lines.append(f"*Telepon:* {kel.phone}")
    if kel.address:
        lines.append(f"*Alamat:* {kel.address}")
    return lines


def handoff_answer(kel: Kelurahan) -> str:
    """The hand-off: who answers and when; the bot then stays quiet for this resident."""
    parts = [f"Baik, pesan Anda berikutnya akan dibaca dan dibalas oleh petugas "
             f"{kel.display_name} pada jam layanan."]
    office = office_lines(kel)
    if office:
        parts.append("\n".join(office))
    parts.append("Menu otomatis berhenti sementara agar petugas dapat membalas. "
                 "Ketik *menu* kapan saja untuk kembali ke menu otomatis.")
    return "\n\n".join(parts)


def help_text(kel: Kelurahan) -> str:
    """Unknown text, a photo, a sticker: what to type instead (never repeating what was sent)."""
    example = ""
    if kel.services:
        first = kel.services[0]
        word = first.keywords[0] if first.keywords else first.slug
        example = f" (misalnya {first.number} atau {word})"
    return (f"Maaf, pesan Anda belum bisa kami jawab otomatis. Ketik angka atau kata kunci "
            f"layanan{example}, atau *petugas* untuk bicara dengan petugas.")


def map_link(coordinates: tuple[float, float] | None) -> str | None:
    """OpenStreetMap at the office (opens in any browser or map app, no account needed)."""
    if coordinates is None:
        return None
    lat, lon = coordinates
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


def office_answer(city: City, kel: Kelurahan) -> str:
    """Where and when: address with a map link, phone, hours; no hand-off."""
    parts = [f"*Kantor {kel.display_name}*"]
    lines = []
    if kel.address:
        lines.append(f"*Alamat:* {kel.address}")
    link = map_link(kel.coordinates)
    if link:
        lines.append(f"*Peta:* {link}")
    lines.append(f"*Jam layanan:* {kel.office_hours or 'hubungi kantor kelurahan'}")
    if kel.phone:
        lines.append(f"*Telepon:* {kel.phone}")
    parts.append("\n".join(lines))
    parts.append(f"Situs: {city.url(kel.url_path)}")
    parts.append(f"Ketik 0 untuk melihat layanan. {HANDOFF_HINT}")
    return "\n\n".join(parts)


def other_office_answer(kel: Kelurahan, office: dict[str, str | None]) -> str:
    """An honest "not here": which office handles it, instead of a wrong kelurahan service."""
    parts = [f"Urusan {office['urusan']} ditangani oleh *{office['nama']}*, bukan oleh "
             f"{kel.display_name}."]
    if office.get("keterangan"):
        parts.append(str(office["keterangan"]))
    parts.append(f"Ketik 0 untuk melihat layanan kelurahan. {HANDOFF_HINT}")
    return "\n\n".join(parts)
