"""Round five of the claim mapper (issue 14, after held-out set 4): a country inside an agency's,
firm's or publication's name is no actor (never a subject, never what 'it' means); a mineral's
source material ('a by-product of alumina refining') is never the claim's mineral or stage; an
amount set beside a world share is that share's output; a share said of two joined countries is
not one country's; import shares naming an ore (or ferroniobium) are read on that form's BACI code.
Every sentence is ours, written for these tests; each rule has guards."""
import gzip

import pandas as pd
import pytest

from critmin import config
from critmin.claims import names
from critmin.claims.run import run
from claims_support import mapped, world  # noqa: F401 (fixture)

FILL = " Traders who follow these flows read the figures in each year's customs tables."


def claims(world, text):
    return mapped(world, text, FILL)


def checkable(got, kind=None):
    got = got[got["checkable"] == "yes"]
    return got if kind is None else got[got["kind"] == kind]


def rows(got, *cols):
    return [tuple(r[c] for c in cols) for _, r in got.iterrows()]


def _article(tmp_path, body, date="12 June 2026"):
    path = tmp_path / "story.txt"
    path.write_text(f"Metals desk\nPublished {date}\n\n" + body + FILL + "\n", encoding="utf-8")
    return run(path, "", [2026], report_edition=2026)


# ---- 1. a country inside an organisation's name ---------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("according to the U.S. Geological Survey, Peru", ["Peru"]),
    ("the U.S. Geological Survey's Mineral Commodity Summaries", []),
    ("U.S. Census Bureau data", []),
    ("the United States Geological Survey", []),
    ("the China Nonferrous Metals Industry Association", []),
    ("China Iron and Steel Association figures", []),
    ("Bank of China analysts", []),
    ("the Geological Survey of Finland", []),
    ("Minerals Council South Africa", []),
    ("the U.S. Department of the Interior", []),
    ("China and the U.S. Bureau of Mines", ["China"]),     # a connector never starts the name
    ("China's Ministry of Commerce", ["China"]),          # a possessive: the country's own ministry
    ("the Democratic Republic of the Congo and Chile", ["Congo (Kinshasa)", "Chile"]),
    ("U.S. and Chinese suppliers", ["United States", "China"]),
])
def test_a_country_inside_an_organisations_name_is_no_country(text, want):
    assert [c.name for c in names.countries(text)] == want


def test_it_after_an_agency_is_the_sentences_country(world):
    text = ("Indonesia mined about half of the world's nickel in 2024, according to the U.S. Geological "
            "Survey, and it holds roughly 40 percent of known nickel reserves.")
    got = checkable(claims(world, text))
    assert rows(got, "kind", "country") == [("share_of_world_production", "Indonesia"),
                                            ("share_of_world_reserves", "Indonesia")]


def test_its_rank_after_a_publication_is_the_sentences_country(world):
    text = ("Australia mined almost half of the world's lithium in 2024, the U.S. Geological Survey's "
            "Mineral Commodity Summaries show, and it remains the largest producer.")
    got = checkable(claims(world, text), "rank_of_producer")
    assert rows(got, "country", "commodity", "figure") == [("Australia", "lithium", 1.0)]


def test_an_agency_is_never_a_shares_subject(world):
    got = claims(world, "The U.S. Geological Survey says about 60 percent of the world's rare earths were "
                        "mined in 2024 at a handful of sites.")
    assert checkable(got).empty
    assert got["why_not_checkable"].iloc[0] == "a world share with no country named"


def test_it_in_the_next_sentence_skips_a_bank(world):
    text = ("Peru's figures are compiled with help from the Bank of China. It mined about 12 percent of "
            "the world's copper in 2024.")
    assert rows(checkable(claims(world, text)), "country", "commodity") == [("Peru", "copper")]


# ---- 2. a mineral's source; an apposed amount -------------------------------------------------------
def test_a_by_product_source_never_sets_the_stage(world):
    got = checkable(claims(world, "China produced 98 percent of the world's gallium in 2024, most of it "
                                  "extracted from bauxite at alumina refineries."))
    assert rows(got, "commodity", "country", "stage") == [("gallium", "China", "primary|low-purity-primary")]


