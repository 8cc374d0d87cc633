"""HHI and top-3 share with the unlisted remainder as bounds; hand-computed answers."""
import math

import pytest

from critmin import config
from critmin.analysis import concentration as conc
from critmin.analysis import tables

FIX = config.ROOT / "tests" / "fixtures" / "analysis" / "world_small.csv"


@pytest.fixture(scope="module")
def table():
    return conc.concentration(tables.read(FIX, "world.csv"))


def test_hhi_hand_computed_with_other_countries(table):
    # Alpha 50, Beta 30, Gamma 10 of World 100; 'Other countries' 10 is the remainder.
    r = table[table["commodity"] == "x-metal"].iloc[0]
    assert r["hhi"] == pytest.approx(50**2 + 30**2 + 10**2)          # 3,500
    assert r["hhi_high"] == pytest.approx(3500 + 10**2)               # remainder as one producer
    assert r["band"] == "high" and r["band_high"] == "high"
    assert r["top3_pct"] == pytest.approx(90) and r["top3_high_pct"] == pytest.approx(90)
    assert r["remainder_pct"] == pytest.approx(10) and r["other_countries_pct"] == pytest.approx(10)
    assert r["leader"] == "Alpha" and r["top3_countries"] == "Alpha; Beta; Gamma"


def test_withheld_country_goes_to_remainder(table):
    # Alpha 40, Beta 20, China W, Other NA, World 100: remainder 40.
    r = table[(table["commodity"] == "y-metal") & (table["measure"] == "production")].iloc[0]
    assert r["hhi"] == pytest.approx(2000) and r["band"] == "moderate"
    assert r["hhi_high"] == pytest.approx(3600) and r["band_high"] == "high"
    assert conc.band_label(r) == "moderate–high"
    assert r["top3_pct"] == pytest.approx(60) and r["top3_high_pct"] == pytest.approx(100)
    assert r["n_unknown"] == 1 and "remainder" in r["reason"]


def test_world_not_a_number_is_not_computed(table):
    r = table[(table["commodity"] == "y-metal") & (table["measure"] == "reserves")].iloc[0]
    assert math.isnan(r["hhi"]) and "world total" in r["reason"]
    assert conc.band_label(r) == "not computed"


def test_real_rare_earths_2023_mcs2024(table):
    r = table[(table["commodity"] == "rare-earths") & (table["edition"] == 2024)
              & (table["measure"] == "production") & (table["year"] == 2023)].iloc[0]
    s = [240000 / 3500, 43000 / 3500, 38000 / 3500, 18000 / 3500]
    assert r["hhi"] == pytest.approx(sum(x * x for x in s))
    assert r["top3_pct"] == pytest.approx(sum(s[:3]))


@pytest.mark.parametrize("hhi,band", [(0, "low"), (1499.9, "low"), (1500, "moderate"),
                                      (2500, "moderate"), (2500.1, "high"), (10000, "high")])
def test_bands(hhi, band):
    assert conc.band(hhi) == band


def test_listed_sum_above_rounded_world_clips_remainder():
    low, high = conc.hhi_from_shares([60, 45], 0.0)
    assert low == high == 60**2 + 45**2
    assert conc.top3_from_shares([60, 45], 0.0) == (105, 105)


def real_series(edition, commodity, year):
    w = tables.load("world.csv")
    return w[(w["edition"] == edition) & (w["commodity"] == commodity)
             & (w["measure"] == "production") & (w["year"] == year)]


def test_real_rare_earths_2025_mcs2026_hand_computed():
    s = real_series(2026, "rare-earths", 2025)
    r = conc.concentration(s).iloc[0]
    listed = s[~s["country"].isin(["World", "Other countries"]) & s["value"].notna()]
    expect = sum((100 * v / 390000) ** 2 for v in listed["value"])
    assert r["hhi"] == pytest.approx(expect) and r["band"] == "high"
    assert r["leader"] == "China" and round(r["leader_pct"], 1) == 69.2
    assert r["hhi_high"] - r["hhi"] == pytest.approx(r["remainder_pct"] ** 2)


def test_real_rounded_world_never_gives_hhi_above_10000():
    r = conc.concentration(real_series(2026, "gallium", 2025)).iloc[0]
    assert r["hhi"] <= 10000 and r["top3_pct"] <= 100 + 1e-9
    assert "rounded world total" in r["reason"]


def test_real_all_series_bounded():
    w = tables.load("world.csv")
    c = conc.concentration(w[w["measure"] == "production"])
    ok = c[c["hhi"].notna()]
    assert (ok["hhi"] <= ok["hhi_high"] + 1e-9).all() and (ok["hhi_high"] <= 10000 + 1e-6).all()
    assert (ok["top3_pct"] <= ok["top3_high_pct"] + 1e-9).all()
