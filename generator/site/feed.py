"""RSS 2.0 feeds: one per kelurahan (`<slug>/feed.xml`) and one for the city (`feed.xml`).

The audit reads these to see when a kelurahan last posted, so dates are exact RFC 822 with the
city's offset and links are absolute.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from kelurahan.model import City, Kelurahan, Post

MAX_ITEMS = 30


def kelurahan_feed(city: City, kel: Kelurahan, posts: list[Post]) -> bytes:
    """The feed of one kelurahan; `posts` newest first."""
    return _rss(f"Kegiatan Kelurahan {kel.name}", city.url(kel.url_path),
                f"Kegiatan terbaru Kelurahan {kel.name}, Kecamatan {kel.district}",
                ((city, kel, p) for p in posts[:MAX_ITEMS]))


def city_feed(city: City, items: list[dict[str, str]]) -> bytes:
    """Newest posts of every kelurahan together, for the portal (items from site summaries)."""
    rss, channel = _channel(f"Kegiatan kelurahan se-{city.name}", city.url(),
                            f"Kegiatan terbaru semua kelurahan di {city.name}")
    ordered = sorted(items, key=lambda i: dt.datetime.fromisoformat(i["date"]), reverse=True)
    for entry in ordered[:MAX_ITEMS]:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = f"{entry['title']} (Kelurahan {entry['kelurahan']})"
        ET.SubElement(item, "link").text = entry["link"]
        ET.SubElement(item, "guid", isPermaLink="true").text = entry["link"]
        ET.SubElement(item, "pubDate").text = email.utils.format_datetime(
            dt.datetime.fromisoformat(entry["date"]))
        ET.SubElement(item, "description").text = entry["summary"]
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def _channel(title: str, link: str, description: str) -> tuple[ET.Element, ET.Element]:
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    for tag, text in (("title", title), ("link", link), ("description", description),
                      ("language", "id")):
        ET.SubElement(channel, tag).text = text
    return rss, channel


def _rss(title: str, link: str, description: str,
         items: Iterable[tuple[City, Kelurahan, Post]]) -> bytes:
    rss, channel = _channel(title, link, description)
    for city, kel, post in items:
        _item(channel, city, kel, post)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def _item(channel: ET.Element, city: City, kel: Kelurahan, post: Post) -> None:
    item = ET.SubElement(channel, "item")
    url = city.url(post.url_path)
    ET.SubElement(item, "title").text = post.title
    ET.SubElement(item, "link").text = url
    ET.SubElement(item, "guid", isPermaLink="true").text = url
    ET.SubElement(item, "pubDate").text = email.utils.format_datetime(post.publish_at)
    ET.SubElement(item, "description").text = post.summary or post.title
    for category in post.categories:
        ET.SubElement(item, "category").text = category
    ET.SubElement(item, "source", url=city.url(f"{kel.slug}/feed.xml")).text = (
        f"Kelurahan {kel.name}")