def _gallium_2024(world):
    """MCS 2026 gallium, low-purity primary production, China 2024 (kg), and its source row."""
    w = world[(world.edition == 2026) & (world.commodity == "gallium") & (world.measure == "production")
              & (world.country == "China") & (world.year == 2024)]
    assert len(w) == 1
    return w.iloc[0]


@pytest.mark.parametrize("tonnes, verdict", [(840, "consistent"), (600, "understates")])
def test_an_apposed_amount_is_the_shares_output(tmp_path, world, tonnes, verdict):
    row = _gallium_2024(world)
    assert row.unit == "kg" and row.value == 839000.0  # MCS2026_Commodities_Data.csv, China, 2024
    result = _article(tmp_path, f"China produced about 99 percent of the world's gallium in 2024, roughly "
                                f"{tonnes} tonnes, nearly all of it recovered as a by-product of alumina "
                                "refining.")
    c = result.claims[result.claims["kind"] == "amount_of_production"]
    assert rows(c, "commodity", "country", "year_or_period", "stage") == [("gallium", "China", "2024",
                                                                            row.stage)]
    chk = result.checks[result.checks["claim_id"] == c["claim_id"].iloc[0]].iloc[0]
    assert chk.public_value == row.value and chk.public_unit == "kg"
    assert result.verdicts.set_index("claim_id").loc[c["claim_id"].iloc[0]].overall_verdict == verdict


@pytest.mark.parametrize("text, why", [
    ("China and Russia produced 90% of the world's gallium in 2024, about 700 tonnes, from alumina plants.",
     "an amount set beside a share that is not one checkable world share"),
    ("China holds 40% of the world's rare earth reserves, some 44 million tonnes, in 2024.",
     "a reserves figure"),
])
def test_an_amount_beside_an_unclear_share_is_refused(world, text, why):
    got = claims(world, text)
    mass = got[got["unit"].isin(["t", "tonnes"]) | (got["kind"] == "mass")]
    assert checkable(got, "amount_of_production").empty
    assert mass["why_not_checkable"].str.startswith(why).any()


def test_an_amount_of_another_product_after_a_share_keeps_its_own_mineral(world):
    got = checkable(claims(world, "China produced 98 percent of the world's gallium in 2024 and 84 million "
                                  "tonnes of alumina."), "amount_of_production")
    assert rows(got, "commodity") == [("bauxite-alumina",)]


@pytest.mark.parametrize("text", [
    "China and Russia produced 90% of the world's gallium in 2024.",
    "About 60% of global antimony is mined in China and Russia.",
])
def test_a_share_of_two_joined_countries_is_not_checkable(world, text):
    got = claims(world, text)
    assert checkable(got).empty
    assert got["why_not_checkable"].iloc[0].startswith("a combined share of several countries")


def test_a_second_clauses_country_is_not_joined(world):
    got = checkable(claims(world, "About 60% of global antimony is mined in China, and Russia mines "
                                  "far less."))
    assert rows(got, "country", "commodity") == [("China", "antimony")]


# ---- 3. import shares that name an ore --------------------------------------------------------------
def _baci(hs6, importer, supplier, year):
    """(share by value, share by quantity) in %, from the raw BACI extract (BACI country codes)."""
    with gzip.open(config.RAW / "derived" / "baci_trade.csv.gz", "rt", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype={"hs6": str})
    sub = df[(df.hs6 == hs6) & (df.importer_code == importer) & (df.year == year)]
    own = sub[sub.exporter_code == supplier]
    return 100 * own.value_kusd.sum() / sub.value_kusd.sum(), 100 * own.qty_t.sum() / sub.qty_t.sum()


