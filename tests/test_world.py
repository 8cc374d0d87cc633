"""world.csv: published values read back, invariants over the whole table, determinism, and one
small fixture per format trap of the MCS world files (tests/fixtures/world/)."""
import csv
import math
import time
from pathlib import Path

import pytest

from critmin import config
from critmin.ingest import mappings
from critmin.errors import DataError
from critmin.io import to_csv_bytes
from critmin.ingest.pipeline import build_tables
from critmin.ingest.sources import mcs_world, mcs_world_2025, mcs_world_2026, mcs_world_files

FIX = Path(__file__).parent / "fixtures" / "world"
GROUP = ["edition", "commodity", "measure", "stage", "basis", "year"]


@pytest.fixture(scope="module")
def world():
    return build_tables(config.RAW, only=["world.csv"])["world.csv"]


def one(df, edition, commodity, measure, country, year, stage=None):
    q = df[(df.edition == edition) & (df.commodity == commodity) & (df.measure == measure)
           & (df.country == country) & (df.year == year)]
    if stage is not None:
        q = q[q.stage == stage]
    assert len(q) == 1, f"{len(q)} rows for {edition} {commodity} {measure} {country} {year} {stage}"
    return q.iloc[0]


# ---------------------------------------------------------------- published values, every edition
PUBLISHED = [
    # edition, commodity, measure, stage, country, year, value, unit
    (2022, "rare-earths", "production", "mine", "China", 2020, 140_000, "t"),
    (2022, "rare-earths", "production", "mine", "China", 2021, 168_000, "t"),
    (2022, "rare-earths", "production", "mine", "World", 2020, 240_000, "t"),
    (2022, "rare-earths", "production", "mine", "World", 2021, 280_000, "t"),
    (2023, "rare-earths", "production", "mine", "China", 2022, 210_000, "t"),
    (2023, "rare-earths", "production", "mine", "World", 2022, 300_000, "t"),
    (2024, "rare-earths", "production", "mine", "China", 2023, 240_000, "t"),
    (2024, "rare-earths", "production", "mine", "World", 2023, 350_000, "t"),
    (2024, "rare-earths", "production", "mine", "China", 2022, 210_000, "t"),
    (2024, "tungsten", "production", "mine", "China", 2023, 63_000, "t"),
    (2024, "tungsten", "production", "mine", "World", 2023, 78_000, "t"),
    (2024, "gallium", "production", "primary", "China", 2023, 600_000, "kg"),
    (2024, "gallium", "production", "primary", "World", 2023, 610_000, "kg"),
    (2024, "graphite", "production", "mine", "China", 2023, 1_230_000, "t"),
    (2024, "graphite", "production", "mine", "World", 2023, 1_600_000, "t"),
    (2024, "antimony", "production", "mine", "China", 2023, 40_000, "t"),
    (2024, "antimony", "production", "mine", "World", 2023, 83_000, "t"),
    (2025, "rare-earths", "production", "mine", "China", 2024, 270_000, "t"),
    (2025, "rare-earths", "production", "mine", "World", 2024, 390_000, "t"),
    (2025, "rare-earths", "production", "mine", "China", 2023, 255_000, "t"),
    (2025, "rare-earths", "production", "mine", "World", 2023, 376_000, "t"),
    (2025, "rare-earths", "production", "mine", "United States", 2024, 45_000, "t"),
    (2025, "tungsten", "production", "mine", "China", 2024, 67_000, "t"),
    (2025, "tungsten", "production", "mine", "World", 2024, 81_000, "t"),
    (2025, "tungsten", "production", "mine", "China", 2023, 66_000, "t"),
    (2025, "tungsten", "production", "mine", "World", 2023, 79_500, "t"),
    (2025, "gallium", "production", "primary", "China", 2024, 750_000, "kg"),
    (2025, "gallium", "production", "primary", "World", 2024, 760_000, "kg"),
    (2025, "graphite", "production", "mine", "China", 2024, 1_270_000, "t"),
    (2025, "graphite", "production", "mine", "World", 2024, 1_600_000, "t"),
    (2025, "antimony", "production", "mine", "China", 2024, 60_000, "t"),
    (2025, "antimony", "production", "mine", "World", 2024, 100_000, "t"),
    (2026, "rare-earths", "production", "mine", "China", 2025, 270_000, "t"),
    (2026, "rare-earths", "production", "mine", "World", 2025, 390_000, "t"),
    (2026, "rare-earths", "production", "mine", "China", 2024, 270_000, "t"),
    (2026, "rare-earths", "production", "mine", "World", 2024, 380_000, "t"),
    (2026, "tungsten", "production", "mine", "China", 2025, 67_000, "t"),
    (2026, "tungsten", "production", "mine", "World", 2025, 85_000, "t"),
    (2026, "tungsten", "production", "mine", "World", 2024, 82_000, "t"),
    (2026, "gallium", "production", "low-purity-primary", "China", 2025, 900_000, "kg"),
    (2026, "gallium", "production", "low-purity-primary", "World", 2025, 900_000, "kg"),
    (2026, "graphite", "production", "mine", "China", 2025, 1_400_000, "t"),
    (2026, "graphite", "production", "mine", "World", 2025, 1_800_000, "t"),
    (2026, "antimony", "production", "mine", "China", 2025, 40_000, "t"),
    (2026, "antimony", "production", "mine", "World", 2025, 110_000, "t"),
]


