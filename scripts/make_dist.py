#!/usr/bin/env python3
"""Assemble a release of the report: the HTML site, the PDF, the executed notebooks and the data package, with a
manifest (version, commit, date, every file with its size and sha256) and a SHA256SUMS file.

    python scripts/make_dist.py            # via `make dist`, after `make book` and `make pdf`
    cd dist/green-silk-road-<version> && sha256sum -c SHA256SUMS

Archives are deterministic (sorted members, fixed timestamps and owners), so the same commit gives the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EPOCH = 1_700_000_000  # fixed mtime for archive members


def _members(sources: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """(file, name in archive) for every file of the given (folder or file, name) pairs."""
    members = []
    for src, arcname in sources:
        if src.is_dir():
            members += [
                (p, f"{arcname}/{p.relative_to(src).as_posix()}") for p in sorted(src.rglob("*")) if p.is_file()
            ]
        elif src.is_file():
            members.append((src, arcname))
        else:
            raise SystemExit(f"make dist: {src} is missing (build it first: make book / make pdf)")
    return members


def _tar_gz(sources: list[tuple[Path, str]], out: Path) -> None:
    """Write a reproducible .tar.gz of the given (folder or file, name in archive) pairs."""
    members = _members(sources)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, name in sorted(members, key=lambda m: m[1]):
            info = tarfile.TarInfo(name)
            data = path.read_bytes()
            info.size, info.mtime, info.mode = len(data), EPOCH, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=EPOCH, filename="") as gz:
        gz.write(buffer.getvalue())


def _zip(sources: list[tuple[Path, str]], out: Path) -> None:
    """Write a reproducible .zip (sorted members, fixed timestamps) of the given (folder or file, name) pairs."""
    import zipfile

    members = _members(sources)
    with zipfile.ZipFile(out, "w") as archive:
        for path, name in sorted(members, key=lambda m: m[1]):
            info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))  # EPOCH
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def build(root: Path = ROOT, out_root: Path | None = None, version: str | None = None) -> Path:
    if version is None:
        sys.path.insert(0, str(root / "src"))
        import greensilk

        version = greensilk.__version__
    name = f"green-silk-road-{version}"
    out = (out_root or root / "dist") / name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _tar_gz([(root / "_build" / "html", f"{name}-html")], out / f"{name}-html.tar.gz")
    pdf = root / "_build" / "latex" / "green-silk-road.pdf"
    if not pdf.is_file():
        raise SystemExit(f"make dist: {pdf} is missing (build it first: make pdf)")
    shutil.copyfile(pdf, out / f"{name}.pdf")
    _tar_gz([(root / "notebooks", f"{name}-notebooks")], out / f"{name}-notebooks.tar.gz")
    _tar_gz(
        [(root / "data", f"{name}-data"), (root / "CITATION.cff", f"{name}-data/CITATION.cff")],
        out / f"{name}-data.tar.gz",
    )
    # the whole data package as one zip (what most readers can open): the Frictionless descriptor, every dataset,
    # the upstream snapshots, and the citation and licence of the report
    _zip(
        [
            (root / "data", f"{name}-data"),
            (root / "CITATION.cff", f"{name}-data/CITATION.cff"),
            (root / "LICENSE", f"{name}-data/LICENSE-code.txt"),
        ],
        out / f"{name}-data.zip",
    )
    files = sorted(p for p in out.iterdir() if p.is_file())
    manifest = {
        "title": "The Green Silk Road: China–Central Asia green cooperation in data",
        "version": version,
        "commit": _git(root, "rev-parse", "HEAD"),
        "commit_date": _git(root, "log", "-1", "--format=%cI"),
        "files": [{"name": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p)} for p in files],
    }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [f"{_sha256(p)}  {p.name}" for p in sorted(out.iterdir()) if p.is_file() and p.name != "SHA256SUMS"]
    (out / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    where = build()
    print(f"wrote {where}; verify with: cd {where} && sha256sum -c SHA256SUMS")
