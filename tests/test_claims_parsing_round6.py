"""Round six of the claim mapper (issue 14, after held-out set 5): a supplier rank that names its
buyer ("India's biggest graphite supplier", 'the top source of U.S. imports') is a place among one
importer's suppliers, never a producer rank; a slashed header date ('12/09/2024') is read, and when
both orders of day and month name a day the report says so and takes the earlier reading for the
edition. Every sentence is ours, written for these tests; each rule has guards."""
import datetime as dt

import pytest

from critmin.claims import anchor
from critmin.claims.article import load_article
from critmin.claims.run import run
from claims_support import mapped, world  # noqa: F401 (fixture)

FILL = " Traders who follow these flows read the figures in each year's customs tables."


def ranks(world, text):
    got = mapped(world, text, FILL)
    return got[got["kind"] == "rank_of_producer"]


@pytest.mark.parametrize("text, buyer", [
    ("Madagascar, India's biggest graphite supplier, shipped more.", "India"),
    ("Mozambique is the second-largest supplier of graphite to Japan.", "Japan"),
    ("China is the top source of U.S. imports of gallium.", "United States"),
    ("China is Japan's largest source of rare earths.", "Japan"),
])
def test_supplier_rank_of_an_importer_is_no_producer_rank(world, text, buyer):
    got = ranks(world, text)
    assert len(got) == 1 and got.iloc[0]["checkable"] == "no"
    assert f"among the suppliers of {buyer}" in got.iloc[0]["why_not_checkable"]
    assert got.iloc[0]["claim"].startswith("The rank '")


@pytest.mark.parametrize("text, country, mineral, n", [
    # guards: a supplier rank with no buyer named stays the world's producer rank
    ("China is the largest supplier of rare earths in the world.", "China", "rare-earths", 1),
    ("Australia is the second-largest supplier of lithium.", "Australia", "lithium", 2),
    ("China is the world's largest producer of graphite, and Japan's mills buy it.", "China",
     "graphite", 1),
])
def test_supplier_rank_without_buyer_stays_a_producer_rank(world, text, country, mineral, n):
    got = ranks(world, text)
    got = got[got["checkable"] == "yes"]
    assert [(r.country, r.commodity, int(r.figure)) for r in got.itertuples()] == [(country, mineral, n)]


def _date(header: str):
    return anchor.article_date(load_article(f"Graphite's new map\n{header}\n\nChina mined most of the "
                                            "world's graphite last year, the survey said." + FILL + "\n"))


def test_slashed_date_either_order():
    d = _date("12/09/2024")
    assert isinstance(d, anchor.AmbiguousDate)
    assert (d, d.later) == (dt.date(2024, 9, 12), dt.date(2024, 12, 9))
    assert d.year == 2024
    assert anchor.describe(d) == ("12/09/2024 (12 September or 9 December 2024: the order of day and "
                                  "month is not given)")


@pytest.mark.parametrize("header, want", [
    ("25/09/2024", dt.date(2024, 9, 25)),   # only day/month names a day
    ("09/25/2024", dt.date(2024, 9, 25)),   # only month/day does
    ("By A. Writer | 3/3/2025", dt.date(2025, 3, 3)),  # both orders, one day
])
def test_slashed_date_one_reading(header, want):
    d = _date(header)
    assert d == want and not isinstance(d, anchor.AmbiguousDate)


def test_slashed_date_naming_no_day_is_no_date():
    assert _date("40/40/2024") is None


def test_ambiguous_date_straddling_a_release_takes_the_earlier_edition(tmp_path):
    # 2/1/2026: 1 February (MCS 2025 only: MCS 2026 came out on 6 February) or 2 January (MCS 2025)
    # 3/2/2026: 3 February (MCS 2025) or 2 March 2026 (MCS 2026 out): the earlier reading wins
    path = tmp_path / "story.txt"
    path.write_text("Metals desk\n3/2/2026\n\nChina mined 77% of the world's natural graphite in 2024, "
                    "the survey said." + FILL + "\n", encoding="utf-8")
    res = run(path, "", [None, 2026], report_edition=2026)
    assert res.date == dt.date(2026, 2, 3)
    note = " ".join(res.notes)
    assert "MCS 2025" in note and "MCS 2026 was out on the later one" in note
    assert set(res.checks["edition"].dropna()) == {2025, 2026}


@pytest.mark.parametrize("text, after, want", [
    ("China's Ministry of Commerce said", "China", True),
    ("the U.S. Government bought", "U.S.", True),
    ("the U.S. Geological Survey says", "U.S.", True),
    ("China's output rose", "China", False),
    ("China is the largest miner", "China", False),
])
def test_state_body_after_a_country(text, after, want):
    from critmin.claims import names
    assert names.state_body_after(text, text.index(after) + len(after)) is want


def test_a_ministry_is_no_ranked_country(world):
    got = ranks(world, "China's Ministry of Commerce says Australia is the largest producer of lithium.")
    got = got[got["checkable"] == "yes"]
    assert [(r.country, r.commodity) for r in got.itertuples()] == [("Australia", "lithium")]
