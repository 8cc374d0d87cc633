"""Round four of the claim mapper (issue 14, after held-out set 3): import shares whose importer is
a relative clause's subject ('of the ore <importer> imported'), ', with <country> supplying the
rest' never the supplier, 'extra-EU', a second figure that keeps the supply verb's subject, U.S.
net import reliance lists ('at X% for A and at Y% for B', '... and for all of its B'), tenths, and
the verdict rule for a named source or measure. Every sentence is ours, written for these tests;
each rule has guards that must stay unmapped or not checkable."""
import datetime as dt

import pytest

from critmin.analysis import tables
from critmin.claims import sources
from critmin.claims.extract import extract_figures
from critmin.claims.run import run
from claims_support import mapped, world  # noqa: F401 (fixture)

FILL = " Traders who follow these flows read the figures in each year's customs tables."


def claims(world, text, date=dt.date(2025, 6, 12)):
    return mapped(world, text, FILL, date)


def checkable(got, kind=None):
    got = got[got["checkable"] == "yes"]
    return got if kind is None else got[got["kind"] == kind]


def rows(got, *cols):
    return [tuple(r[c] for c in cols) for _, r in got.iterrows()]


IMPORT = ("importer", "country", "commodity", "figure", "year_or_period")


# ---- 1. the importer of a relative clause; the supplier of the clause ----------------------------
@pytest.mark.parametrize("text, want", [
    ("Kazakhstan shipped more than 80% of the tungsten ore the EU imported from outside the bloc in "
     "2022, with Vietnam supplying most of the rest.", ("EU-27", "Kazakhstan", "tungsten", 80.0, "2022")),
    ("Roughly two-thirds of the cobalt that Japan imported in 2023 came from Finland.",
     ("Japan", "Finland", "cobalt", pytest.approx(66.67, abs=0.01), "2023")),
    ("Seven-tenths of the natural graphite India bought in 2024 came from China.",
     ("India", "China", "graphite", 70.0, "2024")),
    ("Brazil sold about 60% of the tungsten Germany bought from outside the EU in 2023.",
     ("Germany", "Brazil", "tungsten", 60.0, "2023")),
    ("Canada provided nearly 40% of the nickel ore that Japan purchased in 2022.",
     ("Japan", "Canada", "nickel", 40.0, "2022")),
])
def test_the_importer_of_a_relative_clause(world, text, want):
    assert rows(checkable(claims(world, text), "import_share"), *IMPORT) == [want]


@pytest.mark.parametrize("text, want", [
    ("Mozambique provided about a fifth of extra-EU graphite imports in 2022.",
     ("EU-27", "Mozambique", "graphite", 20.0, "2022")),
    ("Extra-EU cobalt imports came mostly from Norway: about 45% of extra-EU cobalt imports in 2023 "
     "came from Norway.", ("EU-27", "Norway", "cobalt", 45.0, "2023")),
])
def test_extra_eu_is_the_eu27(world, text, want):
    assert rows(checkable(claims(world, text), "import_share"), *IMPORT) == [want]


def test_a_second_figure_keeps_the_supply_verbs_subject(world):
    text = ("Canada, including shipments routed via Mexico, supplied 40% of U.S. imports of nickel, and "
            "about a quarter of U.S. cobalt imports in 2023.")
    got = checkable(claims(world, text), "import_share")
    assert rows(got, "importer", "country", "commodity", "figure") == [
        ("United States", "Canada", "nickel", 40.0), ("United States", "Canada", "cobalt", 25.0)]


def test_an_elided_verbs_own_subject_is_the_supplier(world):
    got = checkable(claims(world, "China supplied 60% of U.S. cobalt imports, and Japan about 30% of "
                                  "U.S. nickel imports."), "import_share")
    assert rows(got, "country", "commodity") == [("China", "cobalt"), ("Japan", "nickel")]


@pytest.mark.parametrize("text, supplier", [
    ("China supplied 60% of Japan's graphite imports in 2023, with Mozambique supplying most of the rest.",
     "China"),
    ("Japan bought 40% of its cobalt from Finland in 2023, with the Philippines and Canada supplying "
     "the remainder.", "Finland"),
    ("Finland shipped 70% of Japan's cobalt imports in 2023, with most of the rest coming from the "
     "Philippines.", "Finland"),
])
def test_a_country_supplying_the_rest_is_never_the_supplier(world, text, supplier):
    got = checkable(claims(world, text), "import_share")
    assert list(got["country"]) == [supplier]


@pytest.mark.parametrize("text", [
    "China refined 90% of the cobalt that Japan imported in 2023.",      # no supply verb, no 'from'
    "About 60% of the cobalt Japan imported in 2023 went into batteries.",  # no supplier
    "Three-quarters of the nickel Indonesia mined in 2023 was refined at home.",
    "More than half of the lithium that Chile exported in 2023 went by sea, with China taking the rest.",
    "Turkey shipped 90% of the antimony ore, with Bolivia supplying most of the remainder.",  # no importer
    "Half of the graphite Japan imported from China in 2023 was natural graphite.",  # a share of those
    "Roughly 30% of the cobalt that Japan imported in 2023 was refined in Finland.",
])
def test_relative_clauses_that_are_no_import_share_stay_unmapped(world, text):
    assert checkable(claims(world, text), "import_share").empty


