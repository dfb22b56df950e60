"""Markdown documents for a kelurahan's home page and its service pages, from the model.

Every function returns `{docs path: Markdown text}`; mkdocs turns them into HTML. Links in raw
HTML are written relative to the page's own folder, because mkdocs rewrites only Markdown links.
"""

from __future__ import annotations

import datetime as dt

from generator.site.markup import Written, document, esc, link_list
from generator.site.raw_html import fence
from kelurahan.dates import short_date
from kelurahan.model import Announcement, Download, Kelurahan, Service
from kelurahan.outputs import CHANNEL_LABELS
from kelurahan.phone import display_phone, normalise_whatsapp

ASK_SERVICE = "Halo, saya ingin bertanya tentang {title}"
FILE_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel",
              ".odt": "ODT", ".jpg": "JPG", ".jpeg": "JPG", ".png": "PNG", ".zip": "ZIP"}


def rel(from_dir: str, to_path: str) -> str:
    """Relative URL from the page at folder `from_dir` (`layanan/kk/`) to `to_path`, both
    relative to the site's root. By their segments: `posixpath.relpath` asks the OS for the
    working folder on every call, ~1,500 calls a site (a tenth of its pages' Markdown)."""
    here = [part for part in from_dir.split("/") if part not in ("", ".")]
    there = [part for part in to_path.split("/") if part not in ("", ".")]
    common = 0
    for mine, theirs in zip(here, there, strict=False):
        if mine != theirs:
            break
        common += 1
    target = "/".join([".."] * (len(here) - common) + there[common:])
    if not target:
        return "./"
    return target + "/" if to_path.endswith("/") else target


def whatsapp_button(kel: Kelurahan, text: str | None, label: str) -> str:
    link = kel.whatsapp_link(text)
    if not link:
        return ""
    return f'<p data-pagefind-ignore><a class="tombol-wa" href="{esc(link)}">{esc(label)}</a></p>'


def tel_link(phone: str) -> str:
    """`tel:+625417001001` from `(0541) 700-1001`; the digits as written if it is not Indonesian."""
    try:
        return "tel:" + normalise_whatsapp(phone)
    except ValueError:
        return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def map_link(kel: Kelurahan) -> str | None:
    """A plain OpenStreetMap link at `koordinat`: no embedded map, no third-party request."""
    if not kel.coordinates:
        return None
    lat, lon = kel.coordinates
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def office_facts(kel: Kelurahan) -> list[tuple[str, str]]:
    """(label, HTML) rows a resident needs to come by or get in touch: hours, address, numbers."""
    address = esc(kel.address) if kel.address else None
    if address and map_link(kel):
        address += f'<br><a href="{esc(map_link(kel))}">Lihat di peta (OpenStreetMap)</a>'
    rows = [
        ("Jam layanan", esc(kel.office_hours) if kel.office_hours else None),
        ("Alamat kantor", address),
        ("Telepon", f'<a href="{esc(tel_link(kel.phone))}">{esc(kel.phone)}</a>' if kel.phone else None),
        ("WhatsApp", f'<a href="{esc(kel.whatsapp_link())}">{esc(display_phone(kel.whatsapp))}</a>'
         if kel.whatsapp else None),
        ("Email", f'<a href="mailto:{esc(kel.email)}">{esc(kel.email)}</a>' if kel.email else None),
    ]
    return [(k, v) for k, v in rows if v]


def table(rows: list[tuple[str, str]], *, search: bool = True) -> str:
    """A two-column table; values are HTML already escaped by the caller.

    `search=False` keeps it out of search excerpts, where "Biaya Gratis Waktu…" reads as noise.
    """
    body = "\n".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    ignore = "" if search else " data-pagefind-ignore"
    return f'<table class="tabel"{ignore}>\n{body}\n</table>' if body else ""


def home_page(kel: Kelurahan, latest: list[tuple[str, str, str]], today: dt.date) -> dict[str, str]:
    """Beranda: notices first, then how to reach the office, its services and latest news."""
    parts = [f"# Kelurahan {esc(kel.name)}", f'<p class="kecil">Kecamatan {esc(kel.district)}</p>',
             announcements(kel.current_announcements(today)),
             whatsapp_button(kel, None, "Tanya lewat WhatsApp"),
             "## Kantor kelurahan", table(office_facts(kel) + _profile_rows(kel)),
             _social_links(kel)]
    services = [(rel("", s.url_path.removeprefix(f"{kel.slug}/")), s.title, s.summary or "")
                for s in kel.services]
    if services:
        parts += ["## Layanan", link_list(services)]
    if latest:
        parts += ["## Kegiatan terbaru", link_list(latest),
                  f'<p><a href="{rel("", "kegiatan/")}">Semua kegiatan</a></p>']
    if kel.body.strip():
        parts.append(Written(kel.body))
    meta = {"title": f"Kelurahan {kel.name}", "description": _home_description(kel)}
    return {"index.md": document(meta, parts)}


def announcements(items: list[Announcement]) -> str:
    """Current notices as boxes; an important one is marked so in words, not only colour."""
    if not items:
        return ""
    boxes = []
    for item in items:
        label = "Penting: " if item.important else ""
        boxes.append(f'<section class="pengumuman{" penting" if item.important else ""}">'
                     f"<h3>{label}{esc(item.title)}</h3>{_markdown(item.body)}"
                     + f'<p class="kecil">Berlaku sampai {short_date(item.valid_until)}</p></section>')
    return "## Pengumuman\n\n" + fence("\n".join(boxes))


