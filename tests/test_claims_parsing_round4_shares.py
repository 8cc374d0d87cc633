"""Round four of the claim mapper's parsing, shares of world production and reserves (issue 14,
after held-out set 3): 'the country' / 'it' from the sentence before, 'and X% of its <mineral>'
continuing a world share, 'Chinese producers', relative clauses ('<country>, which mined ...',
'whose deposits make up X of the total'), bare 'of reserves', lists that stop at a non-list word,
"<country>'s share of mined <mineral> fell to X", refined magnesium metal at USGS's smelter stage,
and a bound share printed as a bound. Every sentence is ours, written for these tests; each rule
has guard sentences that must stay unmapped or not checkable (with the reason)."""
import datetime as dt
import math

import pytest

from critmin.claims import check
from critmin.claims.run import run
from critmin.sections import claims as claims_section
from claims_support import mapped, world  # noqa: F401 (fixture)

FILL = " Traders who follow the metals read these numbers in the survey's yearly tables."
DATE = dt.date(2025, 6, 12)


def claims(world, text, date=DATE):
    return mapped(world, text, FILL, date)


def rows(got, *cols):
    return [tuple(r[c] for c in cols) for _, r in got.iterrows()]


def checkable(got):
    return got[got["checkable"] == "yes"]


def world_rows(got):
    got = checkable(got)
    return rows(got[got["kind"].isin([PROD, RES])], "kind", "country", "commodity", "stage", "year_or_period")


PROD, RES = "share_of_world_production", "share_of_world_reserves"


# ---- 1. 'the country' / 'it' as the subject: the one country of the sentence before -------------
@pytest.mark.parametrize("text, want", [
    # no claim in the sentence before: the one country it names
    ("Indonesia sits at the centre of the nickel trade. Globally, the country mined about 60% of the "
     "world's nickel in 2024.", (PROD, "Indonesia", "nickel", "mine", "2024")),
    # an import share before: its supplier, the importer being named after the share's figure
    ("China supplied about 90% of Japan's natural graphite imports in 2024. Globally, the country "
     "mined about 79% of the world's graphite in 2024.", (PROD, "China", "graphite", "mine", "2024")),
    # no claim mapped before; the buyer inside 'the graphite Japan imported' is not its actor
    ("About 90% of the natural graphite Japan imported in 2024 came from China. Globally, the country "
     "mined about 79% of the world's graphite in 2024.", (PROD, "China", "graphite", "mine", "2024")),
    ("Indonesia sits at the centre of the nickel trade. In 2024, it mined about 60% of the world's "
     "nickel.", (PROD, "Indonesia", "nickel", "mine", "2024")),
    ("Chile sells copper to every continent. Overall, the country's mines turned out about a quarter "
     "of the world's copper in 2024.", (PROD, "Chile", "copper", "mine", "2024")),
])
def test_the_country_is_the_one_country_of_the_sentence_before(world, text, want):
    assert world_rows(claims(world, text)) == [want]


@pytest.mark.parametrize("text, why", [
    ("Japan and South Korea both buy Chinese graphite. Globally, the country mined about 79% of the "
     "world's graphite in 2024.", "which names 2 countries"),
    # the importer is the subject there: 'the country' may be the U.S. or Chile
    ("The U.S. imported about 40% of its copper from Chile in 2024. Globally, the country mined about "
     "6% of the world's copper in 2024.", "2 countries (Chile, United States)"),
    ("Japan imported most of its graphite from China. Globally, the country mined about 79% of the "
     "world's graphite in 2024.", "2 countries (China, Japan)"),
    ("Indonesia sits at the centre of the nickel trade.\n\nGlobally, the country mined about 60% of "
     "the world's nickel in 2024.", "opens a paragraph"),
    ("Indonesia sits at the centre of the nickel trade. Cobalt comes with it, and it accounts for "
     "about 10% of the world's cobalt.", "may be the mineral"),
])
def test_the_country_is_refused_when_the_sentence_before_is_not_clear(world, text, why):
    got = claims(world, text)
    assert checkable(got)["kind"].isin([PROD, RES]).sum() == 0
    assert why in got["why_not_checkable"].iloc[-1], list(got["why_not_checkable"])


