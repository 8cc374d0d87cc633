"""The supply sections (critmin.sections.supply, trends, concentration): one rule per test, on the
processed tables (published MCS values) and on small hand-made frames."""
import pandas as pd
import pytest

from critmin.analysis import shares, tables
from critmin.sections import concentration as sc
from critmin.sections import supply, trends

DEFAULT = ["rare-earths", "tungsten", "gallium", "germanium", "antimony", "graphite"]


@pytest.fixture(scope="module")
def world():
    return tables.load("world.csv")


def test_gallium_is_about_99_percent_not_100(world):
    """MCS 2026: China 900,000 kg of a rounded world 900,000 kg, Russia 6,000 and Japan 3,000."""
    g = world[(world["edition"] == 2026) & (world["commodity"] == "gallium") & (world["year"] == 2025)
              & (world["measure"] == "production")]
    assert not shares.focus_shares(g, "China").iloc[0]["approx"]   # as USGS prints it (T7: 100)
    row = shares.focus_shares(g, "China", rounded_world=True).iloc[0]
    listed = g.loc[g["country"] != "World", "value"].sum()
    assert g.loc[g["country"] == "World", "value"].item() == 900_000 and listed == 909_000
    assert row["approx"] and row["share_pct"] == pytest.approx(100 * 900_000 / 909_000)
    assert round(row["share_pct"]) == 99
    assert row["numerator_source_row"] == str(g.loc[g["country"] == "China", "source_row"].item())
    assert set(row["denominator_source_row"].split(";")) == {str(r) for r in g.loc[g["country"] != "World", "source_row"]}
    sec = supply.focus_share(world, minerals=["gallium"], edition=2026, year=2025, focus_country="China")
    assert "about 99% e" in sec.sentence and "100%" not in sec.sentence
    assert "low-purity-primary" not in sec.sentence and "low-purity primary production" in sec.sentence


def test_rounded_world_rule_keeps_usgs_own_percentages(world):
    """The rule applies only when a share would read 100%: MCS 2025 rare earths 2024 stays 69.2%
    (USGS's own T5 says 69%) although the listed countries add up to 101% of the world total."""
    r = world[(world["edition"] == 2025) & (world["commodity"] == "rare-earths")
              & (world["measure"] == "production") & (world["year"] == 2024)]
    row = shares.focus_shares(r, "China", rounded_world=True).iloc[0]
    assert not row["approx"] and round(row["share_pct"], 1) == 69.2


def test_headline_share_carries_numerator_and_denominator_rows(world):
    sec = supply.focus_share(world, minerals=DEFAULT, edition=2026, year=2025, focus_country="China")
    ree = sec.rows[sec.rows["name"].str.startswith("Rare Earths")].iloc[0]
    assert ree["shown_as"] == "69% e"
    for side, country in (("numerator", "China"), ("denominator", "World")):
        src = world[(world["source_file"] == ree[f"{side}_source_file"])
                    & (world["source_row"] == int(ree[f"{side}_source_row"]))].iloc[0]
        assert src["country"] == country and src["commodity"] == "rare-earths" and src["year"] == 2025
    assert src["value"] == 390_000


def test_over_half_excludes_upper_bounds_and_counts_minerals_with_grammar():
    rows = pd.DataFrame({"share_pct": [60.0, 52.0, 55.0, 40.0], "share_flag": ["", "<", "range", ""]})
    assert list(supply._over_half(rows).index) == [0, 2]
    world = tables.load("world.csv")
    one = supply.focus_share(world, minerals=["tungsten"], edition=2026, year=2025, focus_country="China")
    assert "the one profiled mineral" in one.sentence and "of the 1 " not in one.sentence


def test_minerals_without_a_table_are_said_truthfully(world):
    sec = supply.focus_share(world, minerals=["cesium", "yttrium"], edition=2026, year=2025,
                             focus_country="China")
    assert "for cesium, MCS 2026 gives reserves only" in sec.sentence
    assert "editions with one" not in sec.sentence
    y = supply.producers(world, mineral="yttrium", edition=2026, year=2025, focus_country="China")
    assert not y.items and "only a world figure" in y.empty and "Other countries" not in y.empty
    g = supply.focus_share(world, minerals=["germanium"], edition=2026, year=2025, focus_country="China")
    assert "MCS 2022, 2023, 2024 and 2025 had one" in g.empty or "MCS 2022, 2023, 2024 and 2025 had one" in g.sentence


def test_capacity_says_no_table_instead_of_zero_of_zero(world):
    sec = supply.focus_share(world, minerals=["lithium"], edition=2026, year=2025, focus_country="China",
                             measure="capacity")
    assert sec.rows.empty and "0 of the 0" not in sec.empty and sec.empty
    cap = supply.producers(world, mineral="lithium", edition=2026, year=2025, focus_country="China",
                           measure="capacity")
    assert cap.items == () and cap.empty == "USGS publishes no capacity table for lithium in MCS 2026."


def test_snapshot_uses_the_year_given_and_names_it(world):
    sec = supply.focus_share(world, minerals=DEFAULT, edition=2026, year=2024, focus_country="China")
    assert set(sec.rows["year"]) == {2024} and "2024" in sec.subtitle and "2025" not in sec.subtitle


def test_trends_use_editions_up_to_the_report_edition(world):
    s22 = trends.share_over_time(world, minerals=DEFAULT, edition=2022, year=None, focus_country="China")
    assert s22.rows["edition_used"].max() == 2022 and s22.rows["year"].max() == 2021
    assert s22.title.endswith("2020–2021")
    s25 = trends.share_over_time(world, minerals=DEFAULT, edition=2025, year=2024, focus_country="China")
    assert s25.rows["edition_used"].max() == 2025 and s25.rows["year"].max() == 2024


