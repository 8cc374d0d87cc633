"""Committed name mappings: every raw name is mapped or dropped with a reason; unknown is an error."""
from __future__ import annotations

import csv
from functools import lru_cache

from critmin import config
from critmin.errors import DataError

DROP = "DROP"


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, tuple[str, str]]:
    """Load data/mappings/<name>.csv with columns raw_name, canonical, reason.

    canonical == 'DROP' means the name is dropped on purpose (reason says why)."""
    path = config.MAPPINGS / f"{name}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for i, r in enumerate(rows, start=2):
        key = r["raw_name"]
        if key in out:
            raise DataError("duplicate raw_name in mapping", file=str(path), row=i, got=key)
        if r["canonical"] == DROP and not r.get("reason", "").strip():
            raise DataError("a dropped name needs a reason", file=str(path), row=i, column="reason")
        out[key] = (r["canonical"], r.get("reason", ""))
    return out


def lookup(name: str, raw: str, *, file=None, row=None, column=None) -> str:
    """Canonical name for raw (after stripping spaces and footnote digits is the caller's job)."""
    table = load(name)
    if raw not in table:
        raise DataError(f"name not in mapping data/mappings/{name}.csv", file=file, row=row,
                        column=column, got=raw, expected="a mapped or explicitly dropped name")
    return table[raw][0]
