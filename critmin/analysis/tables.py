"""Read the processed tables (data/processed/) with the types of the table contract.

Everything is read as text first so that flags such as 'NA' stay flags (pandas would turn them
into NaN); numeric columns are then converted explicitly, empty cells becoming NaN."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from critmin import config
from critmin.errors import DataError

INT = "int"
FLOAT = "float"
BOOL = "bool"
# Non-text columns per table; every other column is text ('' when empty).
TYPES = {
    "world.csv": {"edition": INT, "year": INT, "value": FLOAT, "value_high": FLOAT,
                  "estimated": BOOL, "source_row": INT},
    "net_import_reliance.csv": {"edition": INT, "year": INT, "nir_pct": FLOAT, "source_row": INT},
    "nir_figure2.csv": {"edition": INT, "order": INT, "year": INT, "nir_pct": FLOAT, "source_row": INT},
    "import_sources.csv": {"edition": INT, "rank": INT, "share_pct": FLOAT, "source_row": INT},
    "trade.csv": {"year": INT, "value_usd": FLOAT, "net_weight_kg": FLOAT, "qty": FLOAT,
                  "is_estimated": BOOL, "source_row": INT},
    "bgs_production.csv": {"bgs_code": INT, "year": INT, "value_t": FLOAT, "source_row": INT},
    "export_controls.csv": {"year": INT, "source_row": INT},
    "wmd_production.csv": {"year": INT, "value": FLOAT, "source_rowid": INT},
    "wgi.csv": {"year": INT, "estimate": FLOAT, "std_err": FLOAT, "normalized": FLOAT, "source_rowid": INT},
    "baci_supply.csv": {"year": INT, "value_kusd": FLOAT, "qty_t": FLOAT, "n_flows": INT,
                        "n_flows_no_qty": INT},
}


def _convert(df: pd.DataFrame, types: dict, file: str) -> pd.DataFrame:
    for col, kind in types.items():
        if col not in df.columns:
            continue
        s = df[col].str.strip()
        if kind == BOOL:
            bad = ~s.isin(["True", "False"])
            if bad.any():
                i = int(bad.idxmax())
                raise DataError("not a boolean", file=file, row=i + 2, column=col,
                                expected="True or False", got=s[i])
            df[col] = s == "True"
            continue
        num = pd.to_numeric(s.replace("", None), errors="coerce")
        bad = num.isna() & (s != "")
        if bad.any():
            i = int(bad.idxmax())
            raise DataError("not a number", file=file, row=i + 2, column=col,
                            expected="a number or an empty cell", got=s[i])
        if kind == INT:
            if num.isna().any():
                i = int(num.isna().idxmax())
                raise DataError("empty integer cell", file=file, row=i + 2, column=col,
                                expected="an integer")
            num = num.astype("int64")
        df[col] = num
    return df


def read(path: Path, as_table: str | None = None) -> pd.DataFrame:
    """One processed table by path, typed as `as_table` (default: its own file name)."""
    path = Path(path)
    if not path.exists():
        raise DataError("processed table is missing (run `make data`)", file=str(path))
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return _convert(df, TYPES.get(as_table or path.name, {}), path.name)


@lru_cache(maxsize=None)
def _cached(path: str, mtime: float) -> pd.DataFrame:
    return read(Path(path))


@lru_cache(maxsize=None)
def _cached_text(path: str, mtime: float) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_where(name: str, processed: Path | None = None, **equal: str) -> pd.DataFrame:
    """The rows of a processed table whose columns equal the given texts, typed like load().

    Filters before converting: a mineral page needs a few hundred of baci_supply's 160,000 rows,
    and typing them all took ≈0.5 s a kernel. Error rows keep their line numbers in the file."""
    path = Path(processed or config.PROCESSED) / name
    if not path.exists():
        raise DataError("processed table is missing (run `make data`)", file=f"data/processed/{name}")
    df = _cached_text(str(path), path.stat().st_mtime)
    mask = pd.Series(True, index=df.index)
    for col, value in equal.items():
        mask &= df[col] == value
    return _convert(df[mask].copy(), TYPES.get(name, {}), name)


def load(name: str, processed: Path | None = None) -> pd.DataFrame:
    """A processed table by file name ('world.csv'), cached per file version; returns a copy."""
    path = Path(processed or config.PROCESSED) / name
    if not path.exists():
        raise DataError("processed table is missing (run `make data`)", file=f"data/processed/{name}")
    return _cached(str(path), path.stat().st_mtime).copy()
