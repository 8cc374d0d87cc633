"""report.pdf as a reader holds it (issue 12): every chart label printed whole, nothing outside
the page, no near-empty page but a section's last, contents page numbers that are right,
bookmarks nested; and the mineral pages' titles and links. Runs on the default build
(report_support), shared with the other report tests."""
import csv
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from critmin import config
from report_support import session_report


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = session_report("default", tmp_path_factory)
    reader = PdfReader(str(out / "report.pdf"))
    pages = []   # per page: [(text, x, y, font)] in page coordinates
    for page in reader.pages:
        chunks = []

        def visit(text, cm, tm, font, size, chunks=chunks):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                chunks.append((text, x, y, (font or {}).get("/BaseFont", "")))
        page.extract_text(visitor_text=visit)
        pages.append(chunks)
    texts = [squash(" ".join(t for t, *_ in p)) for p in pages]
    dests = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
    return out, reader, pages, texts, dests


def _charts_in_pages(out: Path) -> set:
    ids = set()
    for page in [out / "index.html", *sorted((out / "minerals").glob("*.html"))]:
        ids |= {f.get("id") for f in BeautifulSoup(page.read_text(), "html.parser").select("figure.chart")}
    return ids


def test_every_chart_label_is_printed_whole(built):
    """Bar labels, line-series names and the labelled points of every chart of the pages are in
    the PDF's text in full (wrapped, never cut with an ellipsis)."""
    out, _, _, texts, _ = built
    # compared without spaces: text extraction splits words at ligatures ('re fi ned')
    whole = re.sub(r"\s+", "", " ".join(texts))
    missing, checked = [], 0
    for chart_id in sorted(_charts_in_pages(out)):
        with open(out / "data" / f"{chart_id}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for r in rows:
            label = r.get("label") or r.get("series") or (
                r.get("name") if r.get("profiled") == "True" and r.get("drawn") != "none" else "")
            if label:
                checked += 1
                if re.sub(r"\s+", "", label) not in whole:
                    missing.append(f"{chart_id}: {label!r}")
    assert checked > 200
    assert missing == [], "\n".join(missing[:20])


def test_nothing_outside_the_page(built):
    """Every piece of text, charts' included, lies inside its page's box."""
    _, reader, pages, _, _ = built
    outside = []
    for i, (page, chunks) in enumerate(zip(reader.pages, pages), start=1):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        outside += [f"page {i}: {t.strip()[:30]!r} at ({x:.0f}, {y:.0f})" for t, x, y, _ in chunks
                    if not (-1 <= x <= w + 1 and -1 <= y <= h + 1)]
    assert outside == [], "\n".join(outside[:20])


def _starts(out: Path, dests: dict) -> set:
    """Pages (0-based) where a section, mineral page or appendix begins (each starts a page)."""
    doc = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    ids = [s.get("id") for s in doc.select("section.report-section, div.appendix")]
    ids += [f"mineral-{p.stem}" for p in (out / "minerals").glob("*.html")] + ["colophon"]
    return {dests[i] for i in ids if i in dests}


def test_no_near_empty_page_but_a_sections_last(built):
    out, reader, pages, texts, dests = built
    title = squash(BeautifulSoup((out / "index.html").read_text(), "html.parser").find("h1").get_text())
    n = len(texts)
    starts = _starts(out, dests)
    assert len(starts) >= 10
    thin = []
    for i, text in enumerate(texts):
        body = text.replace(f"page {i + 1} of {n}", "").replace(title, "")
        last_of_section = i + 1 == n or (i + 1) in starts
        # a section's last page may be short, but not when it is also its first: a section of one
        # near-empty page (issue 12: the printed list of mineral pages) is folded into the next
        alone = i in starts and last_of_section and i + 1 != n
        if len(body) < 400 and (not last_of_section or alone):
            thin.append(f"page {i + 1}: {body[:80]!r}")
    assert thin == [], "\n".join(thin)
    # the front matter (title, at a glance, headline findings) fills its pages: no page of
    # one paragraph before the contents
    contents = _contents_page(pages)
    assert all(len(t) > 600 for t in texts[:contents]), [len(t) for t in texts[:contents]]


def _contents_page(pages) -> int:
    """The page the contents' numbers are written on (in Helvetica, critmin.engine.pdf.join)."""
    counts = [sum(1 for *_, font in p if font == "/Helvetica") for p in pages]
    assert max(counts) > 0, "no page carries contents page numbers"
    return counts.index(max(counts))


def test_contents_page_numbers_match_the_pages(built):
    """Each number printed in the contents is the page its entry's target is on, and that page
    shows the entry's heading."""
    out, reader, pages, texts, dests = built
    contents = _contents_page(pages)
    chunks = pages[contents]
    numbers = [(t.strip(), y) for t, x, y, font in chunks if font == "/Helvetica"]
    titles = [(t.strip(), y) for t, x, y, font in chunks if font != "/Helvetica"]
    assert len(numbers) >= 25
    doc = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    unnumbered = lambda t: squash(re.sub(r"(^|\s)\d+\.(?=\s|$)", " ", t))  # noqa: E731 (list numbers)
    entries = {unnumbered(a.get_text()): a["href"][1:] for a in doc.select("nav.toc a")}
    entries["How to cite, licence and this build"] = "colophon"
    for slug in [p.stem for p in (out / "minerals").glob("*.html")]:
        name = squash(BeautifulSoup((out / "minerals" / f"{slug}.html").read_text(), "html.parser").h1.get_text())
        entries[name] = f"mineral-{slug}"
    wrong, matched = [], 0
    for number, y in numbers:
        line = " ".join(t for t, ty in titles if abs(ty - y) < 3)
        line = unnumbered(line)
        target = entries.get(line)
        if target is None:
            wrong.append(f"no contents entry on the line of {number}: {line!r}")
            continue
        matched += 1
        page = dests[target]
        if int(number) != page + 1:
            wrong.append(f"{line!r}: printed {number}, is on page {page + 1}")
        elif squash(line)[:30] not in texts[page]:
            wrong.append(f"{line!r}: page {page + 1} does not show it")
    assert matched == len(numbers) and wrong == [], "\n".join(wrong)


def test_bookmarks_nest_minerals_and_sections(built):
    out, reader, _, _, _ = built
    outline = reader.outline
    titles = [o.title for o in outline if not isinstance(o, list)]
    assert "Mineral profiles" in titles and "Mineral profile" not in titles
    at = next(k for k, o in enumerate(outline) if not isinstance(o, list) and o.title == "Mineral profiles")
    children = outline[at + 1]
    assert isinstance(children, list), "the mineral pages are not nested under Mineral profiles"
    names = [c.title for c in children if not isinstance(c, list)]
    with open(config.MAPPINGS / "commodity_slugs.csv", encoding="utf-8") as fh:
        display = {r["slug"]: r["name"] for r in csv.DictReader(fh)}
    assert sorted(names) == sorted(display[p.stem] for p in (out / "minerals").glob("*.html"))
    for k, c in enumerate(children):  # each mineral holds its own sections
        if not isinstance(c, list):
            subs = children[k + 1] if k + 1 < len(children) else None
            assert isinstance(subs, list) and "World production by country" in [
                getattr(x, "title", "") for x in subs], c.title
    # sections hold their subsections
    k = next(k for k, o in enumerate(outline) if not isinstance(o, list) and o.title == "U.S. import dependence")
    assert isinstance(outline[k + 1], list) and len(outline[k + 1]) >= 3
    # "Mineral profiles" opens the first mineral's page: both bookmarks point at that page
    first = next(c for c in children if not isinstance(c, list))
    assert reader.get_destination_page_number(outline[at]) == reader.get_destination_page_number(first)


def test_mineral_pages_are_titled_and_linked(built):
    out = built[0]
    with open(config.MAPPINGS / "commodity_slugs.csv", encoding="utf-8") as fh:
        display = {r["slug"]: r["name"] for r in csv.DictReader(fh)}
    pages = sorted((out / "minerals").glob("*.html"))
    assert len(pages) >= 2
    for page in pages:
        doc = BeautifulSoup(page.read_text(), "html.parser")
        h1 = doc.find_all("h1")
        assert [squash(h.get_text()) for h in h1] == [display[page.stem]], page.name
        summary = h1[0].find_next("p")
        assert summary is not None and len(summary.get_text()) > 40
        pager = doc.select_one("nav.pager")
        hrefs = [a["href"] for a in pager.find_all("a")]
        assert "../index.html#mineral-profiles" in hrefs
        for href in hrefs:
            if not href.startswith("../"):
                assert (page.parent / href).is_file(), (page.name, href)
    # previous and next chain the pages in the report's order
    doc = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    order = [a["href"].split("/")[-1] for a in doc.select("ul.minerals a")]
    for a, b in zip(order, order[1:]):
        nxt = BeautifulSoup((out / "minerals" / a).read_text(), "html.parser").select_one('nav.pager a[rel="next"]')
        assert nxt is not None and nxt["href"] == b
