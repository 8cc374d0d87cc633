"""The default report on a phone (headless chromium, 390 CSS px wide, mobile): no page scrolls
sideways, every chart's smallest text is at least 9 CSS px (a chart keeps a readable width and
scrolls in its own box; the PDF's page-sized parts of a tall chart are not shown), and table text columns are left-aligned, numbers right-aligned."""
import base64
import json
import re
import tempfile

import pytest

from report_support import session_report
from test_browser import Browser, chromium  # noqa: F401 (fixture)

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
MIN_TEXT_PX = 9
MEASURE = """JSON.stringify((() => {
  const doc = document.documentElement;
  const imgs = [...document.querySelectorAll('figure.chart .chart-scroll img')].map(i => ({
    width: i.getBoundingClientRect().width, src: i.src}));
  const cells = [...document.querySelectorAll('table.data-table td')].slice(0, 400).map(td => ({
    num: td.classList.contains('num'), align: getComputedStyle(td).textAlign}));
  const stacked = [...document.querySelectorAll('table.stacked')].map(t => ({
    box: t.parentElement.clientWidth, scroll: t.parentElement.scrollWidth,
    label: getComputedStyle(t.querySelector('tbody td:nth-child(2)'), '::before').content,
    header: getComputedStyle(t.querySelector('thead')).position}));
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, imgs, cells, stacked};
})())"""


def _min_font_user_units(uri: str) -> tuple[float, float]:
    """(viewBox width, smallest font size) of a chart's SVG, both in the SVG's user units."""
    head = uri.split(",", 1)[1]
    svg = base64.b64decode(head + "=" * (-len(head) % 4), validate=False).decode("utf-8", "ignore")
    view = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    return view, min(sizes)


@pytest.fixture(scope="module")
def phone(chromium, tmp_path_factory):  # noqa: F811
    out = session_report("default", tmp_path_factory)
    pages = [out / "index.html"] + sorted((out / "minerals").glob("*.html"))
    results = {}
    with tempfile.TemporaryDirectory(prefix="critmin-phone-") as profile:
        browser = Browser(chromium, profile)
        try:
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            browser.call("Page.enable", session=session)
            browser.call("Emulation.setDeviceMetricsOverride", PHONE, session=session)
            for page in pages:
                browser.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
                browser.wait_event("Page.loadEventFired", session)
                value = browser.call("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True},
                                     session=session)["result"]["value"]
                results[page.relative_to(out).as_posix()] = json.loads(value)
        finally:
            browser.close()
    return results


def test_no_page_scrolls_sideways_on_a_phone(phone):
    wide = {p: (r["scrollWidth"], r["innerWidth"]) for p, r in phone.items() if r["scrollWidth"] > r["innerWidth"]}
    assert wide == {}


def test_chart_text_is_readable_on_a_phone(phone):
    small = []
    for page, r in phone.items():
        assert r["imgs"], f"{page} has no chart to measure"
        for i, img in enumerate(r["imgs"]):
            view, font = _min_font_user_units(img["src"])
            px = font * img["width"] / view
            if px < MIN_TEXT_PX:
                small.append(f"{page} chart {i}: smallest text {px:.1f} px")
    assert small == []


def test_text_left_numbers_right(phone):
    cells = [c for r in phone.values() for c in r["cells"]]
    assert any(c["num"] for c in cells) and any(not c["num"] for c in cells)
    assert {c["align"] for c in cells if c["num"]} == {"right"}
    assert {c["align"] for c in cells if not c["num"]} <= {"left", "start"}


def test_glance_table_reads_on_a_phone_without_scrolling(phone):
    """The seven-column glance table is stacked on a phone (report.css, no script): one block per
    mineral, each figure after its column's name, and its box does not scroll sideways."""
    stacked = phone["index.html"]["stacked"]
    assert stacked, "the glance table is not stacked"
    for t in stacked:
        assert t["scroll"] <= t["box"], t
        assert "share of world mining" in t["label"], t   # the column's name, shown before the cell
        assert t["header"] == "absolute", t               # the header row is out of the flow
