"""The PDF: A4, running title, 'page X of Y', as many pages as its content needs, the same
sections as the HTML, byte-stable."""
import hashlib

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from critmin.engine import pdf, render
from report_support import KINDS, session_report

A4 = (595.28, 841.89)  # points


@pytest.fixture(scope="module", params=KINDS)
def report(request, tmp_path_factory):
    out = session_report(request.param, tmp_path_factory)
    reader = PdfReader(str(out / "report.pdf"))
    texts = [p.extract_text() for p in reader.pages]
    return out, reader, texts


def squash(text: str) -> str:
    return " ".join(text.split())


def test_pages_are_a4_and_numbered(report):
    _, reader, texts = report
    n = len(reader.pages)
    for i, (page, text) in enumerate(zip(reader.pages, texts), start=1):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - A4[0]) < 0.5 and abs(h - A4[1]) < 0.5, (i, w, h)
        assert f"page {i} of {n}" in text, i


def test_running_title_after_the_first_page(report):
    out, reader, texts = report
    title = BeautifulSoup((out / "index.html").read_text(), "html.parser").find("h1").get_text()
    assert reader.metadata.title == title
    for i, text in enumerate(texts[1:], start=2):
        assert squash(title)[:40] in squash(text), i


def test_as_many_pages_as_the_content_needs(report):
    """Every page carries content besides its header and footer (no blank or runaway pages), and
    each section starts on its own page, so there are at least as many pages as sections."""
    out, reader, texts = report
    doc = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    title = squash(doc.find("h1").get_text())
    n_sections = len(doc.select("section.report-section")) + len(list((out / "minerals").glob("*.html")))
    assert len(texts) >= n_sections + 1
    for i, text in enumerate(texts, start=1):
        body = squash(text).replace(f"page {i} of {len(texts)}", "").replace(title, "")
        assert len(body) > 40, (i, body)


def test_text_contains_every_section_title(report):
    out, _, texts = report
    whole = squash(" ".join(texts))
    doc = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    for heading in doc.select("section.report-section > h2, section.report-section h2"):
        assert squash(heading.get_text()) in whole, heading.get_text()
    for page in sorted((out / "minerals").glob("*.html")):
        h1 = BeautifulSoup(page.read_text(), "html.parser").find(["h1", "h2"])
        assert squash(h1.get_text()) in whole, page.name


def test_pdf_is_byte_stable(tmp_path):
    """Two renderings of the same page give the same bytes: no dates, no random ids."""
    body = '<header class="report-header"><h1 class="report-title">Stable</h1></header>' + \
        "<p>" + "Text. " * 3000 + "</p>"
    html = render._pages().from_string(
        '{% extends "page.html.j2" %}{% block content %}' + body + "{% endblock %}").render(
        page_title="Stable", css=render._css())
    pdf.write(html, tmp_path / "a.pdf", "Stable", render._css())
    pdf.write(html, tmp_path / "b.pdf", "Stable", render._css())
    a, b = (tmp_path / "a.pdf").read_bytes(), (tmp_path / "b.pdf").read_bytes()
    assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()
    assert b"CreationDate" not in a and b"ModDate" not in a
    assert len(PdfReader(str(tmp_path / "a.pdf")).pages) >= 2


def test_links_to_csv_print_their_path(report):
    """print.css prints a CSV link's path after it (a.csv-link::after): the PDF says where each
    chart's data is (the list of chart data files is not printed)."""
    out, _, texts = report
    doc = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    links = [a["href"] for a in doc.select("section a.csv-link") if not a.find_parent("ul", class_="chart-data")]
    assert links
    whole = "".join(" ".join(texts).split())
    for href in links:
        assert f"({href})" in whole, href


def test_no_half_empty_page_before_the_tall_nir_chart(tmp_path_factory):
    """The net-import-reliance chart (68 items, taller than a page) starts on the page of its
    heading and text: it is printed in blocks of rows that fill the page, not pushed whole to
    the next one."""
    out = session_report("default", tmp_path_factory)
    texts = [squash(p.extract_text()) for p in PdfReader(str(out / "report.pdf")).pages]
    page = next(i for i, t in enumerate(texts)  # the section's page, not the contents'
                if "Net import reliance in the edition and year chosen" in t and "Contents" not in t)
    assert "relied on imports for at least 50% of its use" in texts[page]
    assert "Arsenic" in texts[page]  # the chart's first rows, not only its title
