"""report.pdf in parts: each report section laid out by WeasyPrint on its own, in parallel worker
processes, and cached by content; the parts are then joined into one PDF.

Why: WeasyPrint lays out and draws one document in one thread (≈8 s for this report, most of it
the SVG charts). Every section, mineral page and appendix starts on a new page (print.css), so
cutting the print version of index.html there gives the same pages. What a single document would have
given across sections is put back when joining (critmin.pdf.join):
- page numbers and the running title: a "folio" of N blank pages carrying only the margin boxes
  of print.css (made in chunks, in parallel) is laid over the joined pages (parts have none);
- links between sections: a part holds an invisible stub for each anchor it links to in another
  part (WeasyPrint drops links to missing anchors), and the joined PDF gets one table of named
  destinations pointing at each anchor's real place;
- bookmarks: every part's headings, nested again across parts by level;
- charts: a chart with a PDF drawing (critmin.charts draws each chart as SVG and as PDF) is laid
  out as an empty box of the SVG's size, and its PDF drawing is placed in that box when joining.
  Drawing the SVG was most of WeasyPrint's time (text in SVG is laid out glyph by glyph).
A part's cache key is its HTML (CSS included), the WeasyPrint version and this file, so a rebuild
lays out only the sections whose content changed."""
from __future__ import annotations

import gc
import hashlib
import html
import io
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

SCALE = 0.75  # CSS px -> PDF points, as WeasyPrint draws
PDF_MIME = "application/vnd.critmin.chart+pdf"  # a chart's PDF drawing in a notebook output
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
_CHART_IMG = re.compile(r'(<figure class="chart" id="([^"]+)">)<img\b([^>]*?)\ssrc="data:image/svg\+xml;base64,'
                        r'([A-Za-z0-9+/=]+)"([^>]*)>')
_SVG_SIZE = re.compile(rb'<svg\b[^>]*>')


def chart_pdfs(nb) -> dict:
    """chart id -> PDF drawing, from the outputs of an executed notebook (critmin.charts.Chart)."""
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
    return _CHART_IMG.sub(swap, piece)


@dataclass
class Part:
    key: str      # content hash (cache key)
    html: str
    ids: list     # anchors that really live in this part (stubs excluded)
    section: str  # id of the section the part is ('' for the front matter)


def _code_version() -> str:
    from importlib.metadata import version

    return hashlib.sha256(Path(__file__).read_bytes() + version("weasyprint").encode()).hexdigest()


def split(print_html: str, charts=frozenset()) -> list[Part]:
    """Cut the print version at each section (each starts on a new page); charts: the ids of the
    charts with a PDF drawing (left blank in the parts, drawn when joining)."""
    head, sep, rest = print_html.partition("<body>")
    if not sep:
        raise ValueError("the print version has no <body>")
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
        doc = f"{head}<body>{piece}</body>\n</html>\n"
        key = hashlib.sha256((version + doc).encode()).hexdigest()
        parts.append(Part(key, doc, sorted(html.unescape(i) for i in ids),
                          html.unescape(lead.group(1)) if lead else ""))
    return parts


def part_for(print_html: str, section_id: str, charts=frozenset()) -> Part | None:
    """The part of the section with this id (None if the page has no such section)."""
    return next((p for p in split(print_html, charts) if p.section == section_id), None)


# --- in the worker processes ------------------------------------------------------------------

def render_part(doc: str) -> dict:
    """One part laid out and drawn: {'pdf': bytes, 'pages': [{'anchors', 'bookmarks'}]}, with
    positions already in PDF points (origin bottom-left)."""
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    gc.disable()  # layout allocates millions of objects: collecting meanwhile costs ≈10%
    try:
        return _render(weasyprint.HTML(string=doc, base_url=None).render())
    finally:
        gc.enable()


