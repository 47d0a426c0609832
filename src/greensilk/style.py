"""The house figure style: one seaborn theme and one colour per country, used by every chapter.

Country colours come from the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), chosen to stay
distinguishable for the common forms of colour-vision deficiency; ``tests/test_style.py`` checks this with a
simulation. China, the reference country, is drawn in near-black. Neighbouring countries on maps are neutral grey.
"""

from __future__ import annotations

import matplotlib as mpl
import seaborn as sns

FOCUS_COUNTRIES = ("KAZ", "UZB", "KGZ", "TJK", "TKM")
"""The five Central Asian countries, in the order the book uses everywhere."""

COUNTRY_NAMES = {
    "KAZ": "Kazakhstan",
    "UZB": "Uzbekistan",
    "KGZ": "Kyrgyzstan",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
    "CHN": "China",
}

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

COUNTRY_COLOURS = {
    "KAZ": OKABE_ITO["blue"],
    "UZB": OKABE_ITO["bluish_green"],
    "KGZ": OKABE_ITO["vermillion"],
    "TJK": OKABE_ITO["reddish_purple"],
    "TKM": OKABE_ITO["orange"],
    "CHN": "#333333",
}

NEIGHBOUR_FILL = "#E6E6E6"
NEIGHBOUR_EDGE = "#9A9A9A"
WATER = "#DCEBF5"

FIGSIZE = (7.5, 4.5)
DPI = 220
"""Pixels per inch of the figures the notebooks store: twice the 110 the book's layout shows them at, so that HTML
figures stay sharp on high-density screens (a 2× PNG; nbval does not compare images, so PNG is kept rather than
SVG, whose text nbval would compare)."""


def country_colour(iso_a3: str) -> str:
    """The colour of a focus country or China; a KeyError names the unknown code."""
    try:
        return COUNTRY_COLOURS[iso_a3]
    except KeyError:
        raise KeyError(f"no house colour for country code {iso_a3!r}; known: {sorted(COUNTRY_COLOURS)}") from None


def country_palette(codes=None) -> dict[str, str]:
    """Mapping from country name to colour, for seaborn's ``palette=`` with a ``country`` column of names."""
    codes = codes or list(COUNTRY_COLOURS)
    return {COUNTRY_NAMES[c]: country_colour(c) for c in codes}


def set_theme() -> None:
    """Apply the house style to matplotlib and seaborn (call once per notebook)."""
    sns.set_theme(context="notebook", style="whitegrid", font_scale=0.95)
    mpl.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "font.family": "DejaVu Sans",
            "svg.hashsalt": "greensilk",
        }
    )


WATER_BODY_COLOURS = {
    "whole": OKABE_ITO["black"],
    "north": OKABE_ITO["sky_blue"],
    "south": OKABE_ITO["vermillion"],
    "south_west": OKABE_ITO["orange"],
    "south_east": OKABE_ITO["reddish_purple"],
}
"""Colours of the Aral Sea's parts (used only on Aral charts, which show no countries)."""

WATER_BODY_NAMES = {
    "whole": "Whole sea",
    "north": "North (Small) Aral",
    "south": "South (Large) Aral",
    "south_west": "South Aral, western basin",
    "south_east": "South Aral, eastern basin",
}

SOURCE_KIND_MARKERS = {"paper": "o", "statistics": "s", "dataset": "s", "web": "D", "press": "^", "encyclopedia": "X"}
"""Marker per kind of source (see the ``sources`` dataset), so a chart shows how strong each point's evidence is."""

SOURCE_KIND_NAMES = {
    "paper": "Peer-reviewed paper",
    "statistics": "Agency or dataset",
    "dataset": "Agency or dataset",
    "web": "Organisation web page",
    "press": "Press",
    "encyclopedia": "Encyclopedia",
}


FUEL_ORDER = ("coal", "oil", "gas", "nuclear", "hydro", "wind", "solar", "bioenergy", "other_renewables")
"""Sources of electricity, fossil first, in the order every energy chart stacks them."""

FUEL_COLOURS = {
    "coal": "#4A4A4A",
    "oil": "#8C510A",
    "gas": "#BF812D",
    "nuclear": "#CC79A7",
    "hydro": "#0072B2",
    "wind": "#56B4E9",
    "solar": "#E6AB02",
    "bioenergy": "#009E73",
    "other_renewables": "#7FC97F",
}
"""One colour per source of electricity, used by every chart of the book (fossil in browns and greys)."""

FUEL_NAMES = {
    "coal": "Coal",
    "oil": "Oil",
    "gas": "Gas",
    "nuclear": "Nuclear",
    "hydro": "Hydro",
    "wind": "Wind",
    "solar": "Solar",
    "bioenergy": "Bioenergy",
    "other_renewables": "Other renewables",
}

TECH_GROUPS = {
    "wind": "wind",
    "wind_storage": "wind",
    "solar": "solar",
    "solar_storage": "solar",
    "hydro": "hydro",
    "storage": "storage",
    "waste_to_energy": "waste_to_energy",
}
"""Project technologies grouped for charts (wind or solar with storage count as wind or solar); fossil is absent
on purpose: fossil projects never enter clean-energy charts or totals."""

TECH_COLOURS = {
    "wind": FUEL_COLOURS["wind"],
    "solar": FUEL_COLOURS["solar"],
    "hydro": FUEL_COLOURS["hydro"],
    "storage": "#7570B3",
    "waste_to_energy": FUEL_COLOURS["bioenergy"],
}
TECH_NAMES = {
    "wind": "Wind (incl. with storage)",
    "solar": "Solar (incl. with storage)",
    "hydro": "Hydro",
    "storage": "Battery storage",
    "waste_to_energy": "Waste-to-energy",
}
STATUS_ORDER = ("operating", "under_construction", "agreed", "stalled", "cancelled")
STATUS_NAMES = {
    "operating": "Operating",
    "under_construction": "Under construction",
    "agreed": "Agreed or announced",
    "stalled": "Stalled",
    "cancelled": "Cancelled",
}
STATUS_MARKERS = {"operating": "o", "under_construction": "^", "agreed": "s", "stalled": "X", "cancelled": "X"}
