"""MCS 2026 Table 4, country export controls -> export_controls.csv.

USGS writes each country's controlled items as one sentence ("Antimony (2024), bismuth (2025), ...").
The split of each sentence into items is declared in data/mappings/export_control_items.csv
(country, item text as USGS words it, year, commodity slug or '' with a reason, form). The code
checks the declaration against the file: every item is a piece of its row's text, its year is the
first '(YYYY)' after it, and every year in the text is used. One output row per country x
measure x commodity x item."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critmin import config
from critmin.errors import DataError
from critmin.io import read_rows
from critmin.ingest.sources.names import commodity_slugs, country, expect_header, rel

FILE = "usgs-mcs-2026/industry-trends/MCS2026_T4_Country_Export_Control.csv"
HEADER = ["Country", "Control_Type", "Commodity_Year", "Data_source", "Notes"]
MEASURES = ("export ban", "temporary export ban", "export quota", "export licensing requirement",
            "export licensing requirement for materials and technologies")
KEY = ["country", "measure", "commodity", "item"]
COLUMNS = ["country", "measure", "commodity", "form", "item", "year", "control_text",
           "data_source", "note", "source_file", "source_row"]
_YEAR = re.compile(r"\((\d{4})\)")


@lru_cache(maxsize=None)
def items() -> dict[str, list[dict]]:
    """Raw country name -> declared items, in file order."""
    path = config.MAPPINGS / "export_control_items.csv"
    out: dict[str, list[dict]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for line_no, r in enumerate(csv.DictReader(fh), start=2):
            if r["commodity"] and r["commodity"] not in commodity_slugs():
                raise DataError("unknown commodity slug", file=str(path), row=line_no,
                                column="commodity", got=r["commodity"])
            if not r["commodity"] and not r["reason"].strip():
                raise DataError("an item kept without a slug needs a reason", file=str(path),
                                row=line_no, column="reason")
            out.setdefault(r["country"], []).append(r)
    return out


def _check_items(text: str, declared: list[dict], *, row) -> None:
    used = set()
    for item in declared:
        pos = text.find(item["item"])
        if pos < 0:
            raise DataError("declared item is not in the row's text", file=FILE, row=row,
                            column="Commodity_Year", expected=item["item"], got=text)
        m = _YEAR.search(text, pos)
        if not m or m.group(1) != item["year"]:
            raise DataError("declared year is not the one USGS gives after the item", file=FILE,
                            row=row, column="Commodity_Year", expected=item["year"],
                            got=m.group(1) if m else None)
        used.add(m.start())
    unused = [m.group(0) for m in _YEAR.finditer(text) if m.start() not in used]
    if unused:
        raise DataError("part of the row's text is not declared in export_control_items.csv",
                        file=FILE, row=row, column="Commodity_Year", got=unused)


def build(raw_dir: Path) -> pd.DataFrame:
    path = Path(raw_dir) / FILE
    file = rel(path, Path(raw_dir))
    header, rows = read_rows(path)
    expect_header(header, HEADER, file=file)
    out = []
    for line_no, (raw_country, control, text, url, note) in rows:
        measure = control.strip().lower()
        if measure not in MEASURES:
            raise DataError("unknown control type", file=file, row=line_no, column="Control_Type",
                            expected=f"one of {MEASURES}", got=control)
        declared = items().get(raw_country.strip())
        if not declared:
            raise DataError("country has no items in data/mappings/export_control_items.csv",
                            file=file, row=line_no, column="Country", got=raw_country)
        text = text.strip()
        _check_items(text, declared, row=line_no)
        name = country(raw_country, file=file, row=line_no, column="Country")
        for item in declared:
            out.append(dict(country=name, measure=measure, commodity=item["commodity"],
                            form=item["form"], item=item["item"], year=int(item["year"]),
                            control_text=text, data_source=url.strip(), note=note.strip(),
                            source_file=file, source_row=line_no))
    df = pd.DataFrame(out, columns=COLUMNS)
    return df.sort_values(KEY, kind="stable").reset_index(drop=True)


SCHEMA = pa.DataFrameSchema(
    {
        "country": pa.Column(str, pa.Check.str_length(min_value=2)),
        "measure": pa.Column(str, pa.Check.isin(MEASURES)),
        "commodity": pa.Column(str, pa.Check.isin(sorted(commodity_slugs()) + [""])),
        "form": pa.Column(str),
        "item": pa.Column(str, pa.Check.str_length(min_value=2)),
        "year": pa.Column(int, pa.Check.in_range(2000, 2026)),
        "control_text": pa.Column(str),
        "data_source": pa.Column(str, pa.Check.str_startswith("http")),
        "note": pa.Column(str),
        "source_file": pa.Column(str, pa.Check.eq(FILE)),
        "source_row": pa.Column(int, pa.Check.ge(2)),
    },
    unique=KEY, strict=True, ordered=True, coerce=False,
)
