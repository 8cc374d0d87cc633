"""bgs_production.csv: published checks, series kept apart, blanks as NA, bad input."""
import shutil
from pathlib import Path

import pytest

from critmin import config
from critmin.errors import DataError
from critmin.io import to_csv_bytes
from critmin.ingest.sources import bgs

FIX = Path(__file__).parent / "fixtures" / "tables"


@pytest.fixture(scope="module")
def prod():
    return bgs.SCHEMA.validate(bgs.build(config.RAW))


def series(prod, country, code, sub=""):
    rows = prod[(prod.country == country) & (prod.bgs_code == code) & (prod.sub_commodity == sub)]
    return dict(zip(rows.year, rows.value_t))


def test_china_rare_earth_oxides(prod):
    reo = series(prod, "China", 736)
    assert [reo[y] for y in (1994, 2000, 2010, 2020)] == [30700, 73000, 118900, 180000]
    # MANIFEST says the REO series starts in 1994; China's actually starts in 1992 (21,300 t)
    assert min(reo) == 1992 and reo[1992] == 21300


def test_us_bastnaesite_2020(prod):
    assert series(prod, "United States", 119, "Bastnaesite")[2020] == 39000


def test_china_graphite_range(prod):
    """MANIFEST: "within ~0.7-2.2 Mt" for 1990-2020; the exact span is 0.60 Mt (1991-92) to
    2.2151 Mt (1995)."""
    g = series(prod, "China", 62)
    years = [y for y in range(1990, 2021) if y in g]
    assert len(years) == 31
    assert min(g[y] for y in years) == 600000 and max(g[y] for y in years) == 2215100


def test_rare_earth_series_are_kept_apart(prod):
    re = prod[prod.commodity == "rare-earths"]
    assert set(re.bgs_code) == {119, 736}
    assert set(re.bgs_series) == {"rare earth minerals", "rare earth oxides"}
    assert {"Monazite", "Bastnaesite", "Xenotime", "Loparite", ""} <= set(re.sub_commodity)


def test_blank_values_are_na_never_zero(prod):
    na = prod[prod.value_flag == "NA"]
    assert len(na) > 3000 and na.value_t.isna().all()
    assert prod[prod.value_flag == ""].value_t.notna().all()


def test_energy_and_uranium_are_dropped(prod):
    assert not prod.bgs_code.isin([107, 109, 169]).any()
    assert prod.commodity.isin(bgs.SCHEMA.columns["commodity"].checks[0].statistics["allowed_values"]).all()


def test_countries_are_canonical(prod):
    names = set(prod.country)
    assert {"United States", "Burma", "Congo (Kinshasa)", "South Korea"} <= names
    assert not {"USA", "Myanmar", "Zaire", "Korea (Rep. of)", "Rhodesia"} & names
    assert "Soviet Union" in names  # historical states stay themselves


def test_renamed_country_rows_merge_without_losing_values(prod):
    """BGS lists Rhodesia and Zimbabwe for 1970-81, one blank each year; merged, values kept."""
    chrome = series(prod, "Zimbabwe", 30)
    assert chrome[1975] == 875668 and chrome[1970] == 400000


def _run(tmp_path, fixture):
    dest = tmp_path / bgs.FILE
    dest.parent.mkdir(parents=True)
    shutil.copy(FIX / fixture, dest)
    return bgs.build(tmp_path)


def test_fixture_reads(tmp_path):
    df = _run(tmp_path, "bgs_ok.csv.gz")
    assert df[["country", "bgs_code", "value_flag"]].values.tolist() == [
        ["Burma", 119, "NA"], ["China", 736, ""], ["United States", 119, ""]]


@pytest.mark.parametrize("fixture, message", [
    ("bgs_unknown_token.csv.gz", r"row 2, column value: unknown token in value column; got 'n/a'"),
    ("bgs_unknown_code.csv.gz", r"row 6, column commodity_code: BGS commodity code not in"),
    ("bgs_truncated.csv.gz", r"cannot decompress.*truncated"),
    ("bgs_renamed_header.csv.gz", r"row 1, column 4: unknown or missing header; got 'sub_commodity'"),
    ("bgs_two_names_two_values.csv.gz", r"row 3, column Country: two values"),
])
def test_bad_input(tmp_path, fixture, message):
    with pytest.raises(DataError, match=message) as exc:
        _run(tmp_path, fixture)
    assert bgs.FILE in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="missing"):
        bgs.build(tmp_path)


def test_building_twice_gives_identical_bytes(prod):
    assert to_csv_bytes(bgs.build(config.RAW)) == to_csv_bytes(prod)
