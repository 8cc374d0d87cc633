"""world.csv: world production, capacity and reserves by country from the five MCS editions.

Entry point `build(raw_dir)`; `SCHEMA` validates the result. Each edition has its own reader
(mcs_world_files for the 2022-2024 per-commodity files, mcs_world_2025, mcs_world_2026); this
module turns their records into the tidy table:
- country labels -> canonical names (data/mappings/countries_usgs.csv),
- Type / Statistics_detail text -> stage and content basis (data/mappings/stages.csv),
- every value -> the canonical unit of its commodity and measure (data/mappings/units.csv).
Rows are sorted by the key (edition, commodity, measure, stage, basis, country, year).
The corrections in data/corrections.yml are applied afterwards by critmin.ingest.pipeline.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critmin import config
from critmin.ingest import units
from critmin.errors import DataError
from critmin.ingest.fetch import load_registry
from critmin.ingest.tokens import FLAGS
from critmin.ingest.sources import mcs_world_2025, mcs_world_2026, mcs_world_files
from critmin.ingest.sources.mcs_world_names import canonical_countries, commodity_slug, country_name, slugs

COLUMNS = ["edition", "commodity", "measure", "stage", "country", "year", "value", "value_high",
           "unit", "basis", "value_flag", "estimated", "raw_value", "raw_unit", "type_text",
           "source_file", "source_row", "raw_country", "correction_id"]
KEY = ["edition", "commodity", "measure", "stage", "basis", "country", "year"]
MEASURES = ("production", "capacity", "reserves")
FILE_2025 = "usgs-mcs-2025/world/MCS2025_World_Data.csv"
FILE_2026 = "usgs-mcs-2026/MCS2026_Commodities_Data.csv"
STAGES = "stages.csv"
FROM_COLUMN = "(column)"  # stage comes from the column name (titanium sponge / pigment)
DROP = "DROP"


@lru_cache(maxsize=None)
def stage_map() -> dict[tuple[str, str, str], dict]:
    """(commodity, raw_type, raw_country) -> row of data/mappings/stages.csv. raw_country is
    usually empty (any country); it is set where only the country label tells the series apart
    (MCS 2025 titanium minerals: the ilmenite-and-rutile world total has the ilmenite Type)."""
    path = config.MAPPINGS / STAGES
    out = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            key = (r["commodity"], r["raw_type"], r["raw_country"])
            if key in out:
                raise DataError("duplicate commodity+raw_type+raw_country", file=f"data/mappings/{STAGES}",
                                row=line)
            if r["measure"] not in ("",) + MEASURES:
                raise DataError("unknown measure", file=f"data/mappings/{STAGES}", row=line,
                                column="measure", got=r["measure"])
            if DROP in (r["stage"], r["reserves_stage"]) and not r["reason"].strip():
                raise DataError("a dropped series needs a reason",
                                file=f"data/mappings/{STAGES}", row=line)
            out[key] = r
    return out


def _stage(rec: dict) -> tuple[str, str, str] | None:
    """(measure, stage, basis) for a record, or None when its series is dropped on purpose."""
    table = stage_map()
    m = (table.get((rec["commodity"], rec["type_key"], rec["country_raw"]))
         or table.get((rec["commodity"], rec["type_key"], "")))
    if m is None:
        raise DataError("Type text not in mapping", file=rec["source_file"],
                        row=rec["source_row"], column="Type", got=rec["type_key"],
                        expected=f"a row for {rec['commodity']} in data/mappings/{STAGES}")
    measure = rec["measure"]
    if measure == "reserves" and rec["shared_type"]:
        # MCS 2023-2025 put reserves on the production rows: their own stage/basis columns.
        stage, basis = m["reserves_stage"] or "mine", m["reserves_basis"]
    else:
        stage, basis = m["stage"], m["basis"]
        measure = m["measure"] or measure
    if stage == DROP:
        return None
    if rec["col_stage"]:
        stage = rec["col_stage"]
    elif stage == FROM_COLUMN:
        raise DataError("stage must come from the column name, which gives none",
                        file=rec["source_file"], row=rec["source_row"], column=rec["column"])
    return measure, stage, rec["col_basis"] or basis


def finalize(records: list[dict]) -> pd.DataFrame:
    """Map, convert and sort parsed records into the world.csv table (without corrections)."""
    rows = []
    for rec in records:
        where = {"file": rec["source_file"], "row": rec["source_row"]}
        country, glued_e = country_name(rec["country_raw"], column="Country", **where)
        if country is None:
            continue
        resolved = _stage(rec)
        if resolved is None:
            continue
        measure, stage, basis = resolved
        unit, default_basis = units.canonical_unit(rec["commodity"], measure, stage, **where)
        try:
            value = units.convert(rec["value"], rec["unit_from"], unit)
            high = units.convert(rec["value_high"], rec["unit_from"], unit)
        except DataError as exc:
            raise DataError(f"unit conversion failed: {exc}", column=rec["column"],
                            **where) from None
        rows.append({
            "edition": rec["edition"], "commodity": rec["commodity"], "measure": measure,
            "stage": stage, "country": country, "year": rec["year"], "value": value,
            "value_high": high, "unit": unit, "basis": basis or default_basis,
            "value_flag": rec["value_flag"], "estimated": bool(rec["estimated"] or glued_e),
            "raw_value": rec["raw_value"], "raw_unit": rec["raw_unit"],
            "type_text": rec["type_text"], "source_file": rec["source_file"],
            "source_row": rec["source_row"], "raw_country": rec["country_raw"],
            "correction_id": ""})
    df = pd.DataFrame(rows, columns=COLUMNS)
    dup = df[df.duplicated(KEY, keep=False)]
    if not dup.empty:
        first = dup.sort_values(KEY).iloc[0]
        raise DataError("two rows for one key (edition, commodity, measure, stage, basis, "
                        "country, year): fix data/mappings/stages.csv or countries_usgs.csv",
                        file=first["source_file"], row=int(first["source_row"]),
                        got=dup.sort_values(KEY)[KEY + ["source_file", "source_row"]]
                        .head(4).to_dict("records"))
    df = df.sort_values(KEY, kind="mergesort").reset_index(drop=True)
    return df.astype({"edition": "int64", "year": "int64", "source_row": "int64",
                      "value": "float64", "value_high": "float64", "estimated": "bool"})


def world_files(raw_dir: Path) -> list[tuple[int, Path]]:
    """The MCS 2022-2024 world files, as registered in data/sources.yml (a file the registry
    lists but data/raw lacks is reported by the reader as missing)."""
    pat = re.compile(r"^usgs-mcs-(202[234])/.*_world\.csv$")
    out = []
    for entry in load_registry()["files"]:
        m = pat.match(entry["path"])
        if m:
            out.append((int(m.group(1)), Path(raw_dir) / entry["path"]))
    if not out:
        raise DataError("data/sources.yml lists no MCS 2022-2024 world files")
    return sorted(out)


def records(raw_dir: Path) -> list[dict]:
    raw_dir = Path(raw_dir)
    out = []
    for edition, path in world_files(raw_dir):
        slug = commodity_slug(mcs_world_files.file_code(path), file=path.name, column="file name")
        if slug is not None:
            out += mcs_world_files.parse(path, raw_dir, edition, slug)
    out += mcs_world_2025.parse(raw_dir / FILE_2025, raw_dir)
    out += mcs_world_2026.parse(raw_dir / FILE_2026, raw_dir)
    return out


def build(raw_dir: Path = config.RAW) -> pd.DataFrame:
    return finalize(records(raw_dir))


def _flags_agree(df: pd.DataFrame) -> pd.Series:
    """A number for '', '<', '>', 'range'; no number for W, NA, XX, E, qual; a high end only
    for ranges, and never below the low end."""
    numeric = df["value_flag"].isin(["", "<", ">", "range"])
    has_value = df["value"].notna()
    has_high = df["value_high"].notna()
    high_ok = ~has_high | (df["value_high"] >= df["value"])
    return (numeric == has_value) & (has_high == (df["value_flag"] == "range")) & high_ok


def _str(**kw):
    return pa.Column(str, nullable=False, **kw)


SCHEMA = pa.DataFrameSchema(
    {
        "edition": pa.Column(int, pa.Check.isin([2022, 2023, 2024, 2025, 2026])),
        "commodity": _str(checks=pa.Check(lambda s: s.isin(slugs()),
                                          error="commodity not in commodity_slugs.csv")),
        "measure": _str(checks=pa.Check.isin(MEASURES)),
        "stage": _str(checks=pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$")),
        "country": _str(checks=pa.Check(lambda s: s.isin(canonical_countries()),
                                        error="country not canonical")),
        "year": pa.Column(int, pa.Check.in_range(2015, 2026)),
        "value": pa.Column(float, pa.Check.ge(0), nullable=True),
        "value_high": pa.Column(float, pa.Check.ge(0), nullable=True),
        "unit": _str(checks=pa.Check.isin(sorted(units.FACTORS))),
        "basis": _str(),
        "value_flag": _str(checks=pa.Check.isin(FLAGS)),
        "estimated": pa.Column(bool),
        "raw_value": _str(),
        "raw_unit": _str(),
        "type_text": _str(),
        "source_file": _str(checks=pa.Check.str_startswith("usgs-mcs-")),
        "source_row": pa.Column(int, pa.Check.ge(2)),
        "raw_country": _str(),
        "correction_id": _str(),
    },
    checks=[pa.Check(_flags_agree, error="value, value_high and value_flag disagree")],
    unique=KEY,
    strict=True,
    ordered=True,
    coerce=False,
)
