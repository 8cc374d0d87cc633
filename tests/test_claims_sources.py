"""The verdict side of the claims check: BACI beside USGS for import shares (any importer), World
Mining Data and BGS beside USGS for production shares, the overall verdict ('depends on
source/measure'), '(different period)' and the caveats computed from the data. Known values are
read from the raw files (the BACI and World Mining Data databases with sqlite3, the MCS CSVs)."""
import math

import pytest

from critmin import config
from critmin.claims import imports, run as claims_run, sources
from critmin.claims.check import Tolerance
from critmin.ingest.sources.geopolrisk_wheel import connect
from critmin.io import read_text

US, CHINA, JAPAN = "842", "156", "392"
RE_ALL = (280530, 284610, 284690)


def _raw_share(importer, exporter, hs6, years, column):
    """The exporter's share (%) of the importer's imports over the years, straight from baci.db."""
    con = connect(config.RAW, "baci.db")
    marks = ",".join("?" * len(hs6))
    q = (f"SELECT SUM(CASE WHEN i = ? THEN CAST({column} AS REAL) ELSE 0 END), SUM(CAST({column} AS REAL)) "
         f"FROM baci_trade WHERE j = ? AND k IN ({marks}) AND t BETWEEN ? AND ? AND TRIM({column}) GLOB '*[0-9]*'")
    own, total = con.execute(q, (exporter, importer, *hs6, min(years), max(years))).fetchone()
    con.close()
    return 100 * own / total


@pytest.fixture(scope="module")
def seed():
    return claims_run.run(None, "auto", [None, 2026], report_edition=2026)


def _src(result, cid, name):
    s = result.sources
    return s[(s.claim_id == cid) & (s.source == name)].iloc[0]


def _verdict(result, cid):
    return result.verdicts.set_index("claim_id").loc[cid]


# ---- BACI, by value and by quantity, for the claim's years ---------------------------------------
@pytest.mark.parametrize("basis, column", [("value", "v"), ("quantity", "q")])
def test_us_rare_earths_from_china_2020_23_match_the_raw_database(basis, column):
    got = imports.BaciTrade(basis).lookup({}, None, "rare-earths", "compounds-and-metals", "China",
                                          "2020-2023", "United States")
    assert got["period"] == "2020-2023" and got["public_flag"] == ""
    assert got["public_pct"] == pytest.approx(_raw_share(US, CHINA, RE_ALL, (2020, 2023), column), abs=1e-6)
    assert got["source_file"] == "data/processed/baci_supply.csv"


def test_compounds_alone_give_the_manifest_figures():
    """MANIFEST §5 verified 56.8% of value and 72.8% of quantity for HS 284610+284690 alone; the
    claim's USGS form (compounds and metals) adds HS 280530, about one point more."""
    value = _raw_share(US, CHINA, (284610, 284690), (2020, 2023), "v")
    qty = _raw_share(US, CHINA, (284610, 284690), (2020, 2023), "q")
    assert round(value, 1) == 56.8 and round(qty, 1) == 72.8
    assert imports.hs_codes("rare-earths", "compounds-and-metals") == ["280530", "284610", "284690"]


@pytest.mark.parametrize("importer, code, file", [
    ("Japan", JAPAN, "data/processed/baci_supply.csv"),       # in the committed aggregate
    ("France", "251", "data/raw/derived/baci_trade.csv.gz")])  # read from the big table
@pytest.mark.parametrize("basis, column", [("value", "v"), ("quantity", "q")])
def test_other_importers(importer, code, file, basis, column):
    got = imports.BaciTrade(basis).lookup({}, None, "graphite", "", "China", "2024", importer)
    assert got["public_pct"] == pytest.approx(_raw_share(code, CHINA, (250410, 250490), (2024, 2024), column),
                                              abs=1e-6)
    assert got["source_file"] == file and got["period"] == "2024"


def test_baci_says_why_when_it_cannot_answer():
    nickel = imports.BaciTrade("value").lookup({}, None, "nickel", "", "Philippines", "latest", "Japan")
    assert nickel["public_flag"] == "none" and "do not cover all its traded forms" in nickel["reason"]
    assert "260400 (ore)" in nickel["reason"]  # the forms in words, not slugs
    assert imports.beside("Atlantis") == []
    assert "not an importer in BACI" in imports.backend_for("Atlantis").lookup({}, 2026, "x", "", "China")["reason"]
    assert "cover U.S. imports only" in imports.backend_for("Japan").lookup({}, 2026, "x", "", "China")["reason"]


# ---- the seed's rare-earth import claim: what the answer depends on -------------------------------
def test_seed_rare_earth_claim_depends_on_the_measure(seed):
    value, qty = _src(seed, "C05", "BACI by value"), _src(seed, "C05", "BACI by quantity")
    assert value.public_pct == pytest.approx(_raw_share(US, CHINA, RE_ALL, (2020, 2023), "v"))
    assert value.verdict == "overstates" and qty.verdict == "consistent"  # 'at least 70%': band from 69%
    assert value.reads == "overstates" and value.period == qty.period == "2020-2023"
    v = _verdict(seed, "C05")
    assert v.overall_verdict == "depends on source/measure"
    assert v.depends_on == ("consistent by USGS import sources, MCS 2026 (2021-2024, a different period) "
                            "and BACI by quantity (2020-2023); overstates by BACI by value (2020-2023)")


