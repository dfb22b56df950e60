"""One kelurahan's website (mkdocs-material + Pagefind) and the city portal, from the model."""

from generator.site.kelurahan_site import build_kelurahan_site
from generator.site.portal import write_portal

__all__ = ["build_kelurahan_site", "write_portal"]
