"""The committed reference tables: valid, sourced, consistent with the USGS T4 table."""
import re

import pytest

from critmin import config
from critmin.analysis import reference
from critmin.errors import DataError
from critmin.io import read_rows

T4 = config.RAW / "usgs-mcs-2026" / "industry-trends" / "MCS2026_T4_Country_Export_Control.csv"


def test_events_load_and_cover_the_brief():
    ev = reference.events()
    assert ev["date"].is_monotonic_increasing
    by = ev.set_index("event_id")
    assert by.loc["cn-2010-japan", "applies_to"] == "Japan"
    assert set(by.loc["cn-2024-us-ban", "minerals"].split(";")) == {"gallium", "germanium", "antimony"}
    assert set(by.loc["cn-2025-feb", "minerals"].split(";")) == {
        "tungsten", "tellurium", "bismuth", "molybdenum", "indium"}
    assert "seven" in by.loc["cn-2025-apr", "measure"]
    assert (ev["url"] == "").all()  # no address we could not verify


def test_events_said_to_be_in_t4_are_in_t4():
    header, rows = read_rows(T4)
    china = next(dict(zip(header, c)) for _, c in rows if c[0] == "China")["Commodity_Year"].lower()
    ev = reference.events()
    for _, e in ev[ev["source_detail"].str.contains("Table 4 \\(China: ")].iterrows():
        listed = re.search(r"Table 4 \(China: ([^)]*\([^)]*\)[^)]*)\)", e["source_detail"]).group(1)
        for item in re.findall(r"([a-z ]+?) \((\d{4})\)", listed.lower()):
            name, year = item[0].strip().split(", ")[-1], item[1]
            assert f"{name} ({year})" in china or name in china, (e["event_id"], name)
    assert "gallium (2023)" in china and "tungsten (2025)" in china


def test_new_capacity_figures_from_article():
    cap = reference.new_capacity().set_index("project_id")
    assert cap.loc["us-dod-ree", "amount_usd"] == 439_000_000
    assert cap.loc["us-niocorp-nebraska", "amount_usd"] == 780_000_000
    assert cap.loc["th-haisheng-tungsten", "amount_usd"] == 25_000_000
    assert (cap["source"].str.startswith("AP, 12 June 2025")).all()
    assert (cap["url"] == "").all()
    text = config.SEED_ARTICLE.read_text(encoding="utf-8")
    for figure in ("$439 million", "$780 million", "$25 million", "Nebraska", "Thailand"):
        assert figure in text
    # our descriptions are our own words, not the article's sentences
    for desc in cap["description"]:
        assert desc not in text and desc[:60] not in text


def test_by_mineral_explodes():
    ev = reference.by_mineral(reference.events())
    assert set(ev.loc[ev["event_id"] == "cn-2023-ga-ge", "mineral"]) == {"gallium", "germanium"}


@pytest.mark.parametrize("column,value,match", [
    ("minerals", "unobtainium", "unknown commodity slug"),
    ("date", "2023-8-1", "bad date"),
    ("url", "http://example.org", "https"),
    ("status", "maybe", "bad status"),
])
def test_bad_cells_name_row_and_column(tmp_path, column, value, match):
    src = (config.REFERENCE / "export_control_events.csv").read_text(encoding="utf-8").splitlines()
    header = src[0].split(",")
    import csv
    import io
    rows = list(csv.reader(io.StringIO("\n".join(src))))
    rows[2][header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    p = tmp_path / "export_control_events.csv"
    p.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(DataError, match=match) as exc:
        reference.events(p)
    assert exc.value.row == 3 and exc.value.column == column
