"""Cells and labels of the USGS world tables (all five MCS editions).

Wraps critmin.ingest.tokens.parse_value with the few extra spellings the world files use, each seen in
the raw data: an `e` glued before a number (estimate, MCS 2024 sand and vanadium), whole phrases
in place of a value ("Less than ½ unit.", "Included in World total."), and the MCS 2026 symbol
`s`, whose meaning is given by the row's note (less than half a unit, or counted elsewhere).
"""
from __future__ import annotations

import math
import re

from critmin.errors import DataError
from critmin.ingest.tokens import mcs_release, parse_value

# Phrase (lower case, straight quotes) -> (value, flag). Counted-elsewhere phrases become 'NA':
# the country's own figure is not available, and the total already holds it.
PHRASES = {
    "less than ½ unit.": (0.5, "<"),
    "included in world total.": (math.nan, "NA"),
    "included with ilmenite": (math.nan, "NA"),
    'included with "other countries."': (math.nan, "NA"),
    'categorized as "large"': (math.nan, "qual"),
}
_E_PREFIX = re.compile(r"^e\s*(?=\d)")
_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\s*\d{1,2}$")


def clean_label(text: str) -> str:
    """Country/commodity label: no-break spaces, outer and double spaces, trailing footnote digits
    ('World total (rounded)10', 'World total (rounded) 10', 'Germany6') removed."""
    text = re.sub(r"\s+", " ", str(text).replace("\xa0", " ")).strip()
    return _FOOTNOTE.sub("", text).strip()


def clean_text(text: str) -> str:
    """Type / Statistics_detail text with spaces normalised (kept otherwise as published)."""
    return re.sub(r"\s+", " ", str(text).replace("\xa0", " ")).strip()


def _phrase_key(text: str) -> str:
    return text.lower().replace("“", '"').replace("”", '"').strip()


def parse_cell(raw: str, *, edition: int, notes: str = "", file=None, row=None, column=None):
    """(value, flag, value_high, estimated) for a non-blank cell of an MCS edition's world data.
    Unknown text (including a token only another edition documents) raises DataError."""
    text = str(raw).replace("\xa0", " ").strip()
    if text == "":
        raise DataError("blank value cell", file=file, row=row, column=column)
    if text == "s":
        # MCS 2026: the note says which of the two footnotes the symbol stands for.
        if "less than ½" in notes.lower():
            return 0.5, "<", math.nan, False
        if "included" in notes.lower():
            return math.nan, "NA", math.nan, False
        raise DataError("symbol 's' without a note saying what it stands for", file=file,
                        row=row, column=column, got=notes,
                        expected="a note 'Less than ½ unit.' or 'Included in/with ...'")
    hit = PHRASES.get(_phrase_key(text))
    if hit is not None:
        return hit[0], hit[1], math.nan, False
    estimated = bool(_E_PREFIX.match(text))
    if estimated:
        text = _E_PREFIX.sub("", text)
    value, flag, high = parse_value(text, release=mcs_release(edition), file=file, row=row,
                                    column=column, allow_qualitative=True)
    return value, flag, high, estimated


def notes_say_estimated(notes: str, year: int) -> bool:
    """True when a notes cell says this year's figure is estimated ('Also estimated in 2022',
    'estimated 2023', 'Production in 2021 is also estimated.')."""
    low = (notes or "").lower()
    return "estimated" in low and str(year) in low


def notes_say_withheld(notes: str, year: int) -> bool:
    """MCS 2025 writes 'W for 23-24' in PROD_NOTES when the value cells are left blank."""
    m = re.fullmatch(r"w for (\d{2})-(\d{2})", (notes or "").strip().lower())
    return bool(m) and int(m.group(1)) <= year % 100 <= int(m.group(2))


def notes_say_na(notes: str) -> bool:
    """MCS 2025 sometimes writes the NA token in the notes column next to a blank value."""
    return bool(re.match(r"^NA\b", (notes or "").strip()))


def estimated_from_2026_notes(notes: str) -> bool:
    """MCS 2026 marks estimates with a note part 'Estimated.' (also 'Estimated .', 'Estimated. ')."""
    parts = re.split(r"\s*--\s*|\.--", notes or "")
    return any(re.fullmatch(r"Estimated\s*\.?", p.strip()) for p in parts)


def read_relative(reader, path, rel: str, **kw):
    """Call critmin.io.read_rows (or read_text) and re-raise its errors with the path relative to
    data/raw, as the house rules want."""
    try:
        return reader(path, **kw)
    except DataError as exc:
        new = DataError(str(exc).replace(str(path), rel))
        new.file, new.row, new.column, new.expected, new.got = (
            rel, exc.row, exc.column, exc.expected, exc.got)
        raise new from None
