"""Chain MCS editions into one series: for each key and year the newest edition wins.

Each MCS edition republishes the previous years, often revised. Chaining keeps the newest figure
and keeps the revision visible: which edition was used, what earlier editions said, and whether
any of them differs (value or flag)."""
from __future__ import annotations

import math

import pandas as pd

ADDED = ["value_newest", "edition_used", "earlier_values", "earlier_editions", "revised"]


def _same(a, b, fa, fb) -> bool:
    if fa != fb:
        return False
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    except (TypeError, ValueError):
        return a == b


def chain(df: pd.DataFrame, keys: list[str], value: str = "value", flag: str = "value_flag",
          shown: str | None = "raw_value") -> pd.DataFrame:
    """Newest-edition row per key (keys must not include 'edition'), plus:
    value_newest (the newest edition's `value`), edition_used, earlier_values
    ('2025: 255,000; 2024: 240,000' from the `shown` column, or the value), earlier_editions,
    revised (True when any earlier edition published a different value or flag)."""
    if "edition" in keys:
        raise ValueError("chain keys must not include 'edition'")
    if df.duplicated(keys + ["edition"]).any():
        raise ValueError(f"more than one row per {keys + ['edition']}: chain needs unique keys")
    if df.empty:
        return df.assign(**{c: pd.Series(dtype=object) for c in ADDED})
    ordered = df.sort_values(keys + ["edition"], ascending=[True] * len(keys) + [False],
                             kind="stable")
    first = ~ordered.duplicated(keys, keep="first")
    newest = ordered[first].copy()
    older = ordered[~first].copy()
    newest["value_newest"] = newest[value]
    newest["edition_used"] = newest["edition"].astype(int)
    if older.empty:
        newest["earlier_values"] = ""
        newest["earlier_editions"] = ""
        newest["revised"] = False
        return newest.reset_index(drop=True)
    if shown:
        text = ["" if t is None or t != t else str(t) for t in older[shown]]
    else:  # numbers, rounded for reading; a missing number shows its flag
        text = [f"{v:.4g}" if v == v else (f or "NA") for v, f in zip(older[value], older[flag])]
    older["_txt"] = [f"{int(e)}: {t}" for e, t in zip(older["edition"], text)]
    ref = newest[keys + [value, flag]].rename(columns={value: "_nv", flag: "_nf"})
    older = older.merge(ref, on=keys, how="left")
    older["_diff"] = [not _same(a, b, fa, fb) for a, b, fa, fb in
                      zip(older[value], older["_nv"], older[flag], older["_nf"])]
    agg = older.groupby(keys, dropna=False, sort=False).agg(
        earlier_values=("_txt", "; ".join),
        earlier_editions=("edition", lambda e: "; ".join(str(int(x)) for x in e)),
        revised=("_diff", "any"))
    out = newest.merge(agg.reset_index(), on=keys, how="left")
    out["earlier_values"] = out["earlier_values"].fillna("")
    out["earlier_editions"] = out["earlier_editions"].fillna("")
    out["revised"] = out["revised"].astype("boolean").fillna(False).astype(bool)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)
