"""NIR ordering with bounds and E, dependence against a threshold, import shares, trade shares."""
import math

import pandas as pd
import pytest

from critmin.analysis import imports


def nir_frame():
    rows = [  # edition, commodity, form, year, nir_pct, nir_flag, sources
        (2026, "gallium", "", 2025, 100.0, "", "Canada; Germany"),
        (2026, "rare-earths", "compounds-and-metals", 2025, 67.0, "", "China; Malaysia"),
        (2026, "rare-earths", "mineral-concentrates", 2025, math.nan, "E", ""),
        (2026, "tungsten", "", 2025, 50.0, ">", "China; Germany"),
        (2026, "arsenic", "", 2025, 95.0, ">", "China"),
        (2026, "beryllium", "", 2025, math.nan, "E", "Kazakhstan"),
        (2026, "zirconium-hafnium", "", 2025, 25.0, "<", "South Africa"),
        (2026, "germanium", "", 2025, math.nan, "W", ""),
        (2026, "antimony", "", 2024, 85.0, "", "China"),
        (2026, "antimony", "", 2025, 91.0, "", "China"),
        (2025, "antimony", "", 2024, 85.0, "", "China"),
    ]
    return pd.DataFrame(rows, columns=["edition", "commodity", "form", "year", "nir_pct",
                                       "nir_flag", "major_import_sources"])


def test_order_bounds_and_exporters():
    df = imports.nir_newest(nir_frame(), headline=True)
    assert df["commodity"].tolist() == ["gallium", "arsenic", "antimony", "rare-earths",
                                        "tungsten", "zirconium-hafnium", "beryllium", "germanium"]
    assert df.set_index("commodity")["label"].to_dict() == {
        "gallium": "100", "arsenic": ">95", "antimony": "91", "rare-earths": "67",
        "tungsten": ">50", "zirconium-hafnium": "<25", "beryllium": "E", "germanium": "W"}
    # headline series for rare earths is the one with an import-source list
    assert df.set_index("commodity").loc["rare-earths", "form"] == "compounds-and-metals"
    assert df.set_index("commodity").loc["antimony", "year"] == 2025


def test_dependence_threshold_respects_bounds():
    df = imports.nir_newest(nir_frame(), headline=True, threshold=50).set_index("commodity")
    assert bool(df.loc["gallium", "dependent"]) and bool(df.loc["tungsten", "dependent"])
    assert not df.loc["beryllium", "dependent"] and not df.loc["zirconium-hafnium", "dependent"]
    assert pd.isna(df.loc["germanium", "dependent"])
    t75 = imports.nir_newest(nir_frame(), headline=True, threshold=75).set_index("commodity")
    assert pd.isna(t75.loc["tungsten", "dependent"])  # '>50' says nothing about 75
    assert not t75.loc["rare-earths", "dependent"]


def test_leading_source_and_focus():
    df = imports.nir_newest(nir_frame(), headline=True, focus_country="China").set_index("commodity")
    assert df.loc["tungsten", "leading_source"] == "China" and df.loc["tungsten", "focus_leads"]
    assert df.loc["gallium", "leading_source"] == "Canada" and not df.loc["gallium", "focus_leads"]


def test_all_forms_kept_without_headline():
    df = imports.nir_newest(nir_frame())
    assert len(df[df["commodity"] == "rare-earths"]) == 2


def test_import_shares():
    src = pd.DataFrame(
        [(2026, "rare-earths", "compounds-and-metals", "2021-2024", 1, "China", 71.0),
         (2026, "rare-earths", "compounds-and-metals", "2021-2024", 2, "Malaysia", 13.0),
         (2026, "gallium", "", "2021-2024", 1, "Canada", 30.0),
         (2023, "gallium", "", "2018-2021", 1, "China", math.nan)],
        columns=["edition", "commodity", "form", "period", "rank", "country", "share_pct"])
    out = imports.import_shares(src, "China").set_index("commodity")
    assert out.loc["rare-earths", "share_pct"] == 71.0 and out.loc["rare-earths", "rank"] == 1
    assert math.isnan(out.loc["gallium", "share_pct"]) and "not among" in out.loc["gallium", "reason"]
    assert out.loc["gallium", "leading_source"] == "Canada"
    old = imports.import_shares(src, "China", edition=2023).iloc[0]
    assert "order of sources only" in old["reason"]


def test_trade_shares_value_and_weight():
    t = pd.DataFrame(
        [("United States", "World", "import", "2846", "rare-earths", 2024, 170.5e6, 10000.0),
         ("United States", "China", "import", "2846", "rare-earths", 2024, 116.1e6, 7000.0),
         ("United States", "World", "import", "811292", "gallium", 2024, 50e6, math.nan),
         ("United States", "China", "import", "811292", "gallium", 2024, 5e6, 100.0)],
        columns=["reporter", "partner", "flow", "hs_code", "commodity", "year", "value_usd",
                 "net_weight_kg"]).assign(source_file="x.csv", source_row=[2, 3, 4, 5])
    out = imports.trade_shares(t).set_index("hs_code")
    # numerator and denominator each keep their raw row
    assert out.loc["2846", ["world_source_row", "partner_source_row"]].tolist() == ["2", "3"]
    assert out.loc["2846", "partner_source_file"] == "x.csv"
    assert out.loc["2846", "value_share_pct"] == pytest.approx(68.09, abs=0.01)
    assert out.loc["2846", "weight_share_pct"] == pytest.approx(70.0)
    assert math.isnan(out.loc["811292", "weight_share_pct"])
    assert "weight not reported" in out.loc["811292", "note"]
    assert "broader than gallium" in out.loc["811292", "note"].lower()


def test_real_nir_newest_mcs2026():
    from critmin.analysis import tables
    head = imports.nir_newest(tables.load("net_import_reliance.csv"), edition=2026,
                              headline=True).set_index("commodity")
    assert head.loc["gallium", "label"] == "100" and head.loc["graphite", "label"] == "100"
    assert head.loc["antimony", "label"] == "91" and head.loc["rare-earths", "label"] == "67"
    assert head.loc["germanium", "label"] == ">50" and head.loc["tungsten", "label"] == ">50"
    assert head.loc["tungsten", "leading_source"] == "China"


def test_real_rare_earth_compounds_import_share_and_trade():
    from critmin.analysis import tables
    imp = imports.import_shares(tables.load("import_sources.csv"), "China", edition=2026)
    r = imp[(imp["commodity"] == "rare-earths") & (imp["form"] == "compounds-and-metals")].iloc[0]
    assert r["share_pct"] == 71 and r["rank"] == 1
    tr = imports.trade_shares(tables.load("trade.csv")).set_index(["hs_code", "year"])
    assert tr.loc[("2846", 2024), "value_usd_world"] == pytest.approx(170.5e6, rel=1e-3)
    assert tr.loc[("2846", 2024), "value_share_pct"] == pytest.approx(68.1, abs=0.05)
