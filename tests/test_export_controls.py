"""export_controls.csv: tidy MCS 2026 Table 4, declared item split checked against the text."""
import shutil
from pathlib import Path

import pytest

from critmin import config
from critmin.errors import DataError
from critmin.io import to_csv_bytes
from critmin.ingest.sources import export_controls as ec

FIX = Path(__file__).parent / "fixtures" / "tables"


@pytest.fixture(scope="module")
def controls():
    return ec.SCHEMA.validate(ec.build(config.RAW))


def test_china_licensing_covers_the_report_minerals(controls):
    china = controls[controls.country == "China"]
    assert set(china.measure) == {"export licensing requirement for materials and technologies"}
    years = dict(zip(china.commodity, china.year))
    assert {k: years[k] for k in ("gallium", "germanium", "graphite", "antimony", "tungsten",
                                  "rare-earths")} == {
        "gallium": 2023, "germanium": 2023, "graphite": 2023, "antimony": 2024,
        "tungsten": 2025, "rare-earths": 2025}
    assert years["silver"] == 2026


def test_one_row_per_country_measure_commodity_item(controls):
    assert len(controls) == 67
    assert set(controls.source_row) == set(range(2, 21))  # all 19 source rows kept
    assert not controls.duplicated(ec.KEY).any()


def test_one_item_can_cover_two_commodities(controls):
    vz = controls[(controls.country == "Venezuela") & (controls.item == "columbite-tantalite")]
    assert sorted(vz.commodity) == ["niobium", "tantalum"]
    vn = controls[(controls.country == "Vietnam") & (controls.item == "lead-zinc")]
    assert sorted(vn.commodity) == ["lead", "zinc"]


def test_items_without_a_single_commodity_are_kept_without_slug(controls):
    loose = controls[controls.commodity == ""]
    assert set(loose.item) == {"Quartz", "Raw diamonds", "enriched uranium", "Metal waste and scrap",
                               "Natural sand", "magnesium materials", "catalysts and waste containing precious metals",
                               "items related to lithium batteries and artificial graphite anode materials"}


def test_countries_are_canonical_and_source_kept(controls):
    assert "Congo (Kinshasa)" in set(controls.country)
    row = controls[controls.country == "Malaysia"].iloc[0]
    assert row.control_text == "Raw rare earths (2024)." and row.source_row == 6
    assert row.data_source.startswith("https://www.nres.gov.my/")


def _run(tmp_path, fixture):
    dest = tmp_path / ec.FILE
    dest.parent.mkdir(parents=True)
    shutil.copy(FIX / fixture, dest)
    return ec.build(tmp_path)


def test_fixture_reads(tmp_path):
    df = _run(tmp_path, "t4_ok.csv")
    assert df[["country", "commodity", "form", "year"]].values.tolist() == [["Zimbabwe", "lithium", "ore", 2022]]


@pytest.mark.parametrize("fixture, message", [
    ("t4_undeclared_item.csv", r"row 2, column Commodity_Year: part of the row's text is not declared"),
    ("t4_wrong_year.csv", r"row 2, column Commodity_Year: declared year"),
    ("t4_unknown_measure.csv", r"row 2, column Control_Type: unknown control type"),
    ("t4_unknown_country.csv", r"row 2, column Country: country has no items"),
    ("t4_truncated.csv", r"row 2.*(truncated|malformed)"),
])
def test_bad_input(tmp_path, fixture, message):
    with pytest.raises(DataError, match=message):
        _run(tmp_path, fixture)


def test_building_twice_gives_identical_bytes(controls):
    assert to_csv_bytes(ec.build(config.RAW)) == to_csv_bytes(controls)
