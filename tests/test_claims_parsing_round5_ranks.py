"""Round five of the claim mapper's parsing (issue 14, after the fourth blind test), ranks, amounts
and import reliance that lean on another claim: 'its N tonnes' (the one production claim before
it), 'came next' / 'are next' (below the leader just named), 'followed by X, with Y third',
', and X the runner-up', 'more than anyone else', 'makes it the top producer', the country
overtaken ('has overtaken Peru as the second-largest'), a rank whose mineral is the one its
paragraph named, and net import reliance with the mineral before the figure or 'each' of a list.
Every sentence is ours, written for these tests; each rule has guard sentences that must stay
unmapped or not checkable. Article date 12 June 2025: 'last year' is 2024."""
import pytest

from claims_support import mapped, world  # noqa: F401 (fixture)

FILL = " Analysts who follow the trade read these numbers in the survey's yearly tables."


def claims(world, text):
    return mapped(world, text, FILL)


def ranks(got):
    got = got[(got["checkable"] == "yes") & got["kind"].isin(["rank_of_producer", "rank_of_reserves"])]
    return [(r.country, r.commodity, r.stage, r.figure, r.year_or_period) for r in got.itertuples()]


def amounts(got):
    got = got[got["kind"] == "amount_of_production"]
    return [(r.country, r.commodity, r.stage, r.figure, r.year_or_period) for r in got.itertuples()]


def reliance(got):
    got = got[(got["checkable"] == "yes") & (got["kind"] == "net_import_reliance")]
    return [(r.commodity, r.figure, r.year_or_period) for r in got.itertuples()]


# ---- 1. 'its N tonnes': the country and mineral of the claim before ------------------------------
@pytest.mark.parametrize("text, want", [
    ("Indonesia mined about half of the world's nickel last year, and its mines turned out 2.2 million "
     "tonnes of it.", ("Indonesia", "nickel", "mine", 2.2e6, "2024")),
    # a country inside an institution's name is not what 'its' refers to
    ("Last year Chile produced about a quarter of the world's mined copper, as the U.S. Geological Survey "
     "reports, and its 5.5 million tonnes keep it the top producer.", ("Chile", "copper", "mine", 5.5e6, "2024")),
    ("Brazil mines about 90% of the world's niobium. Its mines produced 90,000 tonnes of the metal in 2024.",
     ("Brazil", "niobium", "mine", 90000.0, "2024")),
    ("The DRC mined about 70% of the world's cobalt last year, the survey says, and its miners dug up "
     "200,000 tonnes of the metal.", ("Congo (Kinshasa)", "cobalt", "mine", 200000.0, "2024")),
])
def test_its_tonnes_are_the_claim_befores(world, text, want):
    assert amounts(claims(world, text)) == [want]
    assert not (claims(world, text)["kind"].eq("amount_of_production") & claims(world, text)["checkable"]
                .ne("yes")).any()


def test_its_opening_a_sentence_is_the_opener_of_the_one_before(world):
    got = amounts(claims(world, "China mined about 60% of the world's graphite, ahead of Brazil. Its mines "
                                "produced 1.2 million tonnes of it."))
    assert got == [("China", "graphite", "mine", 1.2e6, "latest")]


def test_makes_it_the_top_producer_is_the_claims_country(world):
    got = ranks(claims(world, "Last year Chile produced about a quarter of the world's mined copper, as the "
                              "U.S. Geological Survey reports, and its 5.5 million tonnes keep it the top producer."))
    assert got == [("Chile", "copper", "mine", 1.0, "2024")]


@pytest.mark.parametrize("text", [
    # another country named since the claim
    "Australia mined about a third of the world's lithium last year, while Chile's brine output grew, "
    "and its mines turned out 90,000 tonnes of it.",
    # not the mineral's output
    "China mined about 60% of the world's graphite last year, and its mines turned out 80,000 tonnes of "
    "new capacity.",
    # no claim before
    "Reports by the U.S. Geological Survey are thorough. Its mines produced 3,000 tonnes of the metal.",
    # 'Its' opens a sentence about the country that opened the one before, not the claim's
    "Brazil trails China, which mined about 60% of the world's graphite. Its mines produced 1.2 million "
    "tonnes of it.",
])
def test_its_tonnes_that_are_not_clear_stay_unmapped(world, text):
    got = claims(world, text)
    assert not (got["kind"].eq("amount_of_production") & got["checkable"].eq("yes")).any()


