"""The per-mineral profile: the package function runs for every commodity slug, and the template
notebook (50) runs under papermill for representative minerals, including ones with little data."""
import ast
import re
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pandas as pd
import pytest

from critmin import config
from critmin.engine import execute
from critmin.engine.params import SPEC
from critmin.analysis import profile, reference, tables

NOTEBOOKS = ["15_at_a_glance", "20_import_dependence", "25_other_importers", "30_capacity_concentration", "40_export_controls",
             "50_mineral_profile"]
# Every analysis notebook takes these; each declares others only if it reads them.
CORE = {"focus_country", "edition", "report_dir"}  # year: only where a notebook reads it (30, 50)
KNOWN = set(SPEC) | {"mineral", "report_dir"}


def test_profile_runs_for_every_slug():
    """Every slug at the newest edition; at the oldest (MCS 2022: 12 minerals only) a sample."""
    editions = sorted(tables.load("world.csv")["edition"].unique())
    slugs = list(reference.names())
    for slug, ed in [(s, editions[-1]) for s in slugs] + [(s, editions[0]) for s in slugs[::9]]:
        p = profile.profile(slug, edition=int(ed))
        assert p.slug == slug and isinstance(p.missing, list)
        assert all(isinstance(m, str) and m for m in p.missing)
        # a mineral with nothing at all still says so, section by section
        if p.producers.empty:
            assert any("no world production" in m for m in p.missing), (slug, ed)


def test_profile_real_values():
    p = profile.profile("rare-earths", edition=2026, year=2025)
    china = p.producers[(p.producers["country"] == "China")].iloc[0]
    assert china["value"] == 270000 and round(china["share_pct"], 1) == 69.2
    assert p.reserves.iloc[0]["share_flag"] == "<"          # world reserves are a '>' bound
    assert set(p.controls["event_id"]) >= {"cn-2010-japan", "cn-2025-apr"}
    assert not p.trade.empty and not p.claims.empty
    g = profile.profile("germanium", edition=2026)
    assert g.producers.empty and any("no world production" in m for m in g.missing)
    assert not g.focus_over_time.empty                      # older editions still chart it
    peat = profile.profile("peat", edition=2026)
    assert any("not listed" in m for m in peat.missing)


def test_profile_year_before_the_newest():
    p = profile.profile("tungsten", edition=2026, year=2024)
    assert set(p.producers["year"]) == {2024}


# ---- the notebooks themselves

@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_shape(name):
    nb = nbformat.read(config.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert nb.cells[0].cell_type == "markdown"
    # a mineral page's h1 is the mineral's name, which only the data gives (supply.profile_facts)
    assert nb.cells[0].source.startswith("# ") != name.startswith("50_"), nb.cells[0].source[:40]
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and nb.cells.index(params[0]) == 1
    names = execute.declared_parameters(nb)
    assert CORE <= set(names) <= KNOWN and (("mineral" in names) == name.startswith("50_"))
    # A declared parameter no cell reads would only invite reruns and mislead the reader.
    assert execute.used_parameters(nb, names) == names, "declared parameters the notebook never uses"
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.get("outputs") and c.get("execution_count") is None, "outputs committed"
            tree = ast.parse(c.source)
            assert not any(isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef))
                           for n in ast.walk(tree)), "notebooks define no functions"
            assert not re.search(r"\b(open|Path|read_csv|to_csv)\(", c.source), "no paths in notebooks"


def _run(name, mineral, out):
    import papermill as pm

    params = {"report_dir": str(out)}
    if mineral:
        params["mineral"] = mineral
    dest = out / f"{name}-{mineral or 'all'}.ipynb"
    pm.execute_notebook(str(config.NOTEBOOKS / f"{name}.ipynb"), str(dest), parameters=params,
                        cwd=str(config.NOTEBOOKS), progress_bar=False, log_output=False)
    return nbformat.read(dest, as_version=4)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The template for a data-rich mineral, one without 2026 world data and one where China is
    not a listed producer (papermill, fresh kernels, run side by side)."""
    out = tmp_path_factory.mktemp("report")
    jobs = [("50_mineral_profile", "rare-earths"), ("50_mineral_profile", "germanium"),
            ("50_mineral_profile", "peat")]
    with ThreadPoolExecutor(max_workers=3) as pool:
        nbs = list(pool.map(lambda j: _run(*j, out), jobs))
    return out, dict(zip([m or n for n, m in jobs], nbs))


def _html(nb):
    return "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []))


def test_template_runs_and_links_resolve(executed):
    out, nbs = executed
    for key, nb in nbs.items():
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, key
        html = _html(nb)
        ids = re.findall(r'<figure class="chart" id="([^"]+)"', html)
        assert ids, key
        for i in ids:
            assert f'href="data/{i}.csv"' in html
            assert (out / "data" / f"{i}.csv").stat().st_size > 0
        assert len(re.findall(r'<img [^>]*alt="[^"]+"', html)) == len(ids)


def test_template_says_what_is_missing(executed):
    _, nbs = executed
    assert "What is missing: MCS 2026 publishes no world production" in _html(nbs["germanium"])
    assert "not listed" in _html(nbs["peat"])
    assert "rare-earths-producers-mine" in _html(nbs["rare-earths"])
    csv = pd.read_csv(executed[0] / "data" / "rare-earths-producers-mine.csv", keep_default_na=False)
    assert csv.loc[csv["label"] == "China", "shown_as"].item() == "69% e"


# Code cells only narrate: one section call and its display. Logic lives in critmin.sections.
FORBIDDEN_NODES = (ast.If, ast.For, ast.While, ast.IfExp, ast.ListComp, ast.DictComp, ast.SetComp,
                   ast.GeneratorExp, ast.JoinedStr, ast.BinOp, ast.BoolOp, ast.Compare, ast.Try)
FORBIDDEN_METHODS = {"merge", "rename", "groupby", "assign", "agg", "apply", "pivot", "pivot_table",
                     "sort_values", "query", "melt", "concat", "drop", "loc", "iloc", "isin", "fillna",
                     "replace", "copy", "reset_index", "set_index", "join", "format", "head", "tail"}
MAX_STATEMENTS = 3


def cell_logic(source: str) -> list[str]:
    """What in a code cell is computation rather than narration."""
    tree = ast.parse(source)
    # imports count too: a cell of imports is a cell like any other
    found = [f"{len(tree.body)} statements (at most {MAX_STATEMENTS})"] if len(tree.body) > MAX_STATEMENTS else []
    for node in sorted(ast.walk(tree), key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))):
        if isinstance(node, FORBIDDEN_NODES):
            found.append(f"{type(node).__name__} on line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_METHODS:
            found.append(f".{node.attr} on line {node.lineno}")
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Store):
            found.append(f"subscript on line {node.lineno}")
    return found


def test_cell_logic_is_detected():
    assert cell_logic("x = a.merge(b)\ny = [i for i in x]") == [".merge on line 1", "ListComp on line 2"]
    assert cell_logic("charts.show(supply.production_shares(world, params))") == []
    assert cell_logic("a = 1\nb = 2\nc = 3\nd = 4")[0] == "4 statements (at most 3)"
    assert cell_logic("import a\nimport b\nimport c\nx = a.f()")[0] == "4 statements (at most 3)"


@pytest.mark.parametrize("path", sorted(config.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebook_cells_only_narrate(path):
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []):
            found += [f"cell {i}: {what}" for what in cell_logic(c.source)]
    assert found == [], "\n".join(found)
