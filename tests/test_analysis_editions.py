"""Chaining MCS editions: the newest edition wins and revisions stay visible."""
import pandas as pd
import pytest

from critmin import config
from critmin.analysis import editions, shares, tables

FIX = config.ROOT / "tests" / "fixtures" / "analysis" / "world_small.csv"


def test_newest_edition_wins_and_revision_is_visible():
    w = tables.read(FIX, "world.csv")
    re = w[(w["commodity"] == "rare-earths") & (w["measure"] == "production")]
    keys = ["commodity", "measure", "stage", "basis", "unit", "country", "year"]
    ch = editions.chain(re, keys)
    china23 = ch[(ch["country"] == "China") & (ch["year"] == 2023)].iloc[0]
    assert china23["value_newest"] == 255000 and china23["edition_used"] == 2025
    assert china23["earlier_values"] == "2024: 240,000" and china23["earlier_editions"] == "2024"
    assert bool(china23["revised"]) is True
    china22 = ch[(ch["country"] == "China") & (ch["year"] == 2022)].iloc[0]
    assert china22["edition_used"] == 2024 and not china22["revised"] and china22["earlier_values"] == ""


def test_same_value_in_two_editions_is_not_a_revision():
    df = pd.DataFrame({"edition": [2025, 2026], "commodity": ["gallium"] * 2, "year": [2024] * 2,
                       "nir_pct": [100.0, 100.0], "nir_flag": ["", ""], "raw_value": ["100", "100"]})
    ch = editions.chain(df, ["commodity", "year"], value="nir_pct", flag="nir_flag")
    assert ch.iloc[0]["edition_used"] == 2026 and not ch.iloc[0]["revised"]
    assert ch.iloc[0]["earlier_values"] == "2025: 100"


def test_flag_change_is_a_revision():
    df = pd.DataFrame({"edition": [2025, 2026], "commodity": ["rare-earths"] * 2, "year": [2024] * 2,
                       "nir_pct": [80.0, 53.0], "nir_flag": ["", ""], "raw_value": ["80", "53"]})
    ch = editions.chain(df, ["commodity", "year"], value="nir_pct", flag="nir_flag")
    assert ch.iloc[0]["value_newest"] == 53 and ch.iloc[0]["revised"]
    bound = df.assign(nir_pct=[95.0, 95.0], nir_flag=[">", ""])
    assert editions.chain(bound, ["commodity", "year"], value="nir_pct", flag="nir_flag").iloc[0]["revised"]


def test_chained_shares_keep_numerator_and_denominator_from_one_edition():
    w = tables.read(FIX, "world.csv")
    s = shares.focus_shares(w[w["measure"] == "production"], "China")
    ch = editions.chain(s, ["commodity", "measure", "stage", "basis", "unit", "year"],
                        value="share_pct", flag="share_flag", shown=None)
    r = ch[(ch["commodity"] == "rare-earths") & (ch["year"] == 2023)].iloc[0]
    assert r["share_pct"] == pytest.approx(100 * 255000 / 376000) and r["edition_used"] == 2025
    assert r["revised"]


def test_chain_refuses_duplicates_and_edition_key():
    df = pd.DataFrame({"edition": [2025, 2025], "k": ["a", "a"], "value": [1.0, 2.0],
                       "value_flag": ["", ""], "raw_value": ["1", "2"]})
    with pytest.raises(ValueError, match="more than one row"):
        editions.chain(df, ["k"])
    with pytest.raises(ValueError, match="edition"):
        editions.chain(df, ["k", "edition"])