def _render(document) -> dict:
    """The part's PDF and what the join needs of its layout."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    pages = []
    for page in document.pages:
        h = page.height
        # blank chart boxes: [id, left, bottom, width, height] in points (_page_box: WeasyPrint's
        # laid-out tree, internal API of the pinned version)
        boxes = [[b.element.get("data-chart"), b.content_box_x() * SCALE,
                  (h - b.content_box_y() - b.height) * SCALE, b.width * SCALE, b.height * SCALE]
                 for b in page._page_box.descendants()
                 if isinstance(b, ReplacedBox) and b.element is not None and b.element.get("data-chart")]
        pages.append({
            "anchors": [[name, x * SCALE, (h - y) * SCALE] for name, (x, y, *_) in page.anchors.items()],
            "bookmarks": [[level, label, x * SCALE, (h - y) * SCALE]
                          for level, label, (x, y), _state in page.bookmarks],
            "charts": boxes})
    return {"pdf": document.write_pdf(), "pages": pages}


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def folio(first: int, last: int, n: int, css: str, title: str) -> dict:
    """Pages first..last (of n) blank but for print.css's margin boxes: the running title from
    page 2, "page X of n" at the foot. Numbers are written out per page (named pages), not
    counted, so the folio can be made in chunks side by side. Returned as a part: {'pdf', 'pages'}."""
    import weasyprint

    rules = [css, "html, body { margin: 0; padding: 0; }"]
    body = []
    for i in range(first, last + 1):
        top = "none" if i == 1 else _css_string(title)
        rules.append(f"@page p{i} {{ @top-center {{ content: {top}; }} "
                     f"@bottom-center {{ content: \"page {i} of {n}\"; }} }} div.p{i} {{ page: p{i}; }}")
        body.append(f'<div class="p{i}"></div>')
    doc = (f"<!DOCTYPE html><html><head><style>{chr(10).join(rules)}</style></head>"
           f"<body>{''.join(body)}</body></html>")
    return {"pdf": weasyprint.HTML(string=doc, base_url=None).write_pdf(), "pages": []}


# --- in the build process -----------------------------------------------------------------------

class Renderer:
    """Renders parts in worker processes, each part once: a part already rendered, submitted or
    cached is not rendered again. Parts sent while notebooks still run are laid out meanwhile.
    submit() never blocks (a feeder thread hands parts to the pool, whose first worker takes a
    moment to start), so it can be called from the build's event loop and render thread alike.
    As with any multiprocessing pool, a script that uses this needs the usual
    `if __name__ == "__main__":` guard (python -m critmin.build has it)."""

    def __init__(self, workers: int = 2, cache_dir: Path | None = None):
        import multiprocessing
        import multiprocessing.forkserver
        import queue
        import threading
        from concurrent.futures import ProcessPoolExecutor

        # Workers are forked from a fork server that has imported WeasyPrint once (≈0.5 s), not
        # from this process, which runs threads and an event loop; server and workers run at a
        # lower priority (critmin.lowpriority): the kernels, which the build waits for, go first.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["critmin.lowpriority", "weasyprint", "critmin.pdf"])
        multiprocessing.forkserver.ensure_running()  # imports now, on a core the zygote leaves free
        self.workers = max(1, workers)
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        self.cache = Path(cache_dir) if cache_dir else None
        self.futures: dict = {}
        self.lock = threading.Lock()
        self.queue: queue.Queue = queue.Queue()   # (future, function, args); None ends the feeder
        self.feeder = threading.Thread(target=self._feed, daemon=True)
        self.opened = False

    def open(self) -> None:
        """Start laying out parts (the build calls it once its first notebook has run: until
        then the cores are busy starting the kernels)."""
        with self.lock:
            if not self.opened:
                self.opened = True
                self.feeder.start()

    def _feed(self) -> None:
        while (item := self.queue.get()) is not None:
            outer, fn, args = item
            if not outer.set_running_or_notify_cancel():
                continue
            try:
                inner = self.pool.submit(fn, *args)
            except Exception as exc:  # noqa: BLE001 (the pool is shut down: the caller learns why)
                outer.set_exception(exc)
                continue
            inner.add_done_callback(lambda f, outer=outer: outer.set_exception(f.exception())
                                    if f.exception() is not None else outer.set_result(f.result()))

    def _later(self, fn, *args):
        from concurrent.futures import Future

        fut = Future()
        self.queue.put((fut, fn, args))
        return fut

    def _cached(self, key: str) -> dict | None:
        if self.cache is None:
            return None
        entry = self.cache / f"pdf-{key}"
        try:
            meta = json.loads((entry / "part.json").read_text(encoding="utf-8"))
            meta["pdf"] = (entry / "part.pdf").read_bytes()
        except (OSError, ValueError):
            return None
        entry.touch()
        return meta

    def _store(self, key: str, result: dict) -> None:
        if self.cache is None:
            return
        import os
        import shutil
        import tempfile

        self.cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.cache))
        try:
            (tmp / "part.pdf").write_bytes(result["pdf"])
            (tmp / "part.json").write_text(json.dumps({"pages": result["pages"]}), encoding="utf-8")
            shutil.rmtree(self.cache / f"pdf-{key}", ignore_errors=True)
            os.rename(tmp, self.cache / f"pdf-{key}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _get(self, key: str, fn, *args):
        """The future for key: from the cache, already under way, or queued now (then stored in
        the cache when done)."""
        from concurrent.futures import Future

        with self.lock:
            if key in self.futures:
                return self.futures[key]
            cached = self._cached(key)
            if cached is not None:
                fut = Future()
                fut.set_result(cached)
            else:
                fut = self._later(fn, *args)
                fut.add_done_callback(lambda f: f.exception() is None and self._store(key, f.result()))
            self.futures[key] = fut
            return fut

    def submit(self, part: Part) -> None:
        self._get(part.key, render_part, part.html)

    def result(self, part: Part) -> dict:
        fut = self._get(part.key, render_part, part.html)
        self.open()
        return fut.result()

    def folio(self, n: int, css: str, title: str) -> list:
        """Futures of the folio (see folio()) in one chunk per worker, each cached like a part."""
        size = -(-n // self.workers)
        futures = []
        for first in range(1, n + 1, size):
            last = min(n, first + size - 1)
            key = hashlib.sha256(json.dumps([_code_version(), "folio", first, last, n, css, title])
                                 .encode()).hexdigest()
            futures.append(self._get(key, folio, first, last, n, css, title))
        self.open()
        return futures

    def close(self) -> None:
        self.queue.put(None)
        if self.feeder.is_alive():
            self.feeder.join()
        self.pool.shutdown(wait=True, cancel_futures=True)


def join(parts: list[Part], results: list[dict], folio_pdf, title: str,
         charts: dict | None = None, lang: str = "en") -> bytes:
    """One PDF from the rendered parts, with the charts drawn in their boxes, the folio laid over,
    named destinations and bookmarks. folio_pdf: the folio's bytes, or Renderer.folio()'s futures
    of its chunks (waited for last, so that their layout overlaps the rest of the joining)."""
    import pikepdf

    charts = charts or {}
    out = pikepdf.new()
    page_of = []   # (part index, page index in part) for each page of the whole
    for i, res in enumerate(results):
        src = pikepdf.open(io.BytesIO(res["pdf"]))
        with warnings.catch_warnings():  # pikepdf warns that named destinations are not copied:
            warnings.simplefilter("ignore")  # they are rebuilt below
            out.pages.extend(src.pages)
        page_of += [(i, j) for j in range(len(src.pages))]
    drawings, k = {}, 0
    for i, (page, (p, j)) in enumerate(zip(out.pages, page_of)):
        for chart_id, x, y, w, h in results[p]["pages"][j].get("charts", []):
            if chart_id not in charts:
                raise RuntimeError(f"chart {chart_id} has a box in the PDF but no PDF drawing")
            if chart_id not in drawings:  # the Pdf is kept: its pages die with it
                drawings[chart_id] = pikepdf.open(io.BytesIO(charts[chart_id]))
            drawing = drawings[chart_id].pages[0]
            box = drawing.mediabox
            sx, sy = w / float(box[2] - box[0]), h / float(box[3] - box[1])
            k += 1
            _overlay(out, page, drawing, pikepdf.Name(f"/CritminChart{k}"),
                     f"{sx:.6f} 0 0 {sy:.6f} {x:.4f} {y:.4f}")
    # named destinations: each anchor where it really is (first occurrence wins, as in WeasyPrint)
    dests, start = {}, 0
    for part, res in zip(parts, results):
        real = set(part.ids)
        for j, page in enumerate(res["pages"]):
            for name, x, y in page["anchors"]:
                if name in real and name not in dests:
                    dests[name] = pikepdf.Array([out.pages[start + j].obj, pikepdf.Name.XYZ, x, y, 0])
        start += len(res["pages"])
    for page in out.pages:  # a link to an anchor that exists in no part goes, as WeasyPrint does
        annots = page.obj.get("/Annots")
        if annots is not None:
            kept = [a for a in annots if "/Dest" not in a or str(a.Dest) in dests]
            if len(kept) != len(annots):
                page.obj.Annots = pikepdf.Array(kept)
    if dests:
        names = pikepdf.Array()
        for name in sorted(dests):
            names.append(pikepdf.String(name))
            names.append(dests[name])
        out.Root.Names = pikepdf.Dictionary(Dests=out.make_indirect(pikepdf.Dictionary(Names=names)))
    _outline(out, results)
    chunks = [pikepdf.open(io.BytesIO(c if isinstance(c, bytes) else c.result()["pdf"]))
              for c in (folio_pdf if isinstance(folio_pdf, list) else [folio_pdf])]
    stamps = [p for chunk in chunks for p in chunk.pages]
    if len(stamps) != len(out.pages):
        raise RuntimeError(f"the folio has {len(stamps)} pages for {len(out.pages)} pages")
    for i, (page, stamp) in enumerate(zip(out.pages, stamps)):
        _overlay(out, page, stamp, pikepdf.Name(f"/CritminFolio{i}"))
    out.Root.Lang = pikepdf.String(lang)
    out.docinfo = out.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(title),
                                                       Creator=pikepdf.String("critmin.build"),
                                                       Producer=pikepdf.String("WeasyPrint, pikepdf")))
    buf = io.BytesIO()
    # compressed streams kept as they are; small objects packed into object streams (-18% size)
    out.save(buf, deterministic_id=True, compress_streams=True,
             stream_decode_level=pikepdf.StreamDecodeLevel.none,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buf.getvalue()


def _overlay(out, page, other, name, matrix: str = "") -> None:
    """Draw page `other` (another PDF's) over `page` as a form XObject under a fixed resource name
    (pikepdf's add_overlay picks a random one, and the PDF would differ from build to build). The
    name must be unique in the whole part: WeasyPrint's pages share one resource dictionary.
    matrix: a PDF `cm` operand string placing it; none: same page box."""
    import pikepdf

    form = out.copy_foreign(other.as_form_xobject())
    page.add_resource(form, pikepdf.Name.XObject, name)
    place = f"{matrix} cm " if matrix else ""
    # the page's own drawing is wrapped in q/Q so that whatever it leaves set does not apply
    page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(out, f"\nQ q {place}{name} Do Q\n".encode()), prepend=False)


def _outline(out, results: list[dict]) -> None:
    """Bookmarks of all parts, nested by heading level across parts (as WeasyPrint nests them)."""
    from pikepdf import OutlineItem

    flat, start = [], 0
    for res in results:
        for j, page in enumerate(res["pages"]):
            flat += [(level, label, start + j, x, y) for level, label, x, y in page["bookmarks"]]
        start += len(res["pages"])
    if not flat:
        return
    with out.open_outline() as outline:
        stack = []  # (level, item)
        for level, label, page, x, y in flat:
            item = OutlineItem(label, page, "XYZ", left=x, top=y)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))


def write(print_html: str, dest: Path, title: str, css: str, renderer: Renderer | None = None,
          charts: dict | None = None) -> None:
    """report.pdf from the print version of index.html (see the module docstring); charts: chart
    id -> PDF drawing (see chart_pdfs)."""
    charts = charts or {}
    own = renderer is None
    renderer = renderer or Renderer()
    try:
        parts = split(print_html, frozenset(charts))
        for part in sorted(parts, key=lambda p: -len(p.html)):  # longest first: balanced workers
            renderer.submit(part)
        results = [renderer.result(p) for p in parts]
        numbers = renderer.folio(sum(len(r["pages"]) for r in results), css, title)
        Path(dest).write_bytes(join(parts, results, numbers, title, charts))
    finally:
        if own:
            renderer.close()