def test_revised_table_names_editions_in_words(world):
    rev = trends.revised_shares(world, minerals=["antimony"], edition=2026, year=2025, focus_country="China")
    r = rev.rows[rev.rows["year"] == 2024].iloc[0]   # MCS 2025 said 60%, MCS 2026 says 34%
    assert r["from_mcs"] == "MCS 2026" and r["earlier"] == "MCS 2025: 60% e" and r["shown_as"] == "34% e"


def test_reserves_table_dedupes_and_shows_stage_and_basis(world):
    ti = sc.reserves_table(world, minerals=["titanium-mineral-concentrates"], edition=2026, year=2025,
                           focus_country="China")
    assert len(ti.rows) == 3 and not ti.rows.duplicated(["stage", "basis", "year"]).any()
    assert set(ti.rows["stage_shown"]) == {"mine production (ilmenite)", "mine production (rutile)",
                                           "mine production (ilmenite rutile)"}
    cr = sc.reserves_table(world, minerals=["chromium"], edition=2026, year=2025, focus_country="China")
    assert set(cr.rows["basis"]) == {"Cr2O3 content", "ore"} and "Basis" in cr.options["columns"].values()
    # no R/P across bases (Cr2O3 reserves against gross-weight output)
    assert (cr.rows["rp_world"] == "not computed").all()
    text = " ".join(cr.rows[list(cr.options["columns"])].astype(str).to_numpy().ravel()) + cr.sentence
    for bad in ("nan", "None", "NA not available kt"):
        assert bad not in text
    assert cr.sentence == ("MCS 2026 lists no reserves of chromium for China; the world's are "
                           ">540,000 thousand t (2025).")


def test_reserves_sentence_real_rare_earths(world):
    re = sc.reserves_table(world, minerals=["rare-earths"], edition=2026, year=2025, focus_country="China")
    assert re.sentence.startswith("MCS 2026 puts China's reserves of rare earths at 44,000,000 t and "
                                  "the world's at >75,000,000 t (2025): <59% of the world total.")
    assert "163 years" in re.sentence          # 44,000,000 / 270,000


def test_concentration_table_is_one_function_for_one_and_many(world):
    many = sc.concentration_table(world, minerals=DEFAULT, edition=2026, year=2025)
    one = sc.concentration_table(world, minerals=["gallium"], edition=2026, year=2025)
    g = many.rows[many.rows["commodity"] == "gallium"].iloc[0]
    assert one.rows.iloc[0]["hhi_text"] == g["hhi_text"] == "9,804"
    assert one.rows.iloc[0]["name"] == "low-purity primary production, 2025"
    assert "source_file" in many.rows and many.rows["world_source_row"].str.isdigit().all()


def test_new_capacity_names_minerals_and_money():
    every = sc.new_capacity()
    assert "$1.2 billion" in every.sentence and "$780 million" in every.sentence
    ree = every.rows[every.rows["project_id"] == "us-mountain-pass"].iloc[0]
    assert ree["minerals_shown"] == "Rare Earths and Rare Earths (Heavy)" and ree["amount"] == "not stated"
    none = sc.new_capacity(minerals=["gallium"])
    assert none.rows.empty and none.empty == "The article names no new capacity for gallium outside China."


def test_a_chart_with_nothing_to_draw_becomes_a_sentence(world):
    # germanium in MCS 2024: China's refinery output is not available; no bar would have a number
    g = supply.producers(world, mineral="germanium", edition=2024, year=None, focus_country="China")
    drawn = [i for i in g.items if i.kind == "share-bars"]
    for i in drawn:
        assert supply._drawable(i.rows).shape[0] > 0
    for i in g.items:
        if i.kind == "text":
            assert "no share can be computed" in i.sentence


def test_tiny_producers_read_under_half_a_percent_not_about_zero(world):
    """MCS 2026 gallium 2025: Japan 3,000 kg of the listed 909,000 kg is 0.33%: 'under 0.5% e',
    never 'about 0% e'; the United States' '—' (zero) reads '0% e', without 'about' (issue 12)."""
    g = world[(world["edition"] == 2026) & (world["commodity"] == "gallium") & (world["year"] == 2025)
              & (world["measure"] == "production")]
    assert g.loc[g["country"] == "Japan", "value"].item() == 3_000
    sec = supply.producers(world, mineral="gallium", edition=2026, year=2025, focus_country="China",
                           top_n=10)
    rows = pd.concat([s.rows for s in sec.items])
    shown = dict(zip(rows["country"], rows["shown_as"]))
    assert shown["Japan"] == "under 0.5% e" and shown["China"] == "about 99% e"
    assert not any(t.startswith("about 0%") for t in shown.values()), shown
    assert shown["United States"] == "0% e"


def test_estimate_marker_is_one_wording(world):
    """Every supply text marks a USGS estimate 'e', never '(a USGS estimate)' or '(estimated)',
    and a mineral page's summary explains the marker once (issue 12)."""
    from critmin.analysis import profile as prof
    sec = supply.focus_share(world, minerals=DEFAULT, edition=2026, year=2025, focus_country="China")
    assert "(a USGS estimate)" not in sec.sentence and "(e: estimated by USGS)" in sec.sentence
    assert "e: estimated by USGS" in sec.subtitle
    facts = supply.profile_facts(prof.profile("gallium", edition=2026, year=2025), world)
    assert "about 99% e of world" in facts.summary and "(a USGS estimate)" not in facts.summary
    assert facts.summary.count("A figure followed by e is a USGS estimate.") == 1