# ---- 2. 'and X% of its <mineral>' continues a world share: 'its' = the world's --------------------
@pytest.mark.parametrize("text, want", [
    ("Chinese plants turned out about 98% of the world's primary gallium in 2024, a metal found in "
     "chips, and about 83% of its mined tungsten.",
     [(PROD, "China", "gallium", "primary|low-purity-primary", "2024"), (PROD, "China", "tungsten", "mine", "2024")]),
    ("China's smelters refined about 80% of the world's bismuth in 2024 and roughly three-quarters of "
     "its tellurium.",
     [(PROD, "China", "bismuth", "refinery", "2024"), (PROD, "China", "tellurium", "refinery", "2024")]),
    ("Chinese smelters refined about 44% of the world's copper in 2024, and the country's refineries "
     "turned out about 60% of its alumina.",
     [(PROD, "China", "copper", "refinery", "2024"), (PROD, "China", "bauxite-alumina", "refinery", "2024")]),
])
def test_its_after_a_world_share_is_the_worlds(world, text, want):
    assert world_rows(claims(world, text)) == want


@pytest.mark.parametrize("text, why", [
    ("China mines about 60% of the world's graphite in 2024 and exports about 40% of its cobalt.",
     "not an output verb"),
    ("China mined about 60% of the world's graphite in 2024 and refined 90% of its graphite.",
     "the same mineral"),
    ("China mined about 60% of the world's graphite in 2024 while Brazil produced 10% of its nickel.",
     "the country named before it"),
])
def test_its_that_may_be_the_countrys_is_refused(world, text, why):
    got = claims(world, text)
    assert len(checkable(got)) == 1  # the first share only
    assert any(why in w for w in got["why_not_checkable"]), list(got["why_not_checkable"])


# ---- 3. 'Chinese producers' is China's output, unless the sentence speaks of ownership ------------
def test_chinese_producers_are_china(world):
    got = claims(world, "Chinese producers made about 98% of the world's primary gallium in 2024.")
    assert world_rows(got) == [(PROD, "China", "gallium", "primary|low-purity-primary", "2024")]


@pytest.mark.parametrize("text", [
    "Chinese producers that own mines abroad made about 40% of the world's cobalt in 2024.",
    "Chinese producers, with stakes in Congo, made about 40% of the world's cobalt in 2024.",
])
def test_chinese_producers_that_own_mines_abroad_are_not_china(world, text):
    assert "China" not in list(checkable(claims(world, text))["country"])


# ---- 4. relative clauses ------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("Most nickel ore now comes from Indonesia, which mined about 60% of the world's nickel in 2024.",
     [(PROD, "Indonesia", "nickel", "mine", "2024")]),
    ("China holds about 49% of the world's rare-earth reserves, and Brazil, whose deposits make up "
     "about a quarter of the total, comes next.",
     [(RES, "China", "rare-earths", "mine", "latest"), (RES, "Brazil", "rare-earths", "mine", "latest")]),
    # the total of the sentence before
    ("China holds about 49% of the world's rare-earth reserves. Brazil, whose deposits make up about a "
     "quarter of the total, comes next.",
     [(RES, "China", "rare-earths", "mine", "latest"), (RES, "Brazil", "rare-earths", "mine", "latest")]),
])
def test_a_relative_clause_is_about_the_country_before_it(world, text, want):
    assert world_rows(claims(world, text)) == want


def test_of_the_total_after_an_import_share_stays_an_import_reading(world):
    got = claims(world, "China supplied about 70% of Japan's graphite imports in 2024. Mozambique, whose "
                        "mines make up about 5% of the total, is next.")
    assert list(got["rule"])[-1] == "those-imports" and list(got["kind"].isin([PROD, RES])) == [False, False]


@pytest.mark.parametrize("text, why", [
    ("Ore comes from China and Indonesia, which mined about 70% of the world's nickel in 2024.",
     "two or more countries"),
    ("China holds about 49% of the world's rare-earth reserves, and Brazil, whose mines produced "
     "about a quarter of the total, comes next.", "its clause speaks of output"),
])
def test_a_relative_clause_that_is_not_clear_is_refused(world, text, why):
    got = claims(world, text)
    assert any(why in w for w in got["why_not_checkable"]), list(got["why_not_checkable"])
    assert "Indonesia" not in list(checkable(got)["country"]) and "Brazil" not in list(checkable(got)["country"])


# ---- 5. reserves without "world's": the mineral from context --------------------------------------
def test_bare_reserves_take_the_mineral_from_the_sentence_before(world):
    got = claims(world, "China mined about 69% of the world's rare earths in 2024. It also holds "
                        "about half of reserves.")
    assert world_rows(got)[-1] == (RES, "China", "rare-earths", "mine", "latest")


def test_bare_reserves_without_a_verb_of_holding_are_refused(world):
    got = claims(world, "Chile is rich in lithium. In Chile, about 60% of reserves are in brine.")
    assert checkable(got).empty and any("verb of holding" in w for w in got["why_not_checkable"])


