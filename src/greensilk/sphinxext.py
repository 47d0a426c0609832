"""Sphinx extension used by the book (listed under ``sphinx: extra_extensions`` in ``_config.yml``).

- puts the report version (from :mod:`greensilk`) and the git commit on every HTML page and on the PDF title page;
- ``{build-status}`` directive: notebook execution times, the execution policy and package versions;
- an author–year label style for the bibliography (``bibtex_default_style: authoryear``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

import greensilk

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


def citation_texts(root: Path, commit: str) -> dict[str, str]:
    """Plain-text and BibTeX citations of the report, built from CITATION.cff and the package version."""
    import yaml

    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    pref = cff["preferred-citation"]
    author = "; ".join(a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in pref["authors"])
    version = greensilk.__version__
    text = f"{author} ({pref['year']}). {pref['title']}. Version {version} (commit {commit}). {pref['medium']}."
    bibtex = "\n".join(
        [
            f"@techreport{{greensilkroad{pref['year']},",
            f"  author      = {{{{{author}}}}},",
            f"  title       = {{{pref['title']}}},",
            f"  year        = {{{pref['year']}}},",
            f"  institution = {{{pref['publisher']['name']}}},",
            "  type        = {Open research report},",
            f"  note        = {{Version {version}, commit {commit}}},",
            "}",
        ]
    )
    return {"text": text, "bibtex": bibtex}


class ReportCitation(SphinxDirective):
    """The report's citation (``:format: text`` or ``bibtex``), always for the version being built."""

    option_spec = {"format": lambda arg: arg.strip()}

    def run(self):
        root = Path(self.env.app.confdir)
        sha, _ = git_commit(root)
        fmt = self.options.get("format", "text")
        text = citation_texts(root, sha)[fmt]
        self.env.note_dependency(str(root / "CITATION.cff"))
        if fmt == "bibtex":
            block = nodes.literal_block(text, text)
            block["language"] = "bibtex"
            return [block]
        return [nodes.paragraph(text, text)]


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
    context["script_files"] = unique


def setup(app):
    _register_authoryear_style()
    app.connect("config-inited", _on_config_inited)
    # early (priority < 500): the event stops at the first handler that returns a template name
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.add_directive("build-status", BuildStatus)
    app.add_directive("report-citation", ReportCitation)
    return {"version": greensilk.__version__, "parallel_read_safe": True, "parallel_write_safe": True}
