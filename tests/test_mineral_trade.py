"""The BACI panel of a mineral page and the U.S. three-source table, against values read straight
from the raw databases and extracts (sqlite3 on baci.db; trade.csv rows trace to the Comtrade CSVs)."""
import sqlite3

import pandas as pd
import pytest

from critmin import config
from critmin.analysis import governance, tables, us_sources
from critmin.ingest.sources import baci, geopolrisk_wheel
from critmin.present import charts
from critmin.sections import mineral_trade

RE = ("280530", "284610", "284690")


def _baci_sum(importer: int, exporters, years, col="v") -> float:
    con = sqlite3.connect(geopolrisk_wheel.db_path(config.RAW, baci.DB))
    q = (f"SELECT sum(CAST({col} AS REAL)) FROM baci_trade WHERE j = ? AND k IN ({','.join('?' * len(RE))}) "
         f"AND CAST(t AS INTEGER) BETWEEN ? AND ?")
    args = [str(importer), *map(int, RE), years[0], years[1]]
    if exporters is not None:
        q += f" AND i IN ({','.join('?' * len(exporters))})"
        args += [str(e) for e in exporters]
    return con.execute(q, args).fetchone()[0]


@pytest.fixture(autouse=True)
def _charts(tmp_path):
    charts.setup(tmp_path)


def test_us_rare_earths_three_sources_from_the_raw_data():
    r = us_sources.compare("rare-earths", "China", 2026)
    assert r["years"] == [2021, 2022, 2023, 2024]
    assert r["usgs"].share_pct.tolist() == [71.0]                      # MCS 2026 import sources
    b = r["baci"]
    want = 100 * _baci_sum(842, [156], (2021, 2024)) / _baci_sum(842, None, (2021, 2024))
    assert b["share_value_pct"] == pytest.approx(want) and round(want, 1) == 61.6
    with_hk = 100 * _baci_sum(842, [156, 344, 446], (2021, 2024)) / _baci_sum(842, None, (2021, 2024))
    assert b["share_value_with_hk_pct"] == pytest.approx(with_hk)
    q = 100 * _baci_sum(842, [156], (2021, 2024), "q") / _baci_sum(842, None, (2021, 2024), "q")
    assert b["share_qty_pct"] == pytest.approx(q) and round(q, 1) == 74.8
    t = tables.load("trade.csv")
    us = t[(t.reporter == "United States") & (t.flow == "import") & (t.commodity == "rare-earths") & (t.year >= 2021)]
    c = r["comtrade"]
    assert c["share_value_pct"] == pytest.approx(100 * us[us.partner == "China"].value_usd.sum()
                                                 / us[us.partner == "World"].value_usd.sum())
    assert round(c["share_value_pct"], 1) == 63.4 and c["revisions"] == ["HS 2017", "HS 2022"]
    panel = mineral_trade.us_comparison("rare-earths", focus_country="China", importer="United States", edition=2026)
    html = " ".join(p.text for p in panel.parts)
    for text in ("71%", "63.4%", "61.6%", "74.8%", "-7.6 points", "-9.4 points", "HS 1992", "mirror flows"):
        assert text in html, text


def test_us_comparison_for_another_importer_says_it_is_us_only():
    s = mineral_trade.us_comparison("rare-earths", focus_country="China", importer="Japan", edition=2026)
    assert "only the United States" in s.sentence() and "Japan" in s.sentence()


def test_panel_japan_rare_earths_2024_from_baci_db():
    share = 100 * _baci_sum(392, [156], (2024, 2024)) / _baci_sum(392, None, (2024, 2024))
    qty = 100 * _baci_sum(392, [156], (2024, 2024), "q") / _baci_sum(392, None, (2024, 2024), "q")
    parts = mineral_trade.for_mineral("rare-earths", focus_country="China", importer="Japan").parts
    finding = parts[1].text
    assert f"{share:.1f}% by value" in finding and f"{qty:.1f}% by quantity" in finding
    chart = parts[2]
    d = chart.data
    v = d[(d.series == "By value") & (d.x == 2024)]
    assert v.value.iloc[0] == pytest.approx(share) and "baci_trade" in v.source_file.iloc[0]
    assert d.value.dropna().between(0, 100).all()
    assert "EU-27" in parts[-1].text and "India" in parts[-1].text   # the importers compared


def test_panel_says_what_the_codes_cover():
    ant = mineral_trade.coverage("antimony")
    assert "HS 261710" in ant and "ores and concentrates only" in ant
    assert "no code of its own for gallium" in mineral_trade.coverage("gallium")
    assert len(mineral_trade.for_mineral("gallium", focus_country="China", importer="Japan").parts) == 1


def test_geopolrisk_on_the_documented_equation_hand_made():
    # GeoPolRisk_Ac = HHI_A * sum_i g_i f_Aic / (p_Ac + F_Ac): production 60/40 -> HHI 0.52;
    # imports 30 from A (g 0.8) and 10 from B (g 0.2), domestic production 40 -> (24 + 2) / 80
    r = governance.geopolrisk({"A": 60, "B": 40}, {"A": 30, "B": 10}, {"A": 0.8, "B": 0.2}, domestic_production=40)
    assert r["hhi_production"] == pytest.approx(0.52) and r["low"] == pytest.approx(0.52 * 26 / 80)
    # EU: HHI_WGI = sum s_i^2 g_i -> 0.36 * 0.8 + 0.16 * 0.2
    assert governance.wgi_weighted_hhi({"A": 60, "B": 40}, {"A": 0.8, "B": 0.2})["low"] == pytest.approx(0.32)


def test_a_partner_missing_from_the_comtrade_extract_is_said_not_zero():
    r = us_sources.compare("lithium", "Australia", 2026)
    assert r["comtrade"]["missing_partner"] and r["comtrade"]["partners"] == ["China"]
    panel = mineral_trade.us_comparison("lithium", focus_country="Australia", importer="United States", edition=2026)
    text = " ".join(p.text for p in panel.parts)
    assert "holds no imports from Australia" in text and "gives no share for Australia" in text
    assert "Hong Kong" not in text   # only when the focus country is China


def test_three_sources_never_contradict_the_comtrade_section():
    """Germanium has no Comtrade code of its own, but the page's Comtrade section reads HS 811292,
    which names it among other metals: the three-sources notes say so instead of 'no HS code'."""
    from critmin.analysis import imports
    from critmin.present import format as fmt

    wider = imports.hs_codes_naming("germanium", fmt.commodity("germanium"))
    assert wider == ["811292"]
    notes = mineral_trade._us_reasons("germanium", "China", us_sources.compare("germanium", "China", 2026))
    assert ("Our Comtrade extract holds no HS code for germanium alone: HS 811292 groups it with other "
            "metals, so the extract is left out of this comparison.") in notes
