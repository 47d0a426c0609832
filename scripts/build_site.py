#!/usr/bin/env python3
"""Build one static site holding every recorded release and the current HEAD (``make site``).

    _build/site/
      index.html          -> redirects to latest/
      switcher.json       the version switcher's list (pydata-sphinx-theme format), served with the site
      latest/             HEAD: the newest state of the report, unreleased changes included
      v0.2.0/ ...         each release of book/releases.json, built from its own commit

Each version is checked out as a git worktree under ``_build/site-src/`` and built with Jupyter Book from its
committed (executed) notebooks; nothing is executed. A version whose ``requirements.txt`` differs from this
checkout's gets its own environment (``uv venv`` + ``uv pip install -r requirements.txt``) under
``_build/site-envs/<hash>/``; otherwise the project's ``.venv`` is used, with the commit's own ``src/`` first on
PYTHONPATH so that its own helpers and Sphinx extension run. The switcher and the banner cannot be in an old
commit's configuration, so they are injected at build time: a copy of the commit's ``_config.yml`` adds the
``greensilk_site`` extension (``scripts/siteext/``), which reads its settings from the environment.

Links in the switcher are absolute paths under the path of ``html.baseurl`` (``_config.yml``), the site's address
set once; serve ``_build/site`` there (``python -m http.server -d _build/site`` when the path is ``/``).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from greensilk.publishing.releases import load_releases  # noqa: E402

SITE = ROOT / "_build" / "site"
SOURCES = ROOT / "_build" / "site-src"
ENVS = ROOT / "_build" / "site-envs"
EXTENSION_DIR = ROOT / "scripts" / "siteext"


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


def base_url(root: Path = ROOT) -> str:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    url = (config.get("html") or {}).get("baseurl") or ""
    if not url:
        raise SystemExit("make site: set html.baseurl in _config.yml (the site's address, ending in '/')")
    return url if url.endswith("/") else url + "/"


def site_path(url: str) -> str:
    """The path part of the base URL, with slashes at both ends: '/' or '/reports/green-silk-road/'."""
    path = urlparse(url).path or "/"
    return path if path.endswith("/") else path + "/"


def targets(releases: list[dict]) -> list[dict]:
    """What to build: HEAD as latest/, then every release, newest first."""
    head = git("rev-parse", "HEAD")
    out = [{"dir": "latest", "commit": head, "version": "latest", "release": None}]
    for r in reversed(releases):
        out.append({"dir": f"v{r['version']}", "commit": r["commit"], "version": r["version"], "release": r})
    return out


def switcher_entries(releases: list[dict], prefix: str) -> list[dict]:
    newest = releases[-1]["version"] if releases else None
    entries = [{"name": "latest (unreleased)", "version": "latest", "url": f"{prefix}latest/"}]
    for r in reversed(releases):
        entry = {"name": r["version"], "version": r["version"], "url": f"{prefix}v{r['version']}/"}
        if r["version"] == newest:
            entry["preferred"] = True
        entries.append(entry)
    return entries


def banner(target: dict, releases: list[dict], prefix: str) -> str:
    newest = releases[-1] if releases else None
    if target["release"] is None:
        text = "You are reading the latest version of the report, with changes not yet released"
        if newest:
            text += (
                f" (after {newest['version']}). To cite a fixed text, use a release: "
                f'<a href="{prefix}v{newest["version"]}/book/how-to-cite.html">{newest["version"]}</a>.'
            )
        return text
    r = target["release"]
    newer = (
        f' · <a href="{prefix}v{newest["version"]}/index.html">the newest release, {newest["version"]}</a>'
        if newest and newest["version"] != r["version"]
        else ""
    )
    return (
        f"You are reading version {html.escape(r['version'])} of the report, released {r['date']}. "
        f'<a href="{prefix}latest/index.html">Read the latest version</a>{newer} · '
        f'<a href="{prefix}latest/book/data-changes.html">what changed in the data since</a>.'
    )


def worktree(target: dict) -> Path:
    path = SOURCES / target["dir"]
    if (path / ".git").exists():
        run(["git", "-C", path, "checkout", "-q", "--detach", "--force", target["commit"]])
        run(["git", "-C", path, "clean", "-q", "-fdx", "-e", "_build"])
    else:
        SOURCES.mkdir(parents=True, exist_ok=True)
        run(["git", "-C", ROOT, "worktree", "prune"])
        if path.exists():
            shutil.rmtree(path)
        run(["git", "-C", ROOT, "worktree", "add", "-q", "--detach", path, target["commit"]])
    return path


def environment(source: Path) -> Path:
    """The bin/ folder of a Python environment with the commit's pinned requirements."""
    wanted = (source / "requirements.txt").read_bytes()
    if wanted == (ROOT / "requirements.txt").read_bytes():
        return ROOT / ".venv" / "bin"
    env = ENVS / hashlib.sha256(wanted).hexdigest()[:12]
    if not (env / ".installed").is_file():
        uv = shutil.which("uv") or str(ROOT / ".venv" / "bin" / "uv")
        if Path(uv).is_file():
            run([uv, "venv", "-q", "--python", sys.executable, env])
            run([uv, "pip", "install", "-q", "--python", env / "bin" / "python", "-r", source / "requirements.txt"])
        else:  # no uv here: the standard library's venv and pip (slower, same pins)
            run([sys.executable, "-m", "venv", env])
            run([env / "bin" / "python", "-m", "pip", "install", "-q", "-r", source / "requirements.txt"])
        (env / ".installed").touch()
    return env / "bin"


