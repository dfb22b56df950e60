"""Markdown documents for a kelurahan's home page and its service pages, from the model.

Every function returns `{docs path: Markdown text}`; mkdocs turns them into HTML. Links in raw
HTML are written relative to the page's own folder, because mkdocs rewrites only Markdown links.
"""

from __future__ import annotations

import posixpath

from generator.site.markup import esc, front_matter, link_list
from kelurahan.model import Kelurahan, Service
from kelurahan.outputs import CHANNEL_LABELS
from kelurahan.phone import display_phone

ASK_SERVICE = "Halo, saya ingin bertanya tentang {title}"


def rel(from_dir: str, to_path: str) -> str:
    """Relative URL from the page at folder `from_dir` (`layanan/kk/`) to `to_path`."""
    target = posixpath.relpath(to_path or ".", from_dir or ".")
    if target == ".":
        return "./"
    return target + "/" if to_path.endswith("/") else target


def whatsapp_button(kel: Kelurahan, text: str | None, label: str) -> str:
    link = kel.whatsapp_link(text)
    if not link:
        return ""
    return f'<p><a class="md-button md-button--primary kd-wa" href="{esc(link)}">{esc(label)}</a></p>'


def home_page(kel: Kelurahan, latest: list[tuple[str, str, str]]) -> dict[str, str]:
    """Beranda: who the kelurahan is, how to reach it, its services and latest news."""
    parts = [f"# Kelurahan {esc(kel.name)}", f"<p class=\"kd-sub\">Kecamatan {esc(kel.district)}</p>",
             whatsapp_button(kel, None, "Tanya lewat WhatsApp"), _profile_table(kel),
             _social_links(kel)]
    services = [(rel("", s.url_path.removeprefix(f"{kel.slug}/")), s.title, s.summary or "")
                for s in kel.services]
    if services:
        parts += ["## Layanan", link_list(services)]
    if latest:
        parts += ["## Kegiatan terbaru", link_list(latest),
                  f'<p><a href="{rel("", "kegiatan/")}">Semua kegiatan →</a></p>']
    if kel.body.strip():
        parts.append(kel.body)
    meta = {"title": f"Kelurahan {kel.name}", "description": _home_description(kel),
            "pagefind": True}
    return {"index.md": front_matter(meta, "\n\n".join(p for p in parts if p))}


def _home_description(kel: Kelurahan) -> str:
    return (f"Situs resmi Kelurahan {kel.name}, Kecamatan {kel.district}: layanan, syarat, "
            "dan kegiatan terbaru.")


def _profile_table(kel: Kelurahan) -> str:
    b = kel.boundaries
    rows = [
        ("Lurah", kel.head), ("Alamat kantor", kel.address), ("Jam layanan", kel.office_hours),
        ("Telepon", kel.phone), ("WhatsApp", display_phone(kel.whatsapp) if kel.whatsapp else None), ("Email", kel.email),
        ("Luas wilayah", f"{kel.area_km2:g} km²".replace(".", ",") if kel.area_km2 else None),
        ("Jumlah penduduk", f"{kel.population:,} jiwa".replace(",", ".") if kel.population else None),
        ("Jumlah RT / RW", _rt_rw(kel)), ("Kode wilayah", kel.region_code),
        ("Batas utara", b.north), ("Batas timur", b.east), ("Batas selatan", b.south),
        ("Batas barat", b.west),
    ]
    body = "\n".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows if v)
    return f'<table class="kd-profil">\n{body}\n</table>' if body else ""


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
    return f'<p class="kd-sosial">Media sosial: {items}</p>'


def service_pages(kel: Kelurahan) -> dict[str, str]:
    """`layanan/index.md` plus one page per service, numbered as on the WhatsApp menu."""
    docs = {"layanan/index.md": _service_index(kel)}
    for service in kel.services:
        docs[f"layanan/{service.slug}.md"] = _service_page(kel, service)
    return docs


def _service_index(kel: Kelurahan) -> str:
    items = [(rel("layanan/", f"layanan/{s.slug}/"), f"{s.number}. {s.title}",
              s.summary or f"Biaya: {s.cost}") for s in kel.services]
    body = "\n\n".join(["# Layanan", "Pilih layanan untuk melihat syarat, biaya, dan prosedurnya.",
                        link_list(items)])
    return front_matter({"title": "Layanan", "description": f"Daftar layanan Kelurahan {kel.name}"},
                        body)


def _service_page(kel: Kelurahan, service: Service) -> str:
    checklist = "\n".join(
        f'<li><label><input type="checkbox"> {esc(item)}</label></li>' for item in service.requirements
    )
    facts = [("Biaya", service.cost), ("Waktu penyelesaian", service.duration)]
    fact_rows = "\n".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts if v)
    parts = [
        f"# {esc(service.title)}",
        f"<p>{esc(service.summary)}</p>" if service.summary else "",
        "## Syarat", "<p>Centang yang sudah Anda siapkan:</p>",
        f'<ul class="kd-syarat">\n{checklist}\n</ul>',
        f'<table class="kd-profil">\n{fact_rows}\n</table>',
        whatsapp_button(kel, ASK_SERVICE.format(title=service.title), "Tanya layanan ini lewat WhatsApp"),
        service.body,
    ]
    meta = {"title": service.title, "pagefind": True,
            "description": service.summary or f"Syarat {service.title} di Kelurahan {kel.name}"}
    return front_matter(meta, "\n\n".join(p for p in parts if p))
