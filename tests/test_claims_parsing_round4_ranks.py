"""Round four of the claim mapper's parsing (issue 14, after the third blind test), ranks and
amounts: a place as an appositive ('X, a distant second,', 'in third place', 'still the leader',
'the runner-up'), a move ('has climbed to second', 'slipped to third'), two places in one clause,
the rank of an amount ('N tonnes, the second-largest total'), the mineral, stage and year of a
place or amount from the sentence before's production claims, 'with N tonnes' after a place, and
the stage and mineral of a figure from its own clause (not from a relative clause about its
country). Every sentence is ours, written for these tests; each rule has guard sentences that must
stay unmapped or not checkable. Article date 12 June 2025: 'last year' is 2024."""
import pytest

from claims_support import mapped, world  # noqa: F401 (fixture)

FILL = " Analysts who follow the trade read these numbers in the survey's yearly tables."
RE_2024 = "Last year China mined about 69% of the world's rare earths. "


def claims(world, text):
    return mapped(world, text, FILL)


def ranks(got):
    got = got[(got["checkable"] == "yes") & got["kind"].isin(["rank_of_producer", "rank_of_reserves"])]
    return [(r.country, r.commodity, r.stage, r.figure, r.year_or_period) for r in got.itertuples()]


def amounts(got):
    got = got[got["kind"] == "amount_of_production"]
    return [(r.country, r.commodity, r.stage, r.figure, r.year_or_period, r.checkable) for r in got.itertuples()]


# ---- 1. a place as an appositive, or as a move ---------------------------------------------------
@pytest.mark.parametrize("text, want", [
    # the mineral, stage and year of the sentence before's production claim
    (RE_2024 + "The United States, a distant second, is restarting its separation plants.",
     ("United States", "rare-earths", "mine", 2.0, "2024")),
    ("Australia mined 88,000 tonnes of lithium last year. China, in third place, is building brine "
     "projects in Qinghai.", ("China", "lithium", "mine", 3.0, "2024")),
    ("Australia, still the leader, mined lithium from six large pits last year.",
     ("Australia", "lithium", "mine", 1.0, "2024")),
    ("In lithium mining, Chile remains the runner-up.", ("Chile", "lithium", "mine", 2.0, "latest")),
    ("Among cobalt miners, Indonesia has climbed to second place.", ("Indonesia", "cobalt", "mine", 2.0, "latest")),
    ("In nickel mining, Russia has overtaken Canada, which fell to fourth.",
     ("Canada", "nickel", "mine", 4.0, "latest")),
    ("China produced about 60% of the world's antimony last year. Tajikistan came a distant second, "
     "well ahead of Burma.", ("Tajikistan", "antimony", "mine", 2.0, "2024")),
    # the stage from 'refined' in the place's clause
    ("Japan is a distant third, with about 8% of refined indium, behind China and South Korea.",
     ("Japan", "indium", "refinery", 3.0, "latest")),
])
def test_a_place_as_an_appositive_or_a_move_is_a_rank(world, text, want):
    assert want in ranks(claims(world, text))


def test_two_places_in_one_clause_are_two_claims(world):
    got = ranks(claims(world, "Graphite mining is dominated by China, with Madagascar a distant second "
                              "and Mozambique third."))
    assert got == [("Madagascar", "graphite", "mine", 2.0, "latest"), ("Mozambique", "graphite", "mine", 3.0, "latest")]


def test_a_place_takes_the_year_of_its_sentence_production_claim(world):
    got = ranks(claims(world, "China mined about 69% of the world's rare earths in 2024, while the "
                              "United States came a distant second."))
    assert got == [("United States", "rare-earths", "mine", 2.0, "2024")]


def test_the_rank_of_an_amount(world):
    got = claims(world, "Chile mined 49,000 tonnes of lithium last year, the second-largest total.")
    assert ranks(got) == [("Chile", "lithium", "mine", 2.0, "2024")]
    assert amounts(got) == [("Chile", "lithium", "mine", 49000.0, "2024", "yes")]


@pytest.mark.parametrize("text", [
    "Japan is a distant second among buyers of Chinese graphite.",                 # buyers
    "Exports from Chile slipped to third among lithium sellers.",                  # exports
    "China's share of the lithium market fell to a third last year.",            # a fraction, a market
    "Australia, the leader in battery recycling, opened two plants.",            # not a producers' rank
    "Glencore, the runner-up, mined about 40,000 tonnes of cobalt last year.",   # a company, no country
    "Graphite buyers name China first, with Japan a distant second and Korea third.",  # buyers
    # the sentence before names two minerals: which one is ranked is not clear
    "China mined 69% of the world's rare earths and 80% of its tungsten last year. Vietnam, a "
    "distant second, is opening mines.",
])
def test_guard_places_that_are_no_producer_rank(world, text):
    assert ranks(claims(world, text)) == []


