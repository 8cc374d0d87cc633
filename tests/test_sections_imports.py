"""Import-dependence sections: Figure 2 counts read from the raw file, the NIR rules, editions and
years as asked, the focus country = importer case, the DRC and Australia wording, provenance."""
import math

import pytest

from critmin.analysis import imports, tables
from critmin.sections import imports as import_sections
from critmin.sections import nir as nir_sections

MINERALS = ["rare-earths", "tungsten", "gallium", "germanium", "antimony", "graphite"]


@pytest.fixture(scope="module")
def nir():
    return tables.load("net_import_reliance.csv")


# ---- rules, one per test

def test_at_or_above_threshold_excludes_lower_bounds_and_wrong_side_bounds():
    assert imports.dependent(50.0, ">", 50) is True          # '>50' is at least 50
    assert imports.dependent(50.0, "<", 50) is False         # '<50' is below
    assert imports.dependent(25.0, ">", 50) is None          # '>25' cannot be placed
    assert imports.dependent(75.0, "<", 50) is None          # '<75' cannot be placed
    assert imports.dependent(math.nan, "E", 50) is False     # net exporter
    assert imports.dependent(math.nan, "W", 50) is None      # withheld decides nothing


def test_ranges_and_unknown_flags_are_refused_not_guessed():
    with pytest.raises(ValueError, match="range"):
        imports.dependent(40.0, "range", 50)


def test_full_reliance_is_an_exact_100_only():
    assert imports.full(100.0, "") and not imports.full(95.0, ">") and not imports.full(99.0, "")


# ---- Figure 2, as USGS lists it (MCS 2026 published: 53 at >=50%, 16 at 100%, China first for 15)

def test_mcs2026_figure2_counts_from_the_raw_file():
    items = imports.annotate(imports.figure2(2026), threshold=50, focus_country="China")
    c = imports.counts(items)
    assert (c["items"], c["dependent"], c["full"], c["focus_leads"]) == (68, 53, 16, 15)
    assert items["source_file"].str.endswith("MCS2026_Fig2_Net_Import_Reliance.csv").all()
    mica = items[items["commodity"] == "mica"].set_index("form")["label"].to_dict()
    assert mica == {"sheet": "100", "scrap-and-flake": "34"}   # both mica items, as listed


def test_snapshot_sentence_counts_items_and_reconciles_per_commodity(nir):
    s = nir_sections.nir_snapshot(nir, imports.figure2(2026), edition=2026, year=2025)
    assert s.basis == "figure2" and s.year == 2025
    assert "53 of the 68 items" in s.finding and "(48 commodities)" in s.finding
    assert "all of it for 16" in s.finding and "China is listed first for 15 of the 53" in s.finding
    assert "2025" in s.title and "None" not in s.finding and "nan" not in s.finding
    assert {"source_file", "source_row"} <= set(s.rows.columns)


def test_snapshot_uses_the_year_given(nir):
    s = nir_sections.nir_snapshot(nir, imports.figure2(2023), edition=2023, year=2021)
    assert s.basis == "series" and s.year == 2021
    assert set(s.rows["year"]) == {2021} and "2021" in s.title and "2022" not in s.title


def test_over_time_stops_at_the_report_edition(nir):
    ot = nir_sections.nir_over_time(nir, imports.figure2(2025), edition=2025, minerals=MINERALS)
    assert ot.rows["edition_used"].max() == 2025 and ot.rows["year"].max() == 2024
    assert "2025" not in ot.title


def test_mineral_facts_name_the_newest_year_of_the_edition():
    # with edition 2025 the lithium page said 'in 2020' (chained rows with edition_used == 2025)
    ot = nir_sections.for_mineral("lithium", edition=2025)
    assert ot.facts(2024) == ["U.S. net import reliance, lithium, in 2024: >50%"]
    assert ot.rows["edition_used"].max() == 2025


# ---- the focus country is the importer, or another country

def test_focus_is_importer_says_what_it_can(nir):
    s = nir_sections.nir_snapshot(nir, imports.figure2(2026), edition=2026, year=2025,
                                  focus_country="United States")
    assert "listed first" not in s.finding and "section on world supply" in s.finding
    src = import_sections.focus_import_shares(tables.load("import_sources.csv"), edition=2026,
                                              focus_country="United States", minerals=MINERALS)
    assert src.rows.empty and "itself" in src.finding
    tr = import_sections.trade_shares(tables.load("trade.csv"), minerals=MINERALS,
                                      focus_country="United States")
    assert tr.rows.empty and "from United States" not in tr.finding


def test_drc_import_shares_and_trade_read_right():
    src = import_sections.focus_import_shares(tables.load("import_sources.csv"), edition=2026,
                                              focus_country="Congo (Kinshasa)", minerals=["cobalt"])
    assert "in order only" not in src.finding and "2021–2024" in src.finding
    assert src.rows["share_pct"].max() == pytest.approx(9)
    tr = import_sections.trade_shares(tables.load("trade.csv"), minerals=["cobalt"],
                                      focus_country="Congo (Kinshasa)")
    assert "our UN Comtrade extract" in tr.finding.replace("Our", "our") and tr.rows.empty


def test_order_only_edition_says_so_and_extract_limits_are_ours():
    src = tables.load("import_sources.csv")
    aus = import_sections.focus_import_shares(src, edition=2025, focus_country="Australia")
    assert "without the shares" in aus.finding and aus.rows.empty
    old = import_sections.focus_import_shares(src, edition=2022, focus_country="China")
    assert old.finding.startswith("Our extract of MCS 2022")


# ---- Comtrade: one function for all minerals and for one; germanium in HS 811292

def test_trade_shares_carry_numerator_and_denominator_rows():
    tr = import_sections.trade_shares(tables.load("trade.csv"), minerals=MINERALS)
    r = tr.rows.set_index(["hs_code", "year"]).loc[("2846", 2024)]
    assert r["value_share_pct"] == pytest.approx(68.1, abs=0.05)
    assert r["world_source_file"] and r["partner_source_file"] and r["world_source_row"] != r["partner_source_row"]
    assert tr.value_title.endswith("2020–2024")


def test_germanium_page_shows_hs_811292_with_its_caveat():
    tr = import_sections.trade_for_mineral("germanium", focus_country="China")
    assert set(tr.rows["hs_code"]) == {"811292"} and tr.chart_prefix == "germanium-trade"
    assert any("covers germanium too" in n and "not for germanium alone" in n for n in tr.notes)
    assert "no HS code" not in tr.finding
