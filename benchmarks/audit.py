"""Audit benchmark: N sites on loopback, 5% of them dead or slow (docs/quality-budgets.md: 1,000 ≤ 20 s,
10,000 ≤ 120 s, 100,000 with peak memory ≤ 300 MB, all at the default settings).

A separate process serves the sites (so its work does not share our GIL): each live site is a
page linking `feed.xml`, a 10-item RSS feed whose last post is 0–59 days old. Of every 20 sites
one is bad: of those, half refuse connections, 3 in 10 answer after 3 s, 2 in 10 never answer
(cut by the 15 s deadline). Each audit runs in a fresh process so its peak RSS is its own, and
is timed with writing audit.csv/json/html, as `kelurahan audit` does.

Baseline, in the same run: what an IT office would script without this tool — curl fetching
every site's page and its feed, `xargs -P` at the same concurrency and the same deadlines. It
reads nothing (no feed parsing, no dates, no report), so it is the floor of the network work.

    .venv/bin/python -m benchmarks.audit [--sites 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _kind(index: int) -> str:
    """Every 20th site is bad; of each 10 bad ones, 5 are dead, 3 slow and 2 hanging."""
    if index % 20 != 7:
        return "ok"
    rotation = (index // 20) % 10
    return "dead" if rotation < 5 else "slow" if rotation < 8 else "hang"


def _feed(index: int) -> bytes:
    items = "".join(
        f"<item><title>Kegiatan {n}</title><link>http://x/{index}/{n}</link>"
        f"<guid>http://x/{index}/{n}</guid>"
        f"<pubDate>{format_datetime(NOW - dt.timedelta(days=index % 60 + 7 * n))}</pubDate>"
        f"<description>Warga bergotong royong membersihkan sungai.</description></item>"
        for n in range(10))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Kelurahan {index}</title><link>http://x/</link>{items}</channel></rss>").encode()


def _page(index: int) -> bytes:
    return (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Kelurahan {index}'
            '</title><link rel="alternate" type="application/rss+xml" href="feed.xml"></head>'
            f"<body><h1>Kelurahan {index}</h1>{'<p>Layanan dan kegiatan.</p>' * 40}</body></html>"
            ).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body as they come, no 40 ms ACK wait

    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        index = int(parts[0][1:]) if parts[0][:1] == "s" and parts[0][1:].isdigit() else -1
        kind = _kind(index) if index >= 0 else "missing"
        if kind == "hang":
            time.sleep(60)
            return
        if kind == "slow":
            time.sleep(3)
        body = _feed(index) if parts[-1] == "feed.xml" else _page(index)
        self.send_response(200 if kind != "missing" else 404)
        self.send_header("Content-Type", "application/rss+xml" if parts[-1] == "feed.xml"
                         else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(port_queue: multiprocessing.Queue) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    port_queue.put(server.server_address[1])
    server.serve_forever()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _targets(port: int, dead_port: int, indices: list[int]) -> list:
    from publish.audit import Kind, Target

    return [Target(f"Kelurahan {i}", f"http://127.0.0.1:{dead_port if _kind(i) == 'dead' else port}"
                   f"/s{i:04d}/", Kind.OUTSIDE) for i in indices]


def _measure(port: int, dead_port: int, count: int) -> dict:
    """One audit at the defaults plus its three files, in a fresh process."""
    from publish.audit import AuditOptions, audit, write_report

    targets = _targets(port, dead_port, list(range(count)))
    options = AuditOptions(allow_local_network=True)  # the defaults, but loopback allowed
    started = time.perf_counter()
    report = audit(targets, NOW, city="Kota Benchmark", options=options)
    with tempfile.TemporaryDirectory() as out:
        write_report(report, Path(out))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "counts": report.counts(), "concurrency": options.concurrency,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _run_isolated(*args: object) -> dict:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_measure, *args).result()


def _curl_baseline(port: int, dead_port: int, count: int, concurrency: int) -> float:
    """Every page and feed fetched by curl through `xargs -P`, same deadlines as the audit."""
    urls = []
    for index in range(count):
        base = f"http://127.0.0.1:{dead_port if _kind(index) == 'dead' else port}/s{index:04d}/"
        urls += [base, base + "feed.xml"]
    started = time.perf_counter()
    subprocess.run(["xargs", "-P", str(concurrency), "-n", "16", "curl", "-s", "-o", "/dev/null",
                    "--connect-timeout", "5", "-m", "15"], input="\n".join(urls).encode(),
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("curl"):
        raise SystemExit("curl is needed for the baseline")
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    try:
        port, dead = ports.get(timeout=10), _closed_port()
        print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        rows = []
        for count in args.sites:
            repeat = args.repeat if count <= 10_000 else 1
            runs = [_run_isolated(port, dead, count) for _ in range(repeat)]
            concurrency = runs[0]["concurrency"]
            # Above 10,000 sites the question is memory; the curl floor scales linearly.
            base = ([_curl_baseline(port, dead, count, concurrency) for _ in range(repeat)]
                    if count <= 10_000 else [])
            rows.append((count, runs, base))
            _print_row(count, runs, base, os.getloadavg()[0])
    finally:
        server.terminate()


TARGETS = {1000: 20.0, 10_000: 120.0}


def _print_row(count: int, runs: list[dict], base: list[float], load: float) -> None:
    if count == min(TARGETS):
        print("| sites | runs | audit median (s) | single runs (s) | curl baseline median (s) | "
              "audit ÷ curl | peak RSS (MB) | target | load avg |")
        print("| ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |")
    ours = statistics.median(run["seconds"] for run in runs)
    curl = statistics.median(base) if base else float("nan")
    target = TARGETS.get(count)
    verdict = (f"≤ {target:g} s: {'met' if ours <= target else 'NOT met'}" if target
               else f"≤ 300 MB: {'met' if max(r['rss_mb'] for r in runs) <= 300 else 'NOT met'}")
    singles = ", ".join(f"{run['seconds']:.1f}" for run in runs)
    print(f"| {count:,} | {len(runs)} | {ours:.1f} | {singles} | {curl:.1f} | {ours / curl:.2f}× | "
          f"{max(r['rss_mb'] for r in runs):.0f} | {verdict} | {load:.1f} |", flush=True)
    print(f"  statuses: {runs[-1]['counts']}", flush=True)


if __name__ == "__main__":
    main()
