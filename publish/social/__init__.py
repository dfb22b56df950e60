"""Scheduled, exactly-once publishing of the social cards to Facebook, Instagram and TikTok.

Reads the content model (what is due, where) and what `kelurahan build` wrote under the site
folder (`<slug>/kartu/<stem>/kartu.json` and the JPEGs); never parses content files and never
imports `generator`. Every attempt is a row in the ledger (`<state_dir>/publish.sqlite3`).
`last_published(state_dir)` is the audit's view of it.
"""

from __future__ import annotations

from publish.social.ledger import last_published

__all__ = ["last_published"]
