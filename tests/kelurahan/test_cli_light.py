"""`kelurahan --help` answers at once: it must not import pydantic, Pillow, mkdocs or clients."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "PIL", "mkdocs", "requests", "facebook", "feedparser", "jinja2", "yaml",
         "generator", "publish")


def test_help_imports_nothing_heavy() -> None:
    script = ("import sys\nfrom kelurahan.cli import main\ncode = main(['--help'])\n"
              f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert "Perintah:" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_output_to_a_pipe_is_the_text_as_written_without_rich() -> None:
    """The timer and CI read plain lines; rich (~30 ms) is not imported for them, and a title
    with brackets or colons is printed as written."""
    script = ("import sys\nfrom kelurahan.console import Output\nout = Output()\n"
              "out.say('[b]Rapat[/b] RT 03 :smile:')\nout.error('Gagal: [x]')\n"
              "print('rich' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.splitlines() == ["[b]Rapat[/b] RT 03 :smile:", "False"]
    assert result.stderr == "Gagal: [x]\n"


def test_output_to_a_terminal_is_coloured_by_rich() -> None:
    import os
    import pty
    import select

    script = ("import sys\nfrom kelurahan.console import Output\n"
              "Output().error('Gagal: [x] :smile:')\nprint('rich' in sys.modules, file=sys.stderr)")
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    try:
        result = subprocess.run([sys.executable, "-c", script], stdout=subprocess.DEVNULL,
                                stderr=follower, env=env, check=True, timeout=60)
        assert result.returncode == 0
        chunks = []
        while select.select([leader], [], [], 0.5)[0]:  # the child has exited: read what it wrote
            chunks.append(os.read(leader, 4096))
        written = b"".join(chunks).decode()
    finally:
        os.close(leader)
        os.close(follower)
    assert "Gagal: [x] :smile:" in written and "\x1b[" in written  # bold red
    assert "True" in written


def test_a_line_reaches_a_pipe_at_once() -> None:
    """`kelurahan bot` runs for months with its output in the journal: a line cannot wait in
    a buffer until the process ends."""
    import os
    import select

    script = ("import time\nfrom kelurahan.console import Output\n"
              "Output().say('Bot siap')\ntime.sleep(60)")
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                               env=env)
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        assert ready and process.stdout.readline() == "Bot siap\n"
        assert process.poll() is None  # still running: the line was not flushed by the exit
    finally:
        process.kill()
        process.wait()
