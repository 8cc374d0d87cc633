"""net_import_reliance.csv: published USGS values per edition, invariants, the Fig2 cross-check,
and bad input (unknown token, unknown header, truncated file) on small fixtures."""
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from critmin import config
from critmin.errors import DataError
from critmin.io import to_csv_bytes
from critmin.ingest.sources import mcs2026_nir, mcs_fig2, mcs_nir, mcs_salient
from critmin.ingest.sources.nir_values import parse_nir

FIX = Path(__file__).parent / "fixtures" / "tables"
RE = ("rare-earths", "compounds-and-metals")


@pytest.fixture(scope="module")
def nir():
    return mcs_nir.NIR_SCHEMA.validate(mcs_nir.build_nir(config.RAW))


def value(nir, edition, commodity, year, form=""):
    rows = nir[(nir.edition == edition) & (nir.commodity == commodity) & (nir.form == form)
               & (nir.year == year)]
    assert len(rows) == 1, (edition, commodity, form, year)
    r = rows.iloc[0]
    return (None if math.isnan(r.nir_pct) else r.nir_pct), r.nir_flag


# --- published values, every edition ------------------------------------------------------

def test_mcs2022_salient_values(nir):
    assert [value(nir, 2022, "gallium", y) for y in range(2017, 2022)] == [(100, "")] * 5
    assert value(nir, 2022, "germanium", 2021) == (50, ">")  # printed '>50%'
    assert value(nir, 2022, *RE[:1], 2021, form=RE[1]) == (90, ">")
    assert value(nir, 2022, "rare-earths", 2017, form="mineral-concentrates") == (None, "XX")


def test_mcs2023_gallium_antimony_rare_earths(nir):
    assert [value(nir, 2023, "gallium", y) for y in range(2018, 2023)] == [(100, "")] * 5
    assert value(nir, 2023, "antimony", 2022) == (83, "")
    for year in (2021, 2022):
        assert value(nir, 2023, "rare-earths", year, form=RE[1]) == (95, ">")


def test_mcs2024_nir_2023(nir):
    assert value(nir, 2024, "gallium", 2023) == (100, "")
    assert value(nir, 2024, "graphite", 2023) == (100, "")
    assert value(nir, 2024, "rare-earths", 2023, form=RE[1]) == (95, ">")
    assert value(nir, 2024, "antimony", 2023) == (82, "")
    assert value(nir, 2024, "germanium", 2023) == (50, ">")
    assert value(nir, 2024, "tungsten", 2023) == (50, ">")  # header misspelt NIR_ct


def test_mcs2025_nir_2024_and_rare_earth_series(nir):
    assert value(nir, 2025, "gallium", 2024) == (100, "")
    assert value(nir, 2025, "graphite", 2024) == (100, "")
    assert value(nir, 2025, "antimony", 2024) == (85, "")
    series = [value(nir, 2025, "rare-earths", y, form=RE[1]) for y in range(2020, 2025)]
    assert series == [(100, ""), (95, ">"), (95, ">"), (95, ">"), (80, "")]


def test_mcs2026_long_file(nir):
    assert [value(nir, 2026, "gallium", y) for y in range(2021, 2026)] == [(100, "")] * 5
    assert value(nir, 2026, "rare-earths", 2024, form=RE[1]) == (53, "")
    assert value(nir, 2026, "rare-earths", 2025, form=RE[1]) == (67, "")
    assert value(nir, 2026, "antimony", 2025) == (91, "")
    assert value(nir, 2026, "tungsten", 2025) == (50, ">")
    # mica's two unlabelled series are told apart by order (checked against Fig2 2026)
    assert value(nir, 2026, "mica", 2025, form="scrap-and-flake") == (34, "")
    assert value(nir, 2026, "mica", 2025, form="sheet") == (100, "")


def test_misaligned_2024_rows_read_right_aligned(nir):
    assert value(nir, 2024, "feldspar-nepheline-syenite", 2023, form="feldspar") == (12, "")
    assert value(nir, 2024, "feldspar-nepheline-syenite", 2023, form="nepheline-syenite") == (95, ">")
    assert value(nir, 2024, "fluorspar", 2023) == (100, "")
    # same years in the neighbouring edition
    assert value(nir, 2023, "feldspar-nepheline-syenite", 2021, form="feldspar") == (33, "")
    assert value(nir, 2024, "feldspar-nepheline-syenite", 2021, form="feldspar") == (30, "")


def test_less_than_half_unit_is_a_bound(nir):
    assert value(nir, 2023, "sand-gravel-construction", 2022) == (0.5, "<")
    assert value(nir, 2026, "sand-gravel-construction", 2024) == (0.5, "<")  # token 's'


