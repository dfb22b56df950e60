"""Wiring for the WhatsApp posting desk: the generator's card drawing and site build, handed to
the bot as plain functions (the `kelurahan.posting` contracts), so `publish` never imports
`generator`. Both run in the bot's process: no interpreter start-up inside the 3 s / 5 s budgets.
"""

from __future__ import annotations

import importlib
import logging
import threading
from pathlib import Path

from kelurahan.errors import ContentError, KelurahanError
from kelurahan.posting import Built

log = logging.getLogger(__name__)


def desk_tools(content_dir: Path, site_dir: Path, state_dir: Path, project_root: Path):
    """`DeskTools` for `start_bot`: draw a draft's card, build one kelurahan (waiting its turn)."""
    from generator.cards.draft import DraftCards
    from kelurahan.resources import resource
    from publish.bot.desk import DeskTools

    render_card = DraftCards(resource(project_root, "themes"))

    def build_site(slug: str) -> Built:
        from generator.build import BuildOptions, build

        options = BuildOptions(content_dir=content_dir, out_dir=site_dir, state_dir=state_dir,
                               project_root=project_root, only=(slug,), jobs=1, wait=True)
        try:
            report = build(options)
        except KelurahanError as exc:
            return Built(False, str(exc))
        if slug in report.held:  # another kelurahan's errors do not stop this one
            own = [p for p in report.held_problems
                   if Path(p.path).is_relative_to(content_dir / slug)]
            return Built(False, str(ContentError(own)))
        return Built(True)

    threading.Thread(target=_warm_up, name="meja-terbit-pemanasan", daemon=True).start()
    return DeskTools(content_dir, site_dir, render_card, build_site)


def _warm_up() -> None:
    """Import the generator now, so the first photo and the first Terbitkan do not wait ~1 s."""
    for name in ("generator.cards.draft", "generator.build", "mkdocs.commands.build"):
        try:
            importlib.import_module(name)
        except ImportError as exc:  # shows up again, with its reason, when really needed
            log.debug("pemanasan %s gagal: %s", name, exc)
