"""Export controls set against U.S. import dependence.

Each (event, mineral) pair from the reference timeline is joined with the mineral's newest U.S.
net import reliance (the headline series USGS charts) and with the focus country's share of U.S.
imports in the same edition, so the report can show which controlled minerals the U.S. depends on."""
from __future__ import annotations

import re

import pandas as pd

from critmin.analysis import imports, reference

NIR_COLS = ["commodity", "form", "year", "nir_pct", "nir_flag", "label", "dependent",
            "leading_source", "focus_leads", "source_file", "source_row"]


def nir_at(nir: pd.DataFrame, edition: int, year: int | None = None) -> pd.DataFrame:
    """The edition's NIR rows for one data year (None: each commodity's newest year). A commodity
    without that year is left out, never given another year's figure."""
    df = nir[nir["edition"] == edition]
    return df if year is None else df[df["year"] == int(year)]


def t4_edition(t4: pd.DataFrame) -> int:
    """The MCS edition of the export-control table, read from its source files (usgs-mcs-YYYY/)."""
    eds = {int(m.group(1)) for m in map(re.compile(r"usgs-mcs-(\d{4})/").match, t4["source_file"]) if m}
    if len(eds) != 1:
        raise ValueError(f"export_controls.csv: expected rows from one MCS edition, got {sorted(eds)}")
    return eds.pop()


def events_vs_dependence(events: pd.DataFrame, nir_head: pd.DataFrame,
                         imp_shares: pd.DataFrame) -> pd.DataFrame:
    """One row per event and mineral with the mineral's NIR and the focus share of U.S. imports.
    Minerals USGS gives no NIR for keep empty NIR columns (never a zero)."""
    ev = reference.by_mineral(events)
    names = reference.names()
    ev["name"] = ev["mineral"].map(names)
    nir = nir_head[NIR_COLS].rename(columns={"commodity": "mineral", "form": "nir_form",
                                             "year": "nir_year", "label": "nir_label",
                                             "source_file": "nir_source_file",
                                             "source_row": "nir_source_row"})
    out = ev.merge(nir, on="mineral", how="left")
    imp = imports.headline_import_shares(nir_head, imp_shares).rename(columns={"commodity": "mineral"})
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
                focus_import_share_pct=("focus_import_share_pct", "first"),
                nir_form=("nir_form", "first"), nir_pct=("nir_pct", "first"),
                nir_flag=("nir_flag", "first"), nir_year=("nir_year", "first"),
                nir_source_file=("nir_source_file", "first"),
                nir_source_row=("nir_source_row", "first"),
                leading_import_source=("leading_import_source", "first"),
                focus_import_rank=("focus_import_rank", "first"),
                import_reason=("import_reason", "first")).reset_index()
    return out.sort_values(["dependent", "mineral"], ascending=[False, True],
                           na_position="last", kind="stable").reset_index(drop=True)
