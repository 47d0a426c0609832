"""Sphinx extension used by the book (listed under ``sphinx: extra_extensions`` in ``_config.yml``).

- puts the report version (from :mod:`greensilk`) and the git commit on every HTML page and on the PDF title page;
- ``{build-status}`` directive: notebook execution times, the execution policy and package versions;
- an author–year label style for the bibliography (``bibtex_default_style: authoryear``);
- for the PDF (LaTeX builder only): "Data (CSV)" download links become absolute links to the published files
  (``html.baseurl`` in ``_config.yml`` is the one place the base URL is set), tables get column widths so that
  nothing is clipped, the data catalogue shrinks to its summary table, and chapter numbering follows the HTML
  (numbering restarts with each numbered part; unnumbered parts stay unnumbered).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import greensilk
from greensilk.figures import column_widths

logger = logging.getLogger(__name__)

KEY_PACKAGES = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "sphinxcontrib-bibtex",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "geopandas",
    "shapely",
    "pyproj",
    "pyogrio",
    "frictionless",
    "nbval",
    "pytest",
)


def git_commit(root: Path) -> tuple[str, str]:
    """(short commit, commit date) of the checkout, ``GREENSILK_COMMIT`` if set, else ('unknown', '')."""
    if os.environ.get("GREENSILK_COMMIT"):
        return os.environ["GREENSILK_COMMIT"], os.environ.get("GREENSILK_COMMIT_DATE", "")
    try:
        sha = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=10", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        date = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%cs"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown", ""
    return (sha + ("+uncommitted" if dirty else "")), date


def _on_config_inited(app, config):
    root = Path(app.confdir)
    # html.baseurl is the versioned site's root; each page's canonical link names the page in latest/ (the site has
    # no page at the root itself)
    if config.html_baseurl and not config.greensilk_site_url:
        config.greensilk_site_url = site_url(config)
        config.html_baseurl = config.greensilk_site_url + "latest/"
    sha, date = git_commit(root)
    version = greensilk.__version__
    config.version = version
    config.release = f"{version} (commit {sha})"
    stamp = (
        f'<p class="greensilk-version">Version <strong>{version}</strong> · commit <code>{sha}</code>'
        + (f" of {date}" if date else "")
        + ' · <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p>'
    )
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (options.get("extra_footer") or "") + stamp
    config.html_theme_options = options
    # without a default the theme logs "Got invalid theme mode" on a reader's first visit (no stored preference)
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context
    subs = dict(config.myst_substitutions or {}) if hasattr(config, "myst_substitutions") else {}
    subs.update({"version": version, "commit": sha, "commit_date": date or "n.d."})
    config.myst_substitutions = subs


class BuildStatus(SphinxDirective):
    """Tables of notebook execution times and package versions, rendered at build time."""

    has_content = False

    def run(self):
        root = Path(self.env.app.confdir)
        status = root / "_build" / "status" / "execution.json"
        sha, date = git_commit(root)
        lines = [
            f"This copy of the book was built from version **{greensilk.__version__}**, commit `{sha}`"
            + (f" ({date})" if date else "")
            + f", with Python {platform.python_version()} on {platform.system()} {platform.machine()}.",
            "",
        ]
        if status.is_file():
            data = json.loads(status.read_text(encoding="utf-8"))
            lines += [
                f"Notebook execution times, measured by `{data['measured_by']}` on the machine that built this book:",
                "",
                "| Notebook | Execution time (s) |",
                "|---|---|",
            ]
            lines += [f"| `{name}` | {secs:.1f} |" for name, secs in sorted(data["seconds"].items())]
            lines += [f"| **total** | {sum(data['seconds'].values()):.1f} |", ""]
        else:
            lines += [
                "No notebook execution was measured before this build (run `make test` or `make notebooks` "
                "first to record execution times here).",
                "",
            ]
        bench = root / "book" / "benchmark.json"
        if bench.is_file():
            from greensilk.bench import markdown_table

            result = json.loads(bench.read_text(encoding="utf-8"))
            when = dt.datetime.fromtimestamp(result["measured_at_unix"], dt.UTC).strftime("%Y-%m-%d")
            machine = result["machine"]
            lines += [
                "## Latest benchmark",
                "",
                f"Measured with `make bench` on {when} (Python {machine['python']}, {machine['cpus']} CPUs; median of "
                f"{result['repeat']} runs; `book/benchmark.json`). `make book` starts Sphinx only when an input "
                "changed, so a rebuild without changes costs almost nothing.",
                "",
                markdown_table(result),
                "",
            ]
            self.env.note_dependency(str(bench))
        lines += ["## Package versions", "", "| Package | Version |", "|---|---|"]
        for name in KEY_PACKAGES:
            try:
                lines.append(f"| {name} | {metadata.version(name)} |")
            except metadata.PackageNotFoundError:
                lines.append(f"| {name} | not installed |")
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="build-status"), self.content_offset, container)
        self.env.note_dependency(str(status))
        return container.children


def site_url(config) -> str:
    """The site's address (``html.baseurl`` in ``_config.yml``, set once), ending in '/', or ''."""
    url = getattr(config, "greensilk_site_url", "") or getattr(config, "html_baseurl", "") or ""
    return url if not url or url.endswith("/") else url + "/"


