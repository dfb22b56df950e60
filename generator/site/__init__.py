"""One kelurahan's website (mkdocs-material + Pagefind) and the city portal, from the model."""

from generator.site.kelurahan_site import build_kelurahan_site
from generator.site.portal import PORTAL_FILES, write_portal

__all__ = ["PORTAL_FILES", "build_kelurahan_site", "write_portal"]
