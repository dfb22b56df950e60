"""Posting from WhatsApp on a big city: photo → draft card back, and Terbitkan → live page.

    python benchmarks/whatsapp_post.py [--kelurahan 59] [--posts 150] [--runs 5]

Generates 59 kelurahan × 150 posts with `benchmarks/synth.py`, gives one kelurahan a staff
member (`petugas`), builds everything once, then runs the real bot (`start_bot` with the desk
wired as `kelurahan bot` wires it) against the loopback fake WhatsApp Cloud API of the tests.
Each run: a signed photo webhook with a caption → until the draft card message (image header +
buttons) reaches the fake; then the Terbitkan button webhook → until the post's page exists in
`site/` (and the reply with the live URL is sent). Baselines in the same run: drawing the card
alone (in process), and the terminal way for the same result, a hand-written post file plus
`kelurahan build --only SLUG` (a new process). Targets (docs/quality-budgets.md): card ≤ 3 s, live page ≤ 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STAFF = "6281299990001"
HAND_POST = "---\njudul: Pos Manual {n}\ntanggal: {day}\nfoto: [{photo}]\n---\nDitulis di terminal.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kelurahan", type=int, default=59)
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out" / "whatsapp")
    parser.add_argument("--reuse", action="store_true",
                        help="Keep the city and site of an earlier run (skips the first build).")
    args = parser.parse_args()
    content, site, state = args.work / "content", args.work / "site", args.work / "state"
    slug = f"kelurahan-{args.kelurahan // 2:03d}"
    if not (args.reuse and (site / "index.html").is_file()):
        _prepare(args, content, site, state, slug)
    env = {**os.environ, "KELURAHAN_STATE_DIR": str(state), "CI": "1"}
    os.environ["KELURAHAN_STATE_DIR"] = str(state)
    photo = sorted((content / slug / "media").glob("20*.jpg"))[0].read_bytes()
    cards, pages, renders, hand = [], [], [], []
    bench = _Bench(content, site, state, slug)
    token = f"{int(time.time()) % 100000:05d}"  # titles and files new in every run
    try:
        for n in range(1, args.runs + 1):
            renders.append(bench.render_only(photo))
            card, page = bench.post_once(f"{token}-{n}", photo)
            cards.append(card)
            pages.append(page)
            hand.append(_by_hand(content, site, slug, f"{token}-{n}", env))
            print(f"  run {n}: card {card:.2f} s, live page {page:.2f} s, "
                  f"render {renders[-1]:.2f} s, by hand {hand[-1]:.2f} s", file=sys.stderr)
    finally:
        bench.stop()
    _print(args, cards, pages, renders, hand)


def _prepare(args: argparse.Namespace, content: Path, site: Path, state: Path, slug: str) -> None:
    generate(content, kelurahan=args.kelurahan, posts=args.posts)
    profile = content / slug / "profil.md"
    profile.write_text(profile.read_text("utf-8").replace(
        "---\n", f'---\npetugas:\n- {{nama: Petugas Uji, whatsapp: "+{STAFF}"}}\n', 1), "utf-8")
    for folder in (site, state):
        shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "KELURAHAN_STATE_DIR": str(state), "CI": "1"}
    start = time.perf_counter()
    subprocess.run([str(BIN / "kelurahan"), "build", "--content", str(content), "--out", str(site),
                    "--jobs", "2"], env=env, cwd=ROOT, check=True, capture_output=True)
    print(f"  first build: {time.perf_counter() - start:.1f} s", file=sys.stderr)


class _Bench:
    def __init__(self, content: Path, site: Path, state: Path, slug: str) -> None:
        from kelurahan.cli._desk import desk_tools
        from kelurahan.posting import load_profiles
        from publish.bot import start_bot
        from tests.publish.bot.support import ACCESS_TOKEN, settings
        from tests.publish.fake_platforms import FakeWhatsApp

        self.wa = FakeWhatsApp(ACCESS_TOKEN)
        url = self.wa.start()
        config = settings(type("Url", (), {"url": url})(), state)
        self.tools = desk_tools(content, site, state, ROOT)
        self.city = load_profiles(content)
        self.kel = self.city.get(slug)
        self.site, self.slug = site, slug
        self.server = start_bot(site, config, host="127.0.0.1", port=0,
                                desk_tools=self.tools)

    def render_only(self, photo: bytes) -> float:
        from kelurahan.posting import NewPost

        path = self.site.parent / "foto-uji.jpg"
        path.write_bytes(photo)
        start = time.perf_counter()
        self.tools.render_card(self.city, self.kel, NewPost("Judul Uji", "", (path,)),
                               dt.date.today())
        return time.perf_counter() - start

    def post_once(self, n: str, photo: bytes) -> tuple[float, float]:
        from tests.publish.bot.support import button_reply, envelope, message, post, value

        phone_id = self.kel.whatsapp_phone_id
        media_id = self.wa.add_media(photo)
        sent = len(self.wa.sent)
        caption = f"Kerja Bakti Pekan {n} Bersama Warga\nWarga RT membersihkan saluran."
        photo_message = message("image", {"id": media_id, "mime_type": "image/jpeg",
                                          "caption": caption}, f"wamid.bench-foto-{n}", STAFF)
        start = time.perf_counter()
        post(self.server, envelope(value(photo_message, phone_id=phone_id)))
        card = self.wa.wait_for(sent + 1, timeout=60)[sent]
        card_seconds = time.perf_counter() - start
        assert card["type"] == "interactive" and "header" in card["interactive"], card
        (publish,) = [b["reply"]["id"] for b in card["interactive"]["action"]["buttons"]
                      if b["reply"]["title"] == "Terbitkan"]  # names the draft
        press = button_reply(publish, "Terbitkan", f"wamid.bench-terbit-{n}")
        press["from"] = STAFF
        start = time.perf_counter()
        post(self.server, envelope(value(press, phone_id=phone_id)))
        pattern = f"*-kerja-bakti-pekan-{n}-bersama-warga/index.html"
        while not list((self.site / self.slug / "kegiatan").glob(pattern)):
            if time.perf_counter() - start > 120:
                sys.exit(f"halaman tidak muncul: {self.wa.sent[-1]}")
            time.sleep(0.01)
        page_seconds = time.perf_counter() - start
        reply = self.wa.wait_for(sent + 2, timeout=60)[sent + 1]
        assert reply["text"]["body"].startswith("\u2705 Sudah tayang"), reply
        return card_seconds, page_seconds

    def stop(self) -> None:
        from publish.bot import stop_bot

        stop_bot(self.server)
        self.wa.stop()


def _by_hand(content: Path, site: Path, slug: str, n: str, env: dict[str, str]) -> float:
    """The terminal way to the same result: write the post file, `kelurahan build --only SLUG`
    (the same work the bot asks for: that kelurahan and the portal)."""
    day = dt.date.today().isoformat()
    photo = sorted((content / slug / "media").glob("20*.jpg"))[0].name
    path = content / slug / "kegiatan" / f"{day}-pos-manual-{n}.md"
    start = time.perf_counter()
    path.write_text(HAND_POST.format(n=n, day=day, photo=f"media/{photo}"), "utf-8")
    subprocess.run([str(BIN / "kelurahan"), "build", "--content", str(content), "--out", str(site),
                    "--only", slug, "--jobs", "2"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    seconds = time.perf_counter() - start
    if not (site / slug / "kegiatan" / path.stem / "index.html").is_file():
        sys.exit(f"pos manual tidak ada: {path.stem}")
    return seconds


def _print(args: argparse.Namespace, cards: list[float], pages: list[float],
           renders: list[float], hand: list[float]) -> None:
    load = os.getloadavg()
    base_card, base_page = statistics.median(renders), statistics.median(hand)
    rows = [("baseline: draw the card only (in process)", renders, base_card),
            ("photo webhook → draft card sent back", cards, base_card),
            ("baseline: post file by hand + `kelurahan build --only`", hand, base_page),
            ("Terbitkan webhook → page in site/", pages, base_page)]
    print(f"{args.kelurahan} kelurahan × {args.posts} kegiatan, {args.runs} runs, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("| step | median s | max s | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name, values, base in rows:
        print(f"| {name} | {statistics.median(values):.2f} | {max(values):.2f} | "
              f"{statistics.median(values) / base:.2f} |")
    print(f"targets: card ≤ 3 s: {'OK' if statistics.median(cards) <= 3 else 'NOT MET'}; "
          f"live page ≤ 5 s: {'OK' if statistics.median(pages) <= 5 else 'NOT MET'}")


if __name__ == "__main__":
    main()
