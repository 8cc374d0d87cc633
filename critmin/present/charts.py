"""The report's one house style for charts and small tables.

Every chart function takes a tidy frame plus a title that states the finding, a subtitle with unit
and year, a source line and alt text, and returns a Chart that a notebook displays as an HTML
<figure>: the SVG (title, subtitle, plot) as a data URI with its alt text, then a caption with the
source line as text and a link to the chart's data, written to <report_dir>/data/<chart_id>.csv
(the rows exactly as drawn).

Conventions:
- Okabe-Ito palette (colour-blind safe); the focus country is always FOCUS (vermillion);
  everything else neutral grey unless a chart needs several series.
- Published flags are drawn, never as zero: withheld/NA/net exporter get a text label and no bar;
  bounds ('>95') get a hatched bar to the bound and the bound as label; estimates are hatched and
  labelled 'e'; ranges show the span.
- Output is deterministic: fixed svg.hashsalt, no date/creator metadata, text kept as text.
- Each chart is drawn twice: SVG for the HTML pages, PDF (vector) for report.pdf, which lays the
  PDF drawing over the chart's place instead of having WeasyPrint draw the SVG (critmin.engine.pdf).
  Displayed, a Chart carries both: text/html (the figure) and PDF_MIME (base64 PDF, with its
  chart id in the output metadata); HTML renderers show the former and ignore the latter.
- Any text from data that goes into HTML is escaped.
"""
from __future__ import annotations

import base64
import html
import io
import math
import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from critmin import config  # noqa: E402
from critmin.config import CHART_PDF_MIME as PDF_MIME  # noqa: E402
from critmin.present.format import ESTIMATE, estimate, share_label  # noqa: E402
from critmin.io import releases, to_csv_bytes  # noqa: E402

# Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
             "green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "purple": "#CC79A7"}
FOCUS = OKABE_ITO["vermillion"]     # the focus country, in every chart
OTHER = "#9A9A9A"                   # everything that is not the focus
SERIES = [OKABE_ITO[c] for c in ("blue", "green", "orange", "purple", "sky_blue", "black")]
INK = "#222222"
MUTED = "#666666"

# Flags that carry no number: drawn as a text label, never as a bar or a point.
NO_NUMBER = {"W": "W withheld", "NA": "NA not available", "XX": "XX not applicable",
             "E": "E net exporter", "qual": "no figure", "none": "not computed"}

STYLE = {
    "svg.hashsalt": "critmin",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "text.parse_math": False,       # '$' in data must stay a dollar sign
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "hatch.linewidth": 0.8,
    "figure.dpi": 100,
    "pdf.fonttype": 3,              # matplotlib's default, stated: Type 42 subsetting costs ~0.1 s a chart
}
WIDTH = 8.0  # inches


@dataclass
class Settings:
    report_dir: Path | None = None   # None: critmin.config.REPORT when a chart is written
    link_prefix: str = "data/"


SETTINGS = Settings()


def setup(report_dir=None, link_prefix: str = "data/") -> Settings:
    """Where chart data is written (<report_dir>/data/) and how the page links to it
    ('data/' on the index page, '../data/' on pages in report/minerals/)."""
    SETTINGS.report_dir = Path(report_dir) if report_dir else None
    SETTINGS.link_prefix = link_prefix
    return SETTINGS


# ---------------------------------------------------------------- sources


def source_line(*sources) -> str:
    """'Source: <publisher>, <title>, doi:<doi>' for release ids from data/sources.yml
    (or MCS edition numbers); any other string is used as written."""
    parts = []
    for s in sources:
        rid = f"usgs-mcs-{s}" if isinstance(s, int) else s
        rel = {r["id"]: r for r in releases()}.get(rid)
        if rel is None:
            parts.append(str(s))
            continue
        text = f"{rel['publisher']}, {rel['title']}"
        if rel.get("doi"):
            text += f", doi:{rel['doi']}"
        parts.append(text)
    return "Source: " + "; ".join(parts)


ARTICLE = "AP, 'Critical minerals give China an edge in trade negotiations', 12 June 2025"


# ---------------------------------------------------------------- the Chart object


@dataclass
class Chart:
    chart_id: str
    title: str
    subtitle: str
    source: str
    alt: str
    svg: bytes
    data: pd.DataFrame
    csv_path: Path
    link: str
    marks: dict = field(default_factory=dict, repr=False)  # what was drawn, for tests
    pdf: bytes = field(default=b"", repr=False)            # the same drawing as PDF
    # print parts: (width, height) in points of each print block (tall charts), pages 2… of pdf
    print_parts: list = field(default_factory=list, repr=False)

    def _parts_html(self, e) -> str:
        """Empty boxes of each print part's size (print.css shows them instead of the whole chart
        in report.pdf, which draws the part's PDF page in each; critmin.engine.pdf)."""
        out = []
        for k, (w, h) in enumerate(self.print_parts, start=1):
            box = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.2f}pt" height="{h:.2f}pt" '
                   f'viewBox="0 0 {w:.2f} {h:.2f}"></svg>')
            uri = "data:image/svg+xml;base64," + base64.b64encode(box.encode()).decode("ascii")
            out.append(f'<img class="chart-part" id="{e(self.chart_id)}--part-{k}" src="{uri}" '
                       f'alt="{e(self.alt)} (part {k} of {len(self.print_parts)})">')
        return f'<div class="chart-print">{"".join(out)}</div>' if out else ""

    def to_html(self) -> str:
        e = lambda s: html.escape(str(s), quote=True)  # noqa: E731
        uri = "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")
        split = " split" if self.print_parts else ""
        return (f'<figure class="chart{split}" id="{e(self.chart_id)}">'
                f'<div class="chart-scroll"><img src="{uri}" alt="{e(self.alt)}"></div>'
                f'{self._parts_html(e)}<figcaption><span class="chart-source">{e(self.source)}</span> '
                f'<a class="chart-data" href="{e(self.link)}">Download the data (CSV)</a>'
                f'</figcaption></figure>')

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": self.to_html(), "text/plain": repr(self)}
        if not self.pdf:
            return data
        data[PDF_MIME] = base64.b64encode(self.pdf).decode("ascii")
        return data, {PDF_MIME: {"chart_id": self.chart_id}}

    def __repr__(self) -> str:
        return f"Chart {self.chart_id}: {self.title}"


