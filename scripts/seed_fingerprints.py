#!/usr/bin/env python3
"""Write tests/fixtures/seed_10gram_hashes.txt: hashes of every run of ten words in the seed articles.

The seed articles are not ours to republish, so the repository keeps only these one-way fingerprints; the tests
use them to prove that no paraphrase in the claims ledger repeats ten words of an article. Not run by CI:

    python scripts/seed_fingerprints.py ../shared/seeds
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

WORDS = re.compile(r"[a-z0-9]+")
N = 10
OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "seed_10gram_hashes.txt"


def fingerprints(text: str, n: int = N) -> set[str]:
    words = WORDS.findall(text.lower())
    return {hashlib.sha1(" ".join(words[i : i + n]).encode()).hexdigest()[:16] for i in range(len(words) - n + 1)}


def main(argv: list[str]) -> int:
    folder = Path(argv[1])
    hashes: set[str] = set()
    for path in sorted(folder.glob("*.txt")):
        if path.name.lower() != "readme.md":
            hashes |= fingerprints(path.read_text(encoding="utf-8"))
    OUT.write_text("\n".join(sorted(hashes)) + "\n", encoding="utf-8")
    print(f"wrote {len(hashes)} fingerprints to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