def test_fig2_only_commodities_come_from_fig2(nir):
    cobalt = nir[(nir.edition == 2024) & (nir.commodity == "cobalt")]
    # the MCS 2024 cobalt 'salient' file holds a world table, so only Fig2's 2023 value exists
    assert cobalt[["year", "nir_pct"]].values.tolist() == [[2023, 67.0]]
    assert cobalt.source_file.iloc[0].endswith("MCS2024_Fig2_Net_Import_Reliance.csv")
    assert value(nir, 2023, "cesium", 2022) == (100, "")


def test_major_import_sources_in_usgs_order(nir):
    row = nir[(nir.edition == 2025) & (nir.commodity == "garnet-industrial") & (nir.year == 2024)]
    assert row.major_import_sources.iloc[0] == "South Africa; Australia; India; China"  # 'China3'
    row = nir[(nir.edition == 2023) & (nir.commodity == "indium") & (nir.year == 2022)]
    assert row.major_import_sources.iloc[0] == "South Korea; Canada; China; France"


# --- invariants -------------------------------------------------------------------------------

def test_net_exporters_are_flagged_never_zero(nir):
    exporters = nir[nir.nir_flag == "E"]
    assert len(exporters) > 300
    assert exporters.nir_pct.isna().all()
    assert (exporters.raw_value == "E").all()


def test_tokens_never_become_numbers_and_bounds_stay_bounds(nir):
    tokens = nir[nir.nir_flag.isin(["NA", "W", "XX", "E"])]
    assert tokens.nir_pct.isna().all()
    bounds = nir[nir.nir_flag.isin([">", "<"])]
    assert bounds.raw_value.str.contains(r"^[<>]|Less than|^s$").all()
    assert nir.nir_pct.dropna().between(0, 100).all()


def test_one_row_per_edition_commodity_form_year(nir):
    assert not nir.duplicated(["edition", "commodity", "form", "year"]).any()
    assert set(nir.edition) == {2022, 2023, 2024, 2025, 2026}


# --- Fig2 cross-check ---------------------------------------------------------------------------

# Where Fig2 and the salient/long file differ, the salient value is kept (module docstring).
# Dimension stone: Fig2 2024 and 2026 print the granite-only series (87 for 2023, 85 for 2025).
KNOWN_DISAGREEMENTS = {
    (2023, "chromium", "", 2022): ("83", "80"),
    (2023, "peat", "", 2022): ("81", "82"),
    (2024, "stone-dimension", "", 2023): ("86", "87"),
    (2025, "potash", "", 2024): ("94", "93"),
    (2026, "stone-dimension", "", 2025): ("81", "85"),
    (2026, "talc", "", 2025): ("23", "22"),
}


def test_fig2_agrees_with_salient_except_known_cases():
    d = mcs_nir.fig2_disagreements(config.RAW)
    got = {(r.edition, r.commodity, r.form, r.year): (r.raw_value, r.raw_value_fig2)
           for r in d.itertuples()}
    assert got == KNOWN_DISAGREEMENTS


def test_fig2_checks_most_salient_pairs():
    fig2 = mcs_nir.fig2_nir(config.RAW)
    primary = mcs_nir.primary_nir(config.RAW)
    both = fig2.merge(primary, on=["edition", "commodity", "form", "year"])
    assert len(both) > 230 and len(both) >= len(fig2) - 10


def test_dimension_stone_fig2_is_the_granite_series(nir):
    assert value(nir, 2024, "stone-dimension", 2023, form="granite") == (87, "")
    assert value(nir, 2026, "stone-dimension", 2025, form="granite") == (85, "")


def test_fig3_2026_strips_bounds_and_exporters():
    """Why NIR never comes from MCS 2026 Fig3: it prints >50 as 50 and net exporters as 0."""
    from critmin.io import read_rows
    _, rows = read_rows(config.RAW / "usgs-mcs-2026/industry-trends/MCS2026_Fig3_Major_Import_Sources.csv")
    fig3 = {c[1]: c[4] for _, c in rows}
    assert fig3["Tungsten"] == "50" and fig3["Boron"] == "0"


# --- bad input ----------------------------------------------------------------------------------

def _salient(tmp_path, fixture, edition=2023, name="mcs2023-galli_salient.csv"):
    dest = tmp_path / f"usgs-mcs-{edition}" / "salient" / name
    dest.parent.mkdir(parents=True)
    shutil.copy(FIX / fixture, dest)
    return lambda: mcs_salient.read_file(dest, edition, tmp_path)


def test_unknown_token_in_nir_cell_names_file_row_column(tmp_path):
    with pytest.raises(DataError) as exc:
        _salient(tmp_path, "salient_unknown_token.csv")()
    msg = str(exc.value)
    assert "usgs-mcs-2023/salient/mcs2023-galli_salient.csv" in msg
    assert "row 3" in msg and "NIR_pct" in msg and "about 100" in msg


def test_unknown_nir_header_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"row 2.*NIR_Percent_Share.*not in mapping"):
        _salient(tmp_path, "salient_unknown_header.csv")()


def test_missing_nir_header_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no net import reliance column"):
        _salient(tmp_path, "salient_no_nir.csv")()


