"""How a section result reaches the page: one call in a notebook cell shows all of it.

A section's `show()` returns what the cell displays; when it has several parts (a sentence, then
a chart or table), every part but the last is displayed at once and the last is returned, so the
cell still ends in one expression and charts keep their PDF drawing."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from critmin.present import charts


def show(*parts):
    """Display the non-empty parts in order; return the last (an empty paragraph if none)."""
    parts = [p for p in parts if p is not None and not (isinstance(p, charts.Html) and not p.text)]
    if not parts:
        return charts.Html("")
    if len(parts) > 1:
        from IPython.display import display

        for p in parts[:-1]:
            display(p)
    return parts[-1]


@dataclass(frozen=True)
class Table:
    """Rows with their provenance, the columns a reader sees (column -> header), the caption, a
    sentence said above it, and the sentence said instead when there are no rows."""
    rows: pd.DataFrame
    columns: dict
    caption: str
    sentence: str = ""
    empty: str = ""
    digits: int = 0
    notes: list = field(default_factory=list)

    def shown(self) -> pd.DataFrame:
        return self.rows[list(self.columns)].rename(columns=self.columns).reset_index(drop=True)

    def show(self):
        if self.rows.empty:
            return show(charts.paragraph(self.sentence), charts.paragraph(self.empty))
        return show(charts.paragraph(self.sentence),
                    charts.table(self.shown(), self.caption, digits=self.digits),
                    *[charts.paragraph(n) for n in self.notes])


@dataclass(frozen=True)
class Parts:
    """Parts already drawn (paragraphs, charts, tables), shown in order."""
    parts: tuple

    def show(self):
        return show(*self.parts)


@dataclass(frozen=True)
class Text:
    """A finding said in words (a headline, or what a section cannot show and why)."""
    sentence: str

    def show(self):
        return charts.paragraph(self.sentence)


def text(value) -> str:
    """A table cell for reading: missing -> '' (never None or nan), everything else as text."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return str(value)