def version_url(config, version: str, root: Path) -> str:
    """Where this copy of the book is published on the versioned site: ``<base>v<version>/`` for a release,
    ``<base>latest/`` otherwise.

    `make site` says which folder it builds (``GREENSILK_SITE_VERSION``). Otherwise a clean checkout of the commit
    tagged ``v<version>`` or recorded for that version in ``book/releases.json`` is the release (the release commit
    itself is recorded in the commit after it, hence the tag)."""
    base = site_url(config)
    if not base:
        return ""
    site = os.environ.get("GREENSILK_SITE_VERSION")
    if site:
        return f"{base}latest/" if site == "latest" else f"{base}v{site}/"
    from greensilk.publishing.releases import load_releases

    def rev(name: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "-q", "--verify", name + "^{commit}"], capture_output=True, text=True
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    head = rev("HEAD")
    sha, _ = git_commit(root)
    recorded = {r["commit"] for r in load_releases(root) if r["version"] == version} | {rev(f"v{version}")}
    released = bool(head) and head in recorded and not sha.endswith("+uncommitted")
    return f"{base}v{version}/" if released else f"{base}latest/"


def citation_texts(root: Path, commit: str, url: str = "") -> dict[str, str]:
    """The report's citation as BibTeX, RIS, APA and plain text, generated from CITATION.cff (cffconvert)."""
    from greensilk.publishing.releases import citations

    return citations(root, greensilk.__version__, commit, url)


class ReportCitation(SphinxDirective):
    """The report's citation (``:format: text``, ``apa``, ``bibtex`` or ``ris``), always for the version being built."""

    option_spec = {"format": lambda arg: arg.strip()}

    def run(self):
        root = Path(self.env.app.confdir)
        sha, _ = git_commit(root)
        fmt = self.options.get("format", "text")
        text = citation_texts(root, sha, version_url(self.config, greensilk.__version__, root))[fmt]
        self.env.note_dependency(str(root / "CITATION.cff"))
        if fmt in ("bibtex", "ris"):
            block = nodes.literal_block(text, text)
            block["language"] = "bibtex" if fmt == "bibtex" else "text"
            return [block]
        return [nodes.paragraph(text, text)]