def test_different_period_is_said(seed):
    c = seed.checks
    new = c[(c.claim_id == "C05") & (c.edition == 2026)].iloc[0]
    assert new.period == "2021-2024" and sources.reads(new.verdict, "2020-2023", new.period) == \
        "consistent (different period)"
    assert sources.reads("consistent", "2020-2023", "2020-2023") == "consistent"
    assert sources.reads("consistent", "latest", "2024") == "consistent"  # no period of its own
    assert sources.reads("not checkable", "2024", "2023") == "not checkable"


# ---- production shares: World Mining Data and BGS beside USGS -------------------------------------
def test_world_mining_data_beside_usgs_for_tungsten(seed):
    r = _src(seed, "C01", sources.WMD)
    con = connect(config.RAW, "world_mining_data.db")
    china = con.execute('SELECT "2024" FROM "Tungsten (W)" WHERE Country = ?', ("China",)).fetchone()[0]
    world = con.execute('SELECT "2024" FROM "Tungsten (W)" WHERE Country = ?', ("Total",)).fetchone()[0]
    con.close()
    assert (float(china), float(world)) == (58760, 75416)  # MANIFEST §5
    assert r.period == "2024" and r.public_pct == pytest.approx(100 * 58760 / 75416)
    assert r.verdict == "consistent" and "58,760 t of world 75,416 t" in r.public_detail
    bgs = _src(seed, "C01", sources.BGS)  # BGS ends in 2021: never compared with another year
    assert bgs.verdict == "not checkable" and "2025 or 2024" in bgs.reason
    assert _verdict(seed, "C01").overall_verdict == "consistent"


def test_every_source_uses_the_one_band(seed):
    band = Tolerance().band(80, "around")
    for r in seed.sources[seed.sources.claim_id.isin(["C01", "C02", "C03"])].itertuples():
        assert (r.band_low, r.band_high) == band


# ---- overall verdict on hand-made cases -------------------------------------------------------------
def _r(source, verdict, period="2024", reads=None):
    return dict(source=source, verdict=verdict, period=period, reads=reads or verdict)


def test_overall_verdict_rules():
    assert sources.overall([_r("USGS MCS 2026", "consistent")], [_r("WMD", "consistent")]) == ("consistent", "")
    v, dep = sources.overall([_r("USGS MCS 2026", "consistent")], [_r("WMD", "overstates")])
    assert v == "depends on source/measure" and dep == "consistent by USGS MCS 2026 (2024); overstates by WMD (2024)"
    v, dep = sources.overall([_r("U", "overstates")], [_r("W", "understates")])
    assert v == "depends on source/measure" and dep == "overstates by U (2024); understates by W (2024)"
    # only the newest USGS edition with a figure counts: an older edition is a revision, not a source
    assert sources.overall([_r("U 2025", "consistent"), _r("U 2026", "overstates")], [])[0] == "overstates"
    assert sources.overall([_r("U", "not checkable")], []) == ("not checkable", "")
    assert sources.overall([_r("U", "not checkable")], [_r("W", "understates")]) == \
        ("understates", "only W (2024) has a figure")
    late = _r("U", "consistent", "2021-2024", "consistent (different period)")
    assert sources.overall([late], [])[0] == "consistent (different period)"
    # the edition out when the article was written judges it, when it has a figure
    then, now = dict(_r("U 2025", "consistent"), edition=2025), dict(_r("U 2026", "overstates"), edition=2026)
    assert sources.overall([then, now], [], at_writing=2025)[0] == "consistent"
    assert sources.overall([dict(then, verdict="not checkable"), now], [], at_writing=2025)[0] == "overstates"


