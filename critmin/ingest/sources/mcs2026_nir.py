"""Net import reliance and import-source shares from the MCS 2026 long file
(MCS2026_Commodities_Data.csv, cp1252, one value per row).

NIR rows: Statistics == 'Net import reliance', years 2021-2025. Import-source rows: Section
'Import Sources', Year '2021–24', % shares by country in descending order, 'Other countries' last.
Labels are mapped as '<Commodity>|<Statistics_detail>' (commodities_nir.csv for NIR rows,
import_source_forms.csv for import rows); the slug must agree with the row's `MCS chapter`."""
from __future__ import annotations

import math
import re
from pathlib import Path

from critmin.errors import DataError
from critmin.io import read_rows
from critmin.ingest.tokens import mcs_release, parse_value
from critmin.ingest.sources.names import clean_label, country, expect_header, slug_and_form, slug_for_chapter
from critmin.ingest.sources.nir_values import parse_nir

FILE = "usgs-mcs-2026/MCS2026_Commodities_Data.csv"
EDITION = 2026
HEADER = ["MCS chapter", "Section", "Commodity", "Country", "Statistics", "Statistics_detail",
          "Unit", "Year", "Value", "Notes", "Is critical mineral 2025", "Other notes"]
COL = {name: i for i, name in enumerate(HEADER)}
IMPORT_YEAR = "2021–24"  # en dash, as published
IMPORT_PERIOD = "2021-2024"
SHARE_FLAGS = ("", ">", "<")

# Mica prints two NIR rows per year under the same label: the scrap-and-flake block comes first,
# the sheet block second (each block starts with its own production rows). Fig2 2026 confirms the
# order (scrap and flake 34, sheet 100 for 2025). Forms are assigned by order within the year.
REPEATED_LABELS = {
    "Mica (Natural)|Net import reliance as a percentage of apparent consumption":
        ("scrap-and-flake", "sheet"),
}


def _rows(raw_dir: Path):
    path = Path(raw_dir) / FILE
    header, rows = read_rows(path, encoding="cp1252")
    expect_header(header, HEADER, file=FILE)
    return rows


def _mapped(mapping: str, cells, line_no):
    label = f"{clean_label(cells[COL['Commodity']])}|{cells[COL['Statistics_detail']].strip()}"
    mapped = slug_and_form(mapping, label, file=FILE, row=line_no, column="Commodity|Statistics_detail")
    if mapped is None:
        return None, label
    chapter = cells[COL["MCS chapter"]].strip()
    if slug_for_chapter().get(chapter) != mapped[0]:
        raise DataError(f"data/mappings/{mapping}.csv gives a slug that disagrees with MCS chapter",
                        file=FILE, row=line_no, column="MCS chapter", got=f"{label} -> {mapped[0]}",
                        expected=f"the slug of chapter {chapter!r}")
    return mapped, label


def read_nir(raw_dir: Path) -> list[dict]:
    out, seen = [], {}
    for line_no, cells in _rows(raw_dir):
        if cells[COL["Statistics"]].strip() != "Net import reliance":
            continue
        for col, want in (("Country", "United States"), ("Unit", "percent")):
            if cells[COL[col]].strip() != want:
                raise DataError("unexpected NIR row", file=FILE, row=line_no, column=col,
                                expected=want, got=cells[COL[col]])
        year = cells[COL["Year"]].strip()
        if not re.fullmatch(r"20\d\d", year):
            raise DataError("NIR year is not a year", file=FILE, row=line_no, column="Year", got=year)
        mapped, label = _mapped("commodities_nir", cells, line_no)
        if mapped is None:
            continue
        form = mapped[1]
        if label in REPEATED_LABELS:
            n = seen[(label, year)] = seen.get((label, year), -1) + 1
            if n >= len(REPEATED_LABELS[label]):
                raise DataError("more repeated NIR rows than known forms", file=FILE, row=line_no,
                                column="Statistics_detail", got=label,
                                expected=f"at most {len(REPEATED_LABELS[label])} per year")
            form = REPEATED_LABELS[label][n]
        value, flag = parse_nir(cells[COL["Value"]], edition=EDITION, file=FILE, row=line_no, column="Value")
        out.append(dict(edition=EDITION, commodity=mapped[0], form=form, year=int(year),
                        nir_pct=value, nir_flag=flag, raw_value=cells[COL["Value"]].strip(),
                        raw_label=label, source_file=FILE, source_row=line_no))
    return out


def read_import_sources(raw_dir: Path) -> list[dict]:
    out, rank = [], {}
    for line_no, cells in _rows(raw_dir):
        if cells[COL["Section"]].strip() != "Import Sources":
            continue
        for col, want in (("Year", IMPORT_YEAR), ("Unit", "percent"),
                          ("Statistics", "Import sources 2021-2024")):
            if cells[COL[col]].strip() != want:
                raise DataError("unexpected import-source row", file=FILE, row=line_no, column=col,
                                expected=want, got=cells[COL[col]])
        mapped, _ = _mapped("import_source_forms", cells, line_no)
        name = country(cells[COL["Country"]], file=FILE, row=line_no, column="Country")
        if mapped is None or name is None:
            continue
        raw = cells[COL["Value"]].strip()
        value, flag, _ = parse_value(raw, release=mcs_release(EDITION), file=FILE, row=line_no, column="Value")
        if flag not in SHARE_FLAGS or not 0 <= value <= 100 or math.isnan(value):
            raise DataError("import share must be a percent or a bound", file=FILE, row=line_no,
                            column="Value", got=raw, expected="0..100, >n or <n")
        rank[mapped] = rank.get(mapped, 0) + 1  # order as listed within each breakdown
        note = cells[COL["Notes"]].strip()
        out.append(dict(edition=EDITION, commodity=mapped[0], form=mapped[1], period=IMPORT_PERIOD,
                        rank=rank[mapped], country=name, share_pct=value, share_flag=flag,
                        raw_value=raw, hong_kong_with_china="Includes Hong Kong" in note,
                        note=note, source_file=FILE, source_row=line_no))
    return out
