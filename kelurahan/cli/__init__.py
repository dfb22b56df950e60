"""The `kelurahan` command. Parses options, calls one library function, turns errors into exit codes.

Subcommands live one per module in this package and are imported only when used (click's
documented lazy group, with an explicit name → module map), so `kelurahan --help` does not pay
for pydantic, mkdocs, Pillow or network clients.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
import warnings

import click

from kelurahan.cli.bahasa import speak_indonesian
from kelurahan.console import Output
from kelurahan.errors import PILLOW_SIZE_WARNING, ContentError, KelurahanError, describe_os_error

COMMANDS = {
    name: f"kelurahan.cli.{name}"
    for name in ("audit", "bot", "build", "cards", "check", "database", "init", "menu", "new", "post",
                 "publish", "serve")
}


OPTIONS_METAVAR = "[OPSI]"  # click's usage line says [OPTIONS]


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        command: click.Command = importlib.import_module(COMMANDS[cmd_name]).command
        for each in [command, *getattr(command, "commands", {}).values()]:
            each.options_metavar = OPTIONS_METAVAR
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar=OPTIONS_METAVAR, subcommand_metavar="PERINTAH [ARGUMEN]...")
@click.option("--debug", is_flag=True, help="Tampilkan traceback lengkap saat gagal.")
@click.option("-v", "--verbose", is_flag=True, help="Tampilkan log rinci.")
@click.version_option(package_name="kelurahan-digital", help="Tampilkan versi lalu keluar.",
                      message="%(prog)s, versi %(version)s")
def cli(debug: bool, verbose: bool) -> None:
    """Kelurahan Digital: situs web, kartu media sosial, dan menu WhatsApp dari Markdown."""
    # Staff read the warnings: in their words, without the module that logged them.
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s" if verbose
                        else "Peringatan: %(message)s")
    # Libraries' debug lines quote request addresses (a media URL, an access_token in a query
    # string) and photo metadata: never in our log, whatever the level.
    for noisy in ("urllib3", "PIL", "facebook"):
        logging.getLogger(noisy).setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: exit 0 ok, 1 content or run failure, 2 usage error, 3 partly done
    (`build`: some kelurahan held back by content errors; `audit`: some site inactive)."""
    args = sys.argv[1:] if argv is None else argv
    speak_indonesian()
    warnings.filterwarnings("ignore", message=PILLOW_SIZE_WARNING)
    output = Output()
    try:
        # Without standalone mode click returns an Exit's code instead of raising it.
        result = cli.main(args=args, prog_name="kelurahan", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        output.error("Dibatalkan.")
        return 1
    except ContentError as exc:
        if "--debug" in args:
            raise
        output.problems(exc.problems)
        output.error(f"Gagal: {len(exc.problems)} masalah pada konten. Perbaiki lalu coba lagi.")
        return 1
    except KelurahanError as exc:
        if "--debug" in args:
            raise
        output.error(f"Gagal: {exc}")
        return 1
    except OSError as exc:  # no permission on --out, disk full, …: the path and what to do
        if "--debug" in args:
            raise
        output.error(f"Gagal: {describe_os_error(exc)}")
        return 1
    return result if isinstance(result, int) else 0



def run() -> None:
    """The console script: `main`, then exit without the interpreter's last garbage collections.

    A build leaves ~50,000 tracked objects (mkdocs, pydantic); collecting them at exit took
    0.3 s of a 3 s one-post build. Everything is written and closed by now: the OS frees it.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()
    sys.exit(code)