@pytest.mark.parametrize("edition, commodity, measure, stage, country, year, value, unit", PUBLISHED)
def test_published_value(world, edition, commodity, measure, stage, country, year, value, unit):
    r = one(world, edition, commodity, measure, country, year, stage)
    assert (r.value, r.unit, r.value_flag) == (value, unit, "")


def test_estimates_are_marked(world):
    assert one(world, 2024, "rare-earths", "production", "China", 2023).estimated  # column _est
    assert not one(world, 2022, "rare-earths", "production", "China", 2020).estimated
    assert one(world, 2026, "rare-earths", "production", "China", 2025).estimated  # 'Estimated.'
    assert not one(world, 2026, "rare-earths", "production", "United States", 2024).estimated


def test_germanium_withheld_stays_withheld(world):
    ge = world[world.commodity == "germanium"]
    for edition in (2022, 2023, 2024):
        us = one(ge, edition, "germanium", "production", "United States", edition - 1)
        assert (us.value_flag, us.raw_value) == ("W", "W") and math.isnan(us.value)
    # MCS 2025 left every germanium cell blank: kept as NA, never a number, never zero
    g25 = ge[ge.edition == 2025]
    assert len(g25) > 0 and g25.value.isna().all() and set(g25.value_flag) == {"NA"}
    assert (g25.raw_value == "").all()


def test_mcs2026_rare_earth_reserves_corrections(world):
    br = one(world, 2026, "rare-earths", "reserves", "Brazil", 2025)
    assert (br.value, br.raw_value, br.correction_id) == (11_000_000, "21,000,000",
                                                          "mcs2026-ree-reserves-brazil")
    wt = one(world, 2026, "rare-earths", "reserves", "World", 2025)
    assert (wt.value, wt.value_flag, wt.raw_value) == (75_000_000, ">", ">85,000,000")
    assert wt.correction_id == "mcs2026-ree-reserves-world"
    assert one(world, 2026, "rare-earths", "reserves", "China", 2025).correction_id == ""
    assert (world.correction_id != "").sum() == 2


def test_reserve_years_and_units(world):
    # MCS 2023/2024 world files give reserves without a year: edition - 1
    assert one(world, 2024, "rare-earths", "reserves", "China", 2023).value == 44_000_000
    # mislabelled columns are converted from the unit the values are really in
    assert one(world, 2024, "talc", "reserves", "United States", 2023).value == 140_000  # kt
    ore = world[world.basis == "crude ore"]
    assert one(ore, 2025, "iron-ore", "reserves", "China", 2024).value == 20_000  # Mt, not kt
    assert one(world, 2025, "molybdenum", "reserves", "China", 2024).value == 5_900  # kt
    chrome = one(world, 2023, "chromium", "production", "South Africa", 2022)
    assert chrome.unit == "kt" and chrome.raw_unit == "t"


