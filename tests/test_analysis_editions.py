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


def test_real_rare_earths_2023_revised_from_mcs2024_to_mcs2025():
    w = tables.load("world.csv")
    re_ = w[(w["commodity"] == "rare-earths") & (w["measure"] == "production")
            & w["country"].isin(["China", "World"])]
    ch = editions.chain(re_, ["commodity", "measure", "stage", "basis", "unit", "country", "year"])
    china = ch[(ch["country"] == "China") & (ch["year"] == 2023)].iloc[0]
    assert china["value_newest"] == 255000 and china["edition_used"] == 2025
    assert "2024: 240000" in china["earlier_values"].replace(",", "") and china["revised"]
    world24 = ch[(ch["country"] == "World") & (ch["year"] == 2024)].iloc[0]
    assert world24["value_newest"] == 380000 and world24["edition_used"] == 2026   # MCS 2025: 390,000


def test_real_nir_rare_earth_compounds_2024_revised():
    nir = tables.load("net_import_reliance.csv")
    sel = nir[(nir["commodity"] == "rare-earths") & (nir["form"] == "compounds-and-metals")]
    ch = editions.chain(sel, ["commodity", "form", "year"], value="nir_pct", flag="nir_flag")
    r = ch[ch["year"] == 2024].iloc[0]
    assert r["value_newest"] == 53 and r["edition_used"] == 2026 and r["revised"]  # MCS 2025: 80
    assert "2025: 80" in r["earlier_values"]