# ---- 2. places below a leader ---------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("South Africa mined about 60% of the world's chromium last year; Kazakhstan came next.",
     [("Kazakhstan", "chromium", "mine", 2.0, "2024")]),
    ("China mined about two-thirds of the world's rare earths last year. The United States and Burma are "
     "next, far behind.", [("United States", "rare-earths", "mine", 2.0, "2024"),
                           ("Burma", "rare-earths", "mine", 3.0, "2024")]),
    # the paragraph's one mineral (its sentence before has no claim), then 'followed by', 'with X third'
    ("Nickel is spread across the tropics. Indonesia is by far the largest miner, followed by the "
     "Philippines, with Russia third.", [("Indonesia", "nickel", "mine", 1.0, "latest"),
                                         ("Philippines", "nickel", "mine", 2.0, "latest"),
                                         ("Russia", "nickel", "mine", 3.0, "latest")]),
    ("The DRC is the top producer of cobalt; Indonesia came next.",
     [("Congo (Kinshasa)", "cobalt", "mine", 1.0, "latest"), ("Indonesia", "cobalt", "mine", 2.0, "latest")]),
    ("The DRC mined about 70% of the world's cobalt last year. Indonesia came next, and Australia third.",
     [("Indonesia", "cobalt", "mine", 2.0, "2024"), ("Australia", "cobalt", "mine", 3.0, "2024")]),
    ("In cobalt, the DRC is the top producer, and Indonesia the runner-up.",
     [("Congo (Kinshasa)", "cobalt", "mine", 1.0, "latest"), ("Indonesia", "cobalt", "mine", 2.0, "latest")]),
    # the country overtaken is not the one ranked; 'is now third'
    ("Indonesia has overtaken Australia as the second-largest producer of cobalt; Australia is now third.",
     [("Indonesia", "cobalt", "mine", 2.0, "latest"), ("Australia", "cobalt", "mine", 3.0, "latest")]),
    ("Chile holds about a third of the world's lithium reserves, more than anyone else.",
     [("Chile", "lithium", "mine", 1.0, "latest")]),
    # a share of refinery production is a producer's: the runner-up is ranked
    ("For indium, China's share of refinery production was about 60%; South Korea, the runner-up, made "
     "a fifth.", [("South Korea", "indium", "refinery", 2.0, "latest")]),
])
def test_places_below_a_leader(world, text, want):
    assert ranks(claims(world, text)) == want


@pytest.mark.parametrize("text", [
    # 40% does not say who leads
    "China mined about 40% of the world's rare earths last year. The United States and Burma are next.",
    # two countries 'next' after a leader in their own sentence
    "China mined about two-thirds of the world's rare earths last year, and the United States and Burma "
    "are next.",
    # a supplier's rank, and a group after 'followed by', give no place
    "China is the largest supplier of graphite, followed by Mexico.",
    "China is the largest producer of tungsten, followed by Vietnam and Russia.",
    # three 'next': not two places
    "China mined about two-thirds of the world's graphite last year. Brazil, Madagascar and Mozambique are "
    "next.",
    # trade, not production
    "China bought about 60% of the world's cobalt exports; Germany came next.",
    # two minerals in the paragraph; another product in it
    "Nickel is spread across the tropics, and so is cobalt. Indonesia is the largest miner.",
    "Lithium prices fell. Steel makers cut output. China is the largest producer.",
    # a runner-up in something else
    "In cobalt, the DRC is the top producer, and Indonesia the runner-up in refining capacity.",
    # 'more than anyone else' of imports
    "China imports about a third of the world's cobalt exports, more than anyone else.",
])
def test_places_that_are_not_clear_stay_unmapped(world, text):
    got = ranks(claims(world, text))
    assert [r for r in got if r[0] not in ("China", "Congo (Kinshasa)")] == []


# ---- 3. net import reliance with the mineral before the figure ------------------------------------
@pytest.mark.parametrize("text, want", [
    ("The United States has no cobalt mine in operation and relies on imports for 76 percent of what it "
     "uses; for chromium, the survey puts U.S. net import reliance at 77 percent.",
     [("cobalt", 76.0, "latest"), ("chromium", 77.0, "latest")]),
    ("Gallium, indium and graphite share one figure: the U.S. relied on imports for 100 percent of its "
     "consumption of each in 2024.", [("gallium", 100.0, "2024"), ("indium", 100.0, "2024"),
                                      ("graphite", 100.0, "2024")]),
])
def test_reliance_takes_the_mineral_before_the_figure(world, text, want):
    assert reliance(claims(world, text)) == want


@pytest.mark.parametrize("text", [
    "The United States has no manganese or chromium mines and relies on imports for 100 percent of what "
    "it uses.",
    "Graphite prices rose while gallium, a by-product, and indium fell: the U.S. relied on imports for "
    "100 percent of its consumption of each in 2024.",
    "Though it mines some lithium, the United States relies on imports for 25% of its oil.",
])
def test_reliance_whose_mineral_is_not_clear_stays_unmapped(world, text):
    assert reliance(claims(world, text)) == []