def _toc_chapters(root: Path) -> list[tuple[str, str]]:
    """(docname, part caption) of every numbered chapter of ``_toc.yml``, in order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    out = []
    for part in toc.get("parts", []):
        if part.get("numbered"):
            out += [(c["file"], part.get("caption", "")) for c in part.get("chapters", [])]
    return out


class ChapterCitations(SphinxDirective):
    """A citation for each numbered chapter: the report's APA citation with the chapter's number, title and URL."""

    def run(self):
        root = Path(self.env.app.confdir)
        sha, _ = git_commit(root)
        node = chapter_citations_node()
        node["commit"] = sha
        for docname, _ in _toc_chapters(root):
            self.env.note_dependency(str(root / (docname + ".ipynb")))
        return [node]


class chapter_citations_node(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    pass


class ListOfFigures(SphinxDirective):
    """A table of every numbered figure of the book: number, caption, chapter, citation text and downloads."""

    def run(self):
        return [list_of_figures_node()]


class list_of_figures_node(nodes.General, nodes.Element):  # noqa: N801
    pass


def _report_apa(app, commit: str) -> str:
    return citation_texts(Path(app.confdir), commit)["apa"]


def _figure_number(env, docname: str, figid: str) -> str:
    number = env.toc_fignumbers.get(docname, {}).get("figure", {}).get(figid)
    return ".".join(map(str, number)) if number else ""


def _chapter_number(env, docname: str) -> str:
    number = env.toc_secnumbers.get(docname, {}).get("")
    return ".".join(map(str, number)) if number else ""


def _resolve_generated(app, doctree, fromdocname):
    """Fill the chapter-citation and list-of-figures placeholders once every document is read and numbered."""
    env = app.env
    builder = app.builder
    base = version_url(app.config, greensilk.__version__, Path(app.confdir))
    for node in list(doctree.findall(chapter_citations_node)):
        report = _report_apa(app, node["commit"])
        items = nodes.bullet_list()
        for docname, _ in _toc_chapters(Path(app.confdir)):
            if docname not in env.titles:
                continue
            title = env.titles[docname].astext()
            number = _chapter_number(env, docname)
            url = base + docname + ".html" if base else ""
            text = f"Chapter {number}, “{title}”. In: {report}" + (f" {url}" if url else "")
            para = nodes.paragraph()
            para += nodes.Text(f"Chapter {number}, ")
            ref = nodes.reference("", f"“{title}”", internal=True)
            ref["refuri"] = builder.get_relative_uri(fromdocname, docname)
            para += ref
            para += nodes.Text(text[len(f"Chapter {number}, “{title}”") :])
            items += nodes.list_item("", para)
        node.replace_self(items)
    for node in list(doctree.findall(list_of_figures_node)):
        figures = getattr(env, "greensilk_figures", {})
        commit = git_commit(Path(app.confdir))[0]
        report = _report_apa(app, commit)
        rows = []
        for docname, _ in _toc_chapters(Path(app.confdir)):
            for fig in figures.get(docname, []):
                rows.append((docname, fig))
        if not rows:
            node.replace_self(nodes.paragraph(text="This version of the book has no numbered figures."))
            continue
        table_rows = []
        for docname, fig in rows:
            number = _figure_number(env, docname, fig["id"])
            title = env.titles[docname].astext() if docname in env.titles else docname
            entry = nodes.paragraph()
            ref = nodes.reference("", f"Figure {number}" if number else fig["id"], internal=True)
            ref["refuri"] = builder.get_relative_uri(fromdocname, docname) + "#" + fig["id"]
            entry += ref
            entry += nodes.Text(f" — {fig['caption']}")
            url = f"{base}{docname}.html#{fig['id']}" if base else ""
            cite = nodes.paragraph(
                text=f"Cite as: Figure {number}, chapter “{title}”. In: {report}" + (f" {url}" if url else "")
            )
            table_rows.append(nodes.list_item("", entry, cite))
        items = nodes.bullet_list()
        items.extend(table_rows)
        node.replace_self(items)


def _claim_anchors(app, doctree, docname):
    """Give each claim of the claims ledger its own anchor (``#c017``): the ledger's per-claim detail is a notebook
    output (a definition list whose terms start with the claim id in bold), rendered after the page is read, so this
    runs on the resolved page."""
    import re

    for term in doctree.findall(nodes.term):
        first = next((child for child in term.children if child.astext().strip()), None)
        if isinstance(first, nodes.strong) and re.fullmatch(r"c\d{3}", first.astext()):
            claim = first.astext()
            if claim not in term["ids"]:
                term["ids"].append(claim)


def _collect_figures(app, doctree):
    """On reading a page: remember its figures (for the list of figures) and offer every figure as SVG and 2x PNG
    next to its CSV."""
    import re

    env = app.env
    docname = env.docname
    figures = []
    for fig in doctree.findall(nodes.figure):
        if not fig["ids"]:
            continue
        caption = next(iter(fig.findall(nodes.caption)), None)
        text = caption.astext() if caption is not None else ""
        first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0] if text else ""
        figures.append({"id": fig["ids"][0], "caption": first})
        if app.builder.format == "html":
            _add_image_downloads(app, fig, docname)
    if not hasattr(env, "greensilk_figures"):
        env.greensilk_figures = {}
    env.greensilk_figures[docname] = figures


FIGURE_FORMATS = (("svg", "SVG"), ("@2x.png", "PNG 2×"))


def _add_image_downloads(app, figure, docname):
    import re

    for ref in list(figure.findall(addnodes.download_reference)):
        match = re.search(r"figdata/([\w-]+)\.csv$", ref.get("reftarget", ""))
        if not match:
            continue
        name = match.group(1)
        parent = ref.parent
        index = parent.index(ref)
        added = []
        for suffix, label in FIGURE_FORMATS:
            path = Path(app.srcdir) / "_build" / "figures" / (f"{name}.{suffix}" if suffix == "svg" else name + suffix)
            if not path.is_file():
                # a quick local build may skip the exports; CI, releases and the site require them
                # (GREENSILK_FIGURES=required, set by .ci/run and scripts/build_site.py), so a missing one fails -W
                report = logger.warning if os.environ.get("GREENSILK_FIGURES") == "required" else logger.info
                report(f"figure {name}: {path.relative_to(app.srcdir)} is missing (make figures)", location=docname)
                continue
            node = addnodes.download_reference(
                "",
                "",
                reftarget="/" + path.relative_to(app.srcdir).as_posix(),
                refdoc=docname,
                refdomain="",
                reftype="download",
                refexplicit=True,
                refwarn=False,
            )
            node += nodes.literal(label, label, classes=["xref", "download"])
            added += [nodes.Text(", "), node]
        for offset, node in enumerate(added, start=1):
            parent.insert(index + offset, node)
        break


def _purge_figures(app, env, docname):
    if hasattr(env, "greensilk_figures"):
        env.greensilk_figures.pop(docname, None)


def _merge_figures(app, env, docnames, other):
    if not hasattr(env, "greensilk_figures"):
        env.greensilk_figures = {}
    env.greensilk_figures.update(getattr(other, "greensilk_figures", {}))


def _register_authoryear_style():
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.unsrt import Style as UnsrtStyle
    from pybtex.style.labels import BaseLabelStyle

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            labels = list(self._plain_labels(sorted_entries))
            counts = {label: labels.count(label) for label in labels}
            seen: dict[str, int] = {}
            for label in labels:
                if counts[label] == 1:
                    yield label
                else:  # "CGTN 2025a", "CGTN 2025b", in sorted order
                    seen[label] = seen.get(label, 0) + 1
                    yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]

        def _plain_labels(self, sorted_entries):
            for entry in sorted_entries:
                persons = entry.persons.get("author") or entry.persons.get("editor") or []
                if persons:
                    first = persons[0]
                    name = " ".join(first.prelast_names + first.last_names) or str(first)
                    name = name.replace("{", "").replace("}", "")
                    if len(persons) == 2:
                        second = persons[1]
                        name += " & " + " ".join(second.prelast_names + second.last_names).replace("{", "").replace(
                            "}", ""
                        )
                    elif len(persons) > 2:
                        name += " et al."
                else:
                    name = entry.fields.get("organization", entry.fields.get("publisher", entry.key))
                yield f"{name} {entry.fields.get('year', 'n.d.')}"

    class AuthorYearStyle(UnsrtStyle):
        default_label_style = "authoryear"
        default_sorting_style = "author_year_title"

    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)

    from dataclasses import dataclass, field

    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def round_brackets():
        return BracketStyle(left="(", right=")")

    @dataclass
    class AuthorYearRound(AuthorYearReferenceStyle):
        """Author–year citations in round brackets: "Okabe & Ito (2008)", "(Okabe & Ito, 2008)"."""

        bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)
        bracket_textual: BracketStyle = field(default_factory=round_brackets)
        bracket_author: BracketStyle = field(default_factory=round_brackets)
        bracket_label: BracketStyle = field(default_factory=round_brackets)
        bracket_year: BracketStyle = field(default_factory=round_brackets)

    from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin

    register_bibtex_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round", AuthorYearRound)


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    """Drop repeated inline scripts: Jupyter Book 1 registers sphinx-thebe's configuration script twice, and the
    second `const THEBE_JS_URL` is a JavaScript error on every page."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # the same inline script is registered once with filename None and once with ""
        key = (str(getattr(script, "filename", script) or ""), repr(sorted(getattr(script, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    # in place: the list is the builder's, and the theme adds per-page scripts to it after this handler (the page
    # name and the version switcher's settings); a new list would silently drop them
    scripts[:] = unique


# --------------------------------------------------------------------------------------------- PDF (LaTeX) only
logger = logging.getLogger(__name__)

CATALOGUE_DOC = "book/data-catalogue"
"""The generated data catalogue: in the PDF only its summary table is kept (the schemas stay in the HTML)."""


def published_url(baseurl: str, download: str) -> str:
    """Absolute address of a file that the HTML book offers for download (Sphinx copies each download to
    ``_downloads/<digest>/<name>`` of the HTML output; ``download`` is that relative path)."""
    if not baseurl.startswith(("http://", "https://")):
        raise ValueError(f"html.baseurl must be an absolute http(s) URL, not {baseurl!r}")
    return baseurl.rstrip("/") + "/_downloads/" + download.lstrip("/")


class LatexDownloadLinks(SphinxPostTransform):
    """In the PDF, turn each download link (a figure's "Data (CSV)") into a link to the published copy.

    Runs after Sphinx's footnote expansion of URLs (priority 400), so the long addresses stay in the links and do
    not become footnotes."""

    builders = ("latex",)
    default_priority = 450

    def run(self, **kwargs) -> None:
        # the PDF of a version links the data of that version on the versioned site (v<version>/), which stays
        # online when later versions are published
        site = self.config.greensilk_site_url
        baseurl = f"{site}v{greensilk.__version__}/" if site else self.config.html_baseurl
        if not baseurl:
            logger.warning("html.baseurl is not set: the PDF's data links cannot point to the published files")
            return
        for node in list(self.document.findall(addnodes.download_reference)):
            if node.get("refuri"):
                uri = node["refuri"]
            elif node.get("filename"):
                uri = published_url(baseurl, node["filename"])
            else:
                continue
            ref = nodes.reference("", "", *node.children, refuri=uri, internal=False)
            node.replace_self(ref)


def _cell_texts(tgroup, part) -> list[list[str]]:
    """The text of each cell of a table's head or body (``part`` is ``nodes.thead`` or ``nodes.tbody``)."""
    return [
        [entry.astext().replace("\n", " ") for entry in row.findall(nodes.entry)]
        for section in tgroup.findall(part)
        for row in section.findall(nodes.row)
    ]


class LatexTableWidths(SphinxPostTransform):
    """Give every table without explicit widths proportional column widths in the PDF.

    Without them Sphinx sets long tables in unbreakable ``l`` columns that run off the page ("Clai…") and short
    ones in ``tabulary``, which squeezes and hyphenates headers."""

    builders = ("latex",)
    default_priority = 450

    def run(self, **kwargs) -> None:
        for table in self.document.findall(nodes.table):
            if "colwidths-given" in table.get("classes", []):
                continue
            for tgroup in table.findall(nodes.tgroup):
                specs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
                widths = column_widths(_cell_texts(tgroup, nodes.tbody), _cell_texts(tgroup, nodes.thead))
                if len(widths) != len(specs):
                    continue  # spanning cells: leave the table to Sphinx
                for spec, width in zip(specs, widths, strict=True):
                    spec["colwidth"] = width
            table["classes"] = [*table.get("classes", []), "colwidths-given"]


class LatexCondensedCatalogue(SphinxPostTransform):
    """In the PDF, drop the data catalogue's per-dataset sections (full schemas), keeping its summary table.

    Runs after references are resolved (priority 10), so links to the dropped sections (only in the HTML-only
    summary table) are already settled."""

    builders = ("latex",)
    default_priority = 460

    def run(self, **kwargs) -> None:
        for start in list(self.document.findall(addnodes.start_of_file)):
            if start.get("docname") != CATALOGUE_DOC:
                continue
            for section in list(start.findall(nodes.section)):
                if section.parent is None:
                    continue
                if any(i.startswith("data-") for i in section.get("ids", [])) and not any(
                    i == "data-catalogue" for i in section.get("ids", [])
                ):
                    section.parent.remove(section)


def latex_part_numbering(tex: str, numbered_parts: list[tuple[str, bool]]) -> str:
    """Make the PDF's chapter numbers follow the HTML's.

    ``numbered_parts`` lists each part caption of ``_toc.yml`` with whether it is numbered. The HTML numbers the
    chapters of numbered parts continuously and leaves the others unnumbered; LaTeX would number every chapter.
    After each ``\\part`` this switches chapter numbers off (unnumbered parts) or back on (numbered parts); the
    chapter counter itself runs on, as in the HTML."""
    out = tex
    for caption, numbered in numbered_parts:
        pattern = re.compile(r"(\\part\{" + re.escape(caption) + r"\}[^\n]*\n)")
        if not pattern.search(out):
            raise ValueError(f"no \\part{{{caption}}} in the LaTeX file")
        fix = r"\setcounter{secnumdepth}{\greensilksecnumdepth}" if numbered else r"\setcounter{secnumdepth}{-1}"
        out = pattern.sub(lambda m, fix=fix: m.group(1) + fix + "\n", out, count=1)
    return out


def _toc_parts(root: Path) -> list[tuple[str, bool]]:
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [(part["caption"], bool(part.get("numbered"))) for part in toc.get("parts", [])]


def _patch_latex(app, exception) -> None:
    if exception is not None or app.builder.name != "latex":
        return
    root = Path(app.confdir)
    for tex in Path(app.outdir).glob("*.tex"):
        text = tex.read_text(encoding="utf-8")
        if "\\part{" not in text:
            continue
        text = latex_part_numbering(text, _toc_parts(root))
        # a long table's continuation line would name a table number that the HTML does not show
        text = text.replace("\\tablename\\ \\thetable{} \\textendash{} ", "")
        tex.write_text(text, encoding="utf-8")


def _cache_pybtex_plugins():
    """Register every installed pybtex plugin once as a runtime plugin.

    pybtex looks a plugin up in the installed packages' entry points on each call, and sphinxcontrib-bibtex asks it
    for the formatting style of every citation it resolves: about 1,000 scans of the entry points per build, 12 s
    of a 39 s clean build when profiled. pybtex checks runtime plugins first, so one scan here serves the build."""
    from pybtex.plugin import register_plugin

    for dist in metadata.distributions():
        for ep in dist.entry_points:
            if ep.group.startswith("pybtex."):
                register_plugin(ep.group, ep.name, ep.load(), force=True)


def setup(app):
    _cache_pybtex_plugins()  # first: the report's own styles below are registered after, over any of the same name
    _register_authoryear_style()
    app.add_config_value("greensilk_site_url", "", "html")
    app.connect("config-inited", _on_config_inited)
    # early (priority < 500): the event stops at the first handler that returns a template name
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.add_directive("build-status", BuildStatus)
    app.add_directive("report-citation", ReportCitation)
    app.add_post_transform(LatexDownloadLinks)
    app.add_post_transform(LatexTableWidths)
    app.add_post_transform(LatexCondensedCatalogue)
    app.connect("build-finished", _patch_latex)
    app.add_directive("chapter-citations", ChapterCitations)
    app.add_directive("list-of-figures", ListOfFigures)
    app.add_node(chapter_citations_node)
    app.add_node(list_of_figures_node)
    # before Sphinx's own collectors (priority 500), so that the added download links are collected and copied
    app.connect("doctree-read", _collect_figures, priority=400)
    app.connect("doctree-resolved", _resolve_generated)
    app.connect("doctree-resolved", _claim_anchors)
    app.connect("env-purge-doc", _purge_figures)
    app.connect("env-merge-info", _merge_figures)
    return {"version": greensilk.__version__, "parallel_read_safe": True, "parallel_write_safe": True}
