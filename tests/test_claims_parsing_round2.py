"""Round two of the claim mapper's parsing (issue 14's second blind test): header dates to the
month, imports of consumption, reliance lists, the mineral from context, known reserves, several
figures in one clause, ', and <Country> <verb>', importers other than the U.S., 'that share'.
Every sentence is ours, written for these tests."""
import datetime as dt

import pytest

from critmin.claims import anchor
from critmin.claims.article import load_article
from critmin.claims.run import run
from claims_support import mapped, world  # noqa: F401 (fixture)

FILL = " Analysts who follow the trade read these numbers in the survey's yearly tables."
BODY = ("Buyers of battery metals met in the capital this week to talk about prices, supply and "
        "the outlook." + FILL + "\n")


def claims(world, text, date=dt.date(2025, 6, 12)):
    return mapped(world, text, FILL, date)


def rows(got, *cols):
    return [tuple(r[c] for c in cols) for _, r in got.iterrows()]


# ---- 1. the article's date from a header line of its own ---------------------------------------
@pytest.mark.parametrize("header, want", [
    ("Published October 7, 2024", "2024-10-07"),
    ("Updated: 21 January 2026", "2026-01-21"),
    ("By Ana Ruiz | 9 Apr 2025", "2025-04-09"),
])
def test_header_line_full_dates(header, want):
    art = load_article("Minerals and the energy transition\n" + header + "\n\n" + BODY)
    assert anchor.article_date(art).isoformat() == want


@pytest.mark.parametrize("header, want", [
    ("Working Paper 3 | November 2025", "November 2025 (day not given)"),
    ("Quarterly Outlook, March 2026", "March 2026 (day not given)"),
    ("Policy Brief No. 9 | February 2026", "February 2026 (day not given)"),
])
def test_header_line_month_dates(header, want):
    art = load_article("Minerals and the energy transition\n" + header + "\n\n" + BODY)
    assert anchor.describe(anchor.article_date(art)) == want


def test_a_date_line_after_a_standfirst_sentence():
    deck = "A new study finds that buyers of cobalt and nickel face tighter supply than they expected.\n"
    art = load_article("Minerals watch\n" + deck + "Published 2 December 2025\n\n" + BODY)
    assert anchor.article_date(art).isoformat() == "2025-12-02"
    byline = load_article("Minerals watch\n" + deck + "By Ana Ruiz\nPublished 2 December 2025\n\n" + BODY)
    assert anchor.article_date(byline).isoformat() == "2025-12-02"
    later = load_article("Minerals watch\n" + deck + BODY + "Published 2 December 2025\n\n" + BODY)
    assert anchor.article_date(later) is None  # after the first paragraph of the story


def test_a_full_date_on_a_later_header_line_wins_over_a_month():
    art = load_article("Briefing | June 2025\nPublished 14 June 2025\n\n" + BODY)
    assert anchor.describe(anchor.article_date(art)) == "2025-06-14"


def test_a_month_date_is_the_first_of_the_month_and_fixes_last_year(world):
    art = load_article("Issue Note 7 | May 2025\n\n" + BODY)
    got = anchor.article_date(art)
    assert isinstance(got, anchor.MonthDate) and (got.year, got.month, got.day) == (2025, 5, 1)
    assert anchor.edition_at(got, [2024, 2025, 2026]) == 2025


@pytest.mark.parametrize("text", [
    "In June 2025 the ministry met buyers of battery metals to talk about prices and supply.",
    "Nobody expected that the talks on cobalt and nickel prices would last until October 2025.",
])
def test_a_month_inside_a_sentence_is_not_the_date(text):
    assert anchor.article_date(load_article(text + FILL + "\n")) is None


def test_a_headline_naming_a_month_is_not_the_date():
    art = load_article("What the long cobalt slump of May 2025 taught buyers and traders in Asia\n\n" + BODY)
    assert anchor.article_date(art) is None


def test_the_check_says_the_day_is_unknown(tmp_path):
    p = tmp_path / "note.txt"
    p.write_text("Issue Note 7 | May 2025\n\n" + BODY, encoding="utf-8")
    r = run(p, "", [None, 2026], report_edition=2026)
    assert r.editions == [2025, 2026]
    assert any("May 2025" in n and "not its day" in n for n in r.notes)


