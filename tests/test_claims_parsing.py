"""Claim shapes the first mapper missed on unseen articles (issue 14's blind test): datelines,
'all of its' import reliance, plain and caveated ranks, the country after the figure, mineral names
that fix a stage or a product form, the clause that decides the stage and year, one claim per
mapping, the importer from context, reserves. Sentences are ours, written for these tests."""
import datetime as dt

import pytest

from critmin.claims import anchor
from critmin.claims.article import load_article
from critmin.claims.run import run
from claims_support import mapped, world  # noqa: F401 (fixture)

FILL = " Officials who follow the trade published the numbers in their yearly review of supply."
KEYS = ("kind", "figure", "qualifier", "commodity", "stage", "country", "year_or_period", "checkable")


def claims(world, text, date=dt.date(2025, 6, 12)):
    return mapped(world, text, FILL, date)


def keys(row):
    return tuple(row[k] for k in KEYS)


# ---- 1. datelines ------------------------------------------------------------------------------
@pytest.mark.parametrize("head, want", [
    ("WASHINGTON, Nov. 4, 2025 — ", "2025-11-04"),
    ("WASHINGTON, Nov 4, 2025 – ", "2025-11-04"),
    ("4 November 2025 - ", "2025-11-04"),
    ("LONDON (Agency) — March 3, 2025 — ", "2025-03-03"),
    ("Sept. 9 2025 — ", "2025-09-09"),
])
def test_dateline_in_the_first_story_line(head, want):
    art = load_article(head + "Buyers of battery metals met in the capital this week to talk about "
                              "prices and supply." + FILL + "\n")
    assert anchor.article_date(art).isoformat() == want


@pytest.mark.parametrize("header, want", [
    ("Published 12 June 2025\n\n", "2025-06-12"),
    ("By a staff reporter | 2025-06-12\n\n", "2025-06-12"),
    ("Updated: 2025-06-12T08:30Z\n\n", "2025-06-12"),
])
def test_dateline_in_the_header(header, want):
    art = load_article(header + "Buyers of battery metals met in the capital this week to talk "
                                "about prices and supply." + FILL + "\n")
    assert anchor.article_date(art).isoformat() == want


def test_a_date_later_in_the_story_is_not_the_dateline():
    art = load_article("Buyers of battery metals met this week, ahead of talks on March 3, 2025 "
                       "— officials said more would follow." + FILL + "\n")
    assert anchor.article_date(art) is None


# ---- 2. import reliance ------------------------------------------------------------------------
def test_all_of_its_is_100_percent_and_the_list_is_split(world):
    got = claims(world, "The United States relies on imports for all of its gallium and graphite, a "
                        "gap that worries the defence industry.")
    assert [(r.kind, r.figure, r.commodity, r.country) for r in got.itertuples()] == [
        ("net_import_reliance", 100.0, "gallium", "United States"),
        ("net_import_reliance", 100.0, "graphite", "United States")]


@pytest.mark.parametrize("sentence, figure, mineral", [
    ("The U.S. is 100% import reliant for manganese used by its steel mills.", 100.0, "manganese"),
    ("The U.S. has a net import reliance of 76% for cobalt, the survey shows.", 76.0, "cobalt"),
])
def test_reliance_phrasings(world, sentence, figure, mineral):
    got = claims(world, sentence)
    assert [(r.kind, r.figure, r.commodity) for r in got.itertuples()] == [
        ("net_import_reliance", figure, mineral)]


def test_foreign_sources_take_the_importer_from_context(world):
    text = ("The United States has almost no lithium mines of its own. It depends on foreign sources "
            "for more than half of its lithium, the survey said.")
    got = claims(world, text)
    assert [(r.kind, r.qualifier, r.figure, r.commodity, r.importer, r.checkable) for r in got.itertuples()] == [
        ("net_import_reliance", "more than", 50.0, "lithium", "United States", "yes")]
    plain = claims(world, "Carmakers in America rely on foreign suppliers for more than half of the "
                          "cobalt they use, the survey said.")
    assert plain.loc[0, "kind"] == "net_import_reliance" and plain.loc[0, "importer"] == "United States"


