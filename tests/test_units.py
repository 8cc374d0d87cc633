"""critmin.ingest.units: unit words and column tokens, conversion, canonical units and overrides."""
import math

import pytest

from critmin.ingest import units
from critmin.errors import DataError


@pytest.mark.parametrize("text, code", [
    ("metric tons", "t"), ("thousand metric tons", "kt"), ("Thousand  metric tons ", "kt"),
    ("thousand metric dry tons", "kt"), ("million metric tons", "Mt"), ("kilograms", "kg"),
    ("million carats", "Mct"), (" thousands of carats", "kct"), ("million cubic meters", "Mm3"),
    ("million liters", "ML"), ("tons", "t"),
])
def test_unit_words(text, code):
    assert units.from_words(text) == code


def test_unknown_unit_word_names_where():
    with pytest.raises(DataError) as exc:
        units.from_words("short tons", file="f.csv", row=7, column="UNIT_MEAS")
    assert (exc.value.file, exc.value.row, exc.value.column) == ("f.csv", 7, "UNIT_MEAS")


@pytest.mark.parametrize("token, code", [("t", "t"), ("kt", "kt"), ("kg", "kg"), ("Mt", "Mt"),
                                         ("mmt", "Mt"), ("mct", "Mct"), ("kct", "kct"),
                                         ("mcm", "Mm3")])
def test_header_tokens(token, code):
    assert units.from_header_token(token) == code


def test_ambiguous_mt_header_token_raises():
    with pytest.raises(DataError, match="ambiguous"):
        units.from_header_token("mt", file="x.csv", row=1, column="Reserves_mt")


@pytest.mark.parametrize("text, code", [
    ("Rare earths, mine production, rare-earth-oxide equivalent, metric tons", "t"),
    ("Iron ore - mine production - usable ore -thousand metric tons", "kt"),
    ("Raw steel, million metric tons", "Mt"),
    ("Mine production, thousand carats of gem-quality diamond", "kct"),
    ("Mine production, bauxite, dry tons", None),  # 'dry tons' names no scale
    ("Primary production", None),
])
def test_unit_inside_type_text(text, code):
    assert units.in_text(text) == code


def test_convert():
    assert units.convert(1234, "t", "kt") == 1.234
    assert units.convert(0.3, "kt", "t") == 300.0
    assert units.convert(600_000, "kg", "t") == 600.0
    assert units.convert(5, "Mt", "kt") == 5000.0
    assert units.convert(2, "Mct", "kct") == 2000.0
    assert math.isnan(units.convert(math.nan, "t", "kt"))
    with pytest.raises(DataError, match="cannot convert"):
        units.convert(1, "kct", "kg")
    with pytest.raises(DataError):
        units.convert(1, "lb", "t")


def test_canonical_units_cover_named_stages():
    assert units.canonical_unit("rare-earths", "production") == ("t", "REO equivalent")
    assert units.canonical_unit("gallium", "production", "low-purity-primary")[0] == "kg"
    assert units.canonical_unit("helium", "production", "neon")[0] == "ML"
    assert units.canonical_unit("helium", "production", "mine")[0] == "Mm3"
    with pytest.raises(DataError, match="units.csv"):
        units.canonical_unit("unobtainium", "production")


def test_every_canonical_unit_is_convertible():
    for unit, _ in units.canonical().values():
        assert unit in units.FACTORS


def test_override_must_match_the_published_unit():
    f = "usgs-mcs-2024/world/mcs2024-talc_world.csv"
    assert units.override(f, "talc", "Reserves_t", "t") == "kt"
    assert units.override(f, "talc", "Prod_kt_2022", "kt") is None
    with pytest.raises(DataError, match="no longer matches"):
        units.override(f, "talc", "Reserves_t", "kt")