@pytest.mark.parametrize("text", [
    "Some 40% of the cobalt Japan imported in 2023 came from Finland and Canada.",
    "About 40% of Japan's cobalt imports in 2023 came from Finland, Canada and Norway.",
    "Japan bought 40% of its cobalt from Finland or Canada in 2023.",
])
def test_a_combined_share_of_several_suppliers_is_not_checkable(world, text):
    got = claims(world, text)
    assert checkable(got, "import_share").empty
    assert "combined share" in " ".join(got["why_not_checkable"])


def test_a_supplier_list_with_its_own_figures_gives_each_its_share(world):
    # (round six: the second figure's mineral is its sentence's only one, named before it)
    got = checkable(claims(world, "Japan bought 40% of its cobalt from Finland and 20% from Canada in 2023."),
                    "import_share")
    assert rows(got, "country", "figure", "importer", "commodity", "year_or_period") == [
        ("Finland", 40.0, "Japan", "cobalt", "2023"), ("Canada", 20.0, "Japan", "cobalt", "2023")]


# ---- 2. U.S. net import reliance lists -------------------------------------------------------------
def test_each_figure_takes_the_mineral_after_its_own_for(world):
    got = checkable(claims(world, "The Survey puts U.S. net import reliance at 76% for cobalt and at "
                                  "about 50% for nickel in 2024."), "net_import_reliance")
    assert rows(got, "commodity", "figure", "qualifier") == [("cobalt", 76.0, ""), ("nickel", 50.0, "about")]


def test_and_for_all_of_its_continues_the_reliance(world):
    got = checkable(claims(world, "The United States relies on imports for about 70% of its zinc and for "
                                  "all of its manganese."), "net_import_reliance")
    assert rows(got, "commodity", "figure") == [("zinc", 70.0), ("manganese", 100.0)]


@pytest.mark.parametrize("text", [
    # the figure's item names no mineral and the sentence names two: which one is not clear
    "Net import reliance stood at about 50% for the pair, the agency said of cobalt and nickel.",
    "Canada relies on imports for half of its cobalt and for all of its graphite.",  # not the U.S.
    "The United States exports 80% of its zinc and for all of its history has mined lead.",
])
def test_reliance_lists_that_are_not_clear_stay_unmapped(world, text):
    assert checkable(claims(world, text), "net_import_reliance").empty


# ---- 3. tenths ------------------------------------------------------------------------------------
def test_tenths_are_fractions_and_quarters_of_years_are_not():
    text = ("Nine-tenths of the graphite and three-tenths of the cobalt were shipped over eight quarters. "
            + FILL + "\n")
    got = extract_figures(text)
    assert rows(got, "text", "kind", "number") == [("Nine-tenths", "fraction", 90.0),
                                                   ("three-tenths", "fraction", 30.0)]


# ---- 4. the source or measure the article names judges the claim --------------------------------
def _check(tmp_path, body, name="a.txt"):
    text = "Trade desk\nPublished 12 May 2026\n\n" + body + "\n"
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = run(tmp_path / name, "", [None, 2026], report_edition=2026)
    c = result.claims[(result.claims["kind"] == "import_share") & (result.claims["checkable"] == "yes")]
    assert len(c) == 1, result.claims[["span", "kind", "why_not_checkable"]]
    v = result.verdicts.set_index("claim_id").loc[c["claim_id"].iloc[0]]
    return c.iloc[0], v, result.sources[result.sources["claim_id"] == c["claim_id"].iloc[0]]


INDIA = "China supplied more than three-quarters of India's rare-earth imports in 2024"
INDIA_AFTER = INDIA  # after a framing measure: "By weight, China supplied ..."


def test_a_named_measure_judges_the_claim(tmp_path):
    c, v, beside = _check(tmp_path, f"By weight, {INDIA_AFTER}.")
    assert c["attributed_to"] == "by quantity"
    qty = beside.set_index("source").loc["BACI by quantity"]
    value = beside.set_index("source").loc["BACI by value"]
    assert qty.verdict == "consistent" and value.verdict == "overstates"  # the two measures disagree
    assert v.overall_verdict == "consistent"
    assert v.depends_on.startswith("the article names its measure (by quantity): judged by BACI by "
                                   "quantity (2024); beside it, overstates by BACI by value (2024)")


def test_a_named_measure_with_no_figure_is_not_checkable(tmp_path):
    """BACI's tungsten tonnes mix ores and powders and are not summed: 'by weight' is refused, never
    judged by value (the other measure)."""
    _, v, beside = _check(tmp_path, "By weight, China supplied about 85% of South Korea's tungsten "
                                    "imports in 2024.")
    assert beside.set_index("source").loc["BACI by value", "verdict"] != "not checkable"
    assert v.overall_verdict == "not checkable"
    assert v.depends_on.startswith("the article names its measure (by quantity), for which no source has "
                                   "a figure: by value only")