@pytest.mark.parametrize("body, hs6, importer, supplier, commodity, form", [
    ("About half of the manganese ore that China imported in 2023 came from South Africa.",
     "260200", 156, 710, "manganese", "ore"),
    ("Gabon supplied 35% of India's manganese ore imports in 2023.", "260200", 699, 266, "manganese", "ore"),
    ("Roughly 30% of Japan's copper ore imports in 2023 came from Chile.", "260300", 392, 152, "copper",
     "ore-and-concentrate"),
    ("The Philippines supplied about 90% of China's nickel ore imports in 2023.", "260400", 156, 608,
     "nickel", "ore"),
    ("Congo supplied about 40% of the tin ores and concentrates China bought abroad in 2023.",
     "260900", 156, 180, "tin", "ore"),
    ("Brazil supplied about 80% of Japan's ferroniobium imports in 2023.", "720293", 392, 76, "niobium",
     "ferroniobium"),
])
def test_an_ore_import_share_is_read_on_that_ores_code(tmp_path, body, hs6, importer, supplier,
                                                       commodity, form):
    by_value, by_qty = _baci(hs6, importer, supplier, 2023)
    result = _article(tmp_path, body)
    c = result.claims[(result.claims["kind"] == "import_share") & (result.claims["checkable"] == "yes")]
    assert rows(c, "commodity", "form") == [(commodity, form)]
    got = result.sources[result.sources["claim_id"] == c["claim_id"].iloc[0]].set_index("source")
    assert got.loc["BACI by value", "public_pct"] == pytest.approx(by_value)
    assert got.loc["BACI by quantity", "public_pct"] == pytest.approx(by_qty)
    assert f"HS {hs6}" in result.verdicts.set_index("claim_id").loc[c["claim_id"].iloc[0]].caveats


def test_the_mineral_named_alone_stays_refused(tmp_path):
    result = _article(tmp_path, "About half of the manganese that China imported in 2023 came from South "
                                "Africa.")
    c = result.claims[result.claims["kind"] == "import_share"]
    got = result.sources[result.sources["claim_id"] == c["claim_id"].iloc[0]]
    assert got["verdict"].eq("not checkable").all()
    assert got["reason"].str.contains("do not cover all its traded forms").all()


def test_chromite_is_chromium_mine_output_by_gross_weight(world):
    got = checkable(claims(world, "South Africa mined about 40% of the world's chromite in 2024, some 18 "
                                  "million tonnes."))
    assert rows(got, "kind", "commodity", "stage") == [("share_of_world_production", "chromium", "mine"),
                                                      ("amount_of_production", "chromium", "mine")]
    w = world[(world.commodity == "chromium") & (world.stage == "mine") & (world.measure == "production")]
    assert set(w.basis) == {"gross weight"}


@pytest.mark.parametrize("text, why", [
    ("South Africa mined 7 million tonnes of manganese ore in 2024.", "tonnes of manganese ore are its gross "
                                                                        "weight"),
    ("China mined 60,000 tonnes of tungsten ore in 2024.", "tonnes of tungsten ore are its gross weight"),
    ("Brazil produced about 90% of the world's ferroniobium in 2024.", "ferroniobium is an alloy"),
])
def test_ore_tonnes_and_ferroniobium_output_are_refused(world, text, why):
    got = claims(world, text)
    assert checkable(got).empty
    assert got["why_not_checkable"].str.startswith(why).any()


# ---- 4. a buyer named by an adjective; a supplier named by a predicate adjective ------------------
def test_an_adjectives_buyers_are_the_importer(tmp_path):
    """BACI South Korea (410) lithium carbonate (HS 283691) and hydroxide (282520) from China (156)."""
    with gzip.open(config.RAW / "derived" / "baci_trade.csv.gz", "rt", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype={"hs6": str})
    sub = df[df.hs6.isin(["283691", "282520"]) & (df.importer_code == 410) & (df.year == 2023)]
    own = sub[sub.exporter_code == 156]
    result = _article(tmp_path, "South Korean battery makers, which buy most of their lithium chemicals "
                                "abroad, sourced half of their lithium carbonate and hydroxide imports from "
                                "China in 2023.")
    c = result.claims[(result.claims["kind"] == "import_share") & (result.claims["checkable"] == "yes")]
    assert rows(c, "importer", "country", "commodity", "form") == [("South Korea", "China", "lithium",
                                                                    "carbonate-and-hydroxide")]
    got = result.sources[result.sources["claim_id"] == c["claim_id"].iloc[0]].set_index("source")
    assert got.loc["BACI by value", "public_pct"] == pytest.approx(100 * own.value_kusd.sum() / sub.value_kusd.sum())
    assert got.loc["BACI by quantity", "public_pct"] == pytest.approx(100 * own.qty_t.sum() / sub.qty_t.sum())


