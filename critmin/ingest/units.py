"""Units of the USGS world tables: parse them from column names, Type text or UNIT_MEAS, and convert.

Every quantity is converted to one canonical unit per commodity and measure, stated in
data/mappings/units.csv (commodity, measure, unit, basis, reason). Column headers that USGS
mislabelled (e.g. MCS 2024 talc reserves headed `_t` but published in thousand tons) are corrected
by data/mappings/unit_overrides.csv, each with the evidence; nothing is guessed in code.
"""
from __future__ import annotations

import csv
import math
import re
from functools import lru_cache

from critmin import config
from critmin.errors import DataError

# unit code -> (dimension, factor to the dimension's base unit)
FACTORS = {
    "kg": ("mass", 1e-3), "t": ("mass", 1.0), "kt": ("mass", 1e3), "Mt": ("mass", 1e6),
    "kct": ("carats", 1e3), "Mct": ("carats", 1e6),
    "Mm3": ("gas volume", 1.0),
    "ML": ("liquid volume", 1.0),
}

# Unit words as USGS prints them (UNIT_MEAS, 2026 `Unit`, Type text), lower case.
_WORDS = {
    "metric tons": "t", "tons": "t",
    "thousand metric tons": "kt", "thousand metric dry tons": "kt",
    "million metric tons": "Mt",
    "kilograms": "kg",
    "million carats": "Mct", "thousand carats": "kct", "thousands of carats": "kct",
    "million cubic meters": "Mm3", "million liters": "ML",
}
# Unit tokens inside MCS 2022-2024 column names (Prod_kt_2021, Reserves_mct ...).
# 'mt' is left out on purpose: it reads as metric ton or million tons; a column using it
# needs an entry in unit_overrides.csv.
_HEADER_TOKENS = {"t": "t", "kt": "kt", "kg": "kg", "Mt": "Mt", "mmt": "Mt",
                  "mct": "Mct", "kct": "kct", "mcm": "Mm3"}
HEADER_TOKENS = tuple(_HEADER_TOKENS) + ("mt",)

# Phrases searched for inside Type text, longest first so 'thousand metric tons' wins over 'metric tons'.
# A bare 'tons' is not searched for: 'bauxite, dry tons' names no scale.
_IN_TEXT = sorted((w for w in _WORDS if w != "tons"), key=len, reverse=True)


def from_words(text: str, *, file=None, row=None, column=None) -> str:
    """Unit code for a unit written in words (UNIT_MEAS, 2026 Unit column)."""
    key = re.sub(r"\s+", " ", (text or "").replace("\xa0", " ")).strip().lower()
    if key not in _WORDS:
        raise DataError("unknown unit", file=file, row=row, column=column, got=text,
                        expected=f"one of {sorted(_WORDS)}")
    return _WORDS[key]


def from_header_token(token: str, *, file=None, row=None, column=None) -> str:
    """Unit code for the unit token of a column name; 'mt' (ambiguous) raises."""
    if token not in _HEADER_TOKENS:
        raise DataError("ambiguous or unknown unit in column name", file=file, row=row,
                        column=column, got=token,
                        expected=f"one of {sorted(_HEADER_TOKENS)} (or an entry in "
                                 "data/mappings/unit_overrides.csv)")
    return _HEADER_TOKENS[token]


def in_text(text: str) -> str | None:
    """Unit code named inside a Type text, or None when the text names no unit."""
    low = (text or "").lower()
    for phrase in _IN_TEXT:
        if re.search(rf"\b{re.escape(phrase)}\b", low):
            return _WORDS[phrase]
    return None


def factor(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a value in from_unit to to_unit; units of different kinds raise."""
    a, b = FACTORS.get(from_unit), FACTORS.get(to_unit)
    if a is None or b is None:
        raise DataError("unit has no conversion factor", got=from_unit if a is None else to_unit,
                        expected=f"one of {sorted(FACTORS)}")
    if a[0] != b[0]:
        raise DataError(f"cannot convert {a[0]} to {b[0]}", got=from_unit, expected=to_unit)
    return a[1] / b[1]


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert and round to 12 significant digits so results print without float noise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    if from_unit == to_unit:
        return float(value)
    return float(f"{value * factor(from_unit, to_unit):.12g}")


def _read(name: str) -> list[tuple[int, dict]]:
    path = config.MAPPINGS / name
    with open(path, encoding="utf-8", newline="") as fh:
        return list(enumerate(csv.DictReader(fh), start=2))


@lru_cache(maxsize=None)
def canonical() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(commodity, measure, stage) -> (canonical unit, default content basis) from
    data/mappings/units.csv; stage '' is the commodity's default, a named stage (helium's rare
    gases, counted in liters) overrides it."""
    out = {}
    for line, r in _read("units.csv"):
        key = (r["commodity"], r["measure"], r["stage"])
        if key in out:
            raise DataError("duplicate commodity+measure+stage", file="data/mappings/units.csv",
                            row=line)
        if r["unit"] not in FACTORS:
            raise DataError("unknown canonical unit", file="data/mappings/units.csv", row=line,
                            column="unit", got=r["unit"], expected=f"one of {sorted(FACTORS)}")
        out[key] = (r["unit"], r["basis"])
    return out


def canonical_unit(commodity: str, measure: str, stage: str = "", *, file=None,
                   row=None) -> tuple[str, str]:
    """(unit, default basis) for a series."""
    table = canonical()
    hit = table.get((commodity, measure, stage)) or table.get((commodity, measure, ""))
    if hit is None:
        raise DataError("no canonical unit for this commodity and measure", file=file, row=row,
                        got=f"{commodity}/{measure}",
                        expected="a row in data/mappings/units.csv")
    return hit


@lru_cache(maxsize=None)
def overrides() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(source_file, commodity, column) -> (unit as published, unit the values are really in)."""
    out = {}
    for line, r in _read("unit_overrides.csv"):
        key = (r["source_file"], r["commodity"], r["column"])
        if key in out:
            raise DataError("duplicate override", file="data/mappings/unit_overrides.csv", row=line)
        if r["actual"] not in FACTORS or not r["reason"].strip():
            raise DataError("override needs a known unit and a reason",
                            file="data/mappings/unit_overrides.csv", row=line)
        out[key] = (r["declared"], r["actual"])
    return out


def override(source_file: str, commodity: str, column: str, declared: str) -> str | None:
    """The corrected unit for a mislabelled column, or None. The override must name the unit
    USGS printed, so a re-issued file with a fixed header fails loudly instead of being
    converted twice."""
    hit = overrides().get((source_file, commodity, column))
    if hit is None:
        return None
    if hit[0] != declared:
        raise DataError("unit override no longer matches the published unit",
                        file="data/mappings/unit_overrides.csv", column=column,
                        got=declared, expected=hit[0])
    return hit[1]
