"""`kartu.json` beside the cards: what `publish` reads (keys fixed), plus one caption file per platform."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.cards.theme import Theme
from kelurahan.files import write_text_atomic
from kelurahan.model import City, Kelurahan, Post

MANIFEST = "kartu.json"


def card_manifest(city: City, kel: Kelurahan, post: Post, theme: Theme,
                  captions: dict[str, Any], drawn: tuple[str, ...]) -> dict[str, Any]:
    """The manifest of one post's cards, with public URLs and per-platform captions.

    `gambar` lists only the cards that were drawn (`drawn`): a channel missing from it has no
    JPEG yet (an old post's Instagram or TikTok card, drawn on first use).
    """
    images = {
        channel: {"berkas": f"{channel}.jpg", "lebar": layout.size[0], "tinggi": layout.size[1],
                  "url": city.url(post.card_path(channel))}  # type: ignore[arg-type]
        for channel, layout in theme.channels.items() if channel in drawn
    }
    return {
        "kelurahan": kel.slug,
        "post": post.stem,
        "judul": post.title,
        "url": city.url(post.url_path),
        "jadwal": post.publish_at.isoformat(),
        "terbit": list(post.channels),
        "gambar": images,
        "keterangan": captions,
    }


def write_manifest(target: Path, manifest: dict[str, Any], *, caption_files: bool = True) -> None:
    """`kartu.json` and (for posts that can still go out) `caption-<platform>.txt`, each
    replaced atomically and only when changed. Old posts keep their captions in `kartu.json`
    only: three files fewer per post to write and delete on every rebuild."""
    captions = manifest["keterangan"]
    tiktok = captions["tiktok"]
    files = {MANIFEST: json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"}
    if caption_files:
        files.update({
            "caption-facebook.txt": captions["facebook"] + "\n",
            "caption-instagram.txt": captions["instagram"] + "\n",
            "caption-tiktok.txt": f"{tiktok['judul']}\n\n{tiktok['deskripsi']}\n",
        })
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_text_if_changed(target / name, text)


def write_text_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text("utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_text_atomic(path, text)
