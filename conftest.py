"""Repository-level pytest hooks: record how long each notebook takes under nbval, for the Build status page.

These live at the root (not in tests/) because pytest consults a conftest only for items below its folder, and
the nbval items are under notebooks/.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent
_nbval_seconds: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _nbval_seconds[Path(path).name] += report.duration


def pytest_sessionfinish(session, exitstatus):
    # under pytest-xdist every worker ends a session too; only the controller, which receives all reports, records
    if hasattr(session.config, "workerinput"):
        return
    if _nbval_seconds and exitstatus == 0:
        from greensilk.notebooks import record_times

        record_times({k: round(v, 2) for k, v in _nbval_seconds.items()}, "make test (nbval)", ROOT)
