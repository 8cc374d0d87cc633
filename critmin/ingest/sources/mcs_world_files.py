"""MCS 2022, 2023 and 2024 world files: one wide CSV per commodity (`*_world.csv`).

Columns are Source, Country, Type, then value columns whose names carry measure, sub-product,
unit, estimate mark and year (Prod_t_2021, Prod_kt_est_2022, Prod_kg_Est_2021, Cap_Pigment_t_2023,
Prod_Sponge_t_Est_2022, Reserves_kt, Reserves_ore_K2O_equiv_kt, Reserves_kt_2023) and notes columns
(Prod_note / Prod_notes, Cap_notes, Reserves_notes). Any other header is an error. Reserves
columns carry no year in MCS 2023/2024: the data year is the edition minus one.
"""
from __future__ import annotations

import re
from pathlib import Path

from critmin.ingest import units
from critmin.errors import DataError
from critmin.io import read_rows
from critmin.ingest.sources.mcs_world_values import (clean_label, clean_text, notes_say_estimated, parse_cell,
                               read_relative)

_VALUE_COL = re.compile(
    r"^(?P<measure>Prod|Cap|Reserves)"
    r"(?:_(?P<sub>Sponge|Pigment|ore_K2O_equiv|ore))?"
    r"_(?P<unit>" + "|".join(units.HEADER_TOKENS) + r")"
    r"(?:_(?P<est>est|Est))?"
    r"(?:_(?P<year>\d{4}))?$")
_NOTES_COL = re.compile(r"^(?P<measure>Prod|Cap|Reserves)_notes?$")
MEASURES = {"Prod": "production", "Cap": "capacity", "Reserves": "reserves"}
# Sub-products in column names: stage (titanium) or content basis (potash reserves).
SUB_STAGE = {"Sponge": "sponge", "Pigment": "pigment"}
SUB_BASIS = {"ore": "ore", "ore_K2O_equiv": "K2O equivalent"}
# The third column is 'Type'; MCS 2024 fluorspar heads it with its only Type text instead.
TYPE_HEADERS = {"Type", "Mine production, fluorspar"}
FIXED = ("Source", "Country")
# Files whose rows run past the header, seen in the raw data and checked by hand:
RAGGED = {
    # a headerless 9th column repeating Reserves_kt on every row
    "usgs-mcs-2024/world/mcs2024-barit_world.csv": "copy of Reserves_kt",
    # a headerless number column sits where Reserves_notes is, pushing the notes one cell right;
    # the numbers match no other edition and are not read
    "usgs-mcs-2024/world/mcs2024-vermi_world.csv": "shifted notes",
}


def file_code(path: Path) -> str:
    """Commodity code of a world file name: 'rare_earths_mcs2022-raree_world.csv' -> 'raree',
    'mcs2023-zirco-hafni_world.csv' -> 'zirco-hafni', 'MCS2024-bismu_world.csv' -> 'bismu'."""
    m = re.search(r"mcs20\d\d-(.+)_world\.csv$", path.name, flags=re.IGNORECASE)
    if not m:
        raise DataError("not an MCS world file name", file=path.name,
                        expected="...mcs20YY-<code>_world.csv")
    return m.group(1)


def _read_ragged(path: Path, rel: str):
    """critmin.io.read_rows for the RAGGED files: cells past the header are cut off, and a copy
    column must equal the column it copies."""
    header, rows = read_relative(read_rows, path, rel, encoding="utf-8-sig", ragged=True)
    width, out = len(header), []
    for line, cells in rows:
        if RAGGED[rel] == "copy of Reserves_kt":
            extra = cells[width] if len(cells) > width else ""
            same = cells[header.index("Reserves_kt")]
            if re.sub(r"[\s,]", "", extra) != re.sub(r"[\s,]", "", same):
                raise DataError("headerless column is no longer a copy of Reserves_kt",
                                file=rel, row=line, column=width + 1, got=extra)
        out.append((line, cells[:width]))
    return header, out


