"""Declarative corrections to processed tables, read from data/corrections.yml.

Each entry fixes one cell (action 'replace') or removes one row (action 'drop_row') that the
publisher later corrected outside the data files:

    - id: mcs2026-ree-reserves-brazil        # unique, shown in the table's correction_id column
      table: world.csv                      # processed table the entry applies to
      where: {edition: 2026, commodity: rare-earths, ...}   # must match exactly one row
      column: value                         # the column to replace (or checked before a drop)
      expected_old: 21000000                # the value the row must hold now, else error
      action: replace                       # replace | drop_row
      value: 11000000                       # new value (replace only)
      raw_value: "11,000,000"               # the corrected figure as the source prints it
      reason: ...
      source: ...                           # where the correction is published
      status: applied                       # applied | pending (pending: checked, not applied;
                                            #   value may be null while the source is unchecked)

A where that matches no row or several rows, or a current value other than expected_old, is a
DataError naming the entry: the data moved and the correction must be looked at again.
Corrected rows get the entry id in a `correction_id` column when the table has one; the
`raw_value` column keeps the text of the raw file. Tables with no entries pass through as is.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from critmin import yamlio as yaml

from critmin import config
from critmin.errors import DataError

REQUIRED = ("id", "table", "where", "column", "expected_old", "action", "reason", "source",
            "status")
ACTIONS = ("replace", "drop_row")
STATUSES = ("applied", "pending")
CORRECTION_ID = "correction_id"


def _table_name(name: str) -> str:
    return name[:-4] if name.endswith(".csv") else name


def load(path: Path | None = None) -> list[dict]:
    """Entries of the corrections file, checked for shape (not yet against any table)."""
    path = Path(path or config.CORRECTIONS)
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        entries = yaml.safe_load(fh) or []
    where = "data/corrections.yml"
    if not isinstance(entries, list):
        raise DataError("corrections file must be a list of entries", file=where)
    seen = set()
    for i, e in enumerate(entries):
        cid = e.get("id", f"entry {i + 1}") if isinstance(e, dict) else f"entry {i + 1}"
        if not isinstance(e, dict):
            raise DataError(f"correction {cid}: not a mapping", file=where)
        missing = [k for k in REQUIRED if k not in e]
        if missing:
            raise DataError(f"correction {cid}: missing field(s) {', '.join(missing)}", file=where)
        if cid in seen:
            raise DataError(f"correction {cid}: duplicate id", file=where)
        seen.add(cid)
        if e["action"] not in ACTIONS:
            raise DataError(f"correction {cid}: unknown action", file=where, got=e["action"],
                            expected=" or ".join(ACTIONS))
        if e["status"] not in STATUSES:
            raise DataError(f"correction {cid}: unknown status", file=where, got=e["status"],
                            expected=" or ".join(STATUSES))
        if e["action"] == "replace" and e["status"] == "applied" and e.get("value") is None:
            raise DataError(f"correction {cid}: an applied replace needs a value", file=where)
        if not isinstance(e["where"], dict) or not e["where"]:
            raise DataError(f"correction {cid}: where must be a non-empty mapping", file=where)
    return entries


def _equal(series: pd.Series, value) -> pd.Series:
    """Typed comparison of a column with a value from YAML (numbers as numbers, NaN == NaN)."""
    if pd.api.types.is_bool_dtype(series):
        return series == bool(value)
    if pd.api.types.is_numeric_dtype(series):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return series.isna()
        try:
            target = float(value)
        except (TypeError, ValueError):
            return pd.Series(False, index=series.index)
        return (series - target).abs() <= 1e-9 * max(1.0, abs(target))
    return series.astype(str) == str(value)


def _row(df: pd.DataFrame, entry: dict) -> int:
    cid = entry["id"]
    mask = pd.Series(True, index=df.index)
    for col, val in entry["where"].items():
        if col not in df.columns:
            raise DataError(f"correction {cid}: unknown column in where", column=col,
                            file="data/corrections.yml")
        mask &= _equal(df[col], val)
    n = int(mask.sum())
    if n != 1:
        raise DataError(f"correction {cid}: where matches {n} rows", file="data/corrections.yml",
                        expected="exactly one row", got=entry["where"])
    idx = mask[mask].index[0]
    col = entry["column"]
    if col not in df.columns:
        raise DataError(f"correction {cid}: unknown column", column=col,
                        file="data/corrections.yml")
    if not bool(_equal(df.loc[[idx], col], entry["expected_old"]).iloc[0]):
        raise DataError(f"correction {cid}: current value is not expected_old (the data "
                        "changed; review the correction)", file="data/corrections.yml",
                        column=col, got=df.at[idx, col], expected=entry["expected_old"])
    return idx


def apply_corrections(table_name: str, df: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """Apply the applied entries for `table_name` (e.g. 'world.csv'); pending entries are
    checked against the table but not applied. Returns df itself when nothing concerns it."""
    name = _table_name(table_name)
    entries = [e for e in load(path) if _table_name(str(e["table"])) == name]
    if not entries:
        return df
    out = df.copy()
    drop = []
    for e in entries:
        idx = _row(out, e)
        if e["status"] != "applied":
            continue
        if e["action"] == "drop_row":
            drop.append(idx)
            continue
        col = e["column"]
        new = e["value"]
        if pd.api.types.is_numeric_dtype(out[col]):
            new = float(new) if pd.api.types.is_float_dtype(out[col]) else int(new)
        out.at[idx, col] = new
        if CORRECTION_ID in out.columns:
            old = out.at[idx, CORRECTION_ID]
            out.at[idx, CORRECTION_ID] = f"{old};{e['id']}" if old else e["id"]
    return out.drop(index=drop).reset_index(drop=True)
