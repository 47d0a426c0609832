"""Helpers for the Green Silk Road report.

The notebooks import this package and nothing else from the project: it loads validated datasets by name
(:func:`load`), applies the house figure style (:mod:`greensilk.style`), draws maps (:mod:`greensilk.maps`) and
saves the data behind each figure (:func:`save_figure_data`).

The version below is the single source of truth for the report's version: CITATION.cff, CHANGELOG.md and the
book footer are checked against it by the tests.
"""

__version__ = "0.4.0"

from greensilk.data import DataError, DataValidationError, load, load_package  # noqa: E402
from greensilk.figures import markdown, save_figure_data, table  # noqa: E402
from greensilk.style import COUNTRY_COLOURS, COUNTRY_NAMES, FOCUS_COUNTRIES, set_theme  # noqa: E402

__all__ = [
    "COUNTRY_COLOURS",
    "COUNTRY_NAMES",
    "FOCUS_COUNTRIES",
    "DataError",
    "DataValidationError",
    "__version__",
    "load",
    "load_package",
    "markdown",
    "save_figure_data",
    "set_theme",
    "table",
]