# ---------------------------------------------------------------- invariants over the whole table
NUMERIC = ["", ">"]
# Known exceptions, each explained (the two data errors are pending entries in corrections.yml).
COUNTRY_ABOVE_WORLD = {
    (2023, "zinc", "reserves", "Australia", 2022): "data error 1,166,000; pending correction",
    (2025, "clays", "production", "China", 2024): "world kaolin 2024 printed 4400; pending",
    (2025, "clays", "production", "India", 2024): "world kaolin 2024 printed 4400; pending",
    (2025, "clays", "production", "Other countries", 2024): "same",
    (2025, "clays", "production", "United States", 2024): "same",
}
TOLERANCE = 0.01  # a country may exceed the rounded world total by 1 %


def test_no_country_above_world(world):
    num = world[world.value_flag.isin(NUMERIC)]
    tot = num[num.country == "World"][GROUP + ["value"]].rename(columns={"value": "world"})
    cty = num[(num.country != "World") & (num.value_flag == "")].merge(tot, on=GROUP)
    over = cty[cty.value > cty.world * (1 + TOLERANCE)]
    found = {(r.edition, r.commodity, r.measure, r.country, r.year) for r in over.itertuples()}
    assert found == set(COUNTRY_ABOVE_WORLD)


# Groups whose listed countries do not add up to the world total within SUM_TOLERANCE, and why.
SUM_EXCEPTIONS = {
    ("titanium-mineral-concentrates", "mine-ilmenite-rutile"):
        "only the U.S. is reported as ilmenite and rutile combined; the others are split by mineral",
    ("helium", "mine"): "the U.S. Cliffside Field row is dropped (countries_usgs.csv)",
    ("zinc", "mine", 2023): "pending correction mcs2023-zinc-reserves-australia",
    ("clays", "mine-kaolin", 2025): "pending correction mcs2025-clays-kaolin-world-2024",
}
SUM_TOLERANCE = 0.10  # world totals are rounded; withheld countries are missing from the sum


def test_listed_countries_add_up_to_world(world):
    tot = world[(world.country == "World") & (world.value_flag == "")]
    parts = world[world.country != "World"].groupby(GROUP)["value"].sum(min_count=1)
    merged = tot.set_index(GROUP)[["value"]].join(parts.rename("parts"), how="inner")
    merged = merged[merged.parts.notna()].reset_index()
    off = merged[(merged.parts - merged.value).abs() > SUM_TOLERANCE * merged.value]
    unexplained = [r for r in off.itertuples()
                   if (r.commodity, r.stage) not in SUM_EXCEPTIONS
                   and (r.commodity, r.stage, r.edition) not in SUM_EXCEPTIONS]
    assert len(merged) > 700
    assert unexplained == []


def test_withheld_is_never_a_number(world):
    w = world[world.raw_value == "W"]
    assert len(w) > 50 and (w.value_flag == "W").all() and w.value.isna().all()
    assert world[world.value_flag.isin(["W", "NA", "XX", "qual"])].value.isna().all()


def test_bounds_keep_their_flag(world):
    for sign in (">", "<"):
        b = world[world.raw_value.str.startswith(sign)]
        assert len(b) > 0 and (b.value_flag == sign).all() and b.value.notna().all()
    r = world[world.value_flag == "range"]
    assert (r.value_high > r.value).all()


def test_vocabularies(world):
    with open(config.MAPPINGS / "commodity_slugs.csv", encoding="utf-8") as fh:
        slugs = {r["slug"] for r in csv.DictReader(fh)}
    assert set(world.commodity) <= slugs
    countries = mappings.load("countries_usgs")
    assert set(world.raw_country) <= set(countries)
    assert set(world.country) <= {c for c, _ in countries.values()} - {"DROP"}
    assert set(world.measure) <= {"production", "capacity", "reserves"}
    assert world.year.between(2015, 2026).all()


# Same series and data year in two editions: revisions happen, a factor of 30 means a unit error.
REVISIONS = {
    ("tantalum", "production", "Burundi", 2023), ("antimony", "production", "Kyrgyzstan", 2024),
    ("zeolites", "production", "Georgia", 2024),
}


def test_editions_agree_on_units(world):
    num = world[(world.value_flag == "") & (world.value > 0)]
    key = ["commodity", "measure", "stage", "basis", "country", "year"]
    pairs = num.merge(num, on=key, suffixes=("_a", "_b"))
    pairs = pairs[pairs.edition_a < pairs.edition_b]
    ratio = pairs.value_b / pairs.value_a
    odd = pairs[(ratio > 30) | (ratio < 1 / 30)]
    assert {(r.commodity, r.measure, r.country, r.year) for r in odd.itertuples()} == REVISIONS