def _markdown(text: str) -> str:
    """An announcement's body, Markdown as in posts (bold, lists, links), as HTML for its box."""
    import markdown

    return markdown.markdown(text.strip(), extensions=["tables"]) if text.strip() else ""


def _home_description(kel: Kelurahan) -> str:
    return (f"Situs resmi Kelurahan {kel.name}, Kecamatan {kel.district}: layanan, syarat, "
            "dan kegiatan terbaru.")


def _profile_rows(kel: Kelurahan) -> list[tuple[str, str]]:
    b = kel.boundaries
    rows = [
        ("Lurah", kel.head),
        ("Luas wilayah", f"{kel.area_km2:g} km²".replace(".", ",") if kel.area_km2 else None),
        ("Jumlah penduduk", f"{kel.population:,} jiwa".replace(",", ".") if kel.population else None),
        ("Jumlah RT / RW", _rt_rw(kel)), ("Kode wilayah", kel.region_code),
        ("Batas utara", b.north), ("Batas timur", b.east), ("Batas selatan", b.south),
        ("Batas barat", b.west),
    ]
    return [(k, esc(v)) for k, v in rows if v]


def _rt_rw(kel: Kelurahan) -> str | None:
    if kel.rt_count is None and kel.rw_count is None:
        return None
    return f"{kel.rt_count if kel.rt_count is not None else '-'} RT / " \
           f"{kel.rw_count if kel.rw_count is not None else '-'} RW"


def _social_links(kel: Kelurahan) -> str:
    links = [(getattr(kel.social, key), label) for key, label in CHANNEL_LABELS.items()
             if getattr(kel.social, key)]
    if not links:
        return ""
    items = " · ".join(f'<a href="{esc(url)}" rel="me">{esc(label)}</a>' for url, label in links)
    return f'<p class="kontak">Media sosial: {items}</p>'


def service_pages(kel: Kelurahan) -> dict[str, str]:
    """`layanan/index.md` plus one page per service, numbered as on the WhatsApp menu."""
    docs = {"layanan/index.md": _service_index(kel)}
    for service in kel.services:
        docs[f"layanan/{service.slug}.md"] = _service_page(kel, service)
    return docs


def _service_index(kel: Kelurahan) -> str:
    items = [(rel("layanan/", f"layanan/{s.slug}/"), f"{s.number}. {s.title}", _cost_time(s))
             for s in kel.services]
    return document({"title": "Layanan", "description": f"Daftar layanan Kelurahan {kel.name}"},
                    ["# Layanan", "Pilih layanan untuk melihat syarat, biaya, dan prosedurnya.",
                     link_list(items) or "<p>Belum ada layanan.</p>"])


def _cost_time(service: Service) -> str:
    return f"Biaya: {service.cost}" + (f" · Waktu: {service.duration}" if service.duration else "")


def file_label(download: Download) -> str:
    """`PDF, 120 KB`: what a resident on a metered phone wants to know before tapping."""
    kind = FILE_KINDS.get(download.path.suffix.lower(), download.path.suffix.lstrip(".").upper())
    size = download.size
    amount = f"{size / 1_048_576:.1f} MB".replace(".", ",") if size >= 1_048_576 else \
        f"{max(1, round(size / 1024))} KB"
    return f"{kind}, {amount}"


def _downloads(service: Service) -> str:
    if not service.downloads:
        return ""
    prefix = rel(f"layanan/{service.slug}/", "unduhan/")
    rows = "\n".join(f'<li><a href="{esc(prefix + d.path.name)}" download>{esc(d.path.name)}</a> '
                     f"<small>({file_label(d)})</small></li>" for d in service.downloads)
    return "## Formulir\n\n" + fence(f'<ul class="daftar">\n{rows}\n</ul>')


def _requirement(number: int, text: str) -> str:
    """A requirement to tick off. The text is not inside the `<label>` (Pagefind skips labels,
    and the requirements are what residents search for); the label covers the row instead."""
    key = f"syarat-{number}"
    return (f'<li><input type="checkbox" id="{key}" aria-labelledby="{key}-teks">'
            f'<label for="{key}"></label><span id="{key}-teks">{esc(text)}</span></li>')


def _also_called(service: Service) -> str:
    """The words residents use for the service (`kata_kunci`, which the WhatsApp bot answers):
    shown, so the site's search finds "meninggal" or "e-ktp" too, not only the bot."""
    if not service.keywords:
        return ""
    return f'<p class="kata-kunci">Dicari juga dengan kata: {esc(", ".join(service.keywords))}</p>'


def _service_page(kel: Kelurahan, service: Service) -> str:
    checklist = "\n".join(_requirement(n, item) for n, item in enumerate(service.requirements, 1))
    facts = [("Biaya", esc(service.cost)),
             ("Waktu penyelesaian", esc(service.duration) if service.duration else None)]
    parts = [
        f"# {esc(service.title)}",
        f"<p>{esc(service.summary)}</p>" if service.summary else "",
        "## Syarat", "<p data-pagefind-ignore>Centang yang sudah Anda siapkan:</p>",
        f'<ul class="syarat">\n{checklist}\n</ul>',
        table([(k, v) for k, v in facts if v], search=False),
        _downloads(service),
        whatsapp_button(kel, ASK_SERVICE.format(title=service.title), "Tanya layanan ini lewat WhatsApp"),
        Written(service.body),
        _also_called(service),
        f'<div data-pagefind-ignore>\n<h2 id="kantor">Datang ke kantor</h2>\n{table(office_facts(kel))}\n</div>',
    ]
    meta = {"title": service.title, "pagefind": True,
            "description": service.summary or f"Syarat {service.title} di Kelurahan {kel.name}"}
    return document(meta, parts)
