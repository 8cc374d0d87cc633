"""Shares of the world total: hand-computed answers on small frames, flags propagated, real values."""
import math

import pytest

from critmin import config
from critmin.analysis import shares, tables

FIX = config.ROOT / "tests" / "fixtures" / "analysis" / "world_small.csv"


@pytest.fixture(scope="module")
def world():
    return tables.read(FIX, "world.csv")


def test_exact_share_mcs2024_rare_earths(world):
    s = shares.focus_shares(world[world["edition"] == 2024], "China")
    row = s[(s["commodity"] == "rare-earths") & (s["measure"] == "production") & (s["year"] == 2023)].iloc[0]
    assert round(row["share_pct"], 1) == 68.6  # 240,000 of 350,000 (MCS 2024)
    assert row["share_flag"] == "" and row["estimated"]
    assert shares.share_label(row["share_pct"], row["share_flag"], digits=1) == "68.6%"


def test_withheld_country_gives_no_share_and_says_why(world):
    s = shares.focus_shares(world, "China")
    row = s[(s["commodity"] == "y-metal") & (s["measure"] == "production")].iloc[0]
    assert math.isnan(row["share_pct"]) and row["share_flag"] == "none"
    assert "withheld (W)" in row["reason"]
    assert shares.share_label(row["share_pct"], row["share_flag"], reason=row["reason"]) == "W withheld"


def test_world_na_gives_no_share(world):
    s = shares.focus_shares(world, "China")
    row = s[(s["commodity"] == "y-metal") & (s["measure"] == "reserves")].iloc[0]
    assert math.isnan(row["share_pct"]) and "world value is not available (NA)" in row["reason"]


def test_world_lower_bound_makes_share_an_upper_bound(world):
    s = shares.focus_shares(world[world["edition"] == 2026], "China")
    row = s[s["measure"] == "reserves"].iloc[0]
    assert row["share_flag"] == "<"
    assert row["share_pct"] == pytest.approx(100 * 44_000_000 / 85_000_000)
    assert shares.share_label(row["share_pct"], "<") == "<52%"


def test_unlisted_country(world):
    s = shares.focus_shares(world, "Alpha")
    row = s[(s["commodity"] == "rare-earths")].iloc[0]
    assert math.isnan(row["share_pct"]) and "not listed" in row["reason"]
    x = s[s["commodity"] == "x-metal"].iloc[0]
    assert x["share_pct"] == 50.0


@pytest.mark.parametrize("num,nf,nh,den,df,dh,expect", [
    (240000, "", math.nan, 350000, "", math.nan, (240000 / 3500, "", math.nan)),
    (95, ">", math.nan, 100, "", math.nan, (95.0, ">", math.nan)),
    (10, "<", math.nan, 100, "", math.nan, (10.0, "<", math.nan)),
    (50, "range", 300, 1000, "", math.nan, (5.0, "range", 30.0)),
    (50, "", math.nan, 100, "range", 200, (25.0, "range", 50.0)),
    (50, "", math.nan, 1000, "<", math.nan, (5.0, ">", math.nan)),
    (0, "", math.nan, 1000, ">", math.nan, (0.0, "", math.nan)),
])
def test_ratio_interval_rules(num, nf, nh, den, df, dh, expect):
    pct, flag, high, _ = shares.ratio(num, nf, nh, den, df, dh)
    assert flag == expect[1]
    assert pct == pytest.approx(expect[0])
    assert (math.isnan(high) and math.isnan(expect[2])) or high == pytest.approx(expect[2])


@pytest.mark.parametrize("nf,df,why", [("W", "", "withheld"), ("", "NA", "not available"),
                                        (">", ">", "unbounded"), ("", "E", "net exporter")])
def test_ratio_refuses_what_it_cannot_know(nf, df, why):
    pct, flag, _, reason = shares.ratio(5, nf, math.nan, 10, df, math.nan)
    assert math.isnan(pct) and flag == "none" and why in reason


def test_zero_world_is_not_divided(world):
    pct, flag, _, reason = shares.ratio(0, "", math.nan, 0, "", math.nan)
    assert flag == "none" and "zero" in reason


def test_pick_year_newest_and_fallback(world):
    s = shares.focus_shares(world[world["edition"] == 2024], "China")
    re = s[s["commodity"] == "rare-earths"]
    assert set(shares.pick_year(re)["year"]) == {2023}
    assert set(shares.pick_year(re, 2022)["year"]) == {2022}
    # a year after the newest published falls back to the newest
    assert set(shares.pick_year(re, 2030)["year"]) == {2023}


def test_duplicate_series_rows_are_refused(world):
    dup = world.iloc[[4, 4]]  # China rare earths twice
    with pytest.raises(ValueError, match="two rows"):
        shares.focus_shares(dup.assign(country="China"), "China")


def test_snapshot_per_series(world):
    w = world[(world["edition"] == 2024) & (world["commodity"] == "rare-earths")]
    snap = shares.snapshot(w)
    assert set(snap["year"]) == {2023}
    old = shares.snapshot(w, 2022)
    assert set(old.loc[old["measure"] == "production", "year"]) == {2022}
    # reserves start in 2023: shown at their first year rather than dropped
    assert set(old.loc[old["measure"] == "reserves", "year"]) == {2023}
