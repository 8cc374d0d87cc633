"""critmin.ingest.corrections: declarative, checked corrections from a YAML file."""
import math

import pandas as pd
import pytest
import yaml

from critmin import config
from critmin.ingest.corrections import apply_corrections, load
from critmin.errors import DataError


def table():
    return pd.DataFrame({
        "edition": [2026, 2026, 2026], "commodity": ["rare-earths"] * 3,
        "country": ["Brazil", "China", "World"], "year": [2025] * 3,
        "value": [21_000_000.0, 44_000_000.0, 85_000_000.0], "value_flag": ["", "", ">"],
        "raw_value": ["21,000,000", "44,000,000", ">85,000,000"], "correction_id": ["", "", ""]})


def entry(**kw):
    e = {"id": "fix-brazil", "table": "world.csv",
         "where": {"edition": 2026, "country": "Brazil", "year": 2025},
         "column": "value", "expected_old": 21_000_000, "action": "replace", "value": 11_000_000,
         "raw_value": "11,000,000", "reason": "r", "source": "s", "status": "applied"}
    e.update(kw)
    return e


def write(tmp_path, *entries):
    p = tmp_path / "corrections.yml"
    p.write_text(yaml.safe_dump(list(entries)), encoding="utf-8")
    return p


def test_replace_sets_value_and_correction_id_keeps_raw_value(tmp_path):
    out = apply_corrections("world.csv", table(), write(tmp_path, entry()))
    br = out[out.country == "Brazil"].iloc[0]
    assert (br.value, br.raw_value, br.correction_id) == (11_000_000, "21,000,000", "fix-brazil")
    assert (out[out.country != "Brazil"].correction_id == "").all()


def test_bound_keeps_its_flag(tmp_path):
    e = entry(id="fix-world", where={"country": "World"}, expected_old=85_000_000,
              value=75_000_000)
    w = apply_corrections("world", table(), write(tmp_path, e)).iloc[2]
    assert (w.value, w.value_flag) == (75_000_000, ">")


def test_other_tables_pass_through_untouched(tmp_path):
    df = table()
    assert apply_corrections("trade.csv", df, write(tmp_path, entry())) is df


def test_pending_is_checked_but_not_applied(tmp_path):
    out = apply_corrections("world.csv", table(), write(tmp_path, entry(status="pending",
                                                                         value=None)))
    assert out.value.iloc[0] == 21_000_000 and out.correction_id.iloc[0] == ""
    with pytest.raises(DataError, match="fix-brazil"):
        apply_corrections("world.csv", table(), write(tmp_path, entry(status="pending",
                                                                       expected_old=1)))


def test_drop_row(tmp_path):
    out = apply_corrections("world.csv", table(), write(tmp_path, entry(action="drop_row")))
    assert list(out.country) == ["China", "World"]


@pytest.mark.parametrize("change, words", [
    ({"where": {"edition": 2026}}, "matches 3 rows"),
    ({"where": {"country": "Atlantis"}}, "matches 0 rows"),
    ({"expected_old": 20_000_000}, "expected_old"),
    ({"where": {"continent": "Americas"}}, "unknown column"),
    ({"column": "tonnage"}, "unknown column"),
])
def test_mismatch_names_the_correction(tmp_path, change, words):
    with pytest.raises(DataError) as exc:
        apply_corrections("world.csv", table(), write(tmp_path, entry(**change)))
    assert "fix-brazil" in str(exc.value) and words in str(exc.value)


@pytest.mark.parametrize("change, words", [
    ({"action": "multiply"}, "unknown action"),
    ({"status": "maybe"}, "unknown status"),
    ({"value": None}, "needs a value"),
    ({"where": {}}, "where"),
])
def test_malformed_entries(tmp_path, change, words):
    with pytest.raises(DataError) as exc:
        load(write(tmp_path, entry(**change)))
    assert "fix-brazil" in str(exc.value) and words in str(exc.value)


def test_missing_field_and_duplicate_id(tmp_path):
    e = entry()
    del e["source"]
    with pytest.raises(DataError, match="missing field.*source"):
        load(write(tmp_path, e))
    with pytest.raises(DataError, match="duplicate id"):
        load(write(tmp_path, entry(), entry()))


def test_project_corrections_file_is_valid_and_documents_sources():
    entries = load(config.CORRECTIONS)
    ids = {e["id"]: e for e in entries}
    assert {"mcs2026-ree-reserves-brazil", "mcs2026-ree-reserves-world"} <= set(ids)
    for e in entries:
        assert e["reason"].strip() and e["source"].strip()
        assert "http" not in e["source"]  # no invented URL: the source is named, not linked
    br = ids["mcs2026-ree-reserves-brazil"]
    assert (br["expected_old"], br["value"], br["status"]) == (21_000_000, 11_000_000, "applied")
    wt = ids["mcs2026-ree-reserves-world"]
    assert (wt["expected_old"], wt["value"]) == (85_000_000, 75_000_000)
    assert not math.isnan(float(wt["value"]))
