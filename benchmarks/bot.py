"""Bot load on loopback: webhook requests/s and latency, against a do-nothing server.

    .venv/bin/python -m benchmarks.bot [--requests 3000] [--concurrency 8] [--repeat 3]

The bot (`kelurahan bot`: waitress, outbox), a fake Graph API and the baseline (the same
waitress server with a WSGI app that reads the body and answers 200) each run in their own
process, as in production; this process only sends signed webhooks (Meta's shape, unique
message ids) from `--concurrency` threads, a new connection per request (one row keep-alive),
and times each request: as fast as the server answers, then paced at `--rate` (open loop:
latency counted from when a request was due). Each new message's reply and read receipt go
through the outbox to the fake Graph API; a bot row ends when all of them were accepted, and
"replies/s" is that count over that time. Budget (docs/quality-budgets.md): ≥ 500 webhooks/s with replies
through the outbox, p99 ≤ 50 ms at 300 requests/s paced.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SECRET = "rahasia-benchmark"
PHONE_ID = "100000000000001"

# A do-nothing server on the bot's own HTTP stack: the least any webhook must cost.
BASELINE = """
import logging
from waitress.server import create_server
logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # as the bot does
def app(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
s = create_server(app, host="127.0.0.1", port=0, threads=8, asyncore_use_poll=True,
                  connection_limit=1000, backlog=1024)
print("port", s.effective_port, flush=True)
s.run()
"""

# A fake Graph API: counts the sends, answers like Meta.
GRAPH = """
import json, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
count = 0
lock = threading.Lock()
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def do_POST(self):
        global count
        self.rfile.read(int(self.headers["Content-Length"]))
        with lock:
            count += 1
        self._reply(b'{"messaging_product":"whatsapp","messages":[{"id":"wamid.x"}]}')
    def do_GET(self):
        self._reply(json.dumps({"count": count}).encode())
    def _reply(self, data):
        self.send_response(200); self.send_header("Content-Length", str(len(data)))
        self.end_headers(); self.wfile.write(data)
    def log_message(self, *a): pass
class S(ThreadingHTTPServer):
    daemon_threads = True
s = S(("127.0.0.1", 0), H)
print("port", s.server_address[1], flush=True)
s.serve_forever()
"""


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float]
    replies: int = 0  # Graph API calls (reply + read receipt) this row caused
    drained: float | None = None  # seconds from the row's start until all were accepted
    cpu_ms: float = 0.0  # the server process's CPU per request (replies sent included)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def spawn(args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    line = process.stdout.readline()
    match = re.search(r"(?:port |127\.0\.0\.1:)(\d+)", line)
    if not match:
        process.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return process, int(match.group(1))


def payload(n: int, body: str) -> bytes:
    message = {"from": f"62812{n % 50:08d}", "id": f"wamid.bench{n}", "timestamp": "1763888400",
               "type": "text", "text": {"body": body}}
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "6281200001001", "phone_number_id": PHONE_ID},
             "contacts": [{"profile": {"name": "Warga"}, "wa_id": message["from"]}],
             "messages": [message]}
    return json.dumps({"object": "whatsapp_business_account", "entry": [
        {"id": "1", "changes": [{"value": value, "field": "messages"}]}]}).encode()


def load(port: int, bodies: list[bytes], concurrency: int, keep_alive: bool, name: str,
         rate: float | None = None) -> Result:
    """Send every body once from `concurrency` threads; time each request.

    With `rate`, request i is due at start + i/rate and its latency counts from then (a late
    start is latency too), so the row shows what a resident waits at that steady load.
    """
    latencies: list[float] = []
    lock = threading.Lock()
    chunks = [list(enumerate(bodies))[i::concurrency] for i in range(concurrency)]
    began = time.perf_counter() + 0.05

    def worker(chunk: list[tuple[int, bytes]]) -> None:
        mine = []
        connection = None
        for index, raw in chunk:
            signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
            if rate:
                start = began + index / rate
                time.sleep(max(0.0, start - time.perf_counter()))
            else:
                start = time.perf_counter()
            if connection is None or not keep_alive:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", "/webhook", raw, {"X-Hub-Signature-256": signature,
                                                          "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                raise SystemExit(f"{name}: HTTP {response.status}")
            if not keep_alive:
                connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(name, time.perf_counter() - began, latencies)



def make_site(content: Path, site: Path) -> None:
    subprocess.run([sys.executable, "-m", "kelurahan.cli", "menu", "--content", str(content),
                    "--out", str(site)], check=True, stdout=subprocess.DEVNULL)


def graph_count(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        return json.loads(response.read())["count"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=int, default=300, help="paced row: requests/s")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the table shows medians")
    parser.add_argument("--content", type=Path, default=Path("content"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-bot-"))
    make_site(args.content, work / "site")
    baseline, base_port = spawn([sys.executable, "-c", BASELINE])
    graph, graph_port = spawn([sys.executable, "-c", GRAPH])
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "WHATSAPP_VERIFY_TOKEN": "v",
           "WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_ACCESS_TOKEN": "t",
           "GRAPH_API_URL": f"http://127.0.0.1:{graph_port}",
           "KELURAHAN_STATE_DIR": str(work / "state"),
           "KELURAHAN_SECRETS_FILE": str(work / "none.env")}
    bot, bot_port = spawn([sys.executable, "-m", "kelurahan.cli", "bot", "--port", "0",
                           "--site", str(work / "site")], env)
    try:
        runs = [run_all(args, (baseline.pid, base_port), (bot.pid, bot_port), graph_port, r)
                for r in range(args.repeat)]
        expected = args.repeat * 2 * (200 + 3 * args.requests)  # reply + read per new message
        wait_for_replies(graph_port, expected)
        sent = graph_count(graph_port)
    finally:
        for process in (bot, graph, baseline):
            process.terminate()
            process.wait(10)
    report(args, runs, sent, expected)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process: what it cost, however busy the machine was."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(pid: int, run: Callable[[], Result]) -> Result:
    before = cpu_seconds(pid)
    result = run()
    result.cpu_ms = (cpu_seconds(pid) - before) * 1000 / len(result.latencies)
    return result


def run_all(args: argparse.Namespace, base: tuple[int, int], bot: tuple[int, int],
            graph_port: int, run: int) -> list[Result]:
    """Each bot row starts once the replies of the previous one have all been sent.

    `base` and `bot` are (process id, port)."""
    (base_pid, base_port), (bot_pid, bot_port) = base, bot
    n, c, first = args.requests, args.concurrency, run * 20 * args.requests
    texts = [payload(first + i, "1") for i in range(n)]
    paced = [payload(first + n + i, "1") for i in range(n)]
    typos = [payload(first + 2 * n + i, "domisli") for i in range(n)]
    load(base_port, texts[:200], c, False, "warm-up")
    warm = [payload(first + 10 * n + i, "menu") for i in range(200)]
    expected = graph_count(graph_port) + 2 * len(warm)
    load(bot_port, warm, c, False, "warm-up")
    wait_for_replies(graph_port, expected)
    results = [
        measured(base_pid, lambda: load(base_port, texts, c, False,
                                        "baseline: do-nothing waitress")),
        measured(base_pid, lambda: load(base_port, paced, c, False,
                                        f"baseline: paced at {args.rate} req/s", args.rate))]
    rows = [(paced, False, f'bot: "1", paced at {args.rate} req/s', args.rate, 2 * n),
            (texts, False, 'bot: "1" → service answer', None, 2 * n),
            (typos, True, 'bot: "domisli" (typo), keep-alive', None, 2 * n),
            (texts[: n // 2], False, "bot: re-delivered ids (dedupe)", None, 0)]
    for bodies, keep_alive, name, rate, replies in rows:
        began, cpu = time.perf_counter(), cpu_seconds(bot_pid)
        result = load(bot_port, bodies, c, keep_alive, name, rate)
        expected += replies
        wait_for_replies(graph_port, expected)
        result.replies, result.drained = replies, time.perf_counter() - began
        result.cpu_ms = (cpu_seconds(bot_pid) - cpu) * 1000 / len(bodies)
        results.append(result)
    return results


def wait_for_replies(graph_port: int, expected: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while graph_count(graph_port) < expected and time.monotonic() < deadline:
        time.sleep(0.01)


def report(args: argparse.Namespace, runs: list[list[Result]], sent: int, expected: int) -> None:
    """Median over runs of each row's rate, p50 and p99 (one stall of a busy machine is not
    the bot's speed; three in a row would be)."""
    rows = []
    for same in zip(*runs, strict=True):
        drained = [x.replies / x.drained for x in same if x.drained and x.replies]
        rows.append((same[0].name, statistics.median(x.rate for x in same),
                     statistics.median(x.percentile(50) for x in same),
                     statistics.median(x.percentile(99) for x in same),
                     statistics.median(drained) if drained else None,
                     statistics.median(x.cpu_ms for x in same)))
    base = rows[0][1]
    print(f"{args.requests} signed webhooks per row, {args.concurrency} concurrent clients, "
          f"loopback, 2 cores, load average {os.getloadavg()[0]:.1f}; median of {args.repeat} "
          "runs")
    print("| scenario                              |  req/s | p50 ms | p99 ms | rate vs base |"
          " replies/s | CPU ms/req |")
    print("|---------------------------------------|--------|--------|--------|--------------|"
          "-----------|------------|")
    for name, rate, p50, p99, drained, cpu in rows:
        shown = f"{drained:9.0f}" if drained else " " * 9
        print(f"| {name:<37} | {rate:6.0f} | {p50:6.1f} | {p99:6.1f} | {rate / base:12.2f} |"
              f" {shown} | {cpu:10.2f} |")
    paced, unpaced = rows[2], rows[3]
    ok = unpaced[1] >= 500 and paced[3] <= 50 and sent == expected
    print(f"Graph API calls received (replies + read receipts): {sent}/{expected}")
    print(f"target ≥ 500 webhooks/s with replies through the outbox, p99 ≤ 50 ms at "
          f"{args.rate} req/s: {'OK' if ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
