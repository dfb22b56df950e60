"""Publishing fault soak: seeded random faults on every platform call, invariants after each run.

A small city (3 kelurahan, posts every 30 minutes over a simulated day, all on Facebook,
Instagram and TikTok) is published by `kelurahan publish` runs every 5 simulated minutes against
the loopback fakes of the tests. Each Graph/TikTok call independently succeeds or gets one of
the fault kinds below; some runs are separate processes killed with SIGKILL in the middle of a
call, some are two processes racing. Between runs the lurah sometimes corrects a post's text.

After every run: no (post, channel) exists more than once on a platform (matched on the post's
canonical URL), and every row the ledger calls published/scheduled exists on its platform. After
the chaos, calm runs (no faults) follow until nothing is left to do; then every due (post,
channel) must be published or in the explicit `manual` state with its reason.

Run: `.venv/bin/python -m benchmarks.publish_chaos [--runs 200 --seed 10] [--postgresql]`.
With `--postgresql` the ledger is one throwaway PostgreSQL database (started like the tests
do) and every spawned publisher gets its own state folder, as publishers on separate machines.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.publish import _add_account_ids
from benchmarks.synth import generate
from kelurahan import City, load_valid
from kelurahan.settings import Settings, token_name
from publish.social.ledger import DONE_STATES, State, read_rows
from publish.social.runner import publish_due
from tests.publish.fake_platforms import FakeGraph, FakeTikTok, Fault, StaticSite, graph_error
from tests.publish.publish_support import write_cards

REPO = Path(__file__).resolve().parent.parent
START = dt.datetime(2026, 11, 16, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
STEP = dt.timedelta(minutes=5)
TIMEOUT = 0.6           # KELURAHAN_PUBLISH_TIMEOUT in the soak; "timeout" faults stall longer
WRITES = {"photos", "media", "media_publish", "delete", "content/init"}
GRAPH_CODES = (190, 4, 17, 32, 368, 613)
TIKTOK_CODES = {190: (401, "access_token_invalid"), 4: (429, "rate_limit_exceeded"),
                17: (429, "rate_limit_exceeded"), 32: (429, "rate_limit_exceeded"),
                368: (403, "spam_risk_user_banned_from_posting"),
                613: (429, "spam_risk_too_many_posts")}


@dataclass
class Chaos:
    """The dice: one decision per platform call, counted by fault kind."""

    rng: random.Random
    rate: float = 0.3
    on: bool = True
    kill: Callable[[], None] | None = None    # armed for a run that is a killable process
    kill_after: int = 0                        # calls to let through before killing
    counts: collections.Counter = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def graph(self, method: str, endpoint: str) -> Fault | None:
        return self._decide(endpoint, tiktok=False)

    def tiktok(self, method: str, endpoint: str) -> Fault | None:
        return self._decide(endpoint, tiktok=True)

    def _decide(self, endpoint: str, *, tiktok: bool) -> Fault | None:
        with self.lock:
            if not self.on:
                return None
            if self.kill is not None:
                if self.kill_after <= 0:
                    kill, self.kill = self.kill, None
                    self.counts["killed mid-call"] += 1
                    return Fault(record_first=self.rng.random() < 0.5, before_answer=kill,
                                 drop=True)
                self.kill_after -= 1
            if self.rng.random() >= self.rate:
                self.counts["none (call answered normally)"] += 1
                return None
            kind = self.rng.choice(["5xx before acting", "5xx after acting", "timeout",
                                    "answer lost after acting", "error code"])
            if kind == "error code":
                code = self.rng.choice(GRAPH_CODES)
                kind = f"error {code}"
            self.counts[kind] += 1
        return _fault(kind, tiktok)


def _fault(kind: str, tiktok: bool) -> Fault:
    if kind.startswith("error "):
        code = int(kind.split()[1])
        if tiktok:
            status, name = TIKTOK_CODES[code]
            return Fault(status, {"error": {"code": name, "message": "x", "log_id": "chaos"}})
        return Fault(400, graph_error(code, "chaos"))
    body = ({"error": {"code": "internal_error", "message": "x", "log_id": "chaos"}} if tiktok
            else graph_error(2, "Service temporarily unavailable", is_transient=True))
    return {"5xx before acting": Fault(500, body),
            "5xx after acting": Fault(502, "<html>Bad Gateway</html>", "text/html",
                                      record_first=True),
            "timeout": Fault(500, body, stall=TIMEOUT * 1.6),
            "answer lost after acting": Fault(record_first=True, drop=True)}[kind]


@dataclass
class Soak:
    root: Path
    content: Path
    site: Path
    state: Path
    graph: FakeGraph
    tiktok: FakeTikTok
    static: StaticSite
    env: dict[str, str]
    rng: random.Random
    chaos: Chaos
    duplicates: int = 0
    phantoms: int = 0
    crashes: list[str] = field(default_factory=list)
    kinds: collections.Counter = field(default_factory=collections.Counter)
    database_url: str | None = None
    machines: int = 0

    def settings(self) -> Settings:
        return Settings(self.env)

    def city(self) -> City:
        return load_valid(self.content)

    def run_in_process(self, now: dt.datetime) -> None:
        try:
            publish_due(self.city(), self.site, self.settings(), now)
        except Exception as exc:  # a crash is a finding, not the end of the soak
            self.crashes.append(f"{now.isoformat()}: {type(exc).__name__}: {exc}")

    def spawn(self, now: dt.datetime) -> subprocess.Popen:
        args = [sys.executable, "-m", "kelurahan.cli", "publish", "--content",
                str(self.content), "--site", str(self.site), "--now", now.isoformat()]
        env = {**os.environ, **self.env}
        if self.database_url:  # a machine of its own: only the database is shared
            self.machines += 1
            env["KELURAHAN_STATE_DIR"] = str(self.root / f"mesin-{self.machines}")
        return subprocess.Popen(args, env=env, cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def rows(self) -> list:
        return read_rows(self.state, self.database_url)

    def wait(self, process: subprocess.Popen) -> None:
        try:
            _, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
        if process.returncode not in (0, 1, -signal.SIGKILL) or "Traceback" in (err or ""):
            self.crashes.append(f"exit {process.returncode}: {(err or '').strip()[-300:]}")

    def run_killed(self, now: dt.datetime) -> None:
        process = self.spawn(now)
        with self.chaos.lock:
            self.chaos.kill = lambda: os.kill(process.pid, signal.SIGKILL)
            self.chaos.kill_after = self.rng.randrange(0, 4)
        self.wait(process)
        with self.chaos.lock:
            self.chaos.kill = None

    def run_race(self, now: dt.datetime) -> None:
        processes = [self.spawn(now), self.spawn(now)]
        for process in processes:
            self.wait(process)

    def edit_a_post(self) -> None:
        """The lurah corrects the text of one post (a held Facebook post must follow)."""
        posts = sorted(self.content.glob("*/kegiatan/*-chaos-*.md"))
        path = self.rng.choice(posts)
        text = path.read_text("utf-8")
        path.write_text(text.replace("ringkasan: ", "ringkasan: Ralat. ", 1), "utf-8")
        write_cards(self.content, self.site)


def _posts_by_url(soak: Soak) -> dict[str, collections.Counter]:
    """Platform → how many live (or held) posts carry each canonical URL."""
    counts: dict[str, collections.Counter] = {c: collections.Counter()
                                              for c in ("facebook", "instagram", "tiktok")}
    for channel, texts in (("facebook", [p.message for p in soak.graph.page_posts]),
                           ("instagram", [m.caption for m in soak.graph.ig_media]),
                           ("tiktok", [p.description for p in soak.tiktok.posts])):
        for text in texts:
            url = next((w for w in text.split() if "/kegiatan/" in w), "?")
            counts[channel][url] += 1
    return counts


def check(soak: Soak, city: City) -> None:
    """After every run: nothing twice; nothing the ledger calls done missing on the platform."""
    counts = _posts_by_url(soak)
    soak.duplicates = sum(n - 1 for c in counts.values() for n in c.values() if n > 1)
    urls = {(k.slug, p.stem): city.url(p.url_path) for k in city.kelurahan for p in k.posts}
    soak.phantoms = sum(
        1 for r in soak.rows()
        if r.state in DONE_STATES and counts[r.channel][urls.get((r.kelurahan, r.post))] == 0)


def final(soak: Soak, city: City, now: dt.datetime) -> dict[str, int]:
    """Every due (post, channel): published/scheduled and on the platform, or `manual`."""
    rows = {(r.kelurahan, r.post, r.channel): r for r in soak.rows()}
    counts = _posts_by_url(soak)
    tally: collections.Counter = collections.Counter()
    for kel in city.kelurahan:
        for post in kel.posts:
            if post.draft or post.publish_at > now or post.publish_at < START:
                continue
            for channel in post.channels:
                row = rows.get((kel.slug, post.stem, channel))
                present = counts[channel][city.url(post.url_path)]
                if row is not None and row.state in DONE_STATES and present == 1:
                    tally["published"] += 1
                elif row is not None and row.state is State.MANUAL and row.last_error:
                    tally[f"manual (with reason; {present} on the platform)"] += 1
                    soak.kinds[row.last_error.split("; terakhir: ")[-1][:60]] += 1
                else:
                    tally["lost"] += 1
    return dict(tally)


def _write_posts(content: Path, per_kelurahan: int, stagger: dt.timedelta) -> None:
    for k, folder in enumerate(sorted(p for p in content.iterdir() if p.is_dir())):
        for n in range(per_kelurahan):
            at = START + dt.timedelta(minutes=20 + 7 * k) + n * stagger
            stem = f"{at:%Y-%m-%d}-chaos-{n:02d}"
            (folder / "kegiatan" / f"{stem}.md").write_text(
                f"---\njudul: Kegiatan Uji {n} di {folder.name}\ntanggal: {at:%Y-%m-%d}\n"
                f"jadwal: {at:%Y-%m-%dT%H:%M}\nringkasan: Ringkasan kegiatan {n}.\n"
                "terbit: [facebook, instagram, tiktok]\n---\nIsi.\n", "utf-8")


def setup(root: Path, seed: int, kelurahan: int, posts: int) -> Soak:
    os.environ["KELURAHAN_LOCAL_SITE"] = "1"   # the site is served on 127.0.0.1
    content = generate(root / "content", kelurahan=kelurahan, posts=0, photo_pool=1)
    _add_account_ids(content)
    _write_posts(content, posts, dt.timedelta(minutes=30))
    site = root / "site"
    site.mkdir()
    static = StaticSite(site)
    kota = content / "kota.yml"
    kota.write_text(kota.read_text("utf-8").replace("https://kelurahan.kotacontoh.example/",
                                                    static.url), "utf-8")
    write_cards(content, site)
    rng = random.Random(seed)
    chaos = Chaos(random.Random(seed + 1))
    graph, tiktok = FakeGraph({}), FakeTikTok(None, audited=True)
    tiktok.scopes.add("video.list")
    graph.chaos, tiktok.chaos = chaos.graph, chaos.tiktok
    env = {"GRAPH_API_URL": graph.start(), "GRAPH_API_VERSION": "v21.0",
           "TIKTOK_API_URL": tiktok.start(), "KELURAHAN_STATE_DIR": str(root / "state"),
           "KELURAHAN_SECRETS_FILE": str(root / "tidak-ada.env"), "KELURAHAN_LOCAL_SITE": "1",
           "KELURAHAN_PUBLISH_TIMEOUT": str(TIMEOUT), "KELURAHAN_PUBLISH_POLL_SECONDS": "0",
           "TIKTOK_PRIVACY_LEVEL": "PUBLIC_TO_EVERYONE"}
    city = load_valid(content)
    for kel in city.kelurahan:
        for channel in ("facebook", "instagram", "tiktok"):
            env[token_name(kel.slug, channel)] = f"token-{kel.slug}-{channel}"
    return Soak(root, content, site, root / "state", graph, tiktok, static, env, rng, chaos)


def _facebook_clock(now: dt.datetime, skew: float) -> Callable[[], float]:
    """Facebook's clock for the scheduling check: our `now`, moving on, `skew` s ahead."""
    began = time.monotonic()
    return lambda: now.timestamp() + time.monotonic() - began + skew


