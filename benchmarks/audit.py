"""Audit benchmark: 1,000 sites on loopback, 5% of them dead or slow (PRODUCT.md: ≤ 20 s).

A separate process serves the sites (so its work does not share our GIL): each live site is a
page linking `feed.xml`, a 10-item RSS feed whose last post is 0–59 days old. Of the 50 bad
sites, 25 refuse connections, 15 answer after 3 s, 10 never answer (cut by the 15 s deadline).
Each measurement runs in a fresh process so its peak RSS is its own.

Baseline: the same audit with concurrency 1 on the first 100 sites (same mix of bad sites),
extrapolated ×10 to 1,000 — a serial loop over all 1,000 would take minutes.

    .venv/bin/python -m benchmarks.audit [--sites 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import resource
import socket
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


def _baseline_indices(count: int) -> list[int]:
    """`count` sites with the full run's mix: 5% bad, half dead, ~30% slow, ~20% hanging."""
    bad = count // 20
    wanted = (["dead"] * ((bad + 1) // 2) + ["slow"] * max(1, bad * 3 // 10)
              + ["hang"] * max(1, bad // 5))[:bad]
    chosen, ok = [], []
    for index in range(10_000):
        kind = _kind(index)
        if kind == "ok" and len(ok) < count - bad:
            ok.append(index)
        elif kind in wanted:
            wanted.remove(kind)
            chosen.append(index)
    return sorted(chosen + ok)


def _measure(port: int, dead_port: int, indices: list[int], concurrency: int,
             history: str | None = None) -> dict:
    """One audit plus its three files (and its history entry), in a fresh process."""
    from publish.audit import AuditOptions, audit, write_report
    from publish.audit.history import last_durations

    targets = _targets(port, dead_port, indices)
    started = time.perf_counter()
    expected = last_durations(Path(history)) if history else None
    report = audit(targets, NOW, city="Kota Benchmark", options=AuditOptions(concurrency=concurrency),
                   expected_seconds=expected)
    with tempfile.TemporaryDirectory() as out:
        write_report(report, Path(out), Path(history) if history else None)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "counts": report.counts(),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _run_isolated(*args: object) -> dict:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_measure, *args).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[16, 32, 64])
    args = parser.parse_args()
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    try:
        port, dead = ports.get(timeout=10), _closed_port()
        subset = _baseline_indices(max(20, args.sites // 10))
        base = _run_isolated(port, dead, subset, 1)
        everything = list(range(args.sites))
        runs = [(f"{c}", _run_isolated(port, dead, everything, c)) for c in args.concurrency]
        with tempfile.TemporaryDirectory() as history:
            _run_isolated(port, dead, everything, 16, history)  # last week's run
            runs.append(("16, `--history` (slowest first)",
                         _run_isolated(port, dead, everything, 16, history)))
    finally:
        server.terminate()
    _print_table(args.sites, len(subset), base, runs)


def _print_table(sites: int, subset: int, base: dict, runs: list[tuple[str, dict]]) -> None:
    scale = sites / subset
    baseline = base["seconds"] * scale
    bad = sum(1 for i in range(sites) if _kind(i) != "ok")
    print(f"Audit of {sites} loopback sites ({bad} dead or slow), {multiprocessing.cpu_count()} cores")
    print("| run | concurrency | time (s) | sites/s | peak RSS (MB) | vs baseline |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| baseline: serial on {subset} sites (same mix), ×{scale:g} extrapolated | 1 | "
          f"{baseline:.1f} | {sites / baseline:.0f} | {base['rss_mb']:.0f} | 1.0× |")
    for concurrency, run in runs:
        print(f"| `audit`, {sites} sites | {concurrency} | {run['seconds']:.1f} | "
              f"{sites / run['seconds']:.0f} | {run['rss_mb']:.0f} | "
              f"{baseline / run['seconds']:.1f}× faster |")
    print(f"Statuses: {runs[-1][1]['counts']}")
    best = min(run["seconds"] for _, run in runs)
    print(f"Target ≤ 20 s: {'met' if best <= 20 else 'NOT met'} (best {best:.1f} s)")


if __name__ == "__main__":
    main()
