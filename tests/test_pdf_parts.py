"""report.pdf is laid out in parts and joined (critmin.engine.pdf): the joined PDF must read as one
document — same pages as a single WeasyPrint rendering, page X of Y and the running title on the
right pages, links between parts that land on their target, bookmarks, charts drawn in their
boxes — and a part made early must be the part the whole report cuts out later."""
from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from critmin.engine import build, pdf, render
from critmin.present import charts  # noqa: E402
from critmin.engine.render import Fragment, Site  # noqa: E402

TITLE = "Parts test report"


def site() -> Site:
    return Site(TITLE, "a subtitle", [{"name": "minerals", "value": "gallium", "doc": "d"}], [], [],
                ["data/a.csv"], {"gallium": "Gallium"})


def chart(tmp_path, chart_id: str, title: str):
    charts.setup(tmp_path)
    data = pd.DataFrame({"country": ["China", "Japan"], "share_pct": [98.0, 2.0], "flag": ["", ""],
                         "share_high_pct": [float("nan")] * 2, "estimated": [False, False],
                         "focus": [True, False]})
    return charts.bar_share(data, label="country", value="share_pct", flag="flag", highlight="focus",
                            focus_country="China", chart_id=chart_id, title=title,
                            subtitle="Share of world production, %", source="Source: test",
                            alt="Bar chart")


def fragments(tmp_path):
    """Two sections and a mineral page; the first links to a heading of the second, to the mineral
    page and to a place that exists nowhere; each has a chart."""
    c1 = chart(tmp_path, "first-chart", "First chart title that states a finding")
    c2 = chart(tmp_path, "second-chart", "Second chart title with another finding")
    c3 = chart(tmp_path, "mineral-chart", "Mineral chart title on its own page")
    long = "<p>" + "Words that fill the page. " * 400 + "</p>"
    first = Fragment("20_first", "first", "First", "<h1>First section</h1>"
                     '<p><a href="#second--later-heading">to the later heading</a> '
                     '<a href="minerals/gallium.html">to gallium</a> <a href="#nowhere">dead</a></p>'
                     + long + c1.to_html())
    second = Fragment("30_second", "second", "Second", "<h1>Second section</h1>" + long
                      + "<h2>Later heading</h2><p>The target of the link.</p>" + c2.to_html())
    mineral = Fragment("50_profile-gallium", "gallium", "Gallium",
                       "<h1>Gallium profile</h1><p>Profile text.</p>" + c3.to_html())
    drawings = {c.chart_id: c.pdf for c in (c1, c2, c3)}
    return first, second, mineral, drawings


