#!/usr/bin/env python3
"""Cut a release: ``make release VERSION=x.y.z`` (then the Makefile builds the book, the PDF and the archive).

On a clean working tree, with the release described under ``## [Unreleased]`` in CHANGELOG.md:

1. set the version in ``src/greensilk/__init__.py``, CITATION.cff (validated with cffconvert), CHANGELOG.md
   (Unreleased becomes ``## [x.y.z] – date``) and the data package, and write ``.zenodo.json`` from CITATION.cff;
2. re-execute the notebooks (the version is among their inputs) and commit all that as "Version x.y.z" — this
   commit is the release;
3. append ``{version, date, commit}`` to ``book/releases.json``, regenerate ``book/data-changes.md``, commit both,
   and tag the release commit ``vx.y.z``.

``--dry-run`` makes the edits of step 1 and prints the diff without committing (then ``git checkout -- .``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from greensilk.publishing import releases as rel  # noqa: E402


def git(*args: str, root: Path = ROOT) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


def edit(path: Path, change) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def prepare(root: Path, version: str, date: str) -> None:
    """Step 1: every file that names the version. Raises ReleaseError (and changes nothing) on a bad input."""
    rel.parse_version(version)
    releases = rel.load_releases(root)
    if releases and rel.parse_version(version) <= rel.parse_version(releases[-1]["version"]):
        raise rel.ReleaseError(f"version {version} is not after the last release, {releases[-1]['version']}")
    # compute every new text first, so that a refusal leaves the tree untouched
    files = {
        root / "src" / "greensilk" / "__init__.py": lambda t: rel.set_package_version(t, version),
        root / "CITATION.cff": lambda t: rel.set_cff_version(t, version, date),
        root / "CHANGELOG.md": lambda t: rel.release_changelog(t, version, date),
        root / "data" / "datapackage.json": lambda t: rel.set_datapackage_version(t, version),
    }
    new = {path: change(path.read_text(encoding="utf-8")) for path, change in files.items()}
    for path, text in new.items():
        path.write_text(text, encoding="utf-8")
    cffconvert = Path(sys.executable).parent / "cffconvert"
    check = subprocess.run([str(cffconvert), "--validate", "-i", str(root / "CITATION.cff")], capture_output=True)
    if check.returncode != 0:
        raise rel.ReleaseError("CITATION.cff does not validate:\n" + check.stdout.decode() + check.stderr.decode())
    (root / ".zenodo.json").write_text(rel.zenodo_json(root), encoding="utf-8")
    # the data catalogue page names the package version
    env = {**os.environ, "PYTHONPATH": str(root / "src")}  # this checkout's package, whatever venv runs it
    subprocess.run([sys.executable, "-m", "greensilk.package_tools", "catalogue"], cwd=root, env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version")
    parser.add_argument("--date", default=dt.datetime.now(dt.UTC).date().isoformat(), help="release date (UTC today)")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--no-execute", action="store_true", help="skip re-executing the notebooks (tests only)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if git("status", "--porcelain", "--untracked-files=no", root=root):
        print("make release: the working tree has uncommitted changes; commit or stash them first", file=sys.stderr)
        return 2
    try:
        prepare(root, args.version, args.date)
    except rel.ReleaseError as exc:
        subprocess.run(["git", "-C", str(root), "checkout", "--", "."], check=False)
        print(f"make release: {exc}", file=sys.stderr)
        return 2
    if args.dry_run:
        print(git("diff", "--stat", root=root))
        return 0
    if not args.no_execute:
        # the version is one of the notebooks' inputs (package and data package): re-execute them so that the
        # release commit holds current notebooks (deterministic; `make book` refuses stale ones)
        env = {**os.environ, "PYTHONPATH": str(root / "src")}
        subprocess.run([sys.executable, "-m", "greensilk.notebooks", "execute"], cwd=root, env=env, check=True)
    git(
        "add",
        "-A",
        "src/greensilk/__init__.py",
        "CITATION.cff",
        "CHANGELOG.md",
        ".zenodo.json",
        "data",
        "book",
        "notebooks",
        root=root,
    )
    git("commit", "-q", "-m", f"Version {args.version}", root=root)
    commit = git("rev-parse", "HEAD", root=root)
    records = rel.add_release(rel.load_releases(root), args.version, args.date, commit)
    (root / rel.RELEASES).write_text(rel.releases_text(records), encoding="utf-8")
    # the data-changes page gains this release's section (against the previous release)
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    subprocess.run([sys.executable, str(root / "scripts" / "data_changes.py")], cwd=root, env=env, check=True)
    git("add", str(rel.RELEASES), "book/data-changes.md", root=root)
    git("commit", "-q", "-m", f"Record release {args.version} (commit {commit[:10]}) in {rel.RELEASES}", root=root)
    git("tag", "-a", f"v{args.version}", commit, "-m", f"Release {args.version}", root=root)
    print(f"released {args.version} at {commit}; tagged v{args.version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
