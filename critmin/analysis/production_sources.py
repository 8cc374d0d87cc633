"""A third production source: the focus country's share of world production in World Mining Data
(WMD, 2018-2024) beside USGS MCS (newest edition publishing each year) and BGS (to 2021).

Shares differ between sources for known reasons, which a flag names when WMD and USGS are more
than `threshold` percentage points apart: a different stage or content basis (WMD counts chromium as
Cr2O3, lithium as Li2O; USGS as gross weight or contained metal), coverage (WMD's `Total` row can
leave out rows added after it), and revisions (USGS's latest years are estimates it revises)."""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis import shares

THRESHOLD_PTS = 5.0
COLUMNS = ["commodity", "stage", "year", "wmd_pct", "wmd_basis", "usgs_pct", "usgs_basis", "usgs_edition",
           "bgs_pct", "difference_pts", "flagged", "likely_reason"]


def wmd_shares(wmd: pd.DataFrame, country: str) -> pd.DataFrame:
    """Per WMD table and year: the country's value, the published Total and the sum of the rows."""
    keys = ["commodity", "stage", "basis", "source_table", "unit", "year"]
    world = wmd[wmd.country == "World"].set_index(keys).value.rename("world_value")
    rows = wmd[wmd.country != "World"].groupby(keys).value.sum().rename("sum_of_rows")
    own = wmd[wmd.country == country].set_index(keys).value.rename("country_value")
    out = pd.concat([world, rows, own], axis=1).reset_index()
    out["share_pct"] = 100 * out.country_value / out.world_value
    return out


def _usgs(world: pd.DataFrame, commodity: str, stage: str, country: str) -> pd.DataFrame:
    w = world[(world.commodity == commodity) & (world.measure == "production") & (world.stage == stage)]
    if w.empty:
        return w.iloc[0:0]
    s = shares.focus_shares(w, country)
    s = s[s.share_flag == ""]
    return s.sort_values(["year", "edition"]).groupby("year").tail(1).set_index("year")


def _reason(r: dict, coverage_pts: float) -> str:
    parts = []
    if r["wmd_basis"] != r["usgs_basis"]:
        parts.append(f"content basis differs (World Mining Data: {r['wmd_basis'] or 'gross weight'}; "
                     f"USGS: {r['usgs_basis'] or 'gross weight'})")
    if abs(coverage_pts) >= 1:
        parts.append(f"coverage: World Mining Data's total and the sum of its rows differ by "
                     f"{abs(coverage_pts):.1f} % of the total")
    if not parts:
        parts.append("same stage, basis and coverage: the sources report different national "
                     "figures (USGS's latest years are estimates it later revises)")
    return "; ".join(parts)


def compare(commodity: str, country: str, world: pd.DataFrame, wmd: pd.DataFrame,
            bgs: pd.DataFrame | None = None, threshold: float = THRESHOLD_PTS) -> pd.DataFrame:
    """One row per WMD stage and year: the three shares, their gap and, above `threshold`, why."""
    ws = wmd_shares(wmd[wmd.commodity == commodity], country)
    b = pd.DataFrame()
    if bgs is not None:
        b = shares.bgs_shares(bgs[bgs.commodity == commodity], country)
    rows = []
    for stage, g in ws.groupby("stage", sort=True):
        usgs = _usgs(world, commodity, stage, country)
        for r in g.itertuples(index=False):
            u = usgs.loc[r.year] if r.year in usgs.index else None
            bg = b[b.year == r.year].share_pct if len(b) else pd.Series(dtype=float)
            row = dict(commodity=commodity, stage=stage, year=int(r.year), wmd_pct=r.share_pct,
                       wmd_basis=r.basis, usgs_pct=u.share_pct if u is not None else math.nan,
                       usgs_basis=u.basis if u is not None else "",
                       usgs_edition=int(u.edition) if u is not None else 0,
                       bgs_pct=float(bg.iloc[0]) if len(bg) == 1 else math.nan)
            row["difference_pts"] = row["wmd_pct"] - row["usgs_pct"]
            row["flagged"] = bool(abs(row["difference_pts"]) > threshold)
            gap = 100 * (r.sum_of_rows - r.world_value) / r.world_value
            row["likely_reason"] = _reason(row, gap) if row["flagged"] else ""
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)
