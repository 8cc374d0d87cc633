"""House-style charts: the CSV holds what the chart shows; flags are labels, never zero bars;
output is deterministic and HTML-safe."""
import base64
import math
import re

import pandas as pd
import pytest

from critmin.present import charts


@pytest.fixture
def out(tmp_path):
    charts.setup(tmp_path, link_prefix="../data/")
    yield tmp_path
    charts.setup()


def shares_frame():
    return pd.DataFrame({
        "commodity": ["rare-earths", "tungsten", "germanium", "gallium", "zinc <b>&", "tin"],
        "share_pct": [240000 / 3500, 79.0, math.nan, 99.0, 95.0, 40.0],
        "share_flag": ["", "", "none", "", ">", "range"],
        "share_high_pct": [math.nan] * 5 + [55.0],
        "estimated": [True, False, False, False, False, False],
        "reason": ["", "", "China value is withheld (W)", "", "", ""],
        "focus": [True, True, False, True, False, False]})


def bar(out, **kw):
    return charts.bar_share(shares_frame(), highlight="focus", chart_id="test-shares",
                            title="China leads", subtitle="% of world total, 2023",
                            source=charts.source_line(2024), alt="Bar chart of shares", **kw)


def test_csv_is_what_the_chart_shows(out):
    c = bar(out)
    csv = pd.read_csv(out / "data" / "test-shares.csv", keep_default_na=False)
    assert list(csv["label"]) == c.marks["ticks"][: len(csv)]
    assert set(csv["shown_as"]) == {"69% e", "79%", "W withheld", "99%", ">95%", "40–55%"}
    for text in csv["shown_as"]:
        assert text in c.marks["texts"]
    # one bar per number (a range has two segments), none for the withheld row, none of width 0
    n_bars = sum({"solid": 1, "estimated": 1, "bound": 1, "range": 2}.get(d, 0) for d in csv["drawn"])
    assert len(c.marks["bars"]) == n_bars == 6
    assert all(w > 0 for _, w in c.marks["bars"])
    row = csv[csv["label"] == "germanium"].iloc[0]
    assert row["drawn"] == "none" and row["value"] == "" and row["reason"].endswith("(W)")
    assert csv.loc[csv["label"] == "rare-earths", "value"].astype(float).iloc[0] == pytest.approx(68.571, abs=1e-3)


def test_flag_labels_are_in_the_svg_as_text(out):
    svg = bar(out).svg.decode()
    assert "W withheld" in svg and "&gt;95%" in svg
    assert "<b>" not in svg


def test_html_figure_escapes_and_links(out):
    c = charts.bar_share(shares_frame(), chart_id="x1", title="t", subtitle="s",
                         source="Source: <script>alert(1)</script>", alt='a "quoted" <alt>')
    h = c.to_html()
    assert "<script>" not in h and "&lt;script&gt;" in h
    assert 'alt="a &quot;quoted&quot; &lt;alt&gt;"' in h
    assert 'href="../data/x1.csv"' in h and "Download the data (CSV)" in h
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", h).group(1))
    assert svg == c.svg


def test_deterministic_svg(out):
    assert bar(out).svg == bar(out).svg
    assert b"<dc:date>" not in bar(out).svg


def test_required_texts_and_id(out):
    with pytest.raises(ValueError, match="alt"):
        charts.bar_share(shares_frame(), chart_id="x", title="t", subtitle="s", source="s", alt="")
    with pytest.raises(ValueError, match="chart_id"):
        charts.bar_share(shares_frame(), chart_id="Bad id", title="t", subtitle="s", source="s", alt="a")


def test_nir_bars_bounds_and_exporters(out):
    df = pd.DataFrame({"name": ["Gallium", "Arsenic", "Tungsten", "Beryllium", "Germanium"],
                       "nir_pct": [100.0, 95.0, 50.0, math.nan, math.nan],
                       "nir_flag": ["", ">", ">", "E", "W"],
                       "focus_leads": [False, True, True, False, False]})
    c = charts.nir_bars(df, chart_id="nir", title="t", subtitle="s", source="s", alt="a",
                        threshold=50)
    csv = pd.read_csv(out / "data" / "nir.csv", keep_default_na=False)
    assert list(csv["label"]) == ["Gallium", "Arsenic", "Tungsten", "Beryllium", "Germanium"]
    assert list(csv["shown_as"]) == ["100%", ">95%", ">50%", "E net exporter", "W withheld"]
    assert list(csv["drawn"]) == ["solid", "bound", "bound", "none", "none"]
    assert len(c.marks["bars"]) == 3
    assert "E net exporter" in c.marks["texts"] and "50%: dependent" in " ".join(c.marks["texts"])


