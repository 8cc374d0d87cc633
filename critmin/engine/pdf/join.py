"""Joining the laid-out parts into report.pdf with pikepdf: charts drawn in their boxes, the folio
laid over, named destinations across parts, bookmarks."""
from __future__ import annotations

import io
import warnings
from pathlib import Path

from critmin.engine.pdf.parts import Part, split
from critmin.engine.pdf.renderer import Renderer


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
        for chart_id, x, y, w, h, k_page in results[p]["pages"][j].get("charts", []):
            if chart_id not in charts:
                raise RuntimeError(f"chart {chart_id} has a box in the PDF but no PDF drawing")
            if chart_id not in drawings:  # the Pdf is kept: its pages die with it
                drawings[chart_id] = pikepdf.open(io.BytesIO(charts[chart_id]))
            drawing = drawings[chart_id].pages[k_page]
            box = drawing.mediabox
            sx, sy = w / float(box[2] - box[0]), h / float(box[3] - box[1])
            k += 1
            _overlay(out, page, drawing, pikepdf.Name(f"/CritminChart{k}"),
                     f"{sx:.6f} 0 0 {sy:.6f} {x:.4f} {y:.4f}")
    # named destinations: each anchor where it really is (first occurrence wins, as in WeasyPrint)
    dests, page_no, marks, start = {}, {}, [], 0
    for part, res in zip(parts, results):
        real = set(part.ids)
        for j, page in enumerate(res["pages"]):
            for name, x, y in page["anchors"]:
                if name.startswith(TOC_PAGE) and name in real:
                    marks.append((start + j, name[len(TOC_PAGE):], x, y))
                elif name in real and name not in dests:
                    dests[name] = pikepdf.Array([out.pages[start + j].obj, pikepdf.Name.XYZ, x, y, 0])
                    page_no[name] = start + j + 1
        start += len(res["pages"])
    _page_numbers(out, marks, page_no)
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
                                                       Creator=pikepdf.String("critmin.engine.build"),
                                                       Producer=pikepdf.String("WeasyPrint, pikepdf")))
    buf = io.BytesIO()
    # compressed streams kept as they are; small objects packed into object streams (-18% size)
    out.save(buf, deterministic_id=True, compress_streams=True,
             stream_decode_level=pikepdf.StreamDecodeLevel.none,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buf.getvalue()


TOC_PAGE = "toc-page--"  # an empty mark in the contents: the page number of its target goes there
_DIGIT_EM = 0.556       # every digit of Helvetica is this wide (AFM), so numbers align right exactly


def _page_numbers(out, marks, page_no: dict, size: float = 10.0) -> None:
    """The contents' page numbers, known only now: written in Helvetica (a standard font, nothing
    embedded) right-aligned at each mark, whose target's page the joining has just counted."""
    import pikepdf

    by_page: dict = {}
    for i, target, x, y in marks:
        if target not in page_no:
            raise RuntimeError(f"the contents list {target!r}, which is on no page")
        by_page.setdefault(i, []).append((str(page_no[target]), x, y))
    font = None
    for i, items in sorted(by_page.items()):
        if font is None:
            font = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                        BaseFont=pikepdf.Name.Helvetica,
                                                        Encoding=pikepdf.Name.WinAnsiEncoding))
        page = out.pages[i]
        page.add_resource(font, pikepdf.Name.Font, pikepdf.Name("/CritminPageNo"))
        ops = "".join(f"BT /CritminPageNo {size:g} Tf 1 0 0 1 {x - _DIGIT_EM * size * len(n):.2f} "
                      f"{y - 0.95 * size:.2f} Tm ({n}) Tj ET\n" for n, x, y in items)
        # the page's drawing leaves its own transformation set (WeasyPrint flips y): wrapped in q/Q
        page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(out, f"\nQ q 0.2 g\n{ops}Q\n".encode()), prepend=False)


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