def soak_runs(soak: Soak, runs: int) -> tuple[collections.Counter, int, int]:
    """The chaos phase; returns run modes and the worst duplicates/phantoms seen after a run."""
    modes: collections.Counter = collections.Counter()
    worst_dup = worst_phantom = 0
    for i in range(runs):
        now = START + i * STEP
        skew = soak.rng.choice((0, 0, 120, 240))      # Facebook's clock ahead of ours, seconds
        soak.graph.clock = _facebook_clock(now, skew)
        dice = soak.rng.random()
        mode = "killed mid-call" if dice < 0.12 else "two racing" if dice < 0.20 else "single"
        modes[mode] += 1
        {"killed mid-call": soak.run_killed, "two racing": soak.run_race,
         "single": soak.run_in_process}[mode](now)
        if soak.rng.random() < 0.05:
            soak.edit_a_post()
            modes["edit between runs"] += 1
        check(soak, soak.city())
        worst_dup, worst_phantom = max(worst_dup, soak.duplicates), max(worst_phantom,
                                                                         soak.phantoms)
        if (i + 1) % 20 == 0:
            print(f"  run {i + 1}: {len(soak.graph.page_posts)} FB, {len(soak.graph.ig_media)} "
                  f"IG, {len(soak.tiktok.posts)} TikTok; duplicates {soak.duplicates}, "
                  f"phantoms {soak.phantoms}", flush=True)
    return modes, worst_dup, worst_phantom