def _columns(header: list[str], edition: int, rel: str):
    """Classify every header: value columns -> spec dict, notes columns -> measure key."""
    if tuple(header[:2]) != FIXED or len(header) < 3 or header[2] not in TYPE_HEADERS:
        bad = next((i for i, (h, want) in enumerate(zip(header, FIXED + ("Type",))) if h != want), 2)
        raise DataError("unknown or missing header", file=rel, row=1,
                        column=header[bad] if bad < len(header) else None,
                        expected="Source, Country, Type, then value and notes columns")
    values, notes = {}, {}
    for i, name in enumerate(header[3:], start=3):
        m = _VALUE_COL.match(name)
        if m:
            measure = MEASURES[m["measure"]]
            if m["year"]:
                year = int(m["year"])
            elif measure == "reserves" and edition > 2022:
                year = edition - 1
            else:
                raise DataError("value column without a year", file=rel, row=1, column=name)
            values[i] = {"column": name, "measure": measure, "unit_token": m["unit"],
                         "estimated": bool(m["est"]), "year": year,
                         "col_stage": SUB_STAGE.get(m["sub"] or "", ""),
                         "col_basis": SUB_BASIS.get(m["sub"] or "", ""), "prefix": m["measure"]}
            continue
        m = _NOTES_COL.match(name)
        if m:
            notes[m["measure"]] = i
            continue
        raise DataError("unknown header", file=rel, row=1, column=name,
                        expected="Prod|Cap|Reserves[_Sponge|_Pigment|_ore|_ore_K2O_equiv]_<unit>"
                                 "[_est]_<year>, or *_notes")
    if not values:
        raise DataError("no value columns", file=rel, row=1)
    return values, notes


def parse(path: Path, raw_dir: Path, edition: int, commodity: str) -> list[dict]:
    """Records (one per value cell) of one wide world file. `commodity` is the slug the caller
    mapped from the file code; it keys unit overrides."""
    path = Path(path)
    rel = path.relative_to(raw_dir).as_posix() if path.is_relative_to(raw_dir) else path.name
    if rel in RAGGED:
        header, rows = _read_ragged(path, rel)
    else:
        header, rows = read_relative(read_rows, path, rel, encoding="utf-8-sig")
    values, notes = _columns(header, edition, rel)
    units_by_col = {}
    for i, spec in values.items():
        declared = spec["unit_token"]
        actual = units.override(rel, commodity, spec["column"], declared)
        units_by_col[i] = actual or units.from_header_token(declared, file=rel, row=1,
                                                           column=spec["column"])
    # A measure column left blank for a whole Type group is not published for it (e.g. copper
    # reserves sit on the mine rows only); a blank among filled cells of the group is 'NA'.
    filled = {(clean_text(cells[2]), i) for _, cells in rows for i in values if cells[i].strip()}
    out = []
    for line, cells in rows:
        source = cells[0].replace(" ", "")  # MCS 2024 aluminum writes 'MCS 2024'
        if source and source != f"MCS{edition}":
            raise DataError("unexpected Source", file=rel, row=line, column="Source",
                            got=source, expected=f"MCS{edition} or blank")
        country = clean_label(cells[1])
        type_text = clean_text(cells[2])
        if not country:
            raise DataError("blank country", file=rel, row=line, column="Country")
        type_unit = units.in_text(type_text)
        for i, spec in values.items():
            raw = cells[i].strip()
            note = cells[notes[spec["prefix"]]] if spec["prefix"] in notes else ""
            unit = units_by_col[i]
            if type_unit and spec["measure"] != "reserves" and type_unit != unit:
                raise DataError("unit in Type text disagrees with the column name", file=rel,
                                row=line, column=spec["column"], got=type_unit, expected=unit)
            if not raw:
                if (type_text, i) not in filled:
                    continue
                value, flag, high, e_prefix = float("nan"), "NA", float("nan"), False
            else:
                value, flag, high, e_prefix = parse_cell(raw, edition=edition, file=rel, row=line,
                                                         column=spec["column"])
            estimated = (spec["estimated"] or e_prefix
                         or (spec["measure"] != "reserves"
                             and ("estimated" in type_text.lower()
                                  or notes_say_estimated(note, spec["year"]))))
            out.append({
                "edition": edition, "commodity": commodity, "country_raw": country,
                "type_key": type_text, "type_text": type_text, "measure": spec["measure"],
                "shared_type": True, "col_stage": spec["col_stage"], "col_basis": spec["col_basis"],
                "year": spec["year"], "value": value, "value_high": high, "value_flag": flag,
                "estimated": estimated, "raw_value": raw, "raw_unit": spec["unit_token"],
                "unit_from": unit, "source_file": rel, "source_row": line,
                "column": spec["column"]})
    return out