# ---- 2. U.S. import reliance as imports of consumption -----------------------------------------
@pytest.mark.parametrize("sentence, figure, qualifier, mineral, year", [
    ("Last year the U.S. imported roughly 90% of the cobalt it consumed, officials said.",
     90.0, "roughly", "cobalt", "2024"),
    ("The United States imported all of the manganese it used in 2023, the survey found.",
     100.0, "", "manganese", "2023"),
    ("In 2024 nearly 80 percent of U.S. apparent consumption of lithium came from imports.",
     80.0, "nearly", "lithium", "2024"),
    ("For tin, about 75% of its apparent consumption came from imports, the United States said.",
     75.0, "about", "tin", "latest"),
    ("Imports met about 65 percent of U.S. demand for nickel last year, officials said.",
     65.0, "about", "nickel", "2024"),
    ("Roughly 90% of the zinc the U.S. consumes is imported, officials said.", 90.0, "roughly", "zinc",
     "latest"),
])
def test_imports_of_consumption_are_net_import_reliance(world, sentence, figure, qualifier, mineral, year):
    got = claims(world, "The United States buys much of its metal abroad. " + sentence)
    assert rows(got, "kind", "figure", "qualifier", "commodity", "importer", "year_or_period",
                "checkable") == [("net_import_reliance", figure, qualifier, mineral, "United States",
                                  year, "yes")]


def test_imports_of_another_countrys_consumption_are_not_us_reliance(world):
    got = claims(world, "The United States is a big buyer. Imports made up 40% of India's cobalt "
                        "consumption in 2023.")
    assert rows(got, "kind", "checkable") == [("percent", "no")]
    assert "United States only" in got.loc[0, "why_not_checkable"]


def test_relying_on_imports_for_all_of_it_in_a_participle_clause(world):
    got = claims(world, "The U.S. imported all of the gallium it consumed, relying on imports for all "
                        "of its graphite as well.")
    assert rows(got, "kind", "figure", "commodity") == [("net_import_reliance", 100.0, "gallium"),
                                                        ("net_import_reliance", 100.0, "graphite")]


def test_imports_of_consumption_from_a_supplier_are_not_reliance(world):
    got = claims(world, "The U.S. imported 70% of the cobalt it consumed from Norway, officials said.")
    assert "net_import_reliance" not in set(got["kind"])


# ---- 3. a list continuing a reliance claim -----------------------------------------------------
@pytest.mark.parametrize("sentence, want", [
    ("The U.S. relied on imports for about 76% of its cobalt, for all of its gallium, and for "
     "at least 50 percent of its nickel.",
     [(76.0, "about", "cobalt"), (100.0, "", "gallium"), (50.0, "at least", "nickel")]),
    ("America depends on foreign supplies for more than half of its lithium, for 100% of its "
     "graphite and for roughly 70 percent of its tin.",
     [(50.0, "more than", "lithium"), (100.0, "", "graphite"), (70.0, "roughly", "tin")]),
])
def test_a_reliance_list_gives_one_claim_per_item(world, sentence, want):
    got = claims(world, sentence)
    assert set(got["kind"]) == {"net_import_reliance"}
    assert rows(got, "figure", "qualifier", "commodity") == want


# ---- 4. the mineral from context ---------------------------------------------------------------
@pytest.mark.parametrize("text, mineral, year", [
    ("Take cobalt first. The DRC mined roughly 70 percent of the world's supply in 2023.", "cobalt", "2023"),
    ("On tungsten the picture is starker, and China produced over 80% of global output last year.",
     "tungsten", "2024"),
    ("Graphite is the next worry. China turns out about 77% of world production.", "graphite", "latest"),
    ("Start with tungsten — China mined some 80 percent of global output in 2024.", "tungsten", "2024"),
    ("Gallium is a by-product. China made about 98 percent of the world's primary supply in 2024.",
     "gallium", "2024"),
])
def test_the_mineral_from_its_context(world, text, mineral, year):
    got = claims(world, text)
    share = got[got["kind"] == "share_of_world_production"]
    assert rows(share, "commodity", "year_or_period", "checkable") == [(mineral, year, "yes")]


@pytest.mark.parametrize("text, why", [
    ("Cobalt and nickel both matter. Indonesia mined about 60 percent of the world's supply.",
     "names 2 (cobalt, nickel)"),
    ("Take cobalt first.\nThe DRC mined roughly 70 percent of the world's supply in 2023.",
     "nor does its sentence or the one before"),
    ("Start with cobalt. China makes 80% of global output of solar panels.", "of nothing our tables name"),
    ("Start with cobalt. China controls 90% of the world's supply chain.", "of nothing our tables name"),
])
def test_no_mineral_or_two_in_context_is_not_checkable(world, text, why):
    got = claims(world, text)
    assert list(got["checkable"]) == ["no"] and why in got.loc[0, "why_not_checkable"]


