"""Reserves share and reserves-to-production years, with bounds and missing values."""
import math

import pytest

from critmin import config
from critmin.analysis import reserves, tables

FIX = config.ROOT / "tests" / "fixtures" / "analysis" / "world_small.csv"


@pytest.fixture(scope="module")
def world():
    return tables.read(FIX, "world.csv")


def test_rp_years_hand_computed(world):
    rp = reserves.reserves_to_production(world, "China")
    r = rp[(rp["edition"] == 2024) & (rp["commodity"] == "rare-earths")].iloc[0]
    assert r["rp_years"] == pytest.approx(44_000_000 / 240_000)   # ≈ 183 years
    assert r["production_year"] == 2023 and r["rp_flag"] == ""


def test_rp_world_lower_bound(world):
    rp = reserves.reserves_to_production(world, "World")
    r = rp[(rp["edition"] == 2026) & (rp["commodity"] == "rare-earths")].iloc[0]
    assert r["rp_flag"] == ">" and r["rp_years"] == pytest.approx(85_000_000 / 390_000)


def test_rp_missing_production_says_why(world):
    rp = reserves.reserves_to_production(world, "China")
    r = rp[rp["commodity"] == "y-metal"].iloc[0]   # China refinery output withheld
    assert math.isnan(r["rp_years"]) and "withheld" in r["reason"]


def test_reserves_share(world):
    s = reserves.reserves_share(world, "China")
    r = s[(s["edition"] == 2024) & (s["commodity"] == "rare-earths")].iloc[0]
    assert r["share_pct"] == pytest.approx(40.0)


@pytest.mark.parametrize("a,b,f", [("kt", "t", 1000), ("t", "kt", 0.001), ("kg", "t", 0.001),
                                   ("Mt", "kt", 1000), ("t", "t", 1), ("carats", "t", None)])
def test_unit_factor(a, b, f):
    assert reserves.unit_factor(a, b) == (pytest.approx(f) if f else None)


def test_real_rare_earths_rp_mcs2024():
    w = tables.load("world.csv")
    rp = reserves.reserves_to_production(w[w["edition"] == 2024], "China")
    r = rp[rp["commodity"] == "rare-earths"].iloc[0]
    assert r["reserves_value"] == 44_000_000 and r["production_value"] == 240_000
    assert r["rp_years"] == pytest.approx(44_000_000 / 240_000) and r["production_year"] == 2023