def test_sorted_by_key_and_columns_in_contract_order(world):
    assert list(world.columns) == mcs_world.COLUMNS
    assert world.equals(world.sort_values(mcs_world.KEY, kind="mergesort").reset_index(drop=True))
    assert not world.duplicated(mcs_world.KEY).any()


def test_every_edition_and_file_contributes(world):
    counts = world.groupby("edition").size()
    assert set(counts.index) == {2022, 2023, 2024, 2025, 2026}
    assert world[world.edition == 2022].source_file.nunique() == 12
    assert world[world.edition == 2023].source_file.nunique() == 77
    # 77 in 2024 too: the fluorspar file heads its Type column 'Mine production, fluorspar',
    # barite and vermiculite run past their header, aluminum writes Source 'MCS 2024'
    assert world[world.edition == 2024].source_file.nunique() == 77


def test_build_is_deterministic_and_fast(world):
    start = time.perf_counter()
    again = build_tables(config.RAW, only=["world.csv"])["world.csv"]
    elapsed = time.perf_counter() - start
    assert to_csv_bytes(again) == to_csv_bytes(world)
    assert to_csv_bytes(world) == (config.PROCESSED / "world.csv").read_bytes()
    assert elapsed < 6, f"world build took {elapsed:.1f}s (about 1.3 s expected)"


def test_schema_rejects_a_bad_flag(world):
    bad = world.copy()
    bad.loc[0, "value_flag"] = "?"
    with pytest.raises(Exception):
        mcs_world.SCHEMA.validate(bad)
    bad = world.copy()
    bad.loc[0, "commodity"] = "unobtainium"
    with pytest.raises(Exception):
        mcs_world.SCHEMA.validate(bad)


# ---------------------------------------------------------------- one fixture per format trap
def parse_wide(name, slug="rare-earths", edition=2024):
    return mcs_world_files.parse(FIX / name, FIX, edition, slug)


def test_fixture_bom_quoted_thousands_footnotes_trailing_blanks():
    recs = parse_wide("mcs2024-raree_world.csv")
    assert len(recs) == 4 * 3  # 4 rows x 3 value columns; empty columns and rows dropped
    df = mcs_world.finalize(recs)
    assert set(df.country) == {"China", "Germany", "Other countries", "World"}
    assert one(df, 2024, "rare-earths", "production", "China", 2023).value == 240_000
    assert one(df, 2024, "rare-earths", "reserves", "World", 2023).value == 110_000_000
    assert one(df, 2024, "rare-earths", "production", "Other countries", 2022).estimated  # 'e'


@pytest.mark.parametrize("name, row, column, words", [
    ("unknown_token_world.csv", 2, "Prod_t_est_2023", "unknown token"),
    ("unknown_header_world.csv", 1, "Resources_t", "unknown header"),
    ("misspelled_header_world.csv", 1, "Contry", "header"),
    ("truncated_world.csv", 3, None, "truncated"),
    ("cp1252_world.csv", 2, None, "cannot decode"),
    ("mt_unit_world.csv", 1, "Reserves_mt", "ambiguous"),
])
def test_fixture_bad_input_names_file_row_column(name, row, column, words):
    with pytest.raises(DataError) as exc:
        parse_wide(name)
    err = exc.value
    assert err.file == name and err.row == row and words in str(err)
    if column:
        assert err.column == column
    assert str(FIX) not in str(err)  # paths are shown relative to the raw folder


def test_fixture_e_prefix_and_less_than_half_unit():
    df = mcs_world.finalize(parse_wide("e_prefix_world.csv", slug="vanadium"))
    ru = one(df, 2024, "vanadium", "production", "Russia", 2022)
    assert (ru.value, ru.estimated, ru.raw_value) == (20_000, True, "e20,000")
    mx = one(df, 2024, "vanadium", "production", "Mexico", 2023)
    assert (mx.value, mx.value_flag) == (0.5, "<")


