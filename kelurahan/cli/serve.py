"""`kelurahan serve`: look at the built sites on this computer before publishing them."""

from __future__ import annotations

import errno
from pathlib import Path

import click

from kelurahan.cli._options import out_option
from kelurahan.console import Output
from kelurahan.errors import KelurahanError, describe_os_error


@click.command("serve")
@out_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port lokal.")
def command(out_dir: Path, port: int) -> None:
    """Pratinjau situs hasil `kelurahan build` di http://127.0.0.1:PORT/."""
    from generator.preview import make_server

    if not (out_dir / "index.html").is_file():
        raise KelurahanError(f"{out_dir}/index.html belum ada; jalankan 'kelurahan build' dulu")
    try:
        server = make_server(out_dir, port)
    except OSError as exc:
        reason = ("sudah dipakai program lain" if exc.errno == errno.EADDRINUSE
                  else describe_os_error(exc))
        raise KelurahanError(f"port {port} tidak bisa dipakai ({reason}); coba --port lain, "
                             "misalnya --port 8001") from None
    output = Output()
    output.say(f"Pratinjau: http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C untuk berhenti)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        output.say("Berhenti.")
    finally:
        server.server_close()
