"""Sphinx extension that `make site` (scripts/build_site.py) adds to the build of every version of the book.

Old release commits cannot be changed, so the version switcher and the banner are injected at build time: the site
builder puts this folder on PYTHONPATH, lists this module in a copy of the commit's ``_config.yml`` and passes the
settings in environment variables:

- ``GREENSILK_SITE_JSON_URL``: the switcher's JSON (relative: resolved by the theme against this version's root);
- ``GREENSILK_SITE_VERSION``: this build's entry in that JSON (``version_match``);
- ``GREENSILK_SITE_BANNER``: HTML of the announcement bar (e.g. "an older version; read the latest").
"""

from __future__ import annotations

import os


def _on_config_inited(app, config):
    options = dict(config.html_theme_options or {})
    options["switcher"] = {
        "json_url": os.environ["GREENSILK_SITE_JSON_URL"],
        "version_match": os.environ["GREENSILK_SITE_VERSION"],
    }
    # the theme would try to read a relative json_url from the source folder at build time: the file is the site's
    options["check_switcher"] = False
    options["show_version_warning_banner"] = False  # our own banner, with the report's wording, instead
    banner = os.environ.get("GREENSILK_SITE_BANNER", "")
    if banner:
        options["announcement"] = banner
    config.html_theme_options = options
    # the switcher sits in the left sidebar, under the book's title (sphinx-book-theme's default sidebar otherwise)
    sidebar = [
        "navbar-logo.html",
        "version-switcher.html",
        "icon-links.html",
        "search-button-field.html",
        "sbt-sidebar-nav.html",
    ]
    config.html_sidebars = {"**": sidebar}


def _script_key(script):
    return (str(getattr(script, "filename", script) or ""), repr(sorted(getattr(script, "attributes", {}).items())))


def _restore_theme_scripts(app, pagename, templatename, context, doctree):
    """Older commits' greensilk.sphinxext replaced the page's script list by a de-duplicated copy early in
    html-page-context, so the scripts that the theme adds to the builder's list afterwards (the page name and the
    version switcher's settings) never reached the page. Put back what is missing, once."""
    scripts = context.get("script_files")
    own = getattr(app.builder, "_js_files", None)
    if scripts is None or own is None or scripts is own:
        return
    present = {_script_key(s) for s in scripts}
    for script in own:
        if _script_key(script) not in present:
            scripts.append(script)
            present.add(_script_key(script))


def setup(app):
    # after greensilk.sphinxext (priority 500), which also edits the theme options
    app.connect("config-inited", _on_config_inited, priority=900)
    app.connect("html-page-context", _restore_theme_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