def test_by_value_judges_by_value(tmp_path):
    _, v, _ = _check(tmp_path, f"By value, {INDIA_AFTER}.")
    assert v.overall_verdict == "overstates"


@pytest.mark.parametrize("body", [
    f"{INDIA}.",  # no measure named: the two measures disagree
    f"{INDIA}, a share far above Japan's by value.",  # a measure of another phrase
    f"By value the picture differs; by weight it is stark. {INDIA}.",  # two measures in the paragraph
    f"Trade figures here come from USGS import-source tables and the CEPII BACI database.\n\n{INDIA}.",
])
def test_no_single_named_measure_depends(tmp_path, body):
    c, v, _ = _check(tmp_path, body)
    assert v.overall_verdict == "depends on source/measure"
    assert not v.depends_on.startswith("the article names")


def test_a_measure_in_an_earlier_sentence_or_a_rule_for_all_trade_figures(tmp_path):
    _, v, _ = _check(tmp_path, f"Measured by weight, the dependence is stark. {INDIA}.", "p.txt")
    assert v.overall_verdict == "consistent"
    _, v, _ = _check(tmp_path, "All import shares below are measured by weight.\n\nIndia's buyers.\n\n"
                               f"{INDIA}.", "r.txt")
    assert v.overall_verdict == "consistent"


US_RE = "China shipped 80% of U.S. imports of rare-earth compounds and metals over 2021–24"


def test_a_named_source_judges_a_us_claim(tmp_path):
    src = tables.load("import_sources.csv")
    row = src[(src.edition == 2026) & (src.commodity == "rare-earths") & (src.form == "compounds-and-metals")
              & (src.country == "China")]
    assert list(row.share_pct) == [71.0] and list(row.period) == ["2021-2024"]  # 80% 'exact': overstates
    c, v, beside = _check(tmp_path, f"Import-source data from the U.S. Geological Survey are plain. {US_RE}.")
    assert c["attributed_to"] == "USGS"
    assert v.overall_verdict == "overstates"
    assert v.depends_on.startswith("the article names its source (USGS): judged by USGS import sources, "
                                   "MCS 2026 (2021-2024)")
    assert len(beside) == 2  # BACI stays beside, as context


def test_a_source_named_in_another_paragraph_is_no_rule_for_all_figures(tmp_path):
    _, v, _ = _check(tmp_path, f"CEPII trade data show how exposed Japan is.\n\n{US_RE}.")
    assert not v.depends_on.startswith("the article names")
    _, v, _ = _check(tmp_path, f"Trade data: USGS import sources.\n\n{US_RE}.", "b.txt")
    assert v.depends_on.startswith("the article names its source (USGS)")


def test_a_named_source_without_a_figure_for_the_claims_years_judges_nothing_alone(tmp_path):
    """USGS named for 2020-2023, which MCS 2026 gives only for 2021-2024 (as in the seed): every
    source judges, as when none is named."""
    c, v, _ = _check(tmp_path, "According to the USGS, China shipped at least 70% of U.S. imports of "
                               "rare-earth compounds and metals between 2020 and 2023.")
    assert c["attributed_to"] == "USGS" and c["year_or_period"] == "2020-2023"
    assert not v.depends_on.startswith("the article names")


def test_the_seed_keeps_its_rare_earth_verdict():
    seed = run(None, "auto", [None, 2026], report_edition=2026)
    c05 = seed.claims.set_index("claim_id").loc["C05"]
    assert c05["attributed_to"] == "USGS"  # named, but its figure is for 2021-2024, not 2020-2023
    assert seed.verdicts.set_index("claim_id").loc["C05", "overall_verdict"] == "depends on source/measure"


def test_overall_with_a_named_source_unit():
    def r(source, verdict, reads=None, named=""):
        return dict(source=source, verdict=verdict, reads=reads or verdict, period="2024", named=named)
    usgs = [r("USGS import sources, MCS 2026", "overstates")]
    others = [r("BACI by value", "overstates", named="USGS"), r("BACI by quantity", "consistent", named="USGS")]
    assert sources.overall(usgs, others, 2026)[0] == "overstates"
    plain = [dict(x, named="") for x in others]
    assert sources.overall(usgs, plain, 2026)[0] == "depends on source/measure"
    other_years = [r("USGS import sources, MCS 2026", "overstates", "overstates (different period)")]
    assert sources.overall(other_years, others, 2026)[0] == "depends on source/measure"


def test_a_named_source_whose_measures_disagree_depends_and_says_so(tmp_path):
    c, v, _ = _check(tmp_path, f"According to CEPII's BACI database, {INDIA}.")
    assert c["attributed_to"] == "CEPII BACI"
    assert v.overall_verdict == "depends on source/measure"
    assert v.depends_on.startswith("the article names its source (CEPII BACI), whose figures disagree: "
                                   "overstates by BACI by value (2024); consistent by BACI by quantity (2024)")
