"""The claims check: the tolerance rule at every boundary, the lookups on small frames, the claims
table's validation, and (on the real processed tables) the published values it compares against."""
import math
from pathlib import Path

import pandas as pd
import pytest

from critmin import config
from critmin.claims.check import (CHECK_COLUMNS, Tolerance, check_claims, import_share, verdict,
                                  world_share)
from critmin.claims.extract import extract_figures
from critmin.claims.table import CLAIM_COLUMNS, load_claims, match_claims
from critmin.errors import DataError, ParamError

TOL = Tolerance(approximate_pp=5.0, exact_pp=1.0)


# ---- the rule at each boundary (claimed 80 / 70 / 60) --------------------------------------------
@pytest.mark.parametrize("claimed, qualifier, public, want", [
    # approximate: 80 ± 5 -> [75, 85], edges inside
    (80, "around", 75.0, "consistent"),
    (80, "around", 85.0, "consistent"),
    (80, "around", 74.99, "overstates"),
    (80, "around", 85.01, "understates"),
    (80, "about", 80.0, "consistent"),
    (80, "roughly", 60.0, "overstates"),
    # float noise never flips a verdict at an edge
    (80, "around", 75.00000000001, "consistent"),
    (80, "around", 74.99999999999, "consistent"),
    # exact: 60 ± 1 -> [59, 61]
    (60, "", 59.0, "consistent"),
    (60, "", 61.0, "consistent"),
    (60, "", 58.9, "overstates"),
    (60, "", 61.1, "understates"),
    (60, "exactly", 60.4, "consistent"),
    # lower bound: at least 70 -> published >= 69; a far higher figure still fits
    (70, "at least", 69.0, "consistent"),
    (70, "at least", 68.9, "overstates"),
    (70, "at least", 100.0, "consistent"),
    (70, "more than", 71.0, "consistent"),
    # upper bound: at most 70 -> published <= 71
    (70, "at most", 71.0, "consistent"),
    (70, "less than", 71.1, "understates"),
    (70, "up to", 0.0, "consistent"),
])
def test_verdict_boundaries(claimed, qualifier, public, want):
    assert verdict(claimed, qualifier, public, tolerance=TOL)[0] == want


@pytest.mark.parametrize("low, high, want", [
    (76.0, 84.0, "consistent"),      # a range inside the band
    (86.0, 100.0, "understates"),    # '>86': wholly above
    (0.0, 70.0, "overstates"),       # '<70': wholly below
    (50.0, 100.0, "not checkable"),  # '>50' straddles [75, 85]
])
def test_verdict_on_published_bounds_and_ranges(low, high, want):
    assert verdict(80, "around", low, high, tolerance=TOL)[0] == want


def test_no_published_figure_is_not_checkable():
    assert verdict(80, "around", math.nan, tolerance=TOL)[0] == "not checkable"


def test_tolerance_is_a_parameter_and_validated():
    assert verdict(80, "around", 72.0, tolerance=Tolerance(approximate_pp=8))[0] == "consistent"
    assert verdict(80, "around", 72.0, tolerance=Tolerance(approximate_pp=5))[0] == "overstates"
    with pytest.raises(ParamError):
        Tolerance(approximate_pp=-1)
    with pytest.raises(ParamError):
        Tolerance(exact_pp="1")
    with pytest.raises(ParamError, match="unknown qualifier"):
        TOL.band(80, "probably")


# ---- lookups on small frames -------------------------------------------------------------------
def _world_row(edition, commodity, stage, country, year, value, flag="", raw=None, est=False, row=2):
    return dict(edition=edition, commodity=commodity, measure="production", stage=stage,
                country=country, year=year, value=value, value_high=math.nan, unit="t", basis="",
                value_flag=flag, estimated=est, raw_value=raw if raw is not None else f"{value:g}",
                raw_unit="metric tons", type_text="", source_file="f.csv", source_row=row)