def test_bare_reserves_after_two_minerals_are_refused(world):
    got = claims(world, "Nickel and cobalt markets tightened in 2024. Indonesia holds about 40% of "
                        "reserves.")
    assert checkable(got).empty and any("names 2" in w for w in got["why_not_checkable"])


# ---- 6. lists: two minerals after 'refined'; a mineral in an apposition is not listed ---------------
def test_refined_copper_and_alumina_are_two_claims(world):
    got = claims(world, "China accounted for about 48% of the world's refined copper and alumina in 2025.")
    assert world_rows(got) == [(PROD, "China", "copper", "refinery", "2025"),
                               (PROD, "China", "bauxite-alumina", "refinery", "2025")]


def test_a_mineral_after_an_apposition_is_not_in_the_list(world):
    got = claims(world, "China refined about 76% of the world's tellurium in 2025, a by-product of "
                        "copper refining.")
    assert world_rows(got) == [(PROD, "China", "tellurium", "refinery", "2025")]


# ---- 7. "<country>'s share of mined / refined <mineral> fell to X" --------------------------------
@pytest.mark.parametrize("text, want", [
    ("China's share of mined antimony fell to about a third in 2025.", (PROD, "China", "antimony", "mine", "2025")),
    ("China's share of refined copper rose to about 48% in 2025.", (PROD, "China", "copper", "refinery", "2025")),
    ("China's share of global tungsten output stood at about 79% in 2025.",
     (PROD, "China", "tungsten", "mine", "2025")),
])
def test_a_countrys_share_of_mined_output(world, text, want):
    assert world_rows(claims(world, text)) == [want]


@pytest.mark.parametrize("text", [
    "China's share of world copper smelting capacity is about 50%.",
    "China holds about 50% of the world's copper smelting capacity.",
    "China's share of global graphite demand rose to about 40% in 2025.",
])
def test_capacity_and_demand_are_not_output(world, text):
    assert checkable(claims(world, text)).empty


# ---- 8. 'refined magnesium metal': USGS publishes it at stage 'smelter' only ---------------------
def test_refined_magnesium_metal_is_checked_at_the_smelter_stage(world):
    got = claims(world, "Chinese plants refined about 86% of the world's magnesium metal in 2025.")
    assert world_rows(got) == [(PROD, "China", "magnesium-metal", "smelter", "2025")]


def test_a_mineral_with_a_refinery_stage_keeps_it(world):
    got = claims(world, "Chinese plants refined about 48% of the world's copper in 2025.")
    assert world_rows(got) == [(PROD, "China", "copper", "refinery", "2025")]


def _article(tmp_path, body):
    path = tmp_path / "story.txt"
    path.write_text("Metals desk\nPublished 12 June 2026\n\n" + body + FILL + "\n", encoding="utf-8")
    return run(path, "", [2026], report_edition=2026)


def test_the_smelter_stage_is_a_caveat_and_the_verdict_holds(tmp_path):
    """MCS 2026, magnesium metal, smelter, 2025: China 950 of world 1,100 kt = 86.4%; 'about 86%'
    holds."""
    result = _article(tmp_path, "Chinese plants refined about 86% of the world's magnesium metal in 2025.")
    c = result.checks[result.checks["kind"] == PROD].iloc[0]
    v = result.verdicts.set_index("claim_id").loc[c.claim_id]
    assert v.overall_verdict == "consistent"
    assert "smelter stage only" in v.caveats
    assert c.public_pct == pytest.approx(100 * 950 / 1100)


# ---- 9. a share USGS gives only as a bound prints as one ------------------------------------------
def test_a_bound_share_reads_at_most(tmp_path):
    """MCS 2026 rare-earth reserves: China 44,000,000 t of world '>75,000,000' t: at most 58.7%."""
    result = _article(tmp_path, "China holds about 49% of the world's rare-earth reserves.")
    c = result.checks[result.checks["kind"] == RES].iloc[0]
    assert c.public_flag == "<" and c.public_high_pct == pytest.approx(100 * 44 / 75)
    table = claims_section.verdicts_view(result)
    assert "at most 58.7%" in table["sources"].iloc[0] and "0.0" not in table["sources"].iloc[0]


def test_share_text_words_every_shape():
    assert check.share_text(0.0, 48.888, "<") == "at most 48.9%"
    assert check.share_text(62.0, 100.0, ">") == "at least 62.0%"
    assert check.share_text(48.3, math.nan, "") == "48.3%"
    assert check.share_text(10.0, 12.0, "range") == "10.0–12.0%"
