"""One new post built the way the WhatsApp bot builds it after Terbitkan: `build_site` of the
desk (`kelurahan bot`'s own wiring), in a process that imported the generator at start-up.

    python benchmarks/bot_build.py --content C --out O --slug S [--runs 3]

Run by `benchmarks/build.py` after its CLI builds (caches warm). Each run writes one more post
into S and times `build_site(S)` until the output folder settled; prints the seconds as JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.build import _add_post, _settled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--slug", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from kelurahan.cli._desk import desk_tools
    from kelurahan.resources import project_root

    state = Path(os.environ["KELURAHAN_STATE_DIR"])
    tools = desk_tools(args.content, args.out, state, project_root())
    for name in ("generator.cards.draft", "generator.build", "mkdocs.commands.build"):
        importlib.import_module(name)  # what the bot's warm-up thread imports at start
    seconds = []
    for _ in range(args.runs):
        page = _add_post(args.content, args.slug)
        start = time.perf_counter()
        built = tools.build_site(args.slug)
        _settled(args.out, state)
        seconds.append(time.perf_counter() - start)
        if not built.ok or not (args.out / page).is_file():
            sys.exit(f"pos baru tidak dibangun: {built.reason}")
    print(json.dumps(seconds))


if __name__ == "__main__":
    main()