def test_unmapped_commodity_is_an_error(tmp_path):
    with pytest.raises(DataError, match="Unobtainium"):
        _salient(tmp_path, "salient_unmapped_commodity.csv")()


def test_truncated_salient_file(tmp_path):
    with pytest.raises(DataError, match=r"mcs2023-galli_salient.csv, row 3.*fewer cells"):
        _salient(tmp_path, "salient_truncated.csv")()


def test_shifted_row_outside_the_declared_files_is_an_error(tmp_path):
    """Trap: MCS 2024 feldspar/fluorspar rows are longer than their header. Only the two
    declared files are read right-aligned; anywhere else this stops."""
    with pytest.raises(DataError, match="beyond the last header column"):
        _salient(tmp_path, "salient_shifted_row.csv", 2024, "mcs2024-felds2_salient.csv")()


def test_missing_salient_file_is_counted(tmp_path):
    (tmp_path / "usgs-mcs-2022").mkdir()
    with pytest.raises(DataError, match="expected 12 salient files"):
        mcs_salient.read_edition(tmp_path, 2022)


def test_fig2_unknown_header(tmp_path):
    dest = tmp_path / mcs_fig2.FIG2[2023]
    dest.parent.mkdir(parents=True)
    shutil.copy(FIX / "fig2_unknown_header.csv", dest)
    with pytest.raises(DataError, match=r"row 1, column 4: unknown NIR header; got .NIR_2022."):
        mcs_fig2.read_edition(tmp_path, 2023)


def test_fig2_unknown_country_after_footnote_strip(tmp_path):
    dest = tmp_path / mcs_fig2.FIG2[2023]
    dest.parent.mkdir(parents=True)
    shutil.copy(FIX / "fig2_unknown_country.csv", dest)
    with pytest.raises(DataError, match="Atlantis"):  # 'China3' passed, 'Atlantis' did not
        mcs_fig2.read_edition(tmp_path, 2023)


def test_long_file_wrong_encoding(tmp_path):
    dest = tmp_path / mcs2026_nir.FILE
    dest.parent.mkdir(parents=True)
    text = ",".join(mcs2026_nir.HEADER) + "\r\nMICA,S,Mica,United States,x,y,percent,2021,1,é,No,\r\n"
    dest.write_bytes(text.encode("utf-8")[:-3] + b"\x9d\r\n")  # a byte cp1252 leaves undefined
    with pytest.raises(DataError, match="cp1252"):
        mcs2026_nir.read_nir(tmp_path)


@pytest.mark.parametrize("raw, expected", [
    ("100", (100.0, "")), (">95", (95.0, ">")), (">50%", (50.0, ">")), ("<25", (25.0, "<")),
    ("Less than ½ unit.", (0.5, "<")), ("Less than 1/2 unit.", (0.5, "<")), ("s", (0.5, "<")),
])
def test_parse_nir_numbers_and_bounds(raw, expected):
    assert parse_nir(raw, edition=2026, file="f", row=2, column="c") == expected


@pytest.mark.parametrize("raw, flag", [("E", "E"), ("NA", "NA"), ("W", "W"), ("XX", "XX")])
def test_parse_nir_tokens_have_no_value(raw, flag):
    value, got = parse_nir(raw, edition=2026, file="f", row=2, column="c")
    assert math.isnan(value) and got == flag


@pytest.mark.parametrize("raw", ["240", "", "50–300", "Large", "e40"])
def test_parse_nir_rejects(raw):
    with pytest.raises(DataError):
        parse_nir(raw, edition=2026, file="f", row=2, column="c")


def test_building_twice_gives_identical_bytes(nir):
    assert to_csv_bytes(mcs_nir.build_nir(config.RAW)) == to_csv_bytes(nir)


@pytest.mark.parametrize("path, column", [
    ("usgs-mcs-2025/salient/mcs2025-galli_salient.csv", "NIR_pct"),
    (mcs_fig2.FIG2[2025], "Net_Import_Reliance_pct_2024"),
])
def test_a_dash_in_an_mcs_2025_nir_cell_is_refused_not_zero(tmp_path, path, column):
    """A real MCS 2025 file with one NIR cell set to an em dash (zero only in MCS 2026)."""
    dest = tmp_path / path
    dest.parent.mkdir(parents=True)
    lines = (config.RAW / path).read_bytes().split(b"\r\n")
    lines[1] = lines[1][: lines[1].rindex(b",100") + 1] + "—".encode() + lines[1][
        lines[1].rindex(b",100") + 4:]
    dest.write_bytes(b"\r\n".join(lines))
    read = (lambda: mcs_salient.read_file(dest, 2025, tmp_path)) if "salient" in path else (
        lambda: mcs_fig2.read_edition(tmp_path, 2025))
    with pytest.raises(DataError) as exc:
        read()
    assert str(exc.value).startswith(f"file {path}, row 2, column {column}: unknown token")
    assert "'—'" in str(exc.value)
