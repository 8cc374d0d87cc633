"""In the worker processes: laying out a part, or a chunk of the folio, with WeasyPrint."""
from __future__ import annotations

import gc

SCALE = 0.75  # CSS px -> PDF points, as WeasyPrint draws


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
        # blank chart boxes: [id, left, bottom, width, height, page of the chart's PDF] in points
        # (_page_box: WeasyPrint's laid-out tree, internal API of the pinned version)
        boxes = [[b.element.get("data-chart"), b.content_box_x() * SCALE,
                  (h - b.content_box_y() - b.height) * SCALE, b.width * SCALE, b.height * SCALE,
                  int(b.element.get("data-chart-page") or 0)]
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