# ---- 3. ranks ----------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, rank, qualifier, country, mineral, checkable", [
    ("For tungsten, China is the largest producer by far.", 1, "", "China", "tungsten", "yes"),
    ("China is the world's top supplier of antimony at present.", 1, "", "China", "antimony", "yes"),
    ("In lithium, Chile ranks second only to Australia among mining countries.", 2, "", "Chile", "lithium", "yes"),
    ("Chile is one of the top three producers of lithium on any list.", 3, "at most", "Chile", "lithium", "yes"),
    ("Indonesia is one of the largest producers of cobalt today.", 1, "", "Indonesia", "cobalt", "no"),
])
def test_rank_shapes(world, sentence, rank, qualifier, country, mineral, checkable):
    got = claims(world, sentence)
    assert len(got) == 1, got.to_dict("records")
    r = got.iloc[0]
    assert (r.kind, r.figure, r.qualifier, r.country, r.commodity, r.checkable) == (
        "rank_of_producer", rank, qualifier, country, mineral, checkable)
    if checkable == "no":
        assert "states no rank" in r.why_not_checkable


def test_a_top_n_rank_is_checked_as_a_bound():
    r = run_text("Chile is one of the top three producers of lithium on any list.")
    rows = r.checks[r.checks["kind"] == "rank_of_producer"]
    # Chile ranks within the top three of lithium mine production in both editions
    assert set(rows["verdict"]) == {"consistent"} and (rows["public_value"] <= 3).all()
    assert rows["reason"].str.startswith("published rank within the top 3").all()


# ---- 4. the country after the figure -----------------------------------------------------------
@pytest.mark.parametrize("sentence, want", [
    ("Some 60% of global antimony is mined in China, the survey said.",
     ("share_of_world_production", 60.0, "some", "antimony", "mine", "China", "latest", "yes")),
    ("About 70% of the world's cobalt comes from the DRC, the survey said.",
     ("share_of_world_production", 70.0, "about", "cobalt", "mine", "Congo (Kinshasa)", "latest", "yes")),
    ("China's share of world gallium output is 98%, the survey said.",
     ("share_of_world_production", 98.0, "", "gallium", "primary|low-purity-primary", "China", "latest", "yes")),
])
def test_country_after_the_figure(world, sentence, want):
    got = claims(world, sentence)
    assert [keys(r) for _, r in got.iterrows()] == [want]


# ---- 5. mineral names --------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, commodity, stage", [
    ("South Africa mines 70% of the world's platinum, the survey said.", "platinum-group-metals", "mine-platinum"),
    ("Russia mines about 40% of the world's palladium, the survey said.", "platinum-group-metals", "mine-palladium"),
    ("China mines 69% of the world's rare earth elements, the survey said.", "rare-earths", "mine"),
    ("China mines 69% of the world's REEs, the survey said.", "rare-earths", "mine"),
    ("China turns out 80% of the world's tungsten concentrates, the survey said.", "tungsten", "mine"),
])
def test_mineral_names(world, sentence, commodity, stage):
    got = claims(world, sentence)
    assert [(r.commodity, r.stage, r.checkable) for r in got.itertuples()] == [(commodity, stage, "yes")]


def test_platinum_is_checked_against_the_platinum_rows():
    r = run_text("South Africa mines 70% of the world's platinum, the survey said.")
    rows = r.checks[r.checks["kind"] == "share_of_world_production"]
    assert rows["compared"].str.contains("mine-platinum").all()
    assert rows["public_pct"].notna().all()


def test_a_product_form_is_refused_with_the_reason(world):
    got = claims(world, "Chile produced 50,000 tonnes of lithium carbonate in 2024, the survey said.")
    assert list(got["checkable"]) == ["no"]
    assert "lithium carbonate is a processed chemical" in got.loc[0, "why_not_checkable"]


