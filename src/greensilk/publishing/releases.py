"""Releases as data: the record of every release (``book/releases.json``), the release procedure's file edits,
and the report's citation in several formats, all generated from ``CITATION.cff``.

``book/releases.json`` is a JSON list, oldest first, of ``{"version", "date", "commit"}``: the full hash of the
commit whose tree *is* that release (its package version, CITATION.cff and CHANGELOG name the version). `make site`
builds every recorded release from its commit; `make data-changes` compares their data; `make release` appends to it
(see ``scripts/release.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

RELEASES = Path("book") / "releases.json"
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")


class ReleaseError(ValueError):
    """A release record or a file the release procedure edits is not in the expected shape."""


def parse_version(version: str) -> tuple[int, int, int]:
    if not VERSION_RE.match(version or ""):
        raise ReleaseError(f"version {version!r} is not of the form MAJOR.MINOR.PATCH (e.g. 0.3.0)")
    major, minor, patch = (int(p) for p in version.split("."))
    return major, minor, patch


def validate_releases(releases: list[dict]) -> list[dict]:
    """Check the record: every entry has a version, an ISO date and a full commit hash; versions and dates increase."""
    previous = None
    for i, entry in enumerate(releases):
        where = f"{RELEASES} entry {i + 1}"
        missing = {"version", "date", "commit"} - set(entry)
        if missing:
            raise ReleaseError(f"{where}: missing {', '.join(sorted(missing))}")
        parse_version(entry["version"])
        try:
            dt.date.fromisoformat(entry["date"])
        except ValueError as exc:
            raise ReleaseError(f"{where}: date {entry['date']!r} is not YYYY-MM-DD") from exc
        if not re.fullmatch(r"[0-9a-f]{40}", entry["commit"]):
            raise ReleaseError(f"{where}: commit {entry['commit']!r} is not a full 40-hex git hash")
        if previous is not None:
            if parse_version(entry["version"]) <= parse_version(previous["version"]):
                raise ReleaseError(f"{where}: version {entry['version']} does not follow {previous['version']}")
            if entry["date"] < previous["date"]:
                raise ReleaseError(f"{where}: date {entry['date']} is before {previous['date']}")
        previous = entry
    return releases


def load_releases(root: Path) -> list[dict]:
    path = root / RELEASES
    if not path.is_file():
        return []
    return validate_releases(json.loads(path.read_text(encoding="utf-8")))


def releases_text(releases: list[dict]) -> str:
    return json.dumps(validate_releases(releases), indent=2) + "\n"


def add_release(releases: list[dict], version: str, date: str, commit: str) -> list[dict]:
    return validate_releases([*releases, {"version": version, "date": date, "commit": commit}])


# ------------------------------------------------------------------------------------------- file edits
def set_package_version(text: str, version: str) -> str:
    """``src/greensilk/__init__.py`` with ``__version__`` set to ``version``."""
    new, n = re.subn(r'^__version__ = "[^"]*"$', f'__version__ = "{version}"', text, flags=re.M)
    if n != 1:
        raise ReleaseError("src/greensilk/__init__.py: expected exactly one '__version__ = \"...\"' line")
    return new


def set_cff_version(text: str, version: str, date: str) -> str:
    """CITATION.cff with the version (top level and preferred citation), release date, year and month set.

    Edits the lines in place (keeps comments and layout) and refuses a file whose lines are not where expected.
    """
    day = dt.date.fromisoformat(date)
    rules = [
        (r"^version: .*$", f"version: {version}", 1),
        (r"^date-released: .*$", f'date-released: "{date}"', 1),
        (r"^  version: .*$", f"  version: {version}", 1),
        (r"^  year: .*$", f"  year: {day.year}", 1),
        (r"^  month: .*$", f"  month: {day.month}", 1),
    ]
    for pattern, replacement, expected in rules:
        text, n = re.subn(pattern, replacement, text, flags=re.M)
        if n != expected:
            raise ReleaseError(f"CITATION.cff: expected {expected} line(s) matching {pattern!r}, found {n}")
    return text


UNRELEASED_RE = re.compile(r"^## \[?Unreleased\]?[^\n]*$", re.M | re.I)


def release_changelog(text: str, version: str, date: str) -> str:
    """Turn the ``## [Unreleased]`` section into ``## [version] – date`` and open a new, empty Unreleased section."""
    matches = list(UNRELEASED_RE.finditer(text))
    if len(matches) != 1:
        raise ReleaseError(
            f"CHANGELOG.md: expected one '## [Unreleased]' section describing the release, found {len(matches)}"
        )
    match = matches[0]
    body_end = re.search(r"^## ", text[match.end() :], re.M)
    body = text[match.end() : match.end() + body_end.start()] if body_end else text[match.end() :]
    if not body.strip():
        raise ReleaseError("CHANGELOG.md: the '## [Unreleased]' section is empty; describe the release first")
    if re.search(rf"^## \[{re.escape(version)}\]", text, re.M):
        raise ReleaseError(f"CHANGELOG.md already has a section for {version}")
    return text[: match.start()] + f"## [Unreleased]\n\n## [{version}] – {date}" + text[match.end() :]


