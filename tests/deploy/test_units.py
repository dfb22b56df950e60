"""The shipped systemd units and crontab: valid for systemd, real `kelurahan` commands, and the
crontab lines run for real against a new city (server paths moved under a temporary folder)."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kelurahan.cli import COMMANDS, cli

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
BIN = Path(sys.executable).parent
UNITS = sorted(DEPLOY.glob("kelurahan*.service")) + sorted(DEPLOY.glob("kelurahan*.timer"))
PROGRAM = "/opt/kelurahan/bin/kelurahan"


def unit(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


def exec_lines(path: Path) -> list[list[str]]:
    """Every ExecStart= of a unit (systemd keeps repeated keys; configparser keeps the last)."""
    return [shlex.split(line.split("=", 1)[1]) for line in path.read_text().splitlines()
            if line.startswith("ExecStart=")]


def parse(args: list[str]) -> None:
    """The real CLI parses the options (types, choices, required) without running anything."""
    assert args[0] == PROGRAM, args
    assert args[1] in COMMANDS, args
    with click.Context(cli) as parent:
        cli.get_command(parent, args[1]).make_context(args[1], args[2:], parent=parent)


def test_units_name_each_other_and_run_real_commands() -> None:
    names = {p.name for p in UNITS}
    assert names == {"kelurahan.service", "kelurahan.timer", "kelurahan-bot.service",
                     "kelurahan-audit.service", "kelurahan-audit.timer"}
    for timer in DEPLOY.glob("*.timer"):
        assert unit(timer)["Timer"]["Unit"] in names
    steps = [args[1] for args in exec_lines(DEPLOY / "kelurahan.service")]
    assert steps == ["build", "publish"], "build first: publish reads the cards it wrote"
    assert unit(DEPLOY / "kelurahan.timer")["Timer"]["OnCalendar"] == "*:0/5"
    for path in UNITS:
        for args in exec_lines(path):
            parse(args)
        if path.suffix == ".service":
            assert unit(path)["Service"]["UMask"] == "0022", f"{path.name}: nginx must read output"


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze tidak ada")
    for path in UNITS:
        (tmp_path / path.name).write_text(path.read_text().replace(PROGRAM, str(BIN / "kelurahan")))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no",
                             *sorted(str(p) for p in tmp_path.iterdir())],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_crontab_lines_run(tmp_path: Path) -> None:
    root = tmp_path / "server"
    moved = {"/srv/kelurahan": root / "srv", "/var/lib/kelurahan": root / "status",
             "/var/log/kelurahan": root / "log", "/etc/kelurahan": root / "etc",
             "/opt/kelurahan/bin": BIN}
    for folder in ("status", "log", "etc"):
        (root / folder).mkdir(parents=True)
    subprocess.run([BIN / "kelurahan", "init", root / "srv", "--kota", "Kota Uji",
                    "--zona-waktu", "WITA"], check=True, capture_output=True)
    lines = [line for line in (DEPLOY / "crontab").read_text().splitlines()
             if line and not line.startswith("#")]
    assert [line.split()[:5] for line in lines] == [["*/5", "*", "*", "*", "*"],
                                                   ["0", "7", "*", "*", "1"]]
    for line in lines:
        command = line.split(None, 5)[5]
        for old, new in moved.items():
            command = command.replace(old, str(new))
        result = subprocess.run(["sh", "-c", command], capture_output=True, text=True,
                                check=False, env={"PATH": "/usr/bin:/bin"})
        assert result.returncode in (0, 3), (line, result.stderr)  # 3: some site not active
    log = (root / "log" / "siklus.log").read_text()
    assert "Selesai: 1 situs dibangun ulang" in log
    assert "Tidak ada yang perlu diposting sekarang." in log
    assert (root / "srv" / "site" / "contoh" / "index.html").is_file()
    assert (root / "srv" / "audit" / "audit.html").is_file()
    assert (root / "status" / "publish.sqlite3").is_file()
