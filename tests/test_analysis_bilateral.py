"""analysis.bilateral (any importer's dependence, BACI) and analysis.governance (WGI-weighted HHI,
GeoPolRisk) on the real tables and on hand-made cases."""
import math

import pandas as pd
import pytest

from critmin.analysis import bilateral, governance
from critmin.analysis import tables
from critmin.errors import DataError


def _frame(rows):
    return pd.DataFrame(rows, columns=["year", "supplier", "value_kusd", "qty_t", "n_flows_no_qty"])


def test_focus_shares_by_value_and_quantity_on_a_hand_made_case():
    df = _frame([(2020, "China", 60.0, 10.0, 0), (2020, "Japan", 40.0, 30.0, 0), (2021, "Japan", 5.0, 1.0, 1)])
    s = bilateral.focus_shares(df, "China").set_index("year")
    assert s.loc[2020, "share_value_pct"] == 60 and s.loc[2020, "share_qty_pct"] == 25
    assert s.loc[2021, "share_value_pct"] == 0 and s.loc[2021, "n_flows_no_qty"] == 1
    assert bilateral.hhi([60, 40]) == 5200


@pytest.mark.parametrize("importer", ["United States", "EU-27", "Japan", "South Korea", "India"])
def test_shares_within_bounds_and_suppliers_sum_to_total(importer):
    df = bilateral.supply(importer, "rare-earths")
    s = bilateral.focus_shares(df, "China")
    assert s.year.min() >= 1995 and s.year.max() == 2024
    for col in ("share_value_pct", "share_qty_pct"):
        assert s[col].dropna().between(0, 100).all()
    top = bilateral.top_suppliers(df, 2024, n=3)
    assert top.value_kusd.sum() == pytest.approx(df[df.year == 2024].value_kusd.sum())
    assert top.share_pct.sum() == pytest.approx(100) and top.supplier.iloc[-1] == bilateral.OTHERS
    h = bilateral.supplier_hhi(df)
    assert h.hhi.between(0, 10_000).all()


def test_us_rare_earth_compounds_from_china_2020_23_and_change():
    df = bilateral.supply("United States", "rare-earths")
    s = bilateral.focus_shares(df, "China")
    assert s[s.year == 2024].share_value_pct.item() == pytest.approx(
        100 * df[(df.year == 2024) & (df.supplier == "China")].value_kusd.sum() / df[df.year == 2024].value_kusd.sum())
    ch = bilateral.change_since(s, "share_value_pct")
    assert ch["latest_year"] == 2024
    assert ch["since_2010"] == pytest.approx(ch["latest"] - s.set_index("year").loc[2010, "share_value_pct"])


@pytest.mark.parametrize("importer, mineral", [
    ("Japan", "tungsten"), ("United States", "cobalt"), ("EU-27", "platinum-group-metals"),
    ("Germany", "lithium"), ("India", "copper")])
def test_local_aggregate_equals_the_big_table(importer, mineral):
    """The aggregate is one grouping per importer over every mineral; a mineral's rows must be what
    a filter of the big table on its own codes gives (EU-27 without intra-EU flows)."""
    from critmin.ingest.sources import baci
    local = bilateral.supply(importer, mineral)
    big = baci.supply(baci.load_trade(), importer, baci.codes_for(mineral))
    m = local.merge(big, on=["year", "supplier"], suffixes=("", "_big"))
    assert len(m) == len(local) == len(big) > 0
    assert (m.value_kusd - m.value_kusd_big).abs().max() < 1e-6
    assert ((m.qty_t - m.qty_t_big).abs().max() < 1e-6) and (m.hs6_codes == m.hs6_codes_big).all()
    assert (m.n_flows == m.n_flows_big).all() and (m.n_flows_no_qty == m.n_flows_no_qty_big).all()


def test_every_mineral_with_an_hs_code_is_in_the_local_aggregate():
    from critmin.analysis import tables
    from critmin.ingest.sources import baci
    df = tables.load("baci_supply.csv")
    assert sorted(df.commodity.unique()) == baci.supply_minerals()
    assert len(baci.supply_minerals()) == 44 and "gallium" not in baci.supply_minerals()