def set_datapackage_version(text: str, version: str) -> str:
    new, n = re.subn(r'^  "version": "[^"]*",$', f'  "version": "{version}",', text, count=1, flags=re.M)
    if n != 1:
        raise ReleaseError('data/datapackage.json: no top-level "version" line')
    return new


# ------------------------------------------------------------------------------------------- citations
def _cff_citation(root: Path):
    from cffconvert.cli.create_citation import create_citation

    return create_citation(str(root / "CITATION.cff"), None)


def zenodo_json(root: Path) -> str:
    """``.zenodo.json`` as cffconvert derives it from CITATION.cff (Zenodo ignores CITATION.cff when it exists)."""
    data = json.loads(_cff_citation(root).as_zenodo())
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def citations(root: Path, version: str, commit: str, url: str = "") -> dict[str, str]:
    """The report's citation as BibTeX, RIS, APA and plain text, from CITATION.cff via cffconvert.

    cffconvert gives the authors, title, year and date; the version, the commit that identifies the exact copy and
    the site's URL (``url``, from ``html.baseurl`` in ``_config.yml``) are added here, in each format's own field.
    """
    citation = _cff_citation(root)
    year = str(citation.cffobj.get("date-released", ""))[:4] or str(dt.date.today().year)
    key = f"greensilkroad{year}v{version.replace('.', '')}"
    note = f"Version {version}, commit {commit}"
    bib = citation.as_bibtex(reference=key).rstrip()
    for author in citation.cffobj.get("authors", []):
        if "name" in author:  # an organisation: double braces keep BibTeX from splitting it into given/family names
            bib = bib.replace(f"author = {{{author['name']}}}", f"author = {{{{{author['name']}}}}}")
    if not bib.endswith("}"):
        raise ReleaseError("cffconvert's BibTeX output changed shape")
    extra = [f"version = {{{version}}}", f"note = {{{note}}}"] + ([f"url = {{{url}}}"] if url else [])
    bib = bib[:-1].rstrip().rstrip(",") + ",\n" + ",\n".join(extra) + "\n}"
    ris_lines = [line for line in citation.as_ris().splitlines() if line.strip() and not line.startswith("ER")]
    ris_lines += [f"ET  - {version}", f"N1  - {note}"] + ([f"UR  - {url}"] if url else []) + ["ER  - "]
    apa = citation.as_apalike().strip()
    if f"(version {version})" not in apa:
        raise ReleaseError(f"CITATION.cff says version {citation.cffobj.get('version')}, the package {version}")
    apa = apa.rstrip(".") + f". Commit {commit}." + (f" {url}" if url else "")
    return {"bibtex": bib, "ris": "\n".join(ris_lines) + "\n", "apa": apa, "text": apa}
