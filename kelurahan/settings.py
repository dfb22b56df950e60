"""Run-time settings from the environment or a git-ignored secrets file; never from content/.

The secrets file (default `.secrets.env`, or `KELURAHAN_SECRETS_FILE`) holds `NAME=value` lines
with the same names as the environment; the environment wins.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_GRAPH_API_URL = "https://graph.facebook.com"
DEFAULT_GRAPH_API_VERSION = "v21.0"
DEFAULT_TIKTOK_API_URL = "https://open.tiktokapis.com"


def read_secrets_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines as python-dotenv reads them (comments, `export`, quotes, escapes)."""
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {name: value for name, value in dotenv_values(path, encoding="utf-8").items()
            if value is not None}


@dataclass(frozen=True)
class Settings:
    """Everything configurable by environment, read once and passed down (no global state)."""

    values: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        secrets_file = Path(environ.get("KELURAHAN_SECRETS_FILE", ".secrets.env"))
        return cls({**read_secrets_file(secrets_file), **environ})

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        return value if value else default

    @property
    def state_dir(self) -> Path:
        return Path(self.get("KELURAHAN_STATE_DIR") or ".kelurahan")

    @property
    def graph_api_url(self) -> str:
        return (self.get("GRAPH_API_URL") or DEFAULT_GRAPH_API_URL).rstrip("/")

    @property
    def graph_api_version(self) -> str:
        return self.get("GRAPH_API_VERSION") or DEFAULT_GRAPH_API_VERSION

    @property
    def tiktok_api_url(self) -> str:
        return (self.get("TIKTOK_API_URL") or DEFAULT_TIKTOK_API_URL).rstrip("/")

    @property
    def local_site(self) -> bool:
        """KELURAHAN_LOCAL_SITE=1: a test/staging `alamat_situs` on http or a local host."""
        return (self.get("KELURAHAN_LOCAL_SITE") or "").lower() in ("1", "ya", "true", "yes")

    def token(self, slug: str, channel: str) -> str | None:
        """`KELURAHAN_<SLUG>_<CHANNEL>_TOKEN`, SLUG upper-cased with `-` → `_`."""
        return self.get(token_name(slug, channel))


def token_name(slug: str, channel: str) -> str:
    return f"KELURAHAN_{slug.upper().replace('-', '_')}_{channel.upper()}_TOKEN"
