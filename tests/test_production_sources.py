"""analysis.production_sources: World Mining Data beside USGS MCS and BGS, gaps flagged with a reason."""
import pytest

from critmin.analysis import production_sources as ps, tables


@pytest.fixture(scope="module")
def data():
    return tables.load("world.csv"), tables.load("wmd_production.csv"), tables.load("bgs_production.csv")


def _row(df, year):
    return df[df.year == year].iloc[0]


def test_tungsten_2024_three_sources(data):
    world, wmd, bgs = data
    t = ps.compare("tungsten", "China", world, wmd, bgs)
    r = _row(t, 2024)
    assert r.wmd_pct == pytest.approx(100 * 58_760 / 75_416)
    # MCS 2026 (newest edition with 2024) against WMD; MCS 2025 gave 67,000 of 81,000 t
    assert r.usgs_edition == 2026 and r.wmd_basis == r.usgs_basis == "contained tungsten"
    assert r.difference_pts == pytest.approx(r.wmd_pct - r.usgs_pct) and not r.flagged


def test_gaps_above_the_threshold_are_flagged_with_a_reason(data):
    world, wmd, bgs = data
    sb = ps.compare("antimony", "China", world, wmd, bgs)
    r = _row(sb, 2023)
    assert r.flagged and r.difference_pts < -20 and "different national figures" in r.likely_reason
    li = ps.compare("lithium", "China", world, wmd, bgs, threshold=0.5)
    r = _row(li, 2020)
    assert r.flagged and "content basis differs" in r.likely_reason and "Li2O" in r.likely_reason
    assert not ps.compare("lithium", "China", world, wmd, bgs).flagged.any()   # within 5 points
    assert sb.wmd_pct.dropna().between(0, 100).all()


def test_section_words_every_cell_for_readers():
    from critmin.sections import production_sources as sec
    t = sec.three_sources(["tungsten", "antimony", "gallium"], focus_country="China", edition=2026)
    older = sec.three_sources(["tungsten"], focus_country="China", edition=2025)
    assert older.rows.usgs_edition.max() == 2025 and not older.table.USGS.str.contains("2026").any()
    assert "World Mining Data and USGS differ by more than 5 percentage points in" in t.sentence()
    text = t.table.astype(str)
    assert not text.apply(lambda c: c.str.contains(r"nan|None|2,0\d\d|-primary")).any().any()
    assert (t.table.Year == "2024").any() and t.rows.flagged.sum() >= 2
