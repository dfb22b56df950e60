"""mkdocs hooks for kelurahan sites (listed in the per-site config written by mkdocs_site.py).

mkdocs compiles every theme template again on each build; with 59 sites that is most of the
template time, so compiled templates are kept on disk (shared by all worker processes).
"""

from __future__ import annotations

from pathlib import Path


def on_config(config):  # mkdocs event signature
    """Generated HTML is copied into pages, not parsed by Markdown (generator/site/raw_html.py)."""
    from generator.site.raw_html import RawHtmlExtension

    config.markdown_extensions.append(RawHtmlExtension())
    return config


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