# ---- 6. the figure's own clause decides kind and stage -----------------------------------------
@pytest.mark.parametrize("sentence, kind, stage", [
    ("China mines 60% of the world's graphite, and its imports of ore from Brazil rose.",
     "share_of_world_production", "mine"),
    ("China turns out 60% of the world's rare earths, while refiners elsewhere struggle.",
     "share_of_world_production", "mine"),
    ("China produces 60% of the world's rare earths, and refiners elsewhere struggle.",
     "share_of_world_production", "mine"),
    ("China, whose miners dig little cobalt, refines 70% of the world's cobalt.",
     "share_of_world_production", "refinery"),
])
def test_the_verb_nearest_the_figure_decides(world, sentence, kind, stage):
    got = claims(world, sentence)
    assert [(r.kind, r.stage) for r in got.itertuples()] == [(kind, stage)]


# ---- 8. one claim per mapping; the year of the figure's own clause -----------------------------
def test_one_sentence_gives_no_duplicate_claims(world):
    got = claims(world, "China is the largest producer of rare earths and rare earth elements alike.")
    assert len(got) == 1 and got.loc[0, "commodity"] == "rare-earths"
    got = claims(world, "China mines 69% of the world's rare earths (REEs), the survey said.")
    assert len(got) == 1


@pytest.mark.parametrize("sentence, year", [
    ("China mined 60% of the world's tungsten, up from 50% in 2015.", "latest"),
    ("In 2015 prices slumped, but China now mines 60% of the world's tungsten.", "latest"),
    ("China mined 80% of the world's tungsten in 2024; its exports fell in 2023.", "2024"),
    ("In 2024, China mined 80% of the world's tungsten.", "2024"),
])
def test_the_year_comes_from_the_figures_own_clause(world, sentence, year):
    got = claims(world, sentence)
    share = got[got["kind"] == "share_of_world_production"]
    assert list(share["year_or_period"]) == [year]


# ---- 9. reserves -------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, kind, figure, qualifier, mineral, country", [
    ("China holds the largest reserves of rare earths in the world.", "rank_of_reserves", 1, "", "rare-earths", "China"),
    ("China holds 40% of the world's reserves of rare earths, the survey said.", "share_of_world_reserves", 40, "", "rare-earths", "China"),
    ("Chile has about 30% of global lithium reserves, the survey said.", "share_of_world_reserves", 30, "about", "lithium", "Chile"),
])
def test_reserves(world, sentence, kind, figure, qualifier, mineral, country):
    got = claims(world, sentence)
    assert [(r.kind, r.figure, r.qualifier, r.commodity, r.country, r.measure) for r in got.itertuples()] == [
        (kind, figure, qualifier, mineral, country, "reserves")]


def test_reserves_share_is_read_from_the_reserves_rows(world):
    r = run_text("Chile has about 30% of global lithium reserves, the survey said.")
    rows = r.checks[r.checks["kind"] == "share_of_world_reserves"].set_index("edition")
    for ed in (2025, 2026):
        sub = world[(world["edition"] == ed) & (world["commodity"] == "lithium")
                    & (world["measure"] == "reserves") & (world["stage"] == "mine")]
        y = sub["year"].max()
        chile = sub[(sub["country"] == "Chile") & (sub["year"] == y)]["value"].iloc[0]
        tot = sub[(sub["country"] == "World") & (sub["year"] == y)]["value"].iloc[0]
        assert rows.loc[ed, "public_pct"] == pytest.approx(100 * chile / tot)
        want = "consistent" if abs(100 * chile / tot - 30) <= 5 else (
            "overstates" if 100 * chile / tot < 25 else "understates")
        assert rows.loc[ed, "verdict"] == want


def run_text(text, tmp=None):
    import tempfile
    from pathlib import Path
    p = Path(tempfile.mkdtemp()) / "article.txt"
    p.write_text("Published 12 June 2025\n\n" + text + FILL + "\n", encoding="utf-8")
    return run(p, "", [None, 2026], report_edition=2026)