@pytest.mark.parametrize("text", [
    "Chinese companies produced 60% of the world's cobalt in 2023.",   # a buyer noun is no producer
    "About 40% of the lithium that Chile exported in 2023 went to Korean battery makers.",
])
def test_a_buyer_adjective_is_never_a_producer_or_supplier(world, text):
    got = claims(world, text)
    assert checkable(got).empty


def test_a_predicate_adjective_names_the_supplier(world):
    got = checkable(claims(world, "At least 70 percent of U.S. imports of rare-earth compounds and metals "
                                  "between 2020 and 2023 were Chinese."), "import_share")
    assert rows(got, "importer", "country", "commodity", "form", "year_or_period") == [
        ("United States", "China", "rare-earths", "compounds-and-metals", "2020-2023")]


@pytest.mark.parametrize("text", [
    "About 40% of U.S. cobalt imports in 2023 were Chinese-made magnets.",
    "About 40% of U.S. cobalt imports in 2023 were Chinese and Japanese.",
])
def test_a_predicate_adjective_must_end_the_clause(world, text):
    assert checkable(claims(world, text)).empty


def test_lithium_named_alone_stays_refused_for_imports(tmp_path):
    result = _article(tmp_path, "China supplied about half of South Korea's lithium imports in 2023.")
    c = result.claims[result.claims["kind"] == "import_share"]
    got = result.sources[result.sources["claim_id"] == c["claim_id"].iloc[0]]
    assert got["reason"].str.contains("do not cover all its traded forms").all()


# ---- 5. a mineral as the topic before 'it'; "<country>'s share of refinery production" --------------
PRIOR = "China accounted for more than 80 percent of mined tungsten in 2023. "


def test_it_after_a_mineral_topic_is_the_country_before(world):
    got = checkable(claims(world, PRIOR + "In antimony, used in flame retardants, it produced nearly half of "
                                          "world mine output."))
    assert rows(got, "country", "commodity", "stage") == [("China", "tungsten", "mine"),
                                                         ("China", "antimony", "mine")]


@pytest.mark.parametrize("text", [
    "China and Russia mined most of the world's tungsten. In antimony, used in flame retardants, it produced "
    "nearly half of world mine output.",                      # two countries before: which one?
    PRIOR + "Antimony is different: it accounted for half of world mine output.",  # 'it' may be antimony
])
def test_it_with_no_one_country_stays_refused(world, text):
    got = claims(world, text)
    assert len(checkable(got)) == (1 if text.startswith(PRIOR) else 0)
    assert not (checkable(got)["commodity"] == "antimony").any()


def test_a_countrys_share_of_refinery_production_takes_the_topic_mineral(world):
    got = checkable(claims(world, "For indium, China's share of refinery production was about two-thirds "
                                  "in 2023."))
    assert rows(got, "kind", "country", "commodity", "stage", "year_or_period") == [
        ("share_of_world_production", "China", "indium", "refinery", "2023")]


@pytest.mark.parametrize("text", [
    "China's share of refinery production was about two-thirds in 2023.",             # no mineral anywhere
    "For cobalt and nickel, China's share of refinery production was about two-thirds.",  # two minerals
])
def test_a_share_of_refinery_production_with_no_one_mineral_is_refused(world, text):
    assert checkable(claims(world, text)).empty
