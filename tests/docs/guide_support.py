"""Run the commands of the Indonesian guides, so the guides cannot rot.

Blocks fenced ```sh are what a lurah or the `kelurahan` user types: they run for real, in order,
in a sandbox (the server paths /srv, /opt, /var/lib of the Diskominfo guide moved under a
temporary folder). Blocks fenced ```bash need root and a real server (apt, systemd, certbot,
nginx): they are checked without running them (shell syntax, every `kelurahan` command and
option parsed by the real CLI, every shipped file and unit they name exists).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from tests.deploy.nginx_support import free_port

REPO = Path(__file__).resolve().parents[2]
GUIDES = REPO / "docs" / "panduan"
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.M | re.S)
SHELL_OPERATORS = {"&&", "||", "|", ";", "&"}
SERVE = re.compile(r"^(?P<cmd>\S*kelurahan serve)(?P<args>.*?)--port \d+(?P<rest>.*)$", re.M)

# Fetch the preview once it listens, then stop it: `kelurahan serve` runs until Ctrl+C.
SERVE_CHECK = """\
{cmd}{args}--port {port}{rest} > serve.log 2>&1 &
SERVE_PID=$!
python3 - <<'PY'
import time, urllib.request
for _ in range(300):
    try:
        page = urllib.request.urlopen("http://127.0.0.1:{port}/sukamaju/kartu/", timeout=2).read()
        assert "Kartu" in page.decode() or "kartu" in page.decode(), page[:200]
        break
    except OSError:
        time.sleep(0.1)
else:
    raise SystemExit("kelurahan serve tidak menjawab")
PY
kill $SERVE_PID
"""


@dataclass(frozen=True)
class Block:
    kind: str
    text: str


def blocks(path: Path, kind: str | None = None) -> list[Block]:
    found = [Block(m.group(1), m.group(2)) for m in FENCE.finditer(path.read_text("utf-8"))]
    return [b for b in found if kind is None or b.kind == kind]


def script(path: Path, replacements: dict[str, str]) -> str:
    """Every ```sh block of a guide, in order, as one script; server paths moved."""
    text = "\n".join(b.text for b in blocks(path, "sh"))
    for old, new in replacements.items():
        text = text.replace(old, new)
    return SERVE.sub(lambda m: SERVE_CHECK.format(port=free_port(), **m.groupdict()), text)


def kelurahan_commands(text: str) -> list[list[str]]:
    """`kelurahan SUB ARGS…` invocations in shell text (any path to the program)."""
    commands = []
    for line in text.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        for i, word in enumerate(words):
            before = words[i - 1] if i else "&&"
            at_start = before in SHELL_OPERATORS or re.match(r"^\w+=", before)
            if at_start and "=" not in word and Path(word).name == "kelurahan" and words[i + 1:]:
                rest = words[i + 1:]
                end = next((j for j, w in enumerate(rest) if w in SHELL_OPERATORS), len(rest))
                commands.append(rest[:end])
    return commands


def shipped_paths(text: str) -> list[str]:
    """Files of this repository a command names (`deploy/…`)."""
    return re.findall(r"(?<![\w/])(deploy/[\w./-]+)", text)


def unit_names(text: str) -> list[str]:
    return re.findall(r"\b(kelurahan(?:-[a-z]+)?\.(?:service|timer))\b", text)
