import math

import pytest

from critmin.errors import DataError
from critmin.ingest.tokens import parse_value


@pytest.mark.parametrize("raw, value, flag", [
    ("240000", 240000.0, ""),
    ("7,900", 7900.0, ""),
    (" 1,230,000 ", 1230000.0, ""),
    ("0", 0.0, ""),
    ("0.5", 0.5, ""),
    (">95", 95.0, ">"),
    (">50%", 50.0, ">"),
    ("<1,000", 1000.0, "<"),
    (">85,000,000", 85000000.0, ">"),
    ("68\xa0", 68.0, ""),
])
def test_numbers_and_bounds(raw, value, flag):
    got, got_flag, high = parse_value(raw)
    assert (got, got_flag) == (value, flag)
    assert math.isnan(high)


@pytest.mark.parametrize("raw", ["W", "NA", "XX", "E"])
def test_tokens_are_never_numbers(raw):
    value, flag, _ = parse_value(raw)
    assert math.isnan(value) and flag == raw


@pytest.mark.parametrize("raw, low, high", [("50–300", 50, 300), ("330 - 390", 330, 390),
                                            ("10,000 - 15,000", 10000, 15000)])
def test_ranges(raw, low, high):
    assert parse_value(raw)[:1] + (parse_value(raw)[1], parse_value(raw)[2]) == (low, "range", high)


def test_qualitative_only_when_allowed():
    assert parse_value("Large", allow_qualitative=True)[1] == "qual"
    with pytest.raises(DataError, match="unknown token"):
        parse_value("Large")


@pytest.mark.parametrize("raw", ["12a", "n/a", "1.2.3", "?"])
def test_unknown_token_names_file_row_column(raw):
    with pytest.raises(DataError) as exc:
        parse_value(raw, file="x.csv", row=7, column="Prod_t_2023")
    msg = str(exc.value)
    assert "x.csv" in msg and "row 7" in msg and "Prod_t_2023" in msg and repr(raw) in msg


def test_blank_is_not_silently_missing():
    with pytest.raises(DataError, match="blank"):
        parse_value("  ", file="x.csv", row=3, column="v")


def test_em_dash_is_zero_only_in_mcs_2026():
    """MANIFEST 4b: MCS 2026 prints the em dash for zero; no other release documents a dash."""
    assert parse_value("—", release="usgs-mcs-2026")[:2] == (0.0, "")
    for release in (None, "usgs-mcs-2022", "usgs-mcs-2024", "usgs-mcs-2025"):
        with pytest.raises(DataError, match="unknown token"):
            parse_value("—", release=release, file="x.csv", row=4, column="v")
    for dash in ("–", "-"):  # documented by no release, 2026 included
        with pytest.raises(DataError, match="unknown token"):
            parse_value(dash, release="usgs-mcs-2026")