def test_other_importer_from_the_big_table_and_unknown_importer():
    df = bilateral.supply("Vietnam", "graphite")
    assert len(df) and set(df.commodity) == {"graphite"}
    with pytest.raises(DataError, match="importer not in BACI"):
        bilateral.supply("Atlantis", "graphite")


def test_wgi_weighted_hhi_hand_made_cases():
    g = {"A": 1.0, "B": 0.0, "C": 0.5}
    assert governance.wgi_weighted_hhi({"A": 5}, g)["low"] == 1.0                # monopoly, worst
    assert governance.wgi_weighted_hhi({"B": 5}, g)["low"] == 0.0                # monopoly, best
    r = governance.wgi_weighted_hhi({"A": 1, "B": 1}, g)
    assert r["low"] == r["high"] == 0.25 and r["hhi"] == 0.5
    r = governance.wgi_weighted_hhi({"A": 2, "X": 2}, g)                         # X has no WGI score
    assert (r["low"], r["high"], r["unknown_share_pct"]) == (0.25, 0.5, 50.0)


def test_geopolrisk_hand_made_cases():
    g = {"A": 1.0, "B": 0.0}
    # production split 50/50 -> HHI 0.5; all imports from A (g=1), no own production -> 0.5
    assert governance.geopolrisk({"A": 1, "B": 1}, {"A": 10}, g)["low"] == 0.5
    # own production of the same size as imports halves the import-risk term
    assert governance.geopolrisk({"A": 1, "B": 1}, {"A": 10}, g, domestic_production=10)["low"] == 0.25
    assert governance.geopolrisk({"A": 1}, {"B": 10}, g)["low"] == 0.0
    with pytest.raises(ValueError):
        governance.geopolrisk({"A": 1}, {}, g)


def test_governance_uses_latest_wgi_year_and_china_2022():
    wgi = tables.load("wgi.csv")
    g = governance.governance_for(wgi, 2022)
    assert g["China"] == pytest.approx(0.588, abs=5e-4)
    assert governance.governance_for(wgi, 1997)["China"] == governance.governance_for(wgi, 1996)["China"]
    assert math.isnan(g.get("Atlantis", math.nan))


def test_us_only_sections_say_so_for_another_importer():
    from critmin.sections import imports as import_sections, nir as nir_sections
    nir = tables.load("net_import_reliance.csv")
    snap = nir_sections.nir_snapshot(nir, nir.iloc[0:0], edition=2026, year=2025, importer="Japan",
                                     focus_country="China", nir_threshold=50)
    text = snap.sentence()
    assert "covers only the United States" in text and "Japan" in text and "BACI" in text
    notice = import_sections.trade_for_mineral("graphite", focus_country="China", importer="EU-27")
    assert "the EU-27" in notice.sentence() and "Comtrade" in notice.sentence()
    # the United States still gets the USGS section itself
    us = import_sections.sources_for_mineral("graphite", edition=2026, focus_country="China")
    assert type(us).__name__ == "ImportSources"


def test_who_depends_compares_importers_and_adds_the_parameter():
    from critmin.sections import dependence
    w = dependence.who_depends(["rare-earths", "gallium"], focus_country="China", importer="Vietnam")
    assert list(w.rows.importer) == ["United States", "EU-27", "Japan", "South Korea", "India", "Vietnam"]
    us = w.rows.iloc[0]
    direct = bilateral.focus_shares(bilateral.supply("United States", "rare-earths"), "China").iloc[-1]
    assert (us.year, us.share_value_pct) == (2024, direct.share_value_pct)
    assert any("Gallium has no HS 1992 code" in n for n in w.notes)
    assert not w.table.astype(str).apply(lambda c: c.str.contains("nan|None|2,0")).any().any()


def test_export_controls_dependence_names_the_united_states_for_another_importer():
    from critmin.sections import controls as sec
    s = sec.section(sec.load(), focus_country="China", importer="Japan", edition=2026, year=2025, nir_threshold=50)
    assert "The United States relied on imports" in str(s.headline()) and "Japan" not in str(s.headline())