def calm(soak: Soak, start: dt.datetime) -> tuple[int, dt.datetime]:
    """No more faults: run until the ledger settles (every 5 simulated minutes, ≤ 12 h)."""
    soak.chaos.on = False
    soak.graph.clock = None
    now, runs = start, 0
    while runs < 288:
        soak.run_in_process(now)
        runs += 1
        if not _open_work(soak, soak.city(), now):
            break
        now += STEP
    return runs, now


def _open_work(soak: Soak, city: City, now: dt.datetime) -> int:
    """Due (post, channel) pairs whose ledger row is missing or not settled."""
    rows = {(r.kelurahan, r.post, r.channel): r.state for r in soak.rows()}
    return sum(rows.get((k.slug, p.stem, c)) not in (*DONE_STATES, State.MANUAL, State.FAILED)
               for k in city.kelurahan for p in k.posts
               if not p.draft and START <= p.publish_at <= now for c in p.channels)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--kelurahan", type=int, default=3)
    parser.add_argument("--posts", type=int, default=20, help="posts per kelurahan")
    parser.add_argument("--rate", type=float, default=0.3, help="share of calls given a fault")
    parser.add_argument("--postgresql", action="store_true",
                        help="one PostgreSQL ledger, a state folder per publisher process")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, _database(args.postgresql) as url:
        soak = setup(Path(tmp), args.seed, args.kelurahan, args.posts)
        soak.chaos.rate = args.rate
        if url:
            soak.database_url = url
            soak.env["KELURAHAN_DATABASE_URL"] = url
        modes, worst_dup, worst_phantom = soak_runs(soak, args.runs)
        calm_runs, end = calm(soak, START + args.runs * STEP)
        city = soak.city()
        check(soak, city)
        tally = final(soak, city, end)
        for server in (soak.graph, soak.tiktok, soak.static):
            server.stop()
    report(args, modes, soak, tally, calm_runs, worst_dup, worst_phantom,
           time.perf_counter() - started)