# ---- 2. amounts without a production verb right before --------------------------------------------
@pytest.mark.parametrize("text, want", [
    (RE_2024 + "Australian output of about 13,000 tonnes trailed far behind.",
     ("Australia", "rare-earths", "mine", 13000.0, "2024", "yes")),
    (RE_2024 + "Australia added 13,000 tonnes of output.", ("Australia", "rare-earths", "mine", 13000.0, "2024", "yes")),
    ("Among cobalt miners, Indonesia has climbed to second place, with 28,000 tonnes last year.",
     ("Indonesia", "cobalt", "mine", 28000.0, "2024", "yes")),
])
def test_an_amount_without_a_verb_before_it(world, text, want):
    assert amounts(claims(world, text)) == [want]


def test_a_relative_clause_gives_neither_stage_nor_mineral(world):
    """'where cobalt is a by-product of nickel refining' is about Indonesia's cobalt, not the stage
    of its amount, and its nickel is not a second mineral of the DRC's share."""
    got = claims(world, "The DRC mined about 76% of the world's cobalt last year, and Indonesia, where "
                        "cobalt is a by-product of nickel refining, has climbed to second, with 28,000 tonnes.")
    shares = got[got["kind"] == "share_of_world_production"]
    assert [(r.country, r.commodity, r.stage) for r in shares.itertuples()] == [("Congo (Kinshasa)", "cobalt", "mine")]
    assert ranks(got) == [("Indonesia", "cobalt", "mine", 2.0, "2024")]
    assert amounts(got) == [("Indonesia", "cobalt", "mine", 28000.0, "2024", "yes")]


@pytest.mark.parametrize("text", [
    RE_2024 + "The Mountain Pass mine in the United States produced 45,000 tonnes.",  # one mine
    "China mined 69% of the world's rare earths and 80% of its tungsten last year. Australian output "
    "of 13,000 tonnes was small.",                                                       # two minerals
    RE_2024 + "Australia shipped 13,000 tonnes to Malaysia.",                            # traded
    "Japan is a distant second among buyers of graphite, with 90,000 tonnes.",           # no place
])
def test_guard_amounts_stay_not_checkable(world, text):
    assert all(r[-1] == "no" for r in amounts(claims(world, text)))


@pytest.mark.parametrize("text", [
    RE_2024 + "Germany came second in a ranking of magnet makers.",   # another contest
    RE_2024 + "Japan's magnet output reached 10,000 tonnes.",          # another product's output
    RE_2024 + "Japan produced 20,000 tonnes of magnets.",              # another product
])
def test_guard_the_context_mineral_is_not_lent_to_another_contest_or_product(world, text):
    got = claims(world, text)
    assert ranks(got) == []
    assert all(r[-1] == "no" for r in amounts(got))


def test_a_leader_that_refines_is_ranked_among_refiners(world):
    assert ranks(claims(world, "China, the leader, refines about 80% of the world's bismuth.")) == [
        ("China", "bismuth", "refinery", 1.0, "latest")]


def test_a_largest_rank_naming_no_mineral_takes_the_sentence_before(world):
    got = claims(world, "Australia mined 88,000 tonnes of lithium last year. Chile, the second-largest "
                        "producer, is expanding its salt-flat operations.")
    assert ("Chile", "lithium", "mine", 2.0, "2024") in ranks(got)


def test_guard_a_largest_rank_naming_no_mineral_is_refused_with_a_reason(world):
    got = claims(world, "Chile is the second-largest producer, officials said.")
    rank = got[got["kind"] == "rank_of_producer"]
    assert list(rank["checkable"]) == ["no"]
    assert list(rank["why_not_checkable"]) == ["a rank that names no mineral"]


@pytest.mark.parametrize("text", [
    "Canada's lithium production has climbed to second in the Americas.",      # a regional rank
    "Among nickel miners, Canada is a distant third outside Asia.",             # a rank leaving some out
])
def test_guard_a_regional_place_is_no_world_rank(world, text):
    assert ranks(claims(world, text)) == []


@pytest.mark.parametrize("text", [
    "Among cobalt miners, Indonesia has climbed to second, with 28,000 tonnes of new smelters.",
    "Among cobalt miners, Indonesia has climbed to second, with 28,000 tonnes of capacity.",
    RE_2024 + "Australian output could reach 13,000 tonnes at full capacity.",
])
def test_guard_tonnes_that_are_not_the_places_output(world, text):
    assert all(r[-1] == "no" for r in amounts(claims(world, text)))