class Html:
    """A small HTML fragment for notebook display (tables, narrated findings)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return re.sub(r"<[^>]+>", "", self.text)


def paragraph(text: str) -> Html:
    """A narrated finding: the whole text is escaped (it carries names from data). Empty text
    gives no output at all."""
    return Html(f"<p>{html.escape(text, quote=False)}</p>" if text else "")


def heading(text: str, level: int = 2, anchor: str = "") -> Html:
    """An escaped section heading (for titles that come from data, e.g. a mineral's name)."""
    ident = f' id="{html.escape(anchor, quote=True)}"' if anchor else ""
    return Html(f"<h{level}{ident}>{html.escape(text)}</h{level}>")


def bullets(items) -> Html:
    """An escaped bullet list; an empty list gives nothing."""
    items = [html.escape(str(i)) for i in items]
    return Html("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else "")


# A cell that reads as a number: '1,234', '69%', '>95%', '40–45%', '$780 million', '9,804 e'.
_NUMERIC_CELL = re.compile(r"^[<>≈~]?\s?\$?-?\d[\d,]*(\.\d+)?(\s?[–-]\s?\d[\d,]*(\.\d+)?)?"
                           r"\s?(%|kg|t|kt|Mt|million|billion)?(\s?\(?e(stimated)?\)?)?$")


def _numeric(values) -> bool:
    """A column is numeric when every non-empty cell reads as a number (text stays left-aligned)."""
    cells = [str(v).strip() for v in values if str(v).strip()]
    return bool(cells) and all(_NUMERIC_CELL.match(c) for c in cells)


def table(df: pd.DataFrame, caption: str = "", *, digits: int = 1, stacked: bool = False,
          source: str = "") -> Html:
    """A small table: no index, floats rounded for reading, every cell escaped; numeric columns
    right-aligned in tabular figures, text left-aligned; scrolls in its own box on a phone, or,
    `stacked`, reads there as one block per row, each cell after its column's name (report.css).
    `source`: a short source line under it (the caption stays a title)."""
    shown = df.copy()
    for c in shown.columns:
        if pd.api.types.is_float_dtype(shown[c]):
            shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else f"{v:,.{digits}f}")
    shown = shown.astype(object).where(shown.notna(), "")
    num = [_numeric(shown[c]) for c in shown.columns]
    cls = [' class="num"' if n else "" for n in num]
    head = "".join(f"<th{k}>{html.escape(str(c))}</th>" for c, k in zip(shown.columns, cls))
    if stacked:  # the column's name on each cell, for report.css to show on a phone
        cls = [f'{k} data-label="{html.escape(str(c), quote=True)}"' for c, k in zip(shown.columns, cls)]
    rows = "".join("<tr>" + "".join(f"<td{k}>{html.escape(str(v))}</td>" for v, k in zip(r, cls)) + "</tr>"
                   for r in shown.itertuples(index=False, name=None))
    wide = " wide" if len(shown.columns) >= 8 else ""  # print.css sets it smaller, to fit the page
    wide += " stacked" if stacked else ""
    body = (f'<div class="table-wrap"><table class="data-table{wide}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")
    cap = f"<p class=\"table-caption\">{html.escape(caption)}</p>" if caption else ""
    src = f'<p class="table-source"><span class="chart-source">{html.escape(source)}</span></p>' if source else ""
    return Html(cap + body + src)


# ---------------------------------------------------------------- plumbing


_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _check(chart_id: str, title: str, subtitle: str, source: str, alt: str) -> None:
    if not _ID.match(chart_id or ""):
        raise ValueError(f"chart_id {chart_id!r}: use lowercase letters, digits, '-' and '_'")
    for name, val in (("title", title), ("subtitle", subtitle), ("source", source), ("alt", alt)):
        if not isinstance(val, str) or not val.strip():
            raise ValueError(f"chart {chart_id}: {name} is required")


CHAR_IN = {"title": 0.105, "subtitle": 0.08}  # mean glyph width, inches


def _wrap(text: str, kind: str) -> list[str]:
    return textwrap.wrap(text, width=max(20, int((WIDTH - 0.2) / CHAR_IN[kind]))) or [""]


def _frame(title: str, subtitle: str, source: str, plot_height: float, *, axis_in: float = 0.55,
           header: bool = True):
    """A figure whose header (title, subtitle, key) is sized to its text, so wrapped lines never
    overlap the plot. plot_height is the height of the axes in inches. The source line is not
    drawn in the image: the HTML figure carries it as text (readable, selectable, once).
    header=False, axis_in=0: the axes alone, edge to edge (a print block of a tall chart)."""
    if not header:
        bottom = axis_in + 0.08 if axis_in else 0.0
        fig, ax = plt.subplots(figsize=(WIDTH, plot_height + bottom))
        fig._critmin_layout = {"top_in": 0.0, "bottom_in": bottom, "legend_in": 0.0}
        return fig, ax
    t, sub = _wrap(title, "title"), _wrap(subtitle, "subtitle")
    top = 0.08 + 0.24 * len(t) + 0.18 * len(sub)
    legend_at = top + 0.02
    top += 0.30 + 0.12
    bottom = axis_in + 0.08 if axis_in else 0.0
    height = top + plot_height + bottom
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    fig.text(0.01, 1 - 0.08 / height, "\n".join(t), ha="left", va="top", fontsize=12.5,
             fontweight="bold", color=INK, linespacing=1.25)
    fig.text(0.01, 1 - (0.08 + 0.24 * len(t)) / height, "\n".join(sub), ha="left", va="top",
             fontsize=9.5, color=MUTED, linespacing=1.3)
    fig._critmin_layout = {"top_in": top, "bottom_in": bottom, "legend_in": legend_at}
    return fig, ax


def _legend(fig, handles) -> None:
    """Key in one row under the subtitle, outside the plot so it never hides a bar."""
    if handles:
        h = fig.get_figheight()
        fig.legend(handles=handles, loc="upper left",
                   bbox_to_anchor=(0.005, 1 - fig._critmin_layout["legend_in"] / h),
                   ncol=len(handles), fontsize=8, frameon=False, handlelength=1.6,
                   columnspacing=1.2)


def _adjust(fig, left: float | None, right: float) -> None:
    h = fig.get_figheight()
    lay = fig._critmin_layout
    fig.subplots_adjust(top=1 - lay["top_in"] / h, bottom=lay["bottom_in"] / h,
                        left=left if left is not None else 0.25, right=right)


THRESHOLD_ROW_IN = 0.15  # height of one row of threshold labels above the plot


def _place_thresholds(fig, ax) -> None:
    """Threshold labels above the plot never collide, however close the user sets the lines:
    each, left to right, goes right of its line, else left of it, else a row higher (the plot
    giving up the room). Measured with the renderer, on the layout the chart is saved with."""
    marks = sorted((t for t in ax.texts if getattr(t, "_critmin_threshold", False)),
                   key=lambda t: t.xy[0])
    if len(marks) < 2:
        return
    renderer = fig.canvas.get_renderer()
    width = fig.get_figwidth() * fig.dpi
    pad, rows = 3.0, 0  # pixels kept between two labels
    placed = []
    for mark in marks:
        for row in range(len(marks)):
            for ha in ("left", "right"):  # text right of the line, then left of it
                mark.set_ha(ha)
                mark.xyann = ((3 if ha == "left" else -3), 3 + row * THRESHOLD_ROW_IN * 72)
                box = mark.get_window_extent(renderer)
                if 0 <= box.x0 and box.x1 <= width and not any(
                        r == row and box.x0 < b.x1 + pad and b.x0 < box.x1 + pad for b, r in placed):
                    break
            else:
                continue
            break
        placed.append((box, row))
        rows = max(rows, row)
    if rows:  # the rows above the first come out of the plot's height
        fig._critmin_layout["top_in"] += rows * THRESHOLD_ROW_IN
        h = fig.get_figheight()
        fig.subplots_adjust(top=1 - fig._critmin_layout["top_in"] / h)


def _pdf(fig) -> bytes:
    vector = io.BytesIO()
    with plt.rc_context(STYLE):
        fig.savefig(vector, format="pdf", metadata={"CreationDate": None, "Creator": None,
                                                    "Producer": None})
    return vector.getvalue()


def _finish(fig, ax, chart_id, title, subtitle, source, alt, data: pd.DataFrame,
            left: float | None = None, right: float = 0.97, parts=()) -> Chart:
    """The Chart of a drawn figure. parts: the same chart drawn in page-sized pieces for print:
    drawn as PDF only (pages 2… of the chart's PDF), each with an empty SVG of its size."""
    _adjust(fig, left, right)
    _place_thresholds(fig, ax)
    marks = {"texts": [t.get_text() for t in ax.texts],
             "bars": [(p.get_y() + p.get_height() / 2, p.get_width()) for p in ax.patches],
             "ticks": [t.get_text() for t in ax.get_yticklabels()],
             "lines": [ln.get_label() for ln in ax.lines]}
    buf = io.BytesIO()
    with plt.rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    # an HTML-only build draws no PDF: same pages, a third less drawing per chart
    drawn = os.environ.get(config.CHART_PDF_ENV, "1") != "0"
    drawings, sizes = [_pdf(fig)] if drawn else [], []
    plt.close(fig)
    for part in parts:
        _adjust(part, left, right)
        _place_thresholds(part, part.axes[0])
        if drawn:
            drawings.append(_pdf(part))
        sizes.append((float(part.get_figwidth() * 72), float(part.get_figheight() * 72)))
        plt.close(part)
    vector = (_join_pdfs(drawings) if len(drawings) > 1 else drawings[0]) if drawings else b""
    out = (SETTINGS.report_dir or config.REPORT) / "data" / f"{chart_id}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(to_csv_bytes(data.reset_index(drop=True)))
    return Chart(chart_id, title, subtitle, source, alt, buf.getvalue(), data, out,
                 f"{SETTINGS.link_prefix}{chart_id}.csv", marks, vector, sizes)


def _join_pdfs(drawings: list[bytes]) -> bytes:
    """One PDF, a page per drawing (pikepdf, deterministic)."""
    import pikepdf

    out = pikepdf.new()
    for d in drawings:
        out.pages.extend(pikepdf.open(io.BytesIO(d)).pages)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True)
    return buf.getvalue()


def _label_lines(label, width: int = 34, lines: int = 3) -> str:
    """Axis label wrapped on up to `lines` lines of about `width` characters, never cut short
    (a word longer than the line is broken only where it must be)."""
    text = str(label)
    if len(text) <= width + 6:
        return text
    out = textwrap.wrap(text, width=width, break_on_hyphens=False)
    if len(out) > lines:  # too long even wrapped: wider lines, still every word
        out = textwrap.wrap(text, width=-(-len(text) // lines) + 4, break_on_hyphens=False)
    return "\n".join(out)


# A4 (print.css): a chart is drawn 8 inches wide into a 6.93-inch column (x 0.866), so a drawing
# up to about 11 inches tall fits a page under its heading and caption.
PAGE_IN = 10.6
BLOCK_IN = 1.2  # a print block of a tall chart: small, so a page is filled to its foot


def _print_blocks(n: int, row_height: float) -> list[tuple[int, int]]:
    """Row ranges of the blocks a bar chart of n rows taller than a page is printed in: the first
    with the header, the last with the x axis, stacked edge to edge so the page breaks between two
    blocks wherever the page ends ([]: the chart fits a page and is printed whole)."""
    fixed = 0.3 + 1.9  # axis padding; header with two-line title, subtitle and key; x axis
    if fixed + row_height * n <= PAGE_IN:
        return []
    size = max(1, int(BLOCK_IN / row_height))
    return [(a, min(n, a + size)) for a in range(0, n, size)]


def _isnan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _fmt(v: float, digits: int) -> str:
    if digits == 0 and v != 0 and abs(v) < 1:
        return f"{v:.2g}"  # 0.5 stays 0.5, never '0'
    return f"{v:,.{digits}f}"


def value_text(value, flag, high=math.nan, *, estimated=False, digits=0, unit="") -> str:
    """The label a reader sees next to a bar or point: '69%', '>95%', '40–45%', '68.6% e',
    'W withheld'. Never a bare zero for a missing value."""
    if flag in NO_NUMBER or (_isnan(value) and flag == ""):
        return NO_NUMBER.get(flag, "NA not available")
    if flag in (">", "<"):
        text = f"{flag}{_fmt(value, digits)}{unit}"
    elif flag == "range":
        text = f"{_fmt(value, digits)}–{_fmt(high, digits)}{unit}"
    else:
        text = f"{_fmt(value, digits)}{unit}"
    return estimate(text, estimated)


# ---------------------------------------------------------------- charts


def hbars(data: pd.DataFrame, *, label: str, value: str, flag: str | None = None,
          high: str | None = None, estimated: str | None = None, highlight: str | None = None,
          text: str | None = None, chart_id: str, title: str, subtitle: str, source: str,
          alt: str, xlabel: str = "", xmax: float | None = None, digits: int = 0, unit: str = "",
          threshold: float | None = None, threshold_label: str = "",
          thresholds: list | None = None,
          highlight_label: str = "Focus country", other_label: str = "Others",
          keep_order: bool = False, row_height: float = 0.28) -> Chart:
    """Horizontal bars, one per row (largest first unless keep_order). Rows whose flag has no
    number get a grey text label at zero and no bar. The CSV holds label, value, flag, text
    shown, whether a bar was drawn and how (solid / hatched)."""
    _check(chart_id, title, subtitle, source, alt)
    d = data.copy()
    d["_flag"] = d[flag].fillna("") if flag else ""
    d["_high"] = d[high] if high else math.nan
    d["_est"] = d[estimated].fillna(False).astype(bool) if estimated else False
    d["_hl"] = d[highlight].fillna(False).astype(bool) if highlight else False
    if not keep_order:
        d["_sort"] = [(-1 if f in NO_NUMBER or _isnan(v) else v) for v, f in zip(d[value], d["_flag"])]
        d = d.sort_values(["_sort", label], ascending=[False, True], kind="stable")
    d["shown_as"] = (d[text] if text else
                     [value_text(v, f, h, estimated=e, digits=digits, unit=unit)
                      for v, f, h, e in zip(d[value], d["_flag"], d["_high"], d["_est"])])
    d["drawn"] = ["none" if (f in NO_NUMBER or _isnan(v)) else
                  ("bound" if f in (">", "<") else "range" if f == "range" else
                   "estimated" if e else "solid")
                  for v, f, e in zip(d[value], d["_flag"], d["_est"])]
    vmax = max([0.0] + [float(v) for v, dr in zip(d[value], d["drawn"]) if dr != "none"]
               + [float(h) for h, dr in zip(d["_high"], d["drawn"]) if dr == "range"])
    # a percentage axis ends at 100 when the data does (value labels sit past its end)
    axis_end = 100.0 if unit == "%" and 0 < vmax <= 100 else None
    xmax = axis_end or xmax or (vmax * 1.18 if vmax > 0 else 1.0)
    room = 0.8 if axis_end else 0.0  # inches right of the axis for the labels past its end
    ticks = [_label_lines(x) for x in d[label]]

    def draw(rows: pd.DataFrame, head: str, first: bool = True, last: bool = True):
        """The chart, or one print block of it: only the first has the header (title, key and
        threshold labels) and only the last the x axis; rows are row_height apart in every one."""
        n = max(len(rows), 1)
        pad_top, pad_bottom = (0.2 if first else 0.0), (0.2 if last else 0.0)
        whole = first and last
        fig, ax = _frame(head, subtitle, source, 0.3 + row_height * n if whole else
                         row_height * (n + pad_top + pad_bottom), header=first,
                         axis_in=0.55 if last else 0.0)
        ys = list(range(n))[::-1][: len(rows)]
        for y, (_, r) in zip(ys, rows.iterrows()):
            colour = FOCUS if r["_hl"] else OTHER
            kind = r["drawn"]
            if kind == "none":
                ax.text(xmax * 0.005, y, r["shown_as"], va="center", ha="left", fontsize=8.5,
                        color=MUTED, style="italic")
                continue
            v = float(r[value])
            if kind == "solid":
                ax.barh(y, v, color=colour, height=0.7)
            elif kind == "estimated":
                ax.barh(y, v, color=colour, height=0.7, alpha=0.7, hatch="////",
                        edgecolor="white", linewidth=0)
            elif kind == "bound":
                ax.barh(y, v, color="white", height=0.7, hatch="xxx", edgecolor=colour,
                        linewidth=1.0)
            else:  # range: solid to the low end, hatched to the high end
                ax.barh(y, v, color=colour, height=0.7)
                ax.barh(y, float(r["_high"]) - v, left=v, color="white", height=0.7,
                        hatch="xxx", edgecolor=colour, linewidth=1.0)
            end = float(r["_high"]) if kind == "range" else v
            ax.text(end + xmax * 0.01, y, r["shown_as"], va="center", ha="left", fontsize=8.5,
                    color=INK, fontweight="bold" if r["_hl"] else "normal", clip_on=False)
        ax.set_yticks(ys, [ticks[i] for i in rows.index])
        for tick in ax.get_yticklabels():
            if "\n" in tick.get_text():  # wrapped: two lines of 8 pt need 0.25 in a row (readable on a phone)
                tick.set_fontsize(8)
                tick.set_linespacing(0.9 if row_height < 0.26 else 1.0)
        ax.set_ylim(-0.7, n - 0.3) if whole else ax.set_ylim(-0.5 - pad_bottom, n - 0.5 + pad_top)
        ax.set_xlim(0, xmax)
        if not last:
            ax.spines["bottom"].set_visible(False)
            ax.tick_params(axis="x", bottom=False, labelbottom=False)
        elif xlabel:
            ax.set_xlabel(xlabel)
        lines = list(thresholds or []) + ([(threshold, threshold_label)] if threshold is not None else [])
        for at, text_ in lines:
            ax.axvline(at, color=INK, linestyle=(0, (4, 3)), linewidth=0.9)
            if text_ and first:
                mark = ax.annotate(text_, (at, 1.0), xycoords=("data", "axes fraction"),
                                   xytext=(3, 3), textcoords="offset points", fontsize=8,
                                   color=INK, va="bottom", ha="left", annotation_clip=False)
                mark._critmin_threshold = True  # placed clear of the others in _finish
        if lines and max(at for at, _ in lines) >= 1000:  # '10,000', as the labels print it
            ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        handles = []
        if d["_hl"].any():
            handles.append(Patch(color=FOCUS, label=highlight_label))
            if (~d["_hl"]).any():
                handles.append(Patch(color=OTHER, label=other_label))
        if (d["drawn"] == "estimated").any():
            handles.append(Patch(facecolor=OTHER, alpha=0.7, hatch="////", edgecolor="white",
                                 label=f"USGS estimate ({ESTIMATE})"))
        if d["drawn"].isin(["bound", "range"]).any():
            handles.append(Patch(facecolor="white", hatch="xxx", edgecolor=OTHER,
                                 label="bound or range: USGS gives no exact figure"))
        if first:
            _legend(fig, handles)
        return fig, ax

    d = d.reset_index(drop=True)
    with plt.rc_context(STYLE):
        fig, ax = draw(d, title)
        # print: a chart taller than a page is also drawn in blocks of rows (critmin.engine.pdf),
        # which the page fills with as many as fit: no half-empty page before a tall chart
        blocks = _print_blocks(len(d), row_height)
        parts = [draw(d.iloc[a:b], title, first=i == 0, last=i == len(blocks) - 1)[0]
                 for i, (a, b) in enumerate(blocks)]
    label_width = max([len(line) for t in ticks for line in t.split("\n")] + [8])
    left = min(0.5, (0.15 + 0.081 * label_width) / WIDTH)
    csv = pd.DataFrame({
        "label": d[label].astype(str).values, "value": d[value].values,
        "value_high": d["_high"].values, "flag": d["_flag"].values,
        "estimated": d["_est"].values, "highlight": d["_hl"].values,
        "shown_as": d["shown_as"].values, "drawn": d["drawn"].values})
    extra = [c for c in data.columns if c not in (label, value, flag, high, estimated, highlight, text)]
    for c in extra:  # context columns; a name the chart already uses gets a 'data_' prefix
        csv[c if c not in csv.columns else f"data_{c}"] = d[c].values
    return _finish(fig, ax, chart_id, title, subtitle, source, alt, csv, left=left,
                   right=0.97 - room / WIDTH, parts=parts)


def bar_share(data: pd.DataFrame, *, label: str = "commodity", value: str = "share_pct",
              flag: str = "share_flag", high: str = "share_high_pct", estimated: str = "estimated",
              highlight: str | None = None, focus_country: str = "China", **kw) -> Chart:
    """Shares of world totals in percent (0–100 axis)."""
    kw.setdefault("xlabel", "Share of world total (%)")
    kw.setdefault("xmax", 112)
    kw.setdefault("unit", "%")
    kw.setdefault("highlight_label", focus_country)
    if "text" not in kw and "reason" in data.columns:
        data = data.assign(_text=[
            share_label(v, f, reason=r) if f == "none" or _isnan(v) else
            value_text(v, f, h, estimated=bool(e), digits=kw.get("digits", 0), unit="%")
            for v, f, h, e, r in zip(data[value], data[flag],
                                     data[high] if high in data.columns else [math.nan] * len(data),
                                     data[estimated] if estimated in data.columns else [False] * len(data),
                                     data["reason"])])
        kw["text"] = "_text"
    return hbars(data, label=label, value=value, flag=flag,
                 high=high if high in data.columns else None,
                 estimated=estimated if estimated in data.columns else None,
                 highlight=highlight, **kw)


def nir_bars(data: pd.DataFrame, *, label: str = "name", value: str = "nir_pct",
             flag: str = "nir_flag", highlight: str = "focus_leads", threshold: float = 50,
             focus_country: str = "China", **kw) -> Chart:
    """U.S. net import reliance, sorted; bounds hatched with their bound; 'E' net exporters
    labelled; bars of minerals whose leading import source is the focus country highlighted."""
    kw.setdefault("xlabel", "Net import reliance (% of apparent consumption)")
    kw.setdefault("xmax", 118)
    kw.setdefault("unit", "%")
    kw.setdefault("threshold_label", f"{threshold:g}%: dependent")
    kw.setdefault("highlight_label", f"leading import source: {focus_country}")
    kw.setdefault("other_label", "other leading source")
    return hbars(data, label=label, value=value, flag=flag, highlight=highlight,
                 threshold=threshold, keep_order=True, **kw)


def line_over_time(data: pd.DataFrame, *, x: str = "year", y: str, series: str,
                   flag: str | None = None, high: str | None = None,
                   estimated: str | None = None, focus: str | None = None, chart_id: str,
                   title: str, subtitle: str, source: str, alt: str, ylabel: str = "",
                   ymax: float | None = None, digits: int = 0, unit: str = "",
                   linestyles: dict | None = None) -> Chart:
    """One line per series; the `focus` series in FOCUS. Exact points filled, estimated hollow,
    bounds as triangles (▲ '>' / ▼ '<'), ranges as a vertical bar; W/NA leave a gap in the line
    and a grey flag letter at the axis. Series are labelled at their last point."""
    _check(chart_id, title, subtitle, source, alt)
    d = data.copy()
    d["_flag"] = d[flag].fillna("") if flag else ""
    d["_high"] = d[high] if high else math.nan
    d["_est"] = d[estimated].fillna(False).astype(bool) if estimated else False
    d = d.sort_values([series, x], kind="stable")
    d["shown_as"] = [value_text(v, f, h, estimated=e, digits=digits, unit=unit)
                     for v, f, h, e in zip(d[y], d["_flag"], d["_high"], d["_est"])]
    d["drawn"] = ["none" if (f in NO_NUMBER or _isnan(v)) else
                  ("bound" if f in (">", "<") else "range" if f == "range" else
                   "estimated" if e else "point")
                  for v, f, e in zip(d[y], d["_flag"], d["_est"])]
    names = list(dict.fromkeys(d[series].astype(str)))
    # colours cycle through the palette; a series that reuses a colour gets a dashed line
    rest = [s for s in names if s != focus]
    colours = {s: SERIES[i % len(SERIES)] for i, s in enumerate(rest)}
    dashed = {s for i, s in enumerate(rest) if i >= len(SERIES)}
    if focus in names:
        colours[focus] = FOCUS
    with plt.rc_context(STYLE):
        fig, ax = _frame(title, subtitle, source, 3.4)
        top = max([0.0] + [float(v) for v, dr in zip(d[y], d["drawn"]) if dr != "none"]
                  + [float(h) for h, dr in zip(d["_high"], d["drawn"]) if dr == "range"])
        ymax = ymax or (top * 1.15 if top > 0 else 1.0)
        if unit == "%" and 0 < top <= 100:
            ymax = min(ymax, 100.0)  # a share axis ends at 100
        ends = []
        few_x = d[x].nunique() <= 15
        for s in names:
            g = d[d[series].astype(str) == s]
            c = colours[s]
            lw = 2.4 if s == focus else 1.5
            ls = (linestyles or {}).get(s, "--" if s in dashed else "-")
            ys = [float(v) if dr != "none" else math.nan for v, dr in zip(g[y], g["drawn"])]
            ax.plot(g[x], ys, color=c, linewidth=lw, linestyle=ls, zorder=2)
            for xv, yv, dr, f, h in zip(g[x], ys, g["drawn"], g["_flag"], g["_high"]):
                if dr == "none":
                    if few_x:  # letter the gap (W, NA, E); long series just show the gap
                        ax.text(xv, ymax * 0.01, "NA" if f in ("", "none") else f, color=MUTED,
                                fontsize=7.5, ha="center", va="bottom", style="italic")
                elif dr == "point":
                    ax.plot([xv], [yv], marker="o", color=c, markersize=4.5, zorder=3)
                elif dr == "estimated":
                    ax.plot([xv], [yv], marker="o", markerfacecolor="white", color=c,
                            markersize=5, zorder=3)
                elif dr == "bound":
                    ax.plot([xv], [yv], marker="^" if f == ">" else "v", markerfacecolor="white",
                            color=c, markersize=6.5, zorder=3)
                else:
                    ax.plot([xv, xv], [yv, float(h)], color=c, linewidth=3, alpha=0.6, zorder=3)
            last = g[g["drawn"] != "none"].tail(1)
            if not last.empty:
                when = "" if last[x].iloc[0] == d[x].max() else f" ({last[x].iloc[0]})"
                ends.append([float(last[y].iloc[0]),
                             f"{_label_lines(s, 30, 2)}: {last['shown_as'].iloc[0]}{when}", c,
                             s == focus])
        # end-of-line labels in the right margin, pushed apart so equal values do not collide
        ends.sort(key=lambda e: e[0])
        for i in range(1, len(ends)):
            gap = ymax * 0.028 * (ends[i][1].count("\n") + ends[i - 1][1].count("\n") + 2)
            if ends[i][0] - ends[i - 1][0] < gap:
                ends[i][0] = ends[i - 1][0] + gap
        for yv, text_, c, is_focus in ends:
            ax.annotate(text_, (1.0, yv), xycoords=("axes fraction", "data"), xytext=(8, 0),
                        textcoords="offset points", va="center", fontsize=8.5, color=c,
                        fontweight="bold" if is_focus else "normal", annotation_clip=False,
                        linespacing=1.0)
        ax.set_ylim(0, ymax)
        xs = sorted(d[x].unique())
        if xs:
            span = max(xs) - min(xs)
            ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
            if span <= 15:
                ax.set_xticks(xs, [str(v) for v in xs])
        if ylabel:
            ax.set_ylabel(ylabel)
        ax.grid(axis="y", color="#E5E5E5", linewidth=0.6)
        ax.set_axisbelow(True)
        handles = []
        if (d["drawn"] == "estimated").any():
            handles.append(plt.Line2D([], [], marker="o", markerfacecolor="white", color=MUTED,
                                      linestyle="", label=f"USGS estimate ({ESTIMATE})"))
        if (d["drawn"] == "bound").any():
            handles.append(plt.Line2D([], [], marker="^", markerfacecolor="white", color=MUTED,
                                      linestyle="", label="bound (> or <)"))
        if (d["drawn"] == "none").any():
            handles.append(plt.Line2D([], [], linestyle="", label="W/NA: no figure published"))
        _legend(fig, handles)
    csv = pd.DataFrame({
        "series": d[series].astype(str).values, "x": d[x].values, "value": d[y].values,
        "value_high": d["_high"].values, "flag": d["_flag"].values,
        "estimated": d["_est"].values, "shown_as": d["shown_as"].values,
        "drawn": d["drawn"].values})
    extra = [c for c in data.columns if c not in (x, y, series, flag, high, estimated)]
    for c in extra:  # context columns; a name the chart already uses gets a 'data_' prefix
        csv[c if c not in csv.columns else f"data_{c}"] = d[c].values
    return _finish(fig, ax, chart_id, title, subtitle, source, alt, csv, left=0.08, right=0.68)


def timeline(data: pd.DataFrame, *, date: str = "date", label: str = "measure",
             group: str = "country", focus: str | None = None, highlight: str | None = None,
             chart_id: str, title: str, subtitle: str, source: str, alt: str) -> Chart:
    """Events in date order, one row each: the date and `label` on the left, a dot on the time
    axis on the right; rows of the `focus` group (or with `highlight` true) in FOCUS."""
    _check(chart_id, title, subtitle, source, alt)
    d = data.copy()
    d["_date"] = pd.to_datetime(d[date])
    d = d.sort_values(["_date", label], kind="stable").reset_index(drop=True)
    hl = (d[highlight].astype(bool) if highlight else
          (d[group] == focus) if focus else pd.Series(False, index=d.index))
    n = max(len(d), 1)
    texts = [f"{t:%b %Y}   {lab}" for t, lab in zip(d["_date"], d[label])]
    with plt.rc_context(STYLE):
        fig, ax = _frame(title, subtitle, source, 0.3 + 0.27 * n)
        ys = list(range(n))[::-1][: len(d)]
        for y, t, h in zip(ys, d["_date"], hl):
            ax.plot([t], [y], marker="o", color=FOCUS if h else OTHER, markersize=6, zorder=3)
            ax.plot([d["_date"].min(), t], [y, y], color="#E5E5E5", linewidth=0.8, zorder=1)
        if len(d):
            lo, hi = d["_date"].min(), d["_date"].max()
            ax.set_xlim(pd.Timestamp(lo.year, 1, 1), pd.Timestamp(hi.year + 1, 7, 1))
        ax.set_yticks(ys, texts, fontsize=8)
        for tick, h in zip(ax.get_yticklabels(), hl):
            tick.set_color(FOCUS if h else INK)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_ylim(-0.7, n - 0.3)
        ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
    width = max([len(t) for t in texts] + [10])
    csv = d.drop(columns=["_date"]).assign(highlight=hl.values, shown_as=texts)
    return _finish(fig, ax, chart_id, title, subtitle, source, alt, csv,
                   left=min(0.75, (0.15 + 0.062 * width) / WIDTH))


# ---------------------------------------------------------------- at a glance (reader helper)


def data_table(shown: pd.DataFrame, data: pd.DataFrame, *, table_id: str, caption: str,
               source: str = "", stacked: bool = False) -> Html:
    """A small table (see table) whose rows, with their provenance, are also written as
    data/<table_id>.csv and linked under it, like a chart's data; `source`, a short source line,
    goes before the link (the caption stays a title)."""
    if not _ID.match(table_id or ""):
        raise ValueError(f"table_id {table_id!r}: use lowercase letters, digits, '-' and '_'")
    out = (SETTINGS.report_dir or config.REPORT) / "data" / f"{table_id}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(to_csv_bytes(data.reset_index(drop=True)))
    link = html.escape(f"{SETTINGS.link_prefix}{table_id}.csv", quote=True)
    said = f'<span class="chart-source">{html.escape(source)}</span> ' if source else ""
    return Html(table(shown, caption, stacked=stacked).text +
                f'<p class="table-source">{said}<a class="chart-data" href="{link}">Download the data (CSV)</a></p>')


# marker per kind of point: an exact figure, an estimate, a bound (the triangle points the way the
# true value lies), a net exporter (no share of consumption imported: drawn on the zero line)
_POINT = {"exact": ("o", True), "estimated": ("o", False), "y>": ("^", False), "y<": ("v", False),
          "x>": (">", False), "x<": ("<", False), "exporter": ("D", False)}


def scatter(data: pd.DataFrame, *, x: str, y: str, kind: str, label: str, highlight: str,
            chart_id: str, title: str, subtitle: str, source: str, alt: str, xlabel: str,
            ylabel: str, xline: float | None = None, yline: float | None = None,
            highlight_label: str = "profiled", other_label: str = "other") -> Chart:
    """Points on two percentage axes (0–100), one per row with kind in _POINT ('none': not drawn,
    kept in the CSV); rows with `highlight` true in FOCUS and labelled with `label`, the others
    grey and unlabelled. Dashed guides at xline / yline."""
    _check(chart_id, title, subtitle, source, alt)
    bad = sorted(set(data[kind]) - set(_POINT) - {"none"})
    if bad:
        raise ValueError(f"chart {chart_id}: column {kind!r} holds {bad}; expected one of "
                         f"{sorted(_POINT) + ['none']}")
    d = data.reset_index(drop=True)
    drawn = d[d[kind] != "none"]
    with plt.rc_context(STYLE):
        fig, ax = _frame(title, subtitle, source, 4.6, axis_in=0.6)
        for hl in (False, True):  # the highlighted points on top
            for k, (marker, filled) in _POINT.items():
                g = drawn[(drawn[kind] == k) & (drawn[highlight].astype(bool) == hl)]
                if g.empty:
                    continue
                c = FOCUS if hl else OTHER
                ax.scatter(g[x].astype(float), g[y].astype(float), marker=marker, s=46 if hl else 26,
                           facecolors=c if filled else "white", edgecolors=c, linewidths=1.2,
                           zorder=3 if hl else 2, clip_on=False)
        placed = []
        for r in drawn[drawn[highlight].astype(bool)].sort_values([y, x]).itertuples(index=False):
            px, py = float(getattr(r, x)), float(getattr(r, y))
            dy = 0.0
            while any(abs(py + dy - qy) < 4.5 and abs(px - qx) < 30 for qx, qy in placed):
                dy -= 5.0  # push a label down until it clears the ones placed before
            placed.append((px, py + dy))
            right = px < 62
            ax.annotate(_label_lines(getattr(r, label), 24, 2), (px, py), xytext=(px + (3 if right else -3), py + dy),
                        textcoords="data", ha="left" if right else "right", va="center",
                        fontsize=8.5, color=INK, fontweight="bold", linespacing=1.0,
                        arrowprops=dict(arrowstyle="-", color=MUTED, linewidth=0.5) if dy else None)
        for at, vertical in ((xline, True), (yline, False)):
            if at is not None:
                (ax.axvline if vertical else ax.axhline)(at, color=INK, linestyle=(0, (4, 3)),
                                                         linewidth=0.8, zorder=1)
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100%"])
        ax.set_yticks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100%"])
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(color="#EEEEEE", linewidth=0.6)
        ax.set_axisbelow(True)
        kinds = set(drawn[kind])
        handles = [Patch(color=FOCUS, label=highlight_label), Patch(color=OTHER, label=other_label)]
        words = {"estimated": "estimate (hollow)", "y>": "more than (▲)", "y<": "less than (▼)",
                 "x>": "more than (▶)", "x<": "less than (◀)", "exporter": "net exporter, at 0 (◆)"}
        handles += [plt.Line2D([], [], marker=_POINT[k][0], markerfacecolor="white", color=MUTED,
                               linestyle="", label=words[k]) for k in words if k in kinds]
        _legend(fig, handles)
    csv = d.assign(drawn=d[kind].values)
    return _finish(fig, ax, chart_id, title, subtitle, source, alt, csv, left=0.1, right=0.96)
