"""The report's key findings: headline numbers taken from the chapters, with their sources and grades.

A headline number is never computed twice. Each chapter notebook computes and glues its numbers; this module
reads those glued values from the committed, nbval-verified chapter notebooks (:func:`glued`), so the front page
and the chapter always show the same figure. What is added here is the grade (:func:`greensilk.evidence.grade`)
and the citation, from the sources each number rests on.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from greensilk import evidence
from greensilk.citations import cite
from greensilk.data import load
from greensilk.paths import project_root
from greensilk.trade import CIF_FOB


@dataclass(frozen=True)
class Headline:
    id: str
    question: str  # the report's question it answers
    label: str  # what the number is, for a table row
    chapter: str  # notebook file name under notebooks/
    value: str  # a format template over the chapter's glued keys, e.g. "{latest_loss_low}–{latest_loss_high} %"
    year: str  # likewise
    sources: tuple[str, ...]  # the sources the number rests on (all of them needed: the weakest decides)


HEADLINES = (
    Headline("aral-loss", "aral", "Surface area of the Aral Sea lost since 1960", "01_aral_sea.ipynb",
             "{latest_loss_low}–{latest_loss_high} %", "{latest_area_year}",
             ("unesco_aral_region_areas", "gaybullaev_chen_gaybullaev_2012", "izhitskiy_etal_2016_scirep")),
    Headline("aral-seabed", "aral", "Former seabed exposed", "01_aral_sea.ipynb",
             "{exposed_low:,.0f}–{exposed_high:,.0f} km²", "{latest_area_year}",
             ("unesco_aral_region_areas", "gaybullaev_chen_gaybullaev_2012", "izhitskiy_etal_2016_scirep")),
    Headline("aral-north", "aral", "Area change since the Kok-Aral dam: North / South Aral", "01_aral_sea.ipynb",
             "{north_change_pct} % / −{south_change_pct} %", "{dam_year}–{ns_last_year}",
             ("unesco_aral_region_areas",)),
    Headline("trade-imf", "trade", "China's trade with the five countries (China reporting, IMF)", "03_trade.ipynb",
             "US$ {c5_2020_bn} bn", "2020", ("imf_dots",)),
    Headline("trade-kgz", "trade", "China's recorded exports to Kyrgyzstan ÷ Kyrgyzstan's recorded imports from China",
             "03_trade.ipynb", "{kgz_ratio_2019} ×", "2019", ("imf_dots",)),
    Headline("trade-tkm", "trade", f"Years in which Turkmenistan's side of the IMF series is China's × {CIF_FOB:g}",
             "03_trade.ipynb", "{tkm_identity_n} years", "{tkm_identity}", ("imf_dots",)),
    Headline("energy-uzb", "energy", "Uzbekistan's wind and solar capacity in plants with any Chinese role",
             "02_energy.ipynb", "{uzb_cn_any_pct} % (equity-weighted {uzb_cn_eq_pct}–{uzb_cn_eq_upper_pct} %)",
             "{gem_latest}", ("gem_gipt_capacity_2026",)),
    Headline("energy-fossil", "energy", "Coal and gas in operating Chinese-linked capacity", "02_energy.ipynb",
             "{op_fossil_pct} %", "{gem_latest}", ("gem_gipt_capacity_2026",)),
    Headline("energy-finance", "energy", "Coal and gas in Chinese power-sector finance (COFI)", "02_energy.ipynb",
             "{usd_fossil_pct} % (US$ {usd_fossil_bn} bn)", "all years recorded", ("cofi_v2_2",)),
    Headline("forums-energy", "forums", "Clean-energy share of the energy points of the summit declarations",
             "04_forums.ipynb", "{energy_clean_before:.0f} % → {energy_clean_after:.0f} %", "2023 → 2025",
             ("cdgw_2023_05_26_xian_energy", "xinhua_2025_06_18_astana_decl_energy")),
    Headline("region-co2", "context", "CO₂ per person: Kazakhstan / China", "00_region.ipynb",
             "{co2_top_value} t / {co2_china_value} t", "{co2_year}", ("owid_co2",)),
)  # fmt: skip


def glued(notebook: Path) -> dict:
    """The values a committed notebook glued (myst-nb ``glue``), by key; text values only (figures are skipped)."""
    out = {}
    for cell in json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if key and text is not None:
                try:
                    out[key] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    out[key] = text
    return out


def extra_sources(headline: Headline, root: Path | None = None) -> tuple[str, ...]:
    """Sources a headline needs beyond its datasets: the registry rows behind the Chinese-linked shares."""
    if headline.id not in ("energy-uzb", "energy-fossil"):
        return ()
    projects = load("energy_projects", root=root)
    roles = ["cn_equity_owner", "cn_lender", "cn_epc", "cn_equipment", "cn_role_unstated"]
    linked = projects[(projects["status"] == "operating") & projects[roles].notna().any(axis=1)]
    if headline.id == "energy-uzb":
        linked = linked[(linked["country_iso3"] == "UZB") & linked["technology"].isin(["wind", "solar"])]
    return tuple(sorted(set(evidence.split_ids(linked["source_ids"]))))


def table(root: Path | None = None) -> pd.DataFrame:
    """One row per headline: finding, value, year, citation, grade and the reason for the grade."""
    root = root or project_root()
    sources = load("sources", root=root)
    values = {}
    rows = []
    for h in HEADLINES:
        if h.chapter not in values:
            values[h.chapter] = glued(root / "notebooks" / h.chapter)
        g = values[h.chapter]
        needed = h.sources + extra_sources(h, root)
        grade = evidence.grade(needed, sources, derived=True)
        rows.append(
            {
                "id": h.id,
                "question": h.question,
                "Finding": h.label,
                "Value": h.value.format(**g),
                "Year": h.year.format(**g),
                "Source": cite(";".join(h.sources), root),
                "Grade": grade.letter,
                "Why": f"{grade.reason}; rests on {evidence.tier_mix(needed, sources)}",
                "n_sources": len(needed),
            }
        )
    return pd.DataFrame(rows)


FRONT_START = "<!-- key findings table: generated from greensilk.findings.HEADLINES by `make data`; do not edit -->"
FRONT_END = "<!-- end of the key findings table -->"


def front_table() -> str:
    """The front page's table: one row per headline, each value, year and grade glued from the conclusions chapter
    (which reads them from the chapters), the source cited from :data:`HEADLINES`."""

    def pasted(key: str) -> str:
        return f"{{glue:text}}`notebooks/06_conclusions.ipynb::{key}:s`"

    # the grade next to the value: on a phone the table scrolls sideways and the first columns are what shows
    lines = [FRONT_START, "```{list-table}", ":header-rows: 1", ":widths: 36 20 8 12 24", ""]
    lines += ["* - Finding", "  - Value", "  - Grade", "  - Year", "  - Source"]
    for h in HEADLINES:
        source = "; ".join(f"{{cite:t}}`{s}`" for s in h.sources)
        lines += [f"* - {h.label}", f"  - {pasted('kf_' + h.id + '_value')}", f"  - {pasted('kf_' + h.id + '_grade')}"]
        lines += [f"  - {pasted('kf_' + h.id + '_year')}", f"  - {source}"]
    return "\n".join([*lines, "```", FRONT_END])


def write_front_table(root: Path | None = None) -> bool:
    """Replace the table between the markers in index.md; True if the file changed."""
    path = (root or project_root()) / "index.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.index(FRONT_START), text.index(FRONT_END) + len(FRONT_END)
    new = text[:start] + front_table() + text[end:]
    path.write_text(new, encoding="utf-8")
    return new != text


FRONT_FIGURE = Path("notebooks") / "figdata" / "fig-key-findings.png"


def save_front_figure(fig, root: Path | None = None) -> Path:
    """Save the front page's figure as a PNG at twice the screen resolution (deterministic: no timestamp)."""
    path = (root or project_root()) / FRONT_FIGURE
    fig.savefig(path, dpi=220, metadata={"Software": None}, bbox_inches="tight")
    return path


if __name__ == "__main__":
    print("index.md key findings table:", "rewritten" if write_front_table() else "unchanged")
