"""How concentrated production is: Herfindahl–Hirschman index (HHI) and top-3 share.

Shares are of the published world total, in percent, so HHI runs from ~0 to 10,000.
USGS lists the main producers by name; the rest is an 'Other countries' row, and some listed
countries are withheld (W) or not available (NA). We call the unlisted remainder

    remainder = 100% - sum of the shares of the listed countries with a published number

(so it holds 'Other countries' *and* any withheld or NA listed country) and never guess how it is
split. Instead every figure comes as a pair of bounds:
  hhi       remainder spread over many tiny producers (adds ~0): the lower bound
  hhi_high  remainder is a single producer (adds remainder²):     the upper bound
  top3_pct       the three largest listed countries
  top3_high_pct  the three largest when the remainder counts as one producer
A listed country with a bound or range instead of a number also goes to the remainder.
If the listed countries add up to more than the (rounded) world total, shares are taken of their
sum instead, so that the HHI never exceeds 10,000, and the remainder is 0.
"""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis.shares import AGGREGATES, SERIES

COLUMNS = SERIES + ["year", "world_value", "n_listed", "n_unknown", "hhi", "hhi_high", "band",
                    "band_high", "top3_pct", "top3_high_pct", "top3_countries", "leader",
                    "leader_pct", "remainder_pct", "other_countries_pct", "reason", "source_file",
                    "world_source_row", "listed_source_rows"]


def band(hhi: float) -> str:
    """Usual antitrust bands: < 1,500 low, 1,500–2,500 moderate, > 2,500 high."""
    if hhi is None or math.isnan(hhi):
        return ""
    if hhi < 1500:
        return "low"
    return "moderate" if hhi <= 2500 else "high"


def hhi_from_shares(shares_pct, remainder_pct: float = 0.0) -> tuple[float, float]:
    """(lower, upper) HHI from listed shares in percent and the unlisted remainder in percent."""
    low = float(sum(s * s for s in shares_pct))
    return low, low + remainder_pct ** 2


def top3_from_shares(shares_pct, remainder_pct: float = 0.0) -> tuple[float, float]:
    """(listed, upper) top-3 share: the three largest listed; then with the remainder as one."""
    listed = sorted(shares_pct, reverse=True)
    low = float(sum(listed[:3]))
    high = float(sum(sorted(listed + [remainder_pct], reverse=True)[:3]))
    return low, high


def _one(series: pd.DataFrame) -> dict:
    world = series[series["country"] == "World"]
    out = {"world_value": math.nan, "n_listed": 0, "n_unknown": 0, "hhi": math.nan,
           "hhi_high": math.nan, "band": "", "band_high": "", "top3_pct": math.nan,
           "top3_high_pct": math.nan, "top3_countries": "", "leader": "", "leader_pct": math.nan,
           "remainder_pct": math.nan, "other_countries_pct": math.nan, "reason": "",
           "source_file": series["source_file"].iloc[0] if "source_file" in series and len(series) else "",
           "world_source_row": "", "listed_source_rows": ""}
    if world.empty:
        return {**out, "reason": "no world total published"}
    w = world.iloc[0]
    if "source_row" in series:
        out["world_source_row"] = str(int(w["source_row"]))
    if w["value_flag"] != "" or not (w["value"] > 0):
        why = f"flag {w['value_flag']}" if w["value_flag"] else f"value {w['raw_value']}"
        return {**out, "reason": f"world total is not a positive number ({why})"}
    total = float(w["value"])
    listed = series[~series["country"].isin(AGGREGATES)]
    known = listed[(listed["value_flag"] == "") & listed["value"].notna()]
    other = series[series["country"] == "Other countries"]
    notes = []
    n_unknown = len(listed) - len(known)
    if n_unknown:
        notes.append(f"{n_unknown} listed {'country' if n_unknown == 1 else 'countries'} without "
                     "a number (W/NA/bound) counted in the remainder")
    base = total
    if known["value"].sum() > total:
        # the world total is rounded: shares are taken of the listed sum so they add up to 100%
        base = float(known["value"].sum())
        notes.append(f"listed countries add up to {100 * base / total:.1f}% of the rounded world "
                     "total; shares are of their sum")
    shares = (100 * known["value"] / base).tolist()
    remainder = max(0.0, 100 - sum(shares))
    hhi, hhi_high = hhi_from_shares(shares, remainder)
    top3, top3_high = top3_from_shares(shares, remainder)
    ranked = known.assign(s=shares).sort_values(["s", "country"], ascending=[False, True])
    oth = math.nan
    if not other.empty and other.iloc[0]["value_flag"] == "":
        oth = 100 * float(other.iloc[0]["value"]) / total
    return {**out, "world_value": total, "n_listed": len(listed),
            "n_unknown": n_unknown, "hhi": hhi, "hhi_high": hhi_high,
            "band": band(hhi), "band_high": band(hhi_high), "top3_pct": top3,
            "top3_high_pct": top3_high, "top3_countries": "; ".join(ranked["country"].head(3)),
            "leader": ranked["country"].iloc[0] if len(ranked) else "",
            "leader_pct": ranked["s"].iloc[0] if len(ranked) else math.nan,
            "remainder_pct": remainder, "other_countries_pct": oth, "reason": "; ".join(notes),
            "listed_source_rows": ";".join(str(int(r)) for r in known.get("source_row", []))}


def concentration(world: pd.DataFrame) -> pd.DataFrame:
    """One row per published series and year of the given world rows (any editions)."""
    keys = SERIES + ["year"]
    rows = [{**dict(zip(keys, key)), **_one(g)}
            for key, g in world.groupby(keys, sort=True, dropna=False)]
    return pd.DataFrame(rows, columns=COLUMNS)


def band_label(row) -> str:
    """'high', or 'moderate–high' when the bounds fall in different bands."""
    if not row["band"]:
        return "not computed"
    return row["band"] if row["band"] == row["band_high"] else f"{row['band']}–{row['band_high']}"
