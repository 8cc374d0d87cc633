"""Export controls set against U.S. import dependence.

Each (event, mineral) pair from the reference timeline is joined with the mineral's newest U.S.
net import reliance (the headline series USGS charts) and with the focus country's share of U.S.
imports in the same edition, so the report can show which controlled minerals the U.S. depends on."""
from __future__ import annotations

import pandas as pd

from . import reference

NIR_COLS = ["commodity", "form", "year", "nir_pct", "nir_flag", "label", "dependent",
            "leading_source", "focus_leads"]


def _import_share_for(nir_head: pd.DataFrame, imp: pd.DataFrame) -> pd.DataFrame:
    """Focus share of U.S. imports per commodity: the NIR headline form, else the all-forms row."""
    rows = []
    for r in nir_head.itertuples(index=False):
        g = imp[imp["commodity"] == r.commodity]
        pick = g[g["form"] == r.form]
        if pick.empty:
            pick = g[g["form"] == ""]
        if not pick.empty:
            p = pick.iloc[0]
            rows.append({"commodity": r.commodity, "import_form": p["form"],
                         "focus_import_share_pct": p["share_pct"], "focus_import_rank": p["rank"],
                         "import_period": p["period"]})
    return pd.DataFrame(rows, columns=["commodity", "import_form", "focus_import_share_pct",
                                       "focus_import_rank", "import_period"])


def events_vs_dependence(events: pd.DataFrame, nir_head: pd.DataFrame,
                         imp_shares: pd.DataFrame) -> pd.DataFrame:
    """One row per event and mineral with the mineral's NIR and the focus share of U.S. imports.
    Minerals USGS gives no NIR for keep empty NIR columns (never a zero)."""
    ev = reference.by_mineral(events)
    names = reference.names()
    ev["name"] = ev["mineral"].map(names)
    nir = nir_head[NIR_COLS].rename(columns={"commodity": "mineral", "form": "nir_form",
                                             "year": "nir_year", "label": "nir_label"})
    out = ev.merge(nir, on="mineral", how="left")
    imp = _import_share_for(nir_head, imp_shares).rename(columns={"commodity": "mineral"})
    out = out.merge(imp, on="mineral", how="left")
    out["dependent"] = out["dependent"].astype("boolean")
    return out.sort_values(["date", "event_id", "mineral"], kind="stable").reset_index(drop=True)


def mineral_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per controlled mineral: first and latest measure, how many, and U.S. dependence."""
    g = pairs.sort_values(["date", "event_id"]).groupby("mineral", sort=True)
    out = g.agg(name=("name", "first"), first_measure=("date", "first"),
                latest_measure=("date", "last"), n_measures=("event_id", "nunique"),
                latest_label=("short_label", "last"), nir_label=("nir_label", "first"),
                dependent=("dependent", "first"), leading_source=("leading_source", "first"),
                focus_import_share_pct=("focus_import_share_pct", "first")).reset_index()
    return out.sort_values(["dependent", "mineral"], ascending=[False, True],
                           na_position="last", kind="stable").reset_index(drop=True)