def test_fixture_mcs2025_shape():
    df = mcs_world.finalize(mcs_world_2025.parse(FIX / "MCS2025_World_Data.csv", FIX))
    assert one(df, 2025, "antimony", "production", "Russia", 2024).value == 13_000  # 'Russia '
    w = one(df, 2025, "antimony", "reserves", "World", 2024)  # 'World total (rounded) 10'
    assert (w.value, w.value_flag, w.raw_country) == (2_000_000, ">", "World total (rounded)")
    assert one(df, 2025, "antimony", "production", "China", 2023).estimated  # 'estimated 2023'
    assert one(df, 2025, "antimony", "reserves", "Guatemala", 2024).value_flag == "NA"
    us = one(df, 2025, "barite", "production", "United States", 2023)  # 'W for 23-24'
    assert us.value_flag == "W" and math.isnan(us.value)
    ge = df[df.commodity == "germanium"]  # 'Gemanium'
    assert len(ge) == 2 and set(ge.value_flag) == {"NA"}


def test_fixture_mcs2025_misspelled_header():
    with pytest.raises(DataError) as exc:
        mcs_world_2025.parse(FIX / "misspelled_header_2025.csv", FIX)
    assert exc.value.row == 1 and exc.value.column in ("COUNTRY", "COUNTY")


def test_fixture_mcs2026_long_cp1252():
    df = mcs_world.finalize(mcs_world_2026.parse(FIX / "MCS2026_Commodities_Data.csv", FIX))
    assert len(df) == 11  # the 'Salient Statistics' row is not a world row
    assert one(df, 2026, "rare-earths", "production", "China", 2025).value == 270_000
    assert one(df, 2026, "rare-earths", "production", "Canada", 2025).value == 0  # em dash
    assert one(df, 2026, "rare-earths", "reserves", "World", 2025).value_flag == ">"
    assert one(df, 2026, "graphite", "reserves", "United States", 2025).value_flag == "NA"  # s
    sa = one(df, 2026, "helium", "production", "South Africa", 2025)  # s, less than 1/2 unit
    assert (sa.value, sa.value_flag) == (0.5, "<")
    assert one(df, 2026, "helium", "reserves", "Qatar", 2025).value_flag == "qual"
    slag = one(df, 2026, "iron-steel-slag", "production", "World", 2025)
    assert (slag.value, slag.value_high, slag.value_flag) == (330, 390, "range")
    assert one(df, 2026, "cobalt", "production", "United States", 2025).value_flag == "W"
    assert one(df, 2026, "manganese", "production", "Côte d’Ivoire", 2025).value == 360


def test_fixture_mcs2026_unknown_token():
    with pytest.raises(DataError) as exc:
        mcs_world_2026.parse(FIX / "unknown_token_2026.csv", FIX)
    assert (exc.value.file, exc.value.row, exc.value.column) == ("unknown_token_2026.csv", 2, "Value")


def test_missing_raw_file(tmp_path):
    with pytest.raises(DataError, match="missing"):
        mcs_world_2026.parse(tmp_path / "MCS2026_Commodities_Data.csv", tmp_path)


def test_unmapped_country_is_an_error(tmp_path):
    p = tmp_path / "mcs2024-raree_world.csv"
    p.write_text((FIX / "mcs2024-raree_world.csv").read_text(encoding="utf-8-sig")
                 .replace("Germany6", "Atlantis"), encoding="utf-8")
    with pytest.raises(DataError, match="countries_usgs") as exc:
        mcs_world.finalize(mcs_world_files.parse(p, tmp_path, 2024, "rare-earths"))
    assert exc.value.got == "Atlantis" and exc.value.row == 3


def test_unmapped_type_text_is_an_error(tmp_path):
    p = tmp_path / "mcs2024-raree_world.csv"
    p.write_text((FIX / "mcs2024-raree_world.csv").read_text(encoding="utf-8-sig")
                 .replace("rare-earth-oxide equivalent", "rare-earth metal"), encoding="utf-8")
    with pytest.raises(DataError, match="stages.csv"):
        mcs_world.finalize(mcs_world_files.parse(p, tmp_path, 2024, "rare-earths"))


def test_bom_left_in_the_header_is_an_unknown_header():
    # what happens when a BOM file is read as plain utf-8 instead of utf-8-sig
    with pytest.raises(DataError, match="header") as exc:
        mcs_world_files._columns(["\ufeffSource", "Country", "Type", "Prod_t_2022"], 2024, "x.csv")
    assert exc.value.row == 1
