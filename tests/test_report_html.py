"""The rendered HTML: no scripts, no external resource, no code; images inline with alt text; every
link and anchor resolves; contents, headline, minerals, sources, parameters and checksums shown.

Checked on two reports built once per session: the fixture report and the default report."""
import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from critmin import config
from critmin.engine import build, params
from report_support import FIXTURE_DATA, FIXTURE_PARAMS, KINDS, ROOT, session_report


@pytest.fixture(scope="module", params=KINDS)
def report(request, tmp_path_factory):
    return request.param, session_report(request.param, tmp_path_factory)


def pages(out: Path) -> list[Path]:
    return [out / "index.html"] + sorted((out / "minerals").glob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def resolved_params(kind):
    if kind == "fixture":
        return params.load(FIXTURE_PARAMS, FIXTURE_DATA), FIXTURE_DATA
    return params.load(ROOT / "params" / "default.yml"), config.PROCESSED


def test_no_script_and_no_external_resource(report):
    _, out = report
    for page in pages(out):
        text = page.read_text(encoding="utf-8")
        doc = soup(page)
        assert not re.search(r"<script", text, re.I), page
        assert doc.find_all(["script", "iframe", "object", "embed", "link", "base", "video",
                             "audio", "source"]) == [], page
        for tag in doc.find_all(True):
            for attr in ("src", "srcset", "poster", "data", "background"):
                value = tag.get(attr)
                if value is not None:
                    assert str(value).startswith("data:"), (page.name, tag.name, str(value)[:80])
            assert not any(a.lower().startswith("on") for a in tag.attrs), (page.name, tag.name, tag.attrs)
        for style in doc.find_all("style"):
            assert "@import" not in style.text
            assert re.findall(r"url\(\s*['\"]?(?!data:)", style.text) == [], page
        assert not re.search(r"style=\"[^\"]*url\(", text), page
        assert "require.js" not in text and "mathjax" not in text.lower()


def test_no_code_prompts_or_parameter_cells(report):
    _, out = report
    for page in pages(out):
        text = page.read_text(encoding="utf-8")
        for marker in ("jp-InputArea", "jp-InputPrompt", "jp-OutputPrompt", "In&nbsp;[", "Out[",
                       "Parameters injected by critmin.engine.build", "celltag_parameters",
                       "celltag_injected-parameters", "cm-editor", 'class="highlight'):
            assert marker not in text, (page.name, marker)
        assert "application/vnd.jupyter.stderr" not in text  # stderr is reported, not published


def test_every_image_inline_with_alt_text(report):
    _, out = report
    count = 0
    for page in pages(out):
        for img in soup(page).find_all("img"):
            count += 1
            assert img["src"].startswith(("data:image/svg+xml;base64,", "data:image/png;base64,")), page
            alt = (img.get("alt") or "").strip()
            assert len(alt) >= 10 and "No description" not in alt, (page.name, alt)
    assert count >= 2


def _target(page: Path, href: str, out: Path):
    parts = urlsplit(href)
    if parts.scheme in ("http", "https", "mailto"):
        return None, None
    assert not parts.scheme, (page.name, href)
    path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    assert path.is_relative_to(out.resolve()), (page.name, href)
    return path, unquote(parts.fragment)


def test_every_link_and_anchor_resolves(report):
    _, out = report
    ids = {}
    for page in pages(out):
        found = [t["id"] for t in soup(page).find_all(id=True)]
        assert len(found) == len(set(found)), (page.name, sorted({i for i in found if found.count(i) > 1}))
        ids[page.resolve()] = set(found)
    for page in pages(out):
        for a in soup(page).find_all("a", href=True):
            path, frag = _target(page, a["href"], out)
            if path is None:
                continue
            assert path.is_file(), (page.name, a["href"])
            if frag:
                assert frag in ids[path], (page.name, a["href"])


def test_chart_data_links_resolve_and_every_csv_is_linked(report):
    _, out = report
    linked = set()
    for page in pages(out):
        for a in soup(page).find_all("a", href=True):
            path, _ = _target(page, a["href"], out)
            if path is not None and path.suffix == ".csv":
                assert path.is_file() and path.parent == (out / "data").resolve(), a["href"]
                linked.add(path.name)
    assert (out / "data").is_dir()
    assert linked == {p.name for p in (out / "data").glob("*.csv")}


def test_index_structure(report):
    kind, out = report
    resolved, data_dir = resolved_params(kind)
    doc = soup(out / "index.html")
    title = doc.find("h1").get_text()
    assert title.startswith("Critical minerals") and resolved["focus_country"] in title
    toc = [a["href"] for a in doc.select("nav.toc a")]
    sections = [s["id"] for s in doc.select("section.report-section")]
    # "At a glance" (notebook 15), when the build has it, comes first: above the contents
    front = [s["id"] for s in doc.select("section.front-section")]
    assert toc[: len(front) + 1] == [f"#{f}" for f in front] + ["#headline-findings"]
    assert toc[-1] == "#sources-and-method"
    if kind == "default":
        assert front == ["at-a-glance"]
        assert doc.select_one("#at-a-glance").find_next("nav") is doc.select_one("nav.toc")
    for sid in sections:
        assert f"#{sid}" in toc
    assert doc.select_one("#headline-findings").find(["p", "li"]) is not None
    mineral_links = [a["href"] for a in doc.select("#mineral-profiles a")]
    assert mineral_links == [f"minerals/{m}.html" for m in resolved["minerals"]]
    for m in resolved["minerals"]:
        mdoc = soup(out / "minerals" / f"{m}.html")
        assert mdoc.find("a", href="../index.html") is not None


def test_sources_parameters_and_checksums_are_shown(report):
    kind, out = report
    resolved, data_dir = resolved_params(kind)
    doc = soup(out / "index.html")
    method = doc.select_one("#sources-and-method")
    reg = yaml.safe_load(config.SOURCES.read_text(encoding="utf-8"))
    for rel in reg["releases"]:
        if rel.get("doi"):
            assert method.find("a", href=f"https://doi.org/{rel['doi']}") is not None, rel["id"]
    # parameter (readers' name), value, meaning, key in the parameters file
    shown = {tr.find_all("td")[3].get_text(): tr.find_all("td")[1].get_text()
             for tr in method.select("table.parameters tbody tr")}
    names = build._mineral_names()
    for name, value in params.for_display(resolved).items():
        want = ", ".join(names.get(m, m) for m in value) if name == "minerals" else str(value)
        if name == "article":  # shown by its title, credit and date, the file name as a note
            want = params.article_label(Path(resolved["article"]))
        assert shown[name] == want, name
    sums = {tr.find_all("td")[0].get_text(): tr.find_all("td")[2].get_text()
            for tr in method.select("table.checksums tbody tr")}
    expected = sorted(Path(data_dir).glob("*.csv")) + [config.SOURCES]
    for path in expected:
        key = params.show_path(path)
        assert sums[key] == hashlib.sha256(path.read_bytes()).hexdigest(), key
    assert "/work/" not in method.get_text() and "/tmp/" not in method.get_text()


def test_markup_in_data_is_escaped(tmp_path_factory):
    """The fixture data holds a country named '<script>alert(1)</script>', shown via a DataFrame,
    and a notebook displays raw HTML with a script in it: both must come out as text."""
    out = session_report("fixture", tmp_path_factory)
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in text
    assert "Raw HTML output: <b>bold</b> &lt;script&gt;alert(2)&lt;/script&gt;" in text
    assert "fixture warning written to stderr" not in text


def test_fixture_sections_in_notebook_order(tmp_path_factory):
    out = session_report("fixture", tmp_path_factory)
    doc = soup(out / "index.html")
    assert [s["id"] for s in doc.select("section.report-section")] == [
        "overview", "checks", "mineral-profiles", "sources-and-method"]
    # numbers below 20 (data preparation) appear under Sources and method
    assert doc.select_one("#sources-and-method #data--data-preparation") is not None
    # a notebook's own heading links were renamed with the section prefix and still resolve
    assert doc.find("a", href="#overview--share-chart") is not None
    # mineral pages: links written relative to the report root point one level up
    tungsten = (out / "minerals" / "tungsten.html").read_text()
    assert 'href="../data/profile_tungsten.csv"' in tungsten and 'href="../index.html#overview"' in tungsten


def test_no_tag_repeats_an_attribute(report):
    """A repeated attribute is ignored by browsers and WeasyPrint alike (the first one wins)."""
    _, out = report
    for page in pages(out):
        for tag in re.findall(r"<[a-z][^<>]*>", page.read_text(encoding="utf-8")):
            names = re.findall(r'\s([a-z-]+)="', tag)
            assert len(names) == len(set(names)), (page.name, tag[:120])


def test_headline_only_cells_show_under_headlines_and_not_in_their_section():
    import nbformat

    from critmin.engine import render

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("short()", metadata={"tags": ["headline-only"]}),
        nbformat.v4.new_code_cell("both()", metadata={"tags": ["headline"]}),
        nbformat.v4.new_code_cell("section()")])
    shown, headline, _ = render.prepare(nb, "x")
    assert [c.source for c in shown.cells] == ["both()", "section()"]
    assert [c.source for c in headline.cells] == ["short()", "both()"]