# ---- 5. shares of known reserves ----------------------------------------------------------------
@pytest.mark.parametrize("text, figure, qualifier, mineral, country", [
    ("Chile holds about 35 percent of known lithium reserves, the survey said.", 35.0, "about",
     "lithium", "Chile"),
    ("On cobalt, the DRC holds nearly half of the world's known reserves.", 50.0, "nearly",
     "cobalt", "Congo (Kinshasa)"),
])
def test_shares_of_known_reserves(world, text, figure, qualifier, mineral, country):
    got = claims(world, text)
    assert rows(got, "kind", "figure", "qualifier", "commodity", "country", "measure") == [
        ("share_of_world_reserves", figure, qualifier, mineral, country, "reserves")]


# ---- 6. several figures in one clause, each with its mineral ------------------------------------
@pytest.mark.parametrize("text, want", [
    ("China accounted for 80% of mined tungsten and 98% of primary gallium in 2024.",
     [(80.0, "tungsten", "mine", "2024"), (98.0, "gallium", "primary|low-purity-primary", "2024")]),
    ("Last year China supplied about 60 percent of mined graphite, 90 percent of refined cobalt "
     "and 70 percent of mined rare earths.",
     [(60.0, "graphite", "mine", "2024"), (90.0, "cobalt", "refinery", "2024"),
      (70.0, "rare-earths", "mine", "2024")]),
])
def test_several_figures_in_one_clause(world, text, want):
    got = claims(world, text)
    assert set(got["kind"]) == {"share_of_world_production"} and set(got["country"]) == {"China"}
    assert rows(got, "figure", "commodity", "stage", "year_or_period") == want


# ---- 7. ', and <Country> <verb>' opens a new clause ---------------------------------------------
@pytest.mark.parametrize("text, second", [
    ("The United States imported all of the gallium it used last year, and China produced about "
     "98% of the world's gallium in 2024.", ("share_of_world_production", 98.0, "gallium", "China")),
    ("Japan bought 40% of its cobalt imports from Finland, and the DRC mined roughly 70 percent "
     "of the world's cobalt.", ("share_of_world_production", 70.0, "cobalt", "Congo (Kinshasa)")),
])
def test_a_new_country_subject_opens_a_new_clause(world, text, second):
    got = claims(world, text)
    assert len(got) == 2 and rows(got.iloc[[1]], "kind", "figure", "commodity", "country") == [second]


def test_a_list_of_suppliers_is_not_a_new_clause(world):
    got = claims(world, "Japan bought 40% of its cobalt imports from Finland, and Canada in 2024.")
    assert rows(got, "kind", "importer", "country", "year_or_period") == [
        ("import_share", "Japan", "Finland", "2024")]


# ---- 8. import shares for importers other than the U.S. -----------------------------------------
@pytest.mark.parametrize("text, importer, supplier, mineral, qualifier, year", [
    ("The European Union gets roughly 90% of its rare earths from China, officials said.",
     "EU-27", "China", "rare-earths", "roughly", "latest"),
    ("Last year the EU imported 60 percent of its tungsten from China.", "EU-27", "China", "tungsten", "", "2024"),
    ("The EU-27 buys about two-thirds of its cobalt from the DRC.", "EU-27", "Congo (Kinshasa)", "cobalt",
     "about", "latest"),
    ("India relied on China for over 70 percent of its graphite imports in 2023.", "India", "China",
     "graphite", "over", "2023"),
    ("Germany depended heavily on China for more than 80% of its gallium imports last year.",
     "Germany", "China", "gallium", "more than", "2024"),
    ("Chile supplied nearly 80 percent of South Korea's lithium imports in 2024.", "South Korea", "Chile",
     "lithium", "nearly", "2024"),
])
def test_import_shares_of_other_importers(world, text, importer, supplier, mineral, qualifier, year):
    got = claims(world, text)
    assert rows(got, "kind", "importer", "country", "commodity", "qualifier", "year_or_period",
                "checkable") == [("import_share", importer, supplier, mineral, qualifier, year, "yes")]


def test_the_us_relying_on_one_supplier_is_an_import_share_with_its_form(world):
    got = claims(world, "The United States relied on China for 70% of its rare earth compound imports "
                        "between 2020 and 2023.")
    assert rows(got, "kind", "importer", "country", "commodity", "form", "year_or_period") == [
        ("import_share", "United States", "China", "rare-earths", "compounds-and-metals", "2020-2023")]