def test_a_dated_article_is_judged_by_the_edition_out_then(tmp_path):
    """China's 2024 antimony: 60,000 of 100,000 t (60.0%) in MCS 2025, 40,000 of 119,000 t in
    MCS 2026 (the rows test_antimony_caveats_stage_and_revision reads). Written in October 2025,
    when MCS 2025 was the newest edition, '60%' was right by USGS; the revision is a caveat. World
    Mining Data's 2024 share (32.7%) disagrees, so the claim depends on the source."""
    text = ("Metals desk\nPublished 10 October 2025\n\nChina mined 60% of the world's antimony "
            "in 2024, according to the latest survey.\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = claims_run.run(tmp_path / "a.txt", "auto", [None, 2026], report_edition=2026)
    (cid,) = result.claims.loc[result.claims.checkable == "yes", "claim_id"]
    by_edition = result.checks[result.checks.claim_id == cid].set_index("edition").verdict
    assert by_edition[2025] == "consistent" and by_edition[2026] == "overstates"
    v = _verdict(result, cid)
    assert v.overall_verdict == "depends on source/measure"
    assert v.depends_on.startswith("consistent by USGS MCS 2025 (2024); overstates by World Mining Data")
    assert "MCS 2026 revised China's 2024 share from 60.0%" in v.caveats
    assert "does not say mined" not in v.caveats  # it does: 'China mined 60% ...'


# ---- caveats computed from the data (issue 12, item 7) ------------------------------------------------
def _line(path, encoding, row):
    return read_text(config.RAW / path, encoding).splitlines()[row - 1]


def test_antimony_caveats_stage_and_revision(seed):
    cav = _verdict(seed, "C03").caveats
    assert "may mean refined antimony, which USGS does not report" in cav
    assert ("MCS 2026 revised China's 2024 share from 60.0% (China 60,000 t of world 100,000 t) in MCS 2025 "
            "to 33.6% (China 40,000 t of world 119,000 t)") in cav
    # the 2026 figures are in the raw release (rows cited by world.csv)
    assert "China" in _line("usgs-mcs-2026/MCS2026_Commodities_Data.csv", "cp1252", 419)
    assert "40000" in _line("usgs-mcs-2026/MCS2026_Commodities_Data.csv", "cp1252", 419).replace(",", "")
    assert "119000" in _line("usgs-mcs-2026/MCS2026_Commodities_Data.csv", "cp1252", 431).replace(",", "")
    assert round(100 * 40000 / 119000) == 34


def test_germanium_gets_the_last_usgs_figure_as_context(seed):
    cav = _verdict(seed, "C04").caveats
    f = "usgs-mcs-2022/germanium_mcs2022-germa_world.csv"
    assert (f"the last USGS world figure, MCS 2022, gave China 95,000 kg of world 140,000 kg in 2021 "
            f"refinery production (67.9%; {f} rows 3;6)") in cav
    assert "95,000" in _line(f, "utf-8-sig", 3) or "95000" in _line(f, "utf-8-sig", 3)
    assert "140,000" in _line(f, "utf-8-sig", 6) or "140000" in _line(f, "utf-8-sig", 6)
    assert all(seed.checks[seed.checks.claim_id == "C04"].verdict == "not checkable")


def test_a_mined_claim_gets_no_stage_caveat(seed):
    assert "refined" not in _verdict(seed, "C02").caveats  # gallium: USGS publishes primary output
    from critmin.claims import caveats
    claim = type("C", (), dict(claim="China mines 80% of the world's tungsten", span="", written="",
                               stage="mine", commodity="tungsten"))
    assert caveats.stage_caveat(claim, seed_world(), [2026]) == ""


def seed_world():
    from critmin.analysis import tables
    return tables.load("world.csv")


# ---- the CSV the notebook writes ----------------------------------------------------------------
def test_csv_holds_every_source_and_the_overall_verdict(seed, tmp_path):
    import pandas as pd
    path = claims_run.write_csvs(seed, tmp_path)[0]
    df = pd.read_csv(path, keep_default_na=False)
    c05 = df[df.claim_id == "C05"]
    assert list(c05.source) == ["USGS import sources", "USGS import sources", "BACI by value", "BACI by quantity"]
    assert set(c05.overall_verdict) == {"depends on source/measure"}
    assert list(c05.reads)[1] == "consistent (different period)"
    assert list(df.columns[:2]) == ["claim_id", "claim"] and not math.isnan(float(c05.public_pct.iloc[2]))
    again = claims_run.write_csvs(claims_run.run(None, "auto", [None, 2026], report_edition=2026),
                                  tmp_path / "b")[0]
    assert again.read_bytes() == path.read_bytes()


def test_mineral_page_gives_the_overall_verdict():
    from critmin.sections import claims as section
    page = section.for_mineral("rare-earths", edition=2026)
    v = page.verdicts.set_index("claim_id").loc["C05"]
    assert v.overall_verdict == "depends on source/measure" and "BACI by value" in v.depends_on
    assert section.for_mineral("graphite", edition=2026).verdicts.empty  # no claim about it


def test_each_row_names_the_usgs_table_it_read(tmp_path):
    """Reserves and production shares come from the MCS world tables, import shares from its
    import-source tables (the label was off by one kind: reserves read 'import sources')."""
    text = ("Metals desk\nPublished 10 March 2026\n\nChina holds about 44% of the world's graphite "
            "reserves. China mined about 78% of the world's graphite last year. China supplied 46% "
            "of U.S. imports of graphite between 2021 and 2024.\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = claims_run.run(tmp_path / "a.txt", "auto", [None, 2026], report_edition=2026)
    df = claims_run.csv_rows(result)
    usgs = df[df.source.str.startswith("USGS")].drop_duplicates("claim_id").set_index("kind").source
    assert usgs["share_of_world_reserves"] == "USGS MCS"
    assert usgs["share_of_world_production"] == "USGS MCS"
    assert usgs[[k for k in usgs.index if "import" in k][0]] == "USGS import sources"