def _text(path: Path) -> str:
    return " ".join(soup(path).get_text(" ").split())


def test_mineral_page_says_what_is_missing_in_lower_case(tmp_path_factory):
    """The 'What is missing' line names the mineral as a sentence does ('no HS code for
    antimony'), never by its capitalised display name mid-sentence."""
    out = session_report("default", tmp_path_factory)
    text = _text(out / "minerals" / "antimony.html")
    assert "Our UN Comtrade extract holds no HS code for antimony." in text
    assert "for Antimony" not in text and "cover Antimony" not in text


def test_forms_read_as_words(tmp_path_factory):
    """A BACI form reads as words built from data/mappings/form_labels.csv, not as its slug's
    words in nested brackets ('tungsten (metal powders scrap)')."""
    out = session_report("default", tmp_path_factory)
    text = _text(out / "minerals" / "tungsten.html")
    assert "HS 810110 (tungsten: metal, powders and scrap)" in text
    assert "metal powders scrap" not in text


def test_three_sources_table_has_a_short_caption_and_traceable_rows(tmp_path_factory):
    """The U.S. three-sources table: a caption that is a title, one short source line naming
    each source once, and a CSV giving every row's raw file and rows."""
    import csv

    out = session_report("default", tmp_path_factory) / "minerals" / "rare-earths.html"
    doc = soup(out)
    cap = next(p for p in doc.select("p.table-caption") if "in three sources" in p.get_text())
    assert cap.get_text() == "China's share of U.S. imports of rare earths in three sources"
    source = cap.find_next("p", class_="table-source")
    line = source.get_text(" ")
    assert "Mineral Commodity Summaries 2026" in line and "UN Comtrade" in line and "BACI" in line
    assert len(line) < 250 and line.count("U.S. Geological Survey") == 0
    href = source.find("a", class_="chart-data")["href"]
    rows = list(csv.DictReader((out.parent / href).open(encoding="utf-8")))
    assert [r["Source"] for r in rows][:3] == ["USGS import sources (MCS 2026)", "UN Comtrade extract, U.S.-reported",
                                               "CEPII BACI"]
    assert all(r["source_file"] and r["source_rows"] for r in rows)
    usgs = rows[0]
    # MCS2026_Commodities_Data.csv is the one cp1252 raw file (MANIFEST)
    line = (config.RAW / usgs["source_file"]).read_text(encoding="cp1252").splitlines()[int(usgs["source_rows"]) - 1]
    assert ",Import Sources,Rare Earths,China," in line and ",71," in line and usgs["By value"] == "71%"


def test_claims_tables_mark_estimates_one_way(tmp_path_factory):
    """Notebook 60's tables mark a USGS estimate 'e', like every other table, and say so once."""
    out = session_report("default", tmp_path_factory)
    text = _text(out / "index.html")
    assert "(estimated)" not in text
    assert "82.7% e" in text
    claims = text.split("The article's figures, checked against the public data")[-1]
    assert "A figure followed by e is a USGS estimate." in claims


def test_html_only_build_writes_the_same_pages(tmp_path, tmp_path_factory):
    """--no-pdf (charts draw no PDF in its kernels) writes every page and data file of the full
    build byte for byte, and no report.pdf."""
    from report_support import fixture_args, run_build, tree

    full = session_report("fixture", tmp_path_factory)
    proc = run_build(*fixture_args(tmp_path / "report", tmp_path / "failed"), "--no-pdf")
    assert proc.returncode == 0, proc.stderr
    want = {k: v for k, v in tree(full).items() if k not in ("report.pdf", ".build-stamp.json")}
    got = {k: v for k, v in tree(tmp_path / "report").items() if k != ".build-stamp.json"}
    assert got == want
