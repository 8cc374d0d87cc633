"""report.pdf in parts: each report section laid out by WeasyPrint on its own, in parallel worker
processes, and cached by content; the parts are then joined into one PDF.

Why: WeasyPrint lays out and draws one document in one thread (≈8 s for this report, most of it
the SVG charts). Every section, mineral page and appendix starts on a new page (print.css), so
cutting the print version of index.html there gives the same pages. What one document would
have given across sections is put back when joining (critmin.engine.pdf.join):
- page numbers and the running title: a "folio" of N blank pages carrying only the margin boxes
  of print.css (made in chunks, in parallel) is laid over the joined pages (parts have none);
- links between sections: a part holds an invisible stub for each anchor it links to in another
  part (WeasyPrint drops links to missing anchors), and the joined PDF gets one table of named
  destinations pointing at each anchor's real place;
- bookmarks: every part's headings, nested again across parts by level;
- charts: a chart with a PDF drawing (critmin.present.charts draws each chart as SVG and as PDF) is laid
  out as an empty box of the SVG's size, and its PDF drawing is placed in that box when joining.
  Drawing the SVG was most of WeasyPrint's time (text in SVG is laid out glyph by glyph).
A part's cache key is its HTML (CSS included), the WeasyPrint version and this package's code, so
a rebuild lays out only the sections whose content changed.

Modules: parts (cutting the print HTML), layout (in the workers), renderer (the worker pool and
its cache), join (pikepdf)."""
from critmin.engine.pdf.join import join, write
from critmin.engine.pdf.layout import SCALE, folio, render_part
from critmin.engine.pdf.parts import PDF_MIME, Part, chart_pdfs, part_for, split
from critmin.engine.pdf.renderer import NoRenderer, Renderer

__all__ = ["PDF_MIME", "SCALE", "NoRenderer", "Part", "Renderer", "chart_pdfs", "folio", "join", "part_for",
           "render_part", "split", "write"]