@pytest.fixture(scope="module")
def joined(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parts")
    first, second, mineral, drawings = fragments(tmp)
    prep = Fragment("10_prep", "prep", "Prep", "<h1>Data preparation</h1>" + "<p>Cleaning notes.</p>" * 60)
    page = render.index_html(site(), [first, second], [prep], [mineral], print_version=True)
    out = tmp / "report.pdf"
    pdf.write(page, out, TITLE, render._css(), charts=drawings)
    return page, out, PdfReader(str(out)), drawings


def test_same_pages_as_one_weasyprint_document(joined):
    """Cutting at the sections changes no page: same count, same body text on every page."""
    import weasyprint

    page, _, reader, _ = joined
    single = PdfReader(io.BytesIO(weasyprint.HTML(string=page).write_pdf()))
    assert len(reader.pages) == len(single.pages) >= 5

    def body(text):  # page text without the margin boxes and chart drawings
        lines = [ln for ln in text.splitlines() if ln.strip() and not re.match(r"page \d+ of \d+", ln)
                 and ln.strip() != TITLE]
        return " ".join(" ".join(lines).split())[:300]
    for a, b in zip(reader.pages, single.pages):
        assert body(a.extract_text())[:120] == body(b.extract_text())[:120]


def test_page_numbers_and_running_title(joined):
    _, _, reader, _ = joined
    n = len(reader.pages)
    for i, p in enumerate(reader.pages, start=1):
        text = p.extract_text()
        assert f"page {i} of {n}" in text
        # the title page shows the title once (its heading), every other page as running title
        assert text.count(TITLE) == 1, i
    assert reader.metadata.title == TITLE


def test_links_between_parts_land_on_their_target(joined):
    _, _, reader, _ = joined
    dests = reader.named_destinations
    page_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    links = []
    for i, p in enumerate(reader.pages):
        for annot in p.get("/Annots") or []:
            a = annot.get_object()
            if "/Dest" in a:
                links.append((i, str(a["/Dest"])))
    names = {name for _, name in links}
    assert {"second--later-heading", "mineral-gallium"} <= names
    assert "nowhere" not in names          # dropped, as WeasyPrint drops links to missing anchors
    for _, name in links:
        assert name in dests, name
    target = page_of[dests["second--later-heading"].page.idnum]
    assert "Later heading" in reader.pages[target].extract_text()
    target = page_of[dests["mineral-gallium"].page.idnum]
    assert "Gallium profile" in reader.pages[target].extract_text()


def test_bookmarks_follow_the_headings(joined):
    _, _, reader, _ = joined
    titles = []

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                titles.append(it.title)
    walk(reader.outline)
    for heading in ("First section", "Second section", "Later heading", "Gallium profile",
                    "Data preparation"):
        assert heading in titles


def test_charts_are_drawn_where_their_box_is(joined):
    """Each chart's PDF drawing is placed on the page that holds its caption, once."""
    _, _, reader, drawings = joined
    found = {}
    for i, p in enumerate(reader.pages):
        text = " ".join(p.extract_text().split())
        for chart_id, title in (("first-chart", "First chart title"), ("second-chart", "Second chart title"),
                                ("mineral-chart", "Mineral chart title")):
            if title in text:
                found.setdefault(chart_id, []).append(i)
    assert sorted(found) == sorted(drawings) and all(len(v) == 1 for v in found.values()), found


def test_a_chart_box_without_its_drawing_is_an_error(tmp_path):
    first, _, _, drawings = fragments(tmp_path)
    page = render.index_html(site(), [first], [], [], print_version=True)
    parts = pdf.split(page, frozenset(drawings))
    results = [pdf.render_part(p.html) for p in parts]
    n = sum(len(r["pages"]) for r in results)
    numbers = pdf.folio(1, n, n, render._css(), TITLE)["pdf"]
    with pytest.raises(RuntimeError, match="first-chart has a box in the PDF but no PDF drawing"):
        pdf.join(parts, results, numbers, TITLE, {})


def test_joined_pdf_is_byte_stable(joined, tmp_path):
    page, out, _, drawings = joined
    again = tmp_path / "again.pdf"
    pdf.write(page, again, TITLE, render._css(), charts=drawings)
    assert again.read_bytes() == out.read_bytes()


def test_a_part_made_early_is_the_part_cut_from_the_whole(tmp_path):
    """The build sends a section's part as soon as its notebook is rendered, from that fragment
    alone; the whole report must cut out the same bytes, or the early work is wasted."""
    first, second, mineral, drawings = fragments(tmp_path)
    prep = Fragment("10_prep", "prep", "Prep", "<h1>Data preparation</h1><p>Cleaning notes.</p>")
    s = site()
    whole = {p.section: p for p in pdf.split(
        render.index_html(s, [first, second], [prep], [mineral], print_version=True), frozenset(drawings))}
    assert {"", "first", "second", "sources-and-method", "prep", "mineral-gallium"} <= set(whole)
    stub = [Fragment("gallium", "gallium", "gallium", "")]  # a mineral page as the front sees it
    for frags, section in ((([], [], stub), "sources-and-method"), (([], [prep], []), "prep"),
                           (([first, second], [prep], stub), "")):
        alone = pdf.part_for(render.index_html(s, *frags, print_version=True, link_minerals=["gallium"]),
                             section)
        assert alone.key == whole[section].key, section
    alone = pdf.part_for(render.index_html(s, [second], [], [], print_version=True,
                                           link_minerals=["gallium"]), "second", frozenset(drawings))
    assert alone.key == whole["second"].key
    alone = pdf.part_for(render.index_html(s, [], [], [mineral], print_version=True,
                                           link_minerals=["gallium"]), "mineral-gallium",
                         frozenset(drawings))
    assert alone.key == whole["mineral-gallium"].key


def test_chart_outputs_carry_their_pdf_drawing(tmp_path):
    c = chart(tmp_path, "bundle-chart", "A title")
    data, meta = c._repr_mimebundle_()
    assert data["text/html"] == c.to_html()
    assert meta[pdf.PDF_MIME]["chart_id"] == "bundle-chart"
    assert c.pdf.startswith(b"%PDF") and b"CreationDate" not in c.pdf
    nb = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "display_data", "data": data,
                                                        "metadata": meta}]}]}

    class NB(dict):
        cells = nb["cells"]
    assert pdf.chart_pdfs(NB()) == {"bundle-chart": c.pdf}
    plt.close("all")


def test_runs_start_longest_first_after_data_preparation(tmp_path):
    from pathlib import Path

    from critmin.engine.execute import Run

    def run(name):
        return Run(name, Path(f"/nb/{name.split('-')[0]}.ipynb"), {}, tmp_path)
    runs = [run(n) for n in ("10_data", "20_a", "30_b", "40_c", "50_p-x", "50_p-y")]
    # nothing timed yet: notebook order
    assert [r.name for r in build.run_order(runs, {})] == [r.name for r in runs]
    times = {"20_a.ipynb": 1.5, "30_b.ipynb": 1.0, "40_c.ipynb": 0.5, "50_p.ipynb": 1.2}
    assert [r.name for r in build.run_order(runs, times)] == [
        "10_data", "20_a", "50_p-x", "50_p-y", "30_b", "40_c"]
    # a notebook never timed goes first: it may be the longest
    del times["40_c.ipynb"]
    assert [r.name for r in build.run_order(runs, times)][:2] == ["10_data", "40_c"]
