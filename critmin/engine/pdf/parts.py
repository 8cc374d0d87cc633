"""Cutting the print version of index.html into parts (critmin.engine.pdf): one per section, mineral page
and appendix, each a whole HTML document that lays out the same pages as in the whole; charts with
a PDF drawing left as empty boxes of their size."""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

from critmin import config

PDF_MIME = config.CHART_PDF_MIME
# Parts carry no margin boxes: the folio adds them once, with the page numbers of the whole.
_NO_MARGIN_BOXES = ("<style>@page { @top-center { content: none; } @bottom-center { content: none; } }"
                    " a.xref-stub { position: absolute; }</style>")
# Where the print version is cut: every element print.css starts on a new page.
_SECTION = re.compile(r'^<(?:section class="(?:report-section|mineral-page)"|div class="appendix") id="([^"]*)">',
                      re.M)
_CLOSE = re.compile(r"(?:\s*</(?:section|div)>)+\s*$")
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'\bhref="#([^"]+)"')
_FIRST_TAG = re.compile(r"<(?:section|header|div|nav)\b[^>]*>")
_CHART_IMG = re.compile(r'(<figure class="chart(?: split)?" id="([^"]+)">(?:<div class="chart-scroll">)?)<img\b([^>]*?)\ssrc="data:image/svg\+xml;base64,'
                        r'([A-Za-z0-9+/=]+)"([^>]*)>')
_CHART_PART = re.compile(r'<img\b[^>]*\bid="([^"]+)--part-(\d+)"[^>]*>')
_SVG_SIZE = re.compile(rb'<svg\b[^>]*>')


def chart_pdfs(nb) -> dict:
    """chart id -> PDF drawing, from the outputs of an executed notebook (critmin.present.charts.Chart)."""
    import base64

    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PDF_MIME in data:
                chart_id = out.get("metadata", {}).get(PDF_MIME, {}).get("chart_id")
                if chart_id:
                    found[chart_id] = base64.b64decode(data[PDF_MIME])
    return found


def _placeholder(svg_b64: str) -> str:
    """An empty SVG with the chart's width, height and viewBox: the same box in the layout."""
    import base64

    head = _SVG_SIZE.search(base64.b64decode(svg_b64[:4000] + "=" * (-len(svg_b64[:4000]) % 4)))
    attrs = dict(re.findall(rb'\b(width|height|viewBox)="([^"]*)"', head.group(0))) if head else {}
    size = " ".join(f'{k.decode()}="{v.decode()}"' for k, v in sorted(attrs.items()))
    return base64.b64encode(f'<svg xmlns="http://www.w3.org/2000/svg" {size}></svg>'.encode()).decode()


def _blank_charts(piece: str, charts) -> str:
    def swap(m):
        if m.group(2) not in charts:
            return m.group(0)
        return (f'{m.group(1)}<img data-chart="{m.group(2)}"{m.group(3)} '
                f'src="data:image/svg+xml;base64,{_placeholder(m.group(4))}"{m.group(5)}>')
    def part(m):  # a page-sized print part: page k of the chart's PDF drawing
        if m.group(1) not in charts:
            return m.group(0)
        return f'<img data-chart="{m.group(1)}" data-chart-page="{m.group(2)}"{m.group(0)[4:]}'
    return _CHART_PART.sub(part, _CHART_IMG.sub(swap, piece))


@dataclass
class Part:
    key: str      # content hash (cache key)
    html: str
    ids: list     # anchors that really live in this part (stubs excluded)
    section: str  # id of the section the part is ('' for the front matter)


def _code_version() -> str:
    """What a part's bytes depend on besides its HTML: this package's code and WeasyPrint's version."""
    from importlib.metadata import version

    code = b"".join(f.read_bytes() for f in sorted(Path(__file__).parent.glob("*.py")))
    return hashlib.sha256(code + version("weasyprint").encode()).hexdigest()


def split(print_html: str, charts=frozenset()) -> list[Part]:
    """Cut the print version at each section (each starts on a new page); charts: the ids of the
    charts with a PDF drawing (left blank in the parts, drawn when joining)."""
    m_body = re.search(r"<body\b[^>]*>", print_html)
    if not m_body:
        raise ValueError("the print version has no <body>")
    head, sep, rest = print_html[:m_body.start()], m_body.group(0), print_html[m_body.end():]
    body, _, _ = rest.rpartition("</body>")
    cuts = [m.start() for m in _SECTION.finditer(body)]
    # a part is the same whatever surrounds it (see part_for): stripped, and without the closing
    # tags at its end (the parser closes them; an appendix cut from its section ends with two)
    pieces = [_CLOSE.sub("", body[a:b].strip()) for a, b in zip([0] + cuts, cuts + [len(body)])
              if body[a:b].strip()]
    head = head.replace("</head>", _NO_MARGIN_BOXES + "\n</head>", 1)
    version = _code_version()
    parts = []
    for piece in pieces:
        piece = _blank_charts(piece, charts) if charts else piece
        lead = _SECTION.match(piece)
        ids = set(_ID.findall(piece))
        # every target not here gets a stub (one that exists nowhere is dropped when joining)
        foreign = sorted({html.unescape(t) for t in _HREF.findall(piece)} - {html.unescape(i) for i in ids})
        stubs = "".join(f'<a class="xref-stub" id="{html.escape(t, quote=True)}"></a>' for t in foreign)
        m = _FIRST_TAG.search(piece)
        if stubs and m:  # inside the first block, so no stub can make a page of its own
            piece = piece[:m.end()] + stubs + piece[m.end():]
        doc = f"{head}{sep}{piece}</body>\n</html>\n"
        key = hashlib.sha256((version + doc).encode()).hexdigest()
        parts.append(Part(key, doc, sorted(html.unescape(i) for i in ids),
                          html.unescape(lead.group(1)) if lead else ""))
    return parts


def part_for(print_html: str, section_id: str, charts=frozenset()) -> Part | None:
    """The part of the section with this id (None if the page has no such section)."""
    return next((p for p in split(print_html, charts) if p.section == section_id), None)
