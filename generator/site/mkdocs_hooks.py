"""mkdocs hooks for kelurahan sites (listed in the per-site config written by mkdocs_site.py).

mkdocs compiles every theme template again on each build; with 59 sites that is most of the
template time, so compiled templates are kept on disk (shared by all worker processes).
"""

from __future__ import annotations

from pathlib import Path


def on_config(config):  # mkdocs event signature
    """Generated HTML is copied into pages, not parsed by Markdown (generator/site/raw_html.py);
    Material's own templates folder is not searched (see `_without_material`)."""
    from generator.site.raw_html import RawHtmlExtension

    config.markdown_extensions.append(RawHtmlExtension())
    config.theme.dirs = _without_material(config.theme.dirs)
    return config


def _without_material(dirs: list[str]) -> list[str]:
    """Our layout (themes/site) replaces Material's templates and never includes one of them,
    yet mkdocs would walk Material's 14,509 files (mostly icons) on every build only for
    `on_files` to drop them: about a quarter of a second a site."""
    import material  # type: ignore[import-untyped]

    templates = Path(material.__file__).parent / "templates"
    return [folder for folder in dirs if Path(folder) != templates]


def on_env(env, config, files):  # mkdocs event signature
    from jinja2 import FileSystemBytecodeCache

    folder = config.extra.get("jinja_cache")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(folder)
    return env


# Theme files our pages never load: our layout (themes/site/main.html) inlines its own small
# stylesheet and script, so Material's bundles, icons and our partials are not copied.
_UNUSED = ("assets/", "partials/")


def on_files(files, config):  # mkdocs event signature
    """Copy less: every site would otherwise carry 2.5 MB of files nobody downloads."""
    for file in list(files):
        if file.src_uri.startswith(_UNUSED) or file.src_uri.endswith(".map"):
            files.remove(file)
    return files
