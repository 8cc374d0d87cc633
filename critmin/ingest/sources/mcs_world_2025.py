"""MCS 2025 world file `MCS2025_World_Data.csv`: one wide table for all commodities.

Header, exactly as USGS wrote it (stray spaces included):
SOURCE, COMMODITY, COUNTRY, TYPE, UNIT_MEAS, PROD_2023, PROD_EST_ 2024, PROD_NOTES, CAP_2023,
CAP_EST_ 2024, CAP_NOTES, RESERVES_2024, RESERVE_NOTES.

This release left the W, NA and em-dash cells blank; a few rows put the token in the notes
column instead ('W for 23-24' in PROD_NOTES, 'NA' in RESERVE_NOTES). So a blank value becomes
'W' or 'NA' when its notes say so, and 'NA' (raw_value '') otherwise -- never zero. A measure with
no filled cell and no such note for a whole COMMODITY+TYPE group is not published for it and
gives no rows, except production for a group with nothing at all (germanium: USGS lists the
countries but prints no figures), which is kept as NA rows.
UNIT_MEAS is the production unit and is sometimes wrong; columns whose values are in another
unit (reserves of iron ore, molybdenum, vanadium; titanium minerals and industrial sand in
thousand tons) are set, with the evidence, in data/mappings/unit_overrides.csv.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from critmin.ingest import units
from critmin.errors import DataError
from critmin.io import read_rows
from critmin.ingest.sources.mcs_world_names import commodity_slug
from critmin.ingest.sources.mcs_world_values import (clean_label, clean_text, notes_say_estimated, notes_say_na,
                               notes_say_withheld, parse_cell, read_relative)

EDITION = 2025
FIXED = ("SOURCE", "COMMODITY", "COUNTRY", "TYPE", "UNIT_MEAS")
_VALUE_COL = re.compile(r"^(?P<m>PROD|CAP|RESERVES)_(?P<est>EST_)?\s*(?P<year>\d{4})$")
NOTES = {"PROD_NOTES": "PROD", "CAP_NOTES": "CAP", "RESERVE_NOTES": "RESERVES"}
MEASURES = {"PROD": "production", "CAP": "capacity", "RESERVES": "reserves"}


def _columns(header, rel):
    missing = [h for h in FIXED if h not in header]
    if missing:
        raise DataError("missing header", file=rel, row=1, column=missing[0],
                        expected=", ".join(FIXED) + ", value and notes columns")
    values, notes = {}, {}
    for i, name in enumerate(header):
        if name in FIXED:
            continue
        m = _VALUE_COL.match(name)
        if m:
            values[i] = {"column": name, "prefix": m["m"], "measure": MEASURES[m["m"]],
                         "year": int(m["year"]), "estimated": bool(m["est"])}
        elif name in NOTES:
            notes[NOTES[name]] = i
        else:
            raise DataError("unknown header", file=rel, row=1, column=name,
                            expected="PROD_<year>, PROD_EST_ <year>, CAP_..., RESERVES_<year> "
                                     "or *_NOTES")
    return {h: header.index(h) for h in FIXED}, values, notes


def _group_units(rows, col):
    """Units per COMMODITY+TYPE group, to fill the one row that leaves UNIT_MEAS blank."""
    seen = {}
    for _, cells in rows:
        unit = cells[col["UNIT_MEAS"]].strip()
        if unit:
            seen.setdefault((cells[col["COMMODITY"]].strip(), clean_text(cells[col["TYPE"]])),
                            set()).add(unit)
    return seen


def parse(path: Path, raw_dir: Path) -> list[dict]:
    path = Path(path)
    rel = path.relative_to(raw_dir).as_posix() if path.is_relative_to(raw_dir) else path.name
    header, rows = read_relative(read_rows, path, rel, encoding="utf-8-sig")
    col, values, notes = _columns(header, rel)
    group_units = _group_units(rows, col)

    def note(cells, spec):
        return cells[notes[spec["prefix"]]].strip() if spec["prefix"] in notes else ""

    # Which measures each COMMODITY+TYPE group publishes (see module docstring).
    published = {}
    for _, cells in rows:
        key = (cells[col["COMMODITY"]].strip(), clean_text(cells[col["TYPE"]]))
        got = published.setdefault(key, set())
        for i, spec in values.items():
            n = note(cells, spec)
            if cells[i].strip() or notes_say_na(n) or notes_say_withheld(n, spec["year"]):
                got.add(spec["measure"])
    out = []
    for line, cells in rows:
        source = cells[col["SOURCE"]].strip()
        if source != "MCS2025":
            raise DataError("unexpected SOURCE", file=rel, row=line, column="SOURCE",
                            got=source, expected="MCS2025")
        commodity_raw = cells[col["COMMODITY"]].strip()
        slug = commodity_slug(commodity_raw, file=rel, row=line, column="COMMODITY")
        if slug is None:
            continue
        type_text = clean_text(cells[col["TYPE"]])
        measures = published[(commodity_raw, type_text)] or {"production"}
        unit_text = cells[col["UNIT_MEAS"]].strip()
        if not unit_text:
            candidates = group_units.get((commodity_raw, type_text), set())
            if len(candidates) != 1:
                raise DataError("blank UNIT_MEAS and no single unit in its group", file=rel,
                                row=line, column="UNIT_MEAS", got=sorted(candidates))
            unit_text = next(iter(candidates))
        unit = units.from_words(unit_text, file=rel, row=line, column="UNIT_MEAS")
        type_unit = units.in_text(type_text)
        if type_unit and type_unit != unit:
            raise DataError("unit in TYPE disagrees with UNIT_MEAS", file=rel, row=line,
                            column="UNIT_MEAS", got=unit_text, expected=type_unit)
        for i, spec in values.items():
            if spec["measure"] not in measures:
                continue
            raw, n = cells[i].strip(), note(cells, spec)
            if raw:
                value, flag, high, e_prefix = parse_cell(raw, edition=EDITION, file=rel, row=line,
                                                         column=spec["column"])
            else:
                flag = "W" if notes_say_withheld(n, spec["year"]) else "NA"
                value, high, e_prefix = math.nan, math.nan, False
            unit_from = units.override(rel, slug, spec["column"], unit_text) or unit
            is_prod = spec["measure"] != "reserves"
            estimated = (spec["estimated"] or e_prefix
                         or (is_prod and ("estimated" in type_text.lower()
                                          or notes_say_estimated(n, spec["year"]))))
            out.append({
                "edition": 2025, "commodity": slug, "country_raw": clean_label(
                    cells[col["COUNTRY"]]),
                "type_key": type_text, "type_text": type_text, "measure": spec["measure"],
                "shared_type": True, "col_stage": "", "col_basis": "", "year": spec["year"], "value": value,
                "value_high": high, "value_flag": flag, "estimated": estimated,
                "raw_value": raw, "raw_unit": unit_text, "unit_from": unit_from,
                "source_file": rel, "source_row": line, "column": spec["column"]})
    return out
