"""The export-controls, claims and cleaning sections say what a reader should read: values from
the processed tables, years as years, names not slugs, no edition later than the report's; the
README's headline findings are the report's; the lineage names every module a notebook calls."""
import re

import nbformat
import pytest

from critmin import config
from critmin.analysis import tables
from critmin.present import format as fmt
from critmin.sections import claims, cleaning, controls, headlines

NO_MISSING = re.compile(r"(?<![\w-])(nan|None|NaT|<NA>)(?![\w-])")


@pytest.fixture(scope="module")
def inputs():
    return controls.load()


def _section(inputs, edition, year):
    return controls.section(inputs, focus_country="China", importer="United States",
                            edition=edition, year=year, nir_threshold=50)


# ---- format: the article's figures

def test_figures_read_as_years_dates_and_money():
    assert fmt.figure_value(2010.0, "year") == "2010"
    assert fmt.figure_value(20250319.0, "date") == "19 March 2025"
    assert fmt.figure_value(780000000.0, "money", "usd") == "$780 million"
    assert fmt.figure_value(2020.0, "period", high=2023.0) == "2020–2023"
    assert fmt.figure_value(2010.0, "decade") == "2010s"
    assert fmt.commodities("gallium;germanium;antimony") == "Gallium, Germanium and Antimony"
    assert fmt.claim_kind("share_of_world_production") == "share of world production"
    assert fmt.figure_unit("usd") == "US dollars"
    with pytest.raises(ValueError, match="unknown kind"):
        fmt.claim_kind("share_of_everything")


def test_claims_tables_print_no_separated_year_or_slug():
    r = claims.run()
    figs = claims.figure_table(r)
    assert not figs["value"].str.contains(r"^\d,\d{3}$|^\d{2},\d{3},\d{3}$").any()
    assert {"1992", "2019", "19 March 2025", "$780 million", "12 June 2025"} <= set(figs["value"])
    view = claims.claims_view(r)
    assert "share_of_world_production" not in set(view["kind"])
    assert view.loc[view["claim"] == "C13", "figure"].item() == "$780 million"
    summary = claims.summary(r).to_string()
    assert "low-purity-primary" not in summary and "rare-earths" not in summary
    assert "2025 primary production (low purity)" in summary


# ---- editions: never one later than the report's

def test_claims_compare_with_editions_no_later_than_the_report():
    eds, notes = claims.editions_for([2025, 2026], 2026)
    assert eds == [2025, 2026] and notes == []
    eds, notes = claims.editions_for([2025, 2023], 2023)
    assert eds == [2023] and "MCS 2023 only" in notes[0] and "MCS 2025" not in notes[0]
    r = claims.run(editions=[2025, 2023], report_edition=2023)
    assert set(r.checks["edition"].dropna()) == {2023}
    assert "compared with MCS 2023 only" in claims.describe(r)
    data = claims.chart_data(r, "China")
    assert set(data["edition"].dropna()) == {2023}
    published = data[data["published"]]
    assert (published["source_file"].str.startswith("usgs-mcs-2023/")).all()


def test_mineral_claims_use_the_report_edition():
    m = claims.for_mineral("tungsten", edition=2022)
    assert m.editions == [2022] and set(m.checks["edition"]) == {2022}
    assert claims.for_mineral("tungsten", edition=2026).editions == [2025, 2026]


# ---- export controls

def test_controls_real_values_and_provenance(inputs):
    s = _section(inputs, 2026, 2025)
    m = s.minerals.set_index("mineral")
    assert m.loc["gallium", "nir_text"] == "100% (2025)"        # MCS 2026 NIR, gallium 2025
    assert m.loc["antimony", "nir_text"] == "91% (2025)"
    assert m.loc["molybdenum", "nir_text"] == "net exporter (E) (2025)"
    assert m.loc["gallium", "share_text"] == "18%"              # China, U.S. gallium imports 2021-24
    assert m.loc["gallium", "nir_source_file"].startswith("usgs-mcs-2026/")
    assert m.loc["rare-earths", "first_when"] == "September 2010"   # month precision
    assert "12 of the 14 minerals in 2025 (MCS 2026)" in s.headline().sentence
    assert len(s.worldwide().rows) == inputs.t4["country"].nunique()
    chart = s.dependence()
    assert "nir_source_file" in chart.data.columns


def test_controls_year_and_edition_are_applied(inputs):
    s = _section(inputs, 2023, 2021)
    assert set(s.minerals["nir_year"].dropna()) == {2021}
    assert "in 2021 (MCS 2023)" in s.headline().sentence
    assert s.worldwide().rows.empty and "later edition" in s.worldwide().empty
    assert "MCS 2026" not in s.timeline().source
    m = controls.for_mineral("gallium", edition=2022, inputs=inputs)
    assert m.t4_edition == 2026 and len(m.events) >= 3


def test_controls_tables_print_no_missing_value(inputs):
    for ed, yr in [(2022, 2021), (2026, 2025)]:
        s = _section(inputs, ed, yr)
        for table in (s.dependence_table(), s.measures()):
            text = table.shown().to_string()
            assert not NO_MISSING.search(text), (ed, text)
            assert "rare-earths" not in text and ";" not in " ".join(table.shown().iloc[:, 2].astype(str))


# ---- cleaning appendix

def test_cleaning_tables_have_readers_headers():
    world = tables.load("world.csv")
    shown = cleaning.corrected_rows(world, 2026, "rare-earths").shown()
    assert not [c for c in shown.columns if "_" in c]
    assert set(shown["cell as published"]) == {"21,000,000", ">85,000,000"}
    empty = cleaning.corrected_rows(world, 2022, "rare-earths")
    assert empty.rows.empty and "No declared correction" in empty.empty
    assert "flag" in cleaning.flag_counts(world, 2022).columns
    assert set(cleaning.flag_counts(world, 2022).columns) == {"flag", 2022}
    assert not [c for c in cleaning.token_examples().columns if "_" in c]
    assert not cleaning.table_sizes()["holds"].str.contains("critmin").any()


# ---- README and lineage

def test_readme_headlines_are_the_reports():
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    index = (config.ROOT / "report" / "index.html").read_text(encoding="utf-8")
    expected = headlines.block(headlines.findings(index))
    assert len(headlines.findings(index)) >= 3
    assert headlines.readme_block(readme) == expected, \
        "README's headline findings differ from report/: run python -m critmin.sections.headlines --write-readme"


def test_lineage_names_every_module_a_notebook_calls():
    lineage = (config.ROOT / "docs" / "lineage.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\d\d_\w+)`.*$", lineage, re.M)}
    for path in sorted(config.NOTEBOOKS.glob("*.ipynb")):
        assert path.stem in rows, f"docs/lineage.md has no row for {path.stem}"
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        for layer, names in re.findall(r"from critmin\.(analysis|sections|claims) import ([\w, ]+)", code):
            for name in (n.split(" as ")[0].strip() for n in names.split(",")):
                if name != "tables" or layer != "analysis":
                    assert f"critmin.{layer}.{name}" in rows[path.stem], (path.stem, layer, name)