def test_line_over_time_gaps_for_withheld(out):
    df = pd.DataFrame({"year": [2021, 2022, 2023, 2021, 2022, 2023],
                       "share": [70.0, math.nan, 69.0, 10.0, 12.0, 95.0],
                       "flag": ["", "W", "", "", "", ">"],
                       "est": [False, False, True, False, False, False],
                       "country": ["China"] * 3 + ["Australia"] * 3})
    c = charts.line_over_time(df, y="share", series="country", flag="flag", estimated="est",
                              focus="China", chart_id="line", title="t", subtitle="s",
                              source="s", alt="a", unit="%")
    csv = pd.read_csv(out / "data" / "line.csv", keep_default_na=False)
    assert csv.loc[(csv["series"] == "China") & (csv["x"] == 2022), "drawn"].item() == "none"
    assert csv.loc[(csv["series"] == "China") & (csv["x"] == 2022), "shown_as"].item() == "W withheld"
    assert "W" in c.marks["texts"]
    assert "China: 69% e" in c.marks["texts"] and "Australia: >95%" in c.marks["texts"]


def test_timeline_and_table(out):
    ev = pd.DataFrame({"date": ["2023-08-01", "2010-09-01"], "measure": ["b", "a <i>"],
                       "country": ["China", "Japan"]})
    c = charts.timeline(ev, focus="China", chart_id="tl", title="t", subtitle="s", source="s",
                        alt="a")
    csv = pd.read_csv(out / "data" / "tl.csv", keep_default_na=False)
    assert list(csv["measure"]) == ["a <i>", "b"] and list(csv["highlight"]) == [False, True]
    t = charts.table(pd.DataFrame({"country": ["<script>x</script>"], "v": [1.234]}), "cap")
    assert "<script>" not in t._repr_html_() and "1.2" in t._repr_html_()
    assert charts.paragraph("a < b")._repr_html_() == "<p>a &lt; b</p>"


def test_source_line_from_registry():
    s = charts.source_line(2026, "AP, 12 June 2025")
    assert "Mineral Commodity Summaries 2026" in s and "10.5066/P1WKQ63T" in s
    assert s.endswith("; AP, 12 June 2025")


def test_context_columns_never_overwrite_the_drawn_ones(out):
    df = shares_frame().assign(value=[1, 2, 3, 4, 5, 6], flag="x")
    charts.bar_share(df, chart_id="ctx", title="t", subtitle="s", source="s", alt="a")
    csv = pd.read_csv(out / "data" / "ctx.csv", keep_default_na=False)
    assert {"data_value", "data_flag"} <= set(csv.columns)
    assert float(csv.loc[csv["label"] == "tungsten", "value"].item()) == 79.0


def test_table_aligns_numbers_right_and_text_left():
    import pandas as pd

    from critmin.present import charts as ch

    df = pd.DataFrame({"measure": ["export ban", "licensing"], "share": ["69%", ">95%"],
                       "tonnes": [270000.0, 9804.0], "note": ["12 June 2025", ""]})
    out = ch.table(df, "t", digits=0).text
    assert '<th>measure</th><th class="num">share</th><th class="num">tonnes</th><th>note</th>' in out
    assert '<td>export ban</td><td class="num">69%</td><td class="num">270,000</td>' in out
    assert out.count('<div class="table-wrap">') == 1