@pytest.fixture
def world():
    rows = [
        _world_row(2025, "tungsten", "mine", "China", 2023, 66000, row=3),
        _world_row(2025, "tungsten", "mine", "World", 2023, 79500, row=4),
        _world_row(2025, "tungsten", "mine", "China", 2024, 67000, est=True, row=5),
        _world_row(2025, "tungsten", "mine", "World", 2024, 81000, est=True, row=6),
        _world_row(2025, "germanium", "refinery", "China", 2024, math.nan, "W", "W", row=7),
        _world_row(2025, "germanium", "refinery", "World", 2024, math.nan, "W", "W", row=8),
        _world_row(2026, "gallium", "low-purity-primary", "China", 2025, 900000, row=9),
        _world_row(2026, "gallium", "low-purity-primary", "World", 2025, 900000, row=10),
        _world_row(2026, "antimony", "mine", "China", 2025, 40000, row=11),
        _world_row(2026, "antimony", "mine", "World", 2025, 50, ">", ">50", row=12),
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def imports():
    cols = ["edition", "commodity", "form", "period", "rank", "country", "share_pct",
            "source_file", "source_row"]
    return pd.DataFrame([
        (2025, "rare-earths", "compounds-and-metals", "2020-2023", 1, "China", math.nan, "a.csv", 29),
        (2025, "rare-earths", "compounds-and-metals", "2020-2023", 2, "Malaysia", math.nan, "a.csv", 29),
        (2026, "rare-earths", "compounds-and-metals", "2021-2024", 1, "China", 71.0, "b.csv", 7),
        (2026, "rare-earths", "compounds-and-metals", "2021-2024", 2, "Malaysia", 13.0, "b.csv", 8),
    ], columns=cols)


def test_world_share_uses_the_newest_year_of_the_edition(world):
    got = world_share(world, 2025, "tungsten", "production", "mine", "China")
    assert got["public_pct"] == pytest.approx(100 * 67000 / 81000)
    assert got["compared"].startswith("2024 mine production")
    assert got["estimated"] and got["source_rows"] == "5;6"
    assert world_share(world, 2025, "tungsten", "production", "mine", "China",
                       "2023")["public_pct"] == pytest.approx(100 * 66000 / 79500)


def test_world_share_stage_alternatives_and_gaps(world):
    got = world_share(world, 2026, "gallium", "production", "primary|low-purity-primary", "China")
    assert got["public_pct"] == 100.0 and got["compared"].startswith("2025 low-purity-primary")
    withheld = world_share(world, 2025, "germanium", "production", "refinery", "China")
    assert withheld["public_flag"] == "none" and "withheld" in withheld["reason"]
    absent = world_share(world, 2026, "germanium", "production", "refinery", "China")
    assert absent["public_flag"] == "none" and "has no world production table" in absent["reason"]
    wrong = world_share(world, 2025, "tungsten", "production", "refinery", "China")
    assert "stages it publishes: mine" in wrong["reason"]
    bound = world_share(world, 2026, "antimony", "production", "mine", "China")
    assert bound["public_flag"] == "<"  # 40,000 over a world total '>50': an upper bound


def test_import_share_share_or_rank(imports):
    new = import_share(imports, 2026, "rare-earths", "compounds-and-metals", "China", "2020-2023")
    assert new["public_pct"] == 71.0 and "the claim covers 2020-2023" in new["compared"]
    old = import_share(imports, 2025, "rare-earths", "compounds-and-metals", "China", "2020-2023")
    assert old["public_flag"] == "none" and "order only" in old["reason"]
    assert "ranks 1 of 2" in old["reason"] and "the claim covers" not in old["compared"]
    none = import_share(imports, 2026, "gallium", "", "China")
    assert none["public_flag"] == "none" and "lists no import sources" in none["reason"]


def _claims(rows):
    base = dict(claim="x", figure_high=math.nan, unit="percent", measure="production", stage="mine",
                form="", country="China", year_or_period="latest", attributed_to="",
                mapped_table="world.csv", why_not_checkable="", see_also="")
    return pd.DataFrame([base | r for r in rows], columns=CLAIM_COLUMNS)


def test_check_claims_rows_verdicts_and_differences(world, imports):
    claims = _claims([
        dict(claim_id="A", figure=80.0, qualifier="around", kind="share_of_world_production",
             commodity="tungsten", checkable="yes"),
        dict(claim_id="B", figure=60.0, qualifier="", kind="share_of_world_production",
             commodity="germanium", stage="refinery", checkable="yes"),
        dict(claim_id="C", figure=70.0, qualifier="at least", kind="us_import_share_from_china",
             commodity="rare-earths", form="compounds-and-metals", year_or_period="2020-2023",
             mapped_table="import_sources.csv", checkable="yes"),
        dict(claim_id="D", figure=5.0, qualifier="at least", kind="count", commodity="tungsten",
             checkable="no", why_not_checkable="no mine counts"),
    ])
    out = check_claims(claims, {"world.csv": world, "import_sources.csv": imports}, [2025, 2026], TOL)
    assert list(out.columns) == CHECK_COLUMNS
    got = {(r.claim_id, None if pd.isna(r.edition) else int(r.edition)): r for r in out.itertuples()}
    assert set(got) == {("A", 2025), ("A", 2026), ("B", 2025), ("B", 2026), ("C", 2025),
                        ("C", 2026), ("D", None)}
    a = got[("A", 2025)]
    assert a.verdict == "consistent" and a.difference_pp == pytest.approx(80 - 100 * 67000 / 81000)
    assert (a.band_low, a.band_high) == (75.0, 85.0)
    assert got[("A", 2026)].verdict == "not checkable"  # no tungsten rows in that edition
    assert got[("B", 2025)].verdict == "not checkable" and "withheld" in got[("B", 2025)].reason
    assert got[("C", 2025)].verdict == "not checkable" and "order only" in got[("C", 2025)].reason
    c = got[("C", 2026)]
    assert c.verdict == "consistent" and c.difference_pp == -1.0 and math.isnan(c.band_high)
    assert "period differs" in c.reason
    assert got[("D", None)].verdict == "not checkable" and got[("D", None)].reason == "no mine counts"


def test_editions_parameter_is_validated(world, imports):
    with pytest.raises(ParamError):
        check_claims(_claims([]), {"world.csv": world, "import_sources.csv": imports}, [], TOL)
    with pytest.raises(ParamError):
        check_claims(_claims([]), {"world.csv": world, "import_sources.csv": imports}, ["2025"], TOL)


# ---- the committed claims table ---------------------------------------------------------------
@pytest.fixture(scope="module")
def claims():
    return load_claims()


def test_claims_table_covers_every_figure_in_the_seed(claims):
    figures = match_claims(extract_figures(config.SEED_ARTICLE), claims)
    unclaimed = figures[figures["claim_ids"] == ""]
    # only the page's clock time (18:21) states nothing about the story
    assert list(unclaimed["kind"]) == ["time"]
    assert set(claims["claim_id"]) - set(";".join(figures["claim_ids"]).split(";")) == {"C15"}


def test_claims_table_is_in_our_own_words(claims):
    story = open(config.SEED_ARTICLE, encoding="utf-8").read()
    for text in claims["claim"]:
        words = text.split()
        # no run of 5 consecutive words of a claim appears in the article
        for i in range(len(words) - 4):
            assert " ".join(words[i:i + 5]) not in story, text


def test_claims_table_against_another_article_is_refused(claims):
    other = extract_figures("Mines in Chile produced 5,000 tonnes in 2019 and about 80% more.")
    with pytest.raises(DataError, match="not in the article"):
        match_claims(other, claims)


@pytest.mark.parametrize("edit, column", [
    (lambda t: t.replace("C02,", "C01,", 1), "claim_id"),
    (lambda t: t.replace(",around,share", ",circa,share", 1), "qualifier"),
    (lambda t: t.replace(",80,,percent,around,share_of_world_production,tungsten", ",eighty,,percent,"
                         "around,share_of_world_production,tungsten", 1), "figure"),
    (lambda t: t.replace(",tungsten,production", ",wolfram,production", 1), "commodity"),
    (lambda t: t.replace(",yes,world.csv", ",yes,trade.csv", 1), "mapped_table"),
    (lambda t: t.replace("a definition, not a statistic; the USGS data tables do not count the "
                         "elements", "", 1).replace(',"",', ",,", 1), "why_not_checkable"),
])
def test_bad_claims_table_names_row_and_column(tmp_path, edit, column):
    text = (config.REFERENCE / "article_claims.csv").read_text(encoding="utf-8")
    bad = tmp_path / "claims.csv"
    changed = edit(text)
    assert changed != text
    bad.write_text(changed, encoding="utf-8")
    with pytest.raises(DataError, match=f"column {column}"):
        load_claims(bad)


# ---- the notebook's layer: which claims table, outputs, chart -----------------------------------
from critmin.sections import claims as report  # noqa: E402
from critmin.io import to_csv_bytes  # noqa: E402

MINI = Path(__file__).parent / "fixtures" / "claims" / "mini_article.txt"


@pytest.fixture
def small_processed(tmp_path, world, imports):
    d = tmp_path / "processed"
    d.mkdir()
    (d / "world.csv").write_bytes(to_csv_bytes(world))
    (d / "import_sources.csv").write_bytes(to_csv_bytes(imports))
    return d


def test_another_article_is_mapped_by_rule_only(tmp_path):
    r = report.run(MINI)
    assert "mapped by rule" in r.claims_source and (r.claims["mapped_by"] == "rule").all()
    # none of its figures is a claim our tables can answer: each says why
    assert (r.checks["verdict"] == "not checkable").all() and (r.checks["reason"].str.len() > 10).all()
    assert len(r.figures) == 14 and len(r.claims) == 13  # the page's clock time is no claim
    checks, figures = report.write_csvs(r, tmp_path)
    assert figures.read_text(encoding="utf-8").count("\n") == 15  # header + 14 figures
    assert checks.read_text(encoding="utf-8").startswith("claim_id,claim,")
    assert "No share figure" in repr(report.claims_chart(r, "China"))


def test_a_claims_table_that_does_not_fit_the_article_is_refused():
    with pytest.raises(DataError, match="not in the article"):
        report.run(MINI, claims_table="data/reference/article_claims.csv")


def test_no_claims_table_on_request(small_processed):
    r = report.run(None, claims_table="", processed=small_processed)
    assert (r.claims["mapped_by"] == "rule").all() and not r.claims["claim_id"].str.startswith("C").any()
    assert len(r.figures) == len(extract_figures(config.SEED_ARTICLE))


def test_seed_run_on_small_tables_is_deterministic(tmp_path, small_processed):
    r = report.run(None, "auto", [2025, 2026], 5, 1, processed=small_processed)
    assert "written for this article" in r.claims_source
    c01 = r.checks[(r.checks["claim_id"] == "C01") & (r.checks["edition"] == 2025)].iloc[0]
    assert c01["verdict"] == "consistent" and c01["period"] == "2024"
    first = [p.read_bytes() for p in report.write_csvs(r, tmp_path / "a")]
    again = report.run(None, "auto", [2026, 2025, 2026], 5, 1, processed=small_processed)
    assert [p.read_bytes() for p in report.write_csvs(again, tmp_path / "b")] == first
    summary = report.summary(r)
    assert list(summary["claim_id"]) == list(load_claims()["claim_id"])
    assert summary.loc[0, "MCS 2025"] == "82.7% e"  # fmt.ESTIMATE, the one marker


def test_chart_rows_pair_each_claim_with_each_edition(tmp_path, small_processed):
    from critmin.present import charts
    charts.setup(tmp_path)
    r = report.run(None, processed=small_processed)
    data = report.chart_data(r, "China")
    shares = load_claims().query("kind in @report.SHARE_KINDS")
    assert len(data) == 3 * len(shares)  # the article + 2 editions per share claim
    assert data["is_article"].sum() == len(shares)
    chart = report.claims_chart(r, "China")
    assert chart.title == report.finding(r, 2026)
    assert len(pd.read_csv(chart.csv_path)) == len(data)
    assert report.chart_data(r, "Australia").empty


# ---- the real data: the check reproduces the published values it compares against -------------
from critmin.io import read_text  # noqa: E402

# (claim, edition) -> (year or period, China value, world value, share %, verdict); the values are
# the published MCS figures (MANIFEST.md "Verified" bullets).
PUBLISHED = {
    ("C01", 2025): ("2024", 67000, 81000, 82.716, "consistent"),     # tungsten, t
    ("C01", 2026): ("2025", 67000, 85000, 78.824, "consistent"),
    ("C02", 2025): ("2024", 750000, 760000, 98.684, "understates"),  # gallium, kg
    ("C02", 2026): ("2025", 900000, 900000, 100.0, "understates"),
    ("C03", 2025): ("2024", 60000, 100000, 60.0, "overstates"),      # antimony, t
    ("C03", 2026): ("2025", 40000, 110000, 36.364, "overstates"),
}


@pytest.fixture(scope="module")
def real():
    return report.run(None, "auto", [2025, 2026], 5.0, 1.0)


def _row(real, cid, ed):
    c = real.checks
    return c[(c["claim_id"] == cid) & (c["edition"] == ed)].iloc[0]


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_world_shares_reproduce_published_values(real, key):
    period, china, world, pct, want = PUBLISHED[key]
    r = _row(real, *key)
    assert r["period"] == period
    assert r["public_pct"] == pytest.approx(pct, abs=1e-3)
    assert r["public_pct"] == pytest.approx(100 * china / world)
    assert f"China {china:,} " in r["public_detail"] and f"world {world:,} " in r["public_detail"]
    assert r["verdict"] == want
    assert r["difference_pp"] == pytest.approx(80 - 100 * china / world, abs=1e-5)


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_cited_raw_rows_hold_the_published_values(real, key):
    """Each check names its raw file and rows; those rows hold the China and world values."""
    _, china, world, _, _ = PUBLISHED[key]
    r = _row(real, *key)
    encoding = "cp1252" if key[1] == 2026 else "utf-8-sig"
    lines = read_text(config.RAW / r["source_file"], encoding).splitlines()
    cited = [lines[int(n) - 1] for n in r["source_rows"].split(";")]
    assert len(cited) == 2
    china_line = next(x for x in cited if "China" in x)
    world_line = next(x for x in cited if "World total" in x)
    for value, line in ((china, china_line), (world, world_line)):
        assert str(value) in line or f"{value:,}" in line, line


def test_germanium_is_not_checkable_in_either_edition(real):
    old, new = _row(real, "C04", 2025), _row(real, "C04", 2026)
    assert old["verdict"] == new["verdict"] == "not checkable"
    assert "no germanium refinery production figure for any country" in old["reason"]
    assert "NA = not available" in old["reason"]
    assert "MCS 2026 has no world production table for germanium" in new["reason"]


def test_rare_earth_import_share(real):
    old, new = _row(real, "C05", 2025), _row(real, "C05", 2026)
    # MCS 2025 (2020-2023) gives the order of sources only: China first of four
    assert old["verdict"] == "not checkable" and old["period"] == "2020-2023"
    assert "China ranks 1 of 4 (China, Malaysia, Japan, Estonia)" in old["reason"]
    # MCS 2026 gives 71% for 2021-2024 (MCS2026_Commodities_Data.csv), against 'at least 70%'
    assert new["public_pct"] == 71.0 and new["period"] == "2021-2024"
    assert new["verdict"] == "consistent" and new["difference_pp"] == -1.0
    line = read_text(config.RAW / new["source_file"], "cp1252").splitlines()[int(new["source_rows"]) - 1]
    assert line.startswith("RARE EARTHS,Import Sources,Rare Earths,China,") and ",71," in line


def test_every_other_claim_says_why_it_is_not_checkable(real):
    c = real.checks
    rest = c[c["edition"].isna()]
    assert set(rest["claim_id"]) == {f"C{i:02d}" for i in range(6, 21)}
    assert (rest["verdict"] == "not checkable").all() and (rest["reason"].str.len() > 10).all()
    assert set(c["verdict"]) <= {"consistent", "overstates", "understates", "not checkable"}


@pytest.mark.parametrize("edition, table, mineral, claim", [
    (2025, "usgs-mcs-2025/industry-trends/MCS2025_T5_Critical_Minerals_Salient.csv", "Tungsten", "C01"),
    (2025, "usgs-mcs-2025/industry-trends/MCS2025_T5_Critical_Minerals_Salient.csv", "Gallium", "C02"),
    (2025, "usgs-mcs-2025/industry-trends/MCS2025_T5_Critical_Minerals_Salient.csv", "Antimony", "C03"),
    (2026, "usgs-mcs-2026/industry-trends/MCS2026_T7_Critical_Minerals_Salient.csv", "Tungsten", "C01"),
    (2026, "usgs-mcs-2026/industry-trends/MCS2026_T7_Critical_Minerals_Salient.csv", "Gallium", "C02"),
    (2026, "usgs-mcs-2026/industry-trends/MCS2026_T7_Critical_Minerals_Salient.csv", "Antimony", "C03"),
])
def test_shares_round_to_the_leading_producer_share_usgs_prints(real, edition, table, mineral, claim):
    """An independent check: USGS's own critical-minerals table gives China's % of world output
    (tungsten 83/79, gallium 99/100, antimony 60/36); our share rounds to the same whole number."""
    from critmin.io import read_rows
    header, rows = read_rows(config.RAW / table)
    row = next(dict(zip(header, cells)) for _, cells in rows if cells[header.index("Critical_mineral")] == mineral)
    assert row["Leading_source_country"] == "China"
    assert round(_row(real, claim, edition)["public_pct"]) == int(row["Leading_source_precent_world"])


def test_notebook_60_shape():
    import ast

    import nbformat
    nb = nbformat.read(str(config.NOTEBOOKS / "60_claims_check.ipynb"), as_version=4)
    first, params = nb.cells[0], nb.cells[1]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [params]
    names = [t.id for n in ast.parse(params.source).body for t in n.targets]
    assert names == ["article", "claims_table", "edition_at_writing", "edition", "approximate_pp",
                     "exact_pp", "focus_country", "report_dir"]
    for c in nb.cells:
        if c.cell_type == "code":
            tree = ast.parse(c.source)
            assert not any(isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef))
                           for n in ast.walk(tree)), c.source
            assert not c.outputs and c.execution_count is None
            assert "../" not in c.source