@contextmanager
def _database(wanted: bool) -> Iterator[str | None]:
    if not wanted:
        yield None
        return
    from tests.postgres_support import postgres_server

    with postgres_server() as url:
        yield url


def report(args, modes, soak, tally, calm_runs, worst_dup, worst_phantom, seconds) -> None:
    if soak.database_url:
        print(f"ledger: PostgreSQL; {soak.machines} publisher processes, each its own state folder")
    print(f"seed {args.seed}, fault rate {args.rate}: {args.runs} chaos runs ({dict(modes)}), "
          f"then {calm_runs} calm "
          f"runs; {args.kelurahan} kelurahan × {args.posts} posts × 3 channels; {seconds:.0f} s")
    print("| injected per platform call | count |")
    print("|---|---:|")
    for kind, count in sorted(soak.chaos.counts.items(), key=lambda kv: -kv[1]):
        print(f"| {kind} | {count} |")
    print(f"duplicates: {soak.duplicates} at the end (worst after any run: {worst_dup}); "
          f"ledger says done but platform has none: {soak.phantoms} (worst {worst_phantom})")
    print(f"due (post, channel): {sum(tally.values())} → {tally}; lost: {tally.get('lost', 0)}")
    if soak.kinds:
        print(f"manual rows, last reason: {dict(soak.kinds)}")
    print(f"publisher crashes (tracebacks): {len(soak.crashes)}")
    for crash in soak.crashes[:5]:
        print(f"  {crash}")


if __name__ == "__main__":
    main()