def _threshold_boxes(svg: str, texts) -> list:
    """(x0, x1, y) in SVG points of each threshold label, measured with the chart's own font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    boxes = []
    for m in re.finditer(r'<text style="([^"]*)" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        style, x, y, text = m.group(1), float(m.group(2)), float(m.group(3)), m.group(4)
        if text.strip() in texts:
            size = float(re.search(r"font-size: ([\d.]+)px", style).group(1))
            w = TextPath((0, 0), text, size=size, prop=FontProperties(family="DejaVu Sans")).get_extents().width
            x0 = x - w if "text-anchor: end" in style else x
            boxes.append((x0, x0 + w, y))
    return boxes


@pytest.mark.parametrize("lines", [
    [(1500, "1,500"), (2500, "2,500: high")],                      # the report's HHI bands
    [(1500, "1,500: moderate"), (1700, "1,700: high"), (1800, "1,800: very high")],
    [(2400, "2,400"), (2500, "2,500: high")]])
def test_threshold_labels_never_collide(out, lines):
    """However close the thresholds, their labels above the plot do not overlap (issue 12: the
    HHI chart's 1,500 and 2,500 labels ran into each other); each stays inside the image."""
    df = pd.DataFrame({"name": ["Gallium", "Tungsten", "Antimony"], "hhi": [9804.0, 6255.0, 2582.0]})
    c = charts.hbars(df, label="name", value="hhi", chart_id="hhi-test", title="t", subtitle="s",
                     source="s", alt="a", thresholds=lines)
    svg = c.svg.decode() if isinstance(c.svg, bytes) else c.svg
    boxes = _threshold_boxes(svg, {t for _, t in lines})
    assert len(boxes) == len(lines)
    width = float(re.search(r'<svg[^>]*width="([\d.]+)pt"', svg).group(1))
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[1] <= width, a
        for b in boxes[i + 1:]:
            same_row = abs(a[2] - b[2]) < 8
            assert not (same_row and a[0] < b[1] and b[0] < a[1]), (a, b)
    assert "10,000" in svg or "8,000" in svg  # the axis reads like the labels (thousands separated)


def test_tall_chart_prints_as_blocks_that_fill_a_page(out):
    """A bar chart taller than a page is printed in small blocks of rows, stacked edge to edge
    (the page breaks between two blocks wherever it ends, so no page is left half empty before
    it): only the first carries the title and key, only the last the x axis, and together they
    are no taller than the chart drawn whole."""
    n = 70
    df = pd.DataFrame({"name": [f"Item {i}" for i in range(n)], "nir_pct": [100.0 - i for i in range(n)],
                       "nir_flag": [""] * n, "focus_leads": [i % 3 == 0 for i in range(n)]})
    c = charts.nir_bars(df, chart_id="tall", title="A tall chart", subtitle="s", source="s", alt="a",
                        threshold=50, row_height=0.19)
    heights = [h / 72 for _, h in c.print_parts]
    assert len(heights) > 3 and max(heights) < 3.0, heights  # small blocks, never page-sized
    whole = float(re.search(r'height="([\d.]+)pt"', base64.b64decode(
        c.to_html().split("base64,")[1].split('"')[0]).decode()).group(1)) / 72
    assert sum(heights) <= whole + 0.01
    middle = heights[1:-1]
    assert heights[0] > max(middle) and heights[-1] > min(middle)  # header first, axis last
    assert max(middle) - min(middle) < 0.2  # the same rows a block, no repeated header


@pytest.mark.parametrize("row_height", [0.25, 0.28])  # the NIR and import-source charts', the default
def test_wrapped_bar_labels_never_overlap(out, row_height):
    """Two-line axis labels on adjacent rows stay apart (on the NIR chart two of them, the
    abrasives' and nepheline syenite's, ran into each other at 0.19 in a row; 7 pt type, tried instead,
    is too small on a phone: tests/test_phone.py)."""
    long = ["Abrasives (Manufactured): fused aluminum oxide",
            "Feldspar and Nepheline Syenite: nepheline syenite",
            "Zirconium and Hafnium: zirconium unwrought"] + [f"Item {i}" for i in range(20)]
    df = pd.DataFrame({"name": long, "nir_pct": [99.0, 98.0, 97.0] + [90.0 - i for i in range(20)],
                       "nir_flag": [""] * 23, "focus_leads": [i % 2 == 0 for i in range(23)]})
    c = charts.nir_bars(df, chart_id="wrap", title="t", subtitle="s", source="s", alt="a",
                        threshold=50, row_height=row_height)
    svg = c.svg.decode() if isinstance(c.svg, bytes) else c.svg
    labels = []  # per y tick: (first baseline, last baseline, font size) of its lines
    for group in re.findall(r'<g id="ytick_\d+">(.*?)</g>\s*</g>\s*(?=<g id="ytick_|</g>)', svg, re.S):
        found = [(float(y), float(size)) for size, y in
                 re.findall(r'font-size: ([\d.]+)px[^>]*translate\([\d.]+ ([\d.]+)\)', group)]
        if len(found) > 1:
            labels.append((min(y for y, _ in found), max(y for y, _ in found), found[0][1]))
    assert len(labels) == 3, labels  # the three long labels wrapped
    for (_, last, size), (first, _, _) in zip(labels, labels[1:]):
        assert first - last >= 1.2 * size, (last, first, size)  # a clear line between two labels


def test_html_only_build_draws_no_pdf_and_the_same_svg(out, monkeypatch):
    """In an HTML-only build's kernels (--no-pdf: CRITMIN_CHART_PDF=0) a chart skips its PDF
    drawing, and its SVG, HTML and data are those of a chart drawn for the PDF too."""
    from critmin import config

    full = bar(out)
    monkeypatch.setenv(config.CHART_PDF_ENV, "0")
    html_only = bar(out)
    assert full.pdf.startswith(b"%PDF") and html_only.pdf == b""
    assert html_only.svg == full.svg and html_only.to_html() == full.to_html()
    assert config.CHART_PDF_MIME in full._repr_mimebundle_()[0]
    assert html_only._repr_mimebundle_() == {"text/html": full.to_html(), "text/plain": repr(full)}