def test_the_eu_is_worded_as_the_eu_27(world):
    got = claims(world, "The European Union gets roughly 90% of its rare earths from China.")
    assert got.loc[0, "claim"].startswith("Share of the EU-27's rare earths imports from China")


@pytest.mark.parametrize("before, want", [
    ("The EU has little antimony of its own. ", ("import_share", "EU-27", "yes")),
    ("The European Union set new stockpile goals. ", ("import_share", "EU-27", "yes")),
    ("Japan has little antimony of its own. ", ("percent", "", "no")),
])
def test_the_bloc_is_the_eu_only_after_the_eu_is_named(world, before, want):
    got = claims(world, before + "Turkey provided roughly 60% of the bloc's antimony imports in 2023.")
    assert rows(got, "kind", "importer", "checkable") == [want]
    if want[2] == "no":
        assert "no EU named" in got.loc[0, "why_not_checkable"]


def test_reliance_on_one_supplier_without_imports_is_not_checkable(world):
    got = claims(world, "South Korea relies on China for about 90 percent of the tungsten it uses.")
    assert rows(got, "kind", "checkable") == [("percent", "no")]
    assert "shares of imports" in got.loc[0, "why_not_checkable"]


# ---- 9. 'that share' refers to the sentence before ----------------------------------------------
def test_that_share_takes_the_previous_claim_with_a_new_figure_and_year(world):
    got = claims(world, "In 2019 Japan bought about 90% of its rare earths from China. By last year, "
                        "that proportion had dropped to roughly 60 percent.")
    assert rows(got, "kind", "figure", "qualifier", "importer", "country", "commodity",
                "year_or_period", "rule") == [
        ("import_share", 90.0, "about", "Japan", "China", "rare-earths", "2019", "import-share"),
        ("import_share", 60.0, "roughly", "Japan", "China", "rare-earths", "2024", "that-share")]


def test_that_share_after_two_claims_is_not_checkable(world):
    got = claims(world, "China mined 80% of the world's tungsten and 98% of the world's gallium in 2024. "
                        "This year that share rose to 85 percent.")
    last = got.iloc[-1]
    assert last["checkable"] == "no" and "has 2 share claims" in last["why_not_checkable"]


def test_a_figure_naming_its_own_mineral_is_not_that_share(world):
    got = claims(world, "In 2019 Japan bought about 90% of its rare earths from China. The share for "
                        "cobalt was 30 percent.")
    assert got.iloc[-1]["rule"] != "that-share"


def test_a_change_by_a_percent_is_not_that_share(world):
    got = claims(world, "In 2019 Japan bought about 90% of its rare earths from China. Since then "
                        "that share has fallen by 30 percent.")
    assert got.iloc[-1]["rule"] != "that-share" and got.iloc[-1]["checkable"] == "no"


# ---- after the round-two merge (lead): a year does not cut the clause; 'Korea' ------------------
def test_a_year_inside_the_clause_keeps_the_supplier(world):
    got = claims(world, "About 60 percent of Japan's rare-earth imports in 2022 came from China, "
                        "customs data show.")
    assert rows(got, "kind", "importer", "country", "commodity", "year_or_period") == [
        ("import_share", "Japan", "China", "rare-earths", "2022")]


def test_korea_alone_is_south_korea_and_value_and_quantity_can_disagree(tmp_path):
    """BACI, South Korea's natural graphite imports in 2024: China 93.3% by value, 97.3% by
    quantity; 'roughly 90%' (85-95) holds by value, not by quantity."""
    path = tmp_path / "korea.txt"
    path.write_text("Desk\nPublished 23 June 2025\n\nNorth Korea is not part of this story." + FILL +
                    "\n\nKorea bought roughly 90 percent of its natural graphite imports from China "
                    "in 2024." + FILL + "\n", encoding="utf-8")
    result = run(path, "", [None, 2026], report_edition=2026)
    c = result.claims[result.claims["kind"] == "import_share"]
    assert list(c["importer"]) == ["South Korea"] and list(c["country"]) == ["China"]
    v = result.verdicts.set_index("claim_id").loc[c["claim_id"].iloc[0]]
    assert v.overall_verdict == "depends on source/measure"
    assert v.depends_on == ("consistent by BACI by value (2024); understates by BACI by quantity (2024)")
