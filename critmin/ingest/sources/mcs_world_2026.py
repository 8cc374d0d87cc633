"""MCS 2026 `MCS2026_Commodities_Data.csv`: one long table for every chapter, in cp1252.

World production, capacity and reserves are the rows whose Section starts with 'World' (its
wording differs by chapter: 'World Mine Production and Reserves', 'World Low-Purity Production
and Production Capacity', ...). Statistics is Production, Reserves or Capacity; Statistics_detail
says which series (world totals end in ': rounded' or ', rounded'); Unit is in words; Value is
text (quoted thousands, em dash = zero, W, NA, XX, bounds, ranges, 'Large', and the symbol 's'
explained by Notes). A note part 'Estimated.' marks an estimate.
The other rows (salient statistics, import sources...) belong to other tables.
"""
from __future__ import annotations

import re
from pathlib import Path

from critmin.ingest import units
from critmin.errors import DataError
from critmin.io import read_rows
from critmin.ingest.sources.mcs_world_names import commodity_slug
from critmin.ingest.sources.mcs_world_values import (clean_label, clean_text, estimated_from_2026_notes, parse_cell,
                               read_relative)

HEADER = ("MCS chapter", "Section", "Commodity", "Country", "Statistics", "Statistics_detail",
          "Unit", "Year", "Value", "Notes", "Is critical mineral 2025", "Other notes")
EDITION = 2026
ENCODING = "cp1252"
MEASURES = {"Production": "production", "Reserves": "reserves", "Capacity": "capacity"}
_ROUNDED = re.compile(r"\s*[:,]\s*rounded\s*$")


def type_key(section: str, commodity: str, detail: str) -> str:
    """Key into data/mappings/stages.csv: section, sub-commodity and detail without 'rounded'."""
    return " | ".join((clean_text(section), clean_text(commodity),
                       _ROUNDED.sub("", clean_text(detail))))


def _check_header(header, rel):
    for i, want in enumerate(HEADER):
        got = header[i] if i < len(header) else None
        if got != want:
            raise DataError("unknown or missing header", file=rel, row=1, column=got or want,
                            expected=f"'{want}' in column {i + 1} ({', '.join(HEADER)})")
    if len(header) > len(HEADER):
        raise DataError("unknown header", file=rel, row=1, column=header[len(HEADER)])


def parse(path: Path, raw_dir: Path) -> list[dict]:
    path = Path(path)
    rel = path.relative_to(raw_dir).as_posix() if path.is_relative_to(raw_dir) else path.name
    header, rows = read_relative(read_rows, path, rel, encoding=ENCODING)
    _check_header(header, rel)
    c = {h: i for i, h in enumerate(HEADER)}
    out = []
    for line, cells in rows:
        section = cells[c["Section"]].strip()
        if not section.startswith("World"):
            continue
        slug = commodity_slug(cells[c["MCS chapter"]].strip(), file=rel, row=line,
                              column="MCS chapter")
        if slug is None:
            continue
        stat = cells[c["Statistics"]].strip()
        if stat not in MEASURES:
            raise DataError("unknown Statistics", file=rel, row=line, column="Statistics",
                            got=stat, expected=" or ".join(MEASURES))
        year_text = cells[c["Year"]].strip()
        if not re.fullmatch(r"\d{4}", year_text):
            raise DataError("year is not a four-digit year", file=rel, row=line, column="Year",
                            got=year_text)
        notes = cells[c["Notes"]]
        raw = cells[c["Value"]].strip()
        value, flag, high, e_prefix = parse_cell(raw, edition=EDITION, notes=notes, file=rel, row=line,
                                                 column="Value")
        unit_text = cells[c["Unit"]].strip()
        unit = units.from_words(unit_text, file=rel, row=line, column="Unit")
        detail = cells[c["Statistics_detail"]]
        out.append({
            "edition": 2026, "commodity": slug,
            "country_raw": clean_label(cells[c["Country"]]),
            "type_key": type_key(section, cells[c["Commodity"]], detail),
            "type_text": clean_text(detail), "measure": MEASURES[stat],
            "shared_type": False, "col_stage": "", "col_basis": "", "year": int(year_text), "value": value,
            "value_high": high, "value_flag": flag,
            "estimated": e_prefix or estimated_from_2026_notes(notes),
            "raw_value": raw, "raw_unit": unit_text,
            # overrides are keyed by Statistics: one chapter can mislabel its reserves only
            "unit_from": units.override(rel, slug, stat, unit_text) or unit,
            "source_file": rel, "source_row": line, "column": "Value"})
    return out
