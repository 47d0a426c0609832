"""The context chapter's helper: per-person indicators derived as documented, latest values and changes."""

from __future__ import annotations

import pandas as pd
import pytest

from greensilk import load, region

from .conftest import ROOT


def _context():
    return pd.DataFrame(
        {
            "country_iso3": ["AAA", "AAA", "BBB", "BBB"],
            "year": [2000, 2001, 2000, 2001],
            "population": [2_000_000, 2_500_000, 10_000_000, 10_000_000],
            "gdp_intl_usd_2011": [4e9, None, 5e10, 6e10],
            "co2_t_per_capita": [1.5, 1.6, 3.0, 2.0],
        }
    )


def _generation():
    return pd.DataFrame(
        {
            "country_iso3": ["AAA", "AAA", "AAA", "BBB"],
            "year": [2000, 2001, 2000, 2000],
            "fuel": ["total", "total", "coal", "total"],
            "value_twh": [4.0, 5.0, 3.0, 20.0],
        }
    )


def test_indicators_are_derived_as_documented():
    out = region.indicators(_context(), _generation()).set_index(["country_iso3", "year"])
    assert out.loc[("AAA", 2000), "population_m"] == 2.0
    assert out.loc[("AAA", 2000), "gdp_per_person"] == 2000.0
    assert out.loc[("AAA", 2001), "electricity_kwh_per_person"] == 2000.0  # 5 TWh / 2.5 million people
    assert out.loc[("BBB", 2000), "electricity_kwh_per_person"] == 2000.0  # the coal row is not added again
    assert pd.isna(out.loc[("AAA", 2001), "gdp_per_person"])  # missing GDP stays missing
    assert pd.isna(out.loc[("BBB", 2001), "electricity_kwh_per_person"])


def test_latest_takes_the_last_year_with_a_value():
    out = region.indicators(_context(), _generation())
    gdp = region.latest(out, "gdp_per_person").set_index("country_iso3")
    assert gdp.loc["AAA", "year"] == 2000 and gdp.loc["BBB", "year"] == 2001
    assert gdp.loc["BBB", "value"] == 6000.0


def test_change_since_compares_with_the_start_year():
    out = region.indicators(_context(), _generation())
    co2 = region.change_since(out, "co2_t_per_person").set_index("country_iso3")
    assert co2.loc["BBB", "ratio"] == pytest.approx(2.0 / 3.0)
    assert co2.loc["AAA", "end_year"] == 2001
    with pytest.raises(ValueError, match="2001"):
        region.change_since(out[out["year"] == 2000], "co2_t_per_person", start=2001)


def test_indexed_is_100_in_the_base_year():
    out = region.indicators(_context(), _generation())
    idx = region.indexed(out, "population_m")
    assert list(idx[out["year"] == 2000]) == [100.0, 100.0]
    assert idx[(out["country_iso3"] == "AAA") & (out["year"] == 2001)].iloc[0] == 125.0


def test_a_duplicated_total_is_refused():
    gen = pd.concat([_generation(), _generation().iloc[[0]]])
    with pytest.raises(ValueError, match="more than one total"):
        region.indicators(_context(), gen)


def test_the_package_covers_every_country_from_2000():
    context = load("region_context", root=ROOT)
    assert set(context["country_iso3"]) == {"KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN"}
    assert (context.groupby("country_iso3")["year"].min() == 2000).all()
    out = region.indicators(context, load("electricity_generation", root=ROOT))
    # OWID's per-person CO2 agrees with CO2 / population (the importer checks the same on the snapshot)
    recomputed = context["co2_mt"] * 1e6 / context["population"]
    assert (recomputed - context["co2_t_per_capita"]).abs().max() < 0.001
    assert out["electricity_kwh_per_person"].notna().groupby(out["country_iso3"]).sum().min() >= 20


def test_the_importer_refuses_a_miscopied_value(tmp_path):
    from greensilk.importers import owid_context

    source = ROOT / "data" / "snapshots" / owid_context.SNAPSHOT
    target = tmp_path / owid_context.SNAPSHOT
    target.parent.mkdir(parents=True)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5].replace(",15", ",51", 1) if ",15" in lines[5] else lines[5].replace(",1", ",7", 1)
    target.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ValueError, match=r"row \d+ \(line \d+\), column"):
        owid_context.build(tmp_path)