def build(target: dict, releases: list[dict], prefix: str, jbflags: list[str]) -> Path:
    source = worktree(target)
    bin_dir = environment(source)
    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {})
    extensions = sphinx.setdefault("extra_extensions", [])
    if "greensilk_site" not in extensions:
        extensions.append("greensilk_site")
    config_path = SOURCES / f"{target['dir']}-config.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(EXTENSION_DIR), str(source / "src")]),
        "GREENSILK_ROOT": str(source),
        "GREENSILK_SITE_JSON_URL": "../switcher.json",
        "GREENSILK_SITE_VERSION": target["version"],
        "GREENSILK_SITE_BANNER": banner(target, releases, prefix),
    }
    exporter = source / "scripts" / "export_figures.py"
    if "--formats" in exporter.read_text(encoding="utf-8") if exporter.is_file() else False:
        run([bin_dir / "python", exporter, "--formats", source / "_build" / "figures"], cwd=source, env=env)
    run([bin_dir / "jupyter-book", "build", source, "--config", config_path, *jbflags], cwd=source, env=env)
    out = SITE / target["dir"]
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source / "_build" / "html", out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="build only these folders (latest, v0.2.0, ...)")
    parser.add_argument("--keep-sources", action="store_true", help="keep the git worktrees under _build/site-src")
    parser.add_argument("--jbflags", default="-W -n --keep-going --all", help="flags for jupyter-book build")
    args = parser.parse_args(argv)
    releases = load_releases(ROOT)
    prefix = site_path(base_url())
    SITE.mkdir(parents=True, exist_ok=True)
    (SITE / "switcher.json").write_text(
        json.dumps(switcher_entries(releases, prefix), indent=2) + "\n", encoding="utf-8"
    )
    (SITE / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>The Green Silk Road</title>\n'
        '<meta http-equiv="refresh" content="0; url=latest/index.html"></head>\n'
        '<body><p><a href="latest/index.html">The latest version of the report</a></p></body></html>\n',
        encoding="utf-8",
    )
    built = []
    try:
        for target in targets(releases):
            if args.only and target["dir"] not in args.only:
                continue
            print(f"==> {target['dir']} ({target['commit'][:10]})", flush=True)
            built.append(target)
            build(target, releases, prefix, args.jbflags.split())
    finally:
        # the checkouts are registered in the repository's worktree list: remove them unless asked to keep them
        if not args.keep_sources:
            for target in built:
                path = SOURCES / target["dir"]
                if path.exists():
                    run(["git", "-C", ROOT, "worktree", "remove", "--force", path])
            run(["git", "-C", ROOT, "worktree", "prune"])
    print(f"site in {SITE}; serve it at the path {prefix} (e.g. python -m http.server -d {SITE.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
