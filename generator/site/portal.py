"""The city portal (`<out>/index.html`) and city feed, from the summaries of every kelurahan site.

Summaries are stored by the pipeline, so adding one post re-renders the portal without reloading
the other 58 kelurahan. One hand-written HTML page: no theme bundle, a few KB on 3G.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from generator.site.feed import city_feed
from generator.site.kelurahan_site import SiteSummary
from kelurahan.dates import short_date
from kelurahan.model import City
from kelurahan.resources import resource

TEMPLATE_DIR = "themes/portal"


def write_portal(city: City, summaries: list[SiteSummary], out_root: Path, *,
                 project_root: Path) -> None:
    """`index.html`, `404.html` and `feed.xml` at the root of the output."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(resource(project_root, TEMPLATE_DIR)),
                      autoescape=select_autoescape(["html"]))
    ordered = sorted(summaries, key=lambda s: (s.district, s.name))
    rows = [{"s": s, "date": short_date(dt.date.fromisoformat(s.latest_date))
             if s.latest_date else None} for s in ordered]
    html = env.get_template("index.html").render(
        city=city, rows=rows, services=_services_index(ordered),
        districts=len({s.district for s in ordered}))
    (out_root / "index.html").write_text(html, "utf-8")
    # Served by the web server for any missing page outside a kelurahan: links from the root.
    missing = env.get_template("404.html").render(city=city, root=urlsplit(city.site_url).path)
    (out_root / "404.html").write_text(missing, "utf-8")
    items = [item for s in summaries for item in s.feed_items]
    (out_root / "feed.xml").write_bytes(city_feed(city, items))


def _services_index(summaries: list[SiteSummary]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each service title with the kelurahan that offer it: where do I make a KTP-el?"""
    offered: dict[str, list[tuple[str, str]]] = defaultdict(list)
    titles: dict[str, str] = {}
    for summary in summaries:
        for _number, title, path in summary.services:
            key = title.casefold()
            titles.setdefault(key, title)
            offered[key].append((summary.name, path))
    return [(titles[key], offered[key]) for key in sorted(offered)]
