"""Published figures for amount, rank and net-import-reliance claims, one edition at a time.
Each returns the fields check.world_share returns (period, compared, public_detail, reason,
source_file, source_rows, public_flag ...) plus public_value / public_high / public_unit."""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis.shares import AGGREGATES, interval
from critmin.claims.check import _name, _none
from critmin.ingest.tokens import MISSING_FLAGS

TO_KG = {"kg": 1.0, "t": 1e3, "kt": 1e6, "Mt": 1e9, "g": 1e-3, "lb": 0.45359237}


def convert(value: float, unit: str, to: str) -> float | None:
    """A mass from one unit to another; None when either unit is not a mass we know."""
    if unit not in TO_KG or to not in TO_KG:
        return None
    return value * TO_KG[unit] / TO_KG[to]


def _series(world, edition, commodity, stages, measure="production"):
    sub = world[(world["edition"] == edition) & (world["commodity"] == commodity)
                & (world["measure"] == measure)]
    stage = next((s for s in stages.split("|") if (sub["stage"] == s).any()), None)
    if stage is None:
        have = sorted(set(sub["stage"]))
        why = (f"MCS {edition} has no world {measure} table for {_name(commodity)}" if not have else
               f"MCS {edition} has no world {measure} rows for {_name(commodity)} at stage "
               f"{stages} (stages it publishes: {', '.join(have)})")
        return None, None, why
    return sub[sub["stage"] == stage], stage, ""


def _year(sub, year):
    y = int(sub["year"].max()) if year == "latest" else int(year)
    return y, sub[sub["year"] == y]


def _base(rows, y, stage, unit, measure="production"):
    return dict(period=str(y), compared=f"{y} {stage} {measure} ({unit})",
                source_file=";".join(sorted(set(rows["source_file"]))),
                source_rows=";".join(str(int(x)) for x in sorted(rows["source_row"])))


def _extra(value=math.nan, high=math.nan, unit=""):
    return dict(public_value=value, public_high=high, public_unit=unit)


def world_amount(world: pd.DataFrame, edition: int, commodity: str, stages: str, country: str,
                 year: str = "latest") -> dict:
    """The country's published production in the edition (its own unit)."""
    sub, stage, why = _series(world, edition, commodity, stages)
    if sub is None:
        return _none(why) | _extra()
    y, rows = _year(sub, year)
    own = rows[rows["country"] == country]
    if rows.empty or own.empty:
        return _none(f"MCS {edition} has no {_name(commodity)} {stage} production for {country} "
                     f"in {y}") | _extra()
    r = own.iloc[0]
    out = _none("") | _base(own, y, stage, r["unit"])
    iv = interval(r["value"], r["value_flag"] if isinstance(r["value_flag"], str) else "",
                  r["value_high"])
    if iv is None:
        flag = r["value_flag"]
        return out | dict(reason=f"MCS {edition} gives {country}'s {y} figure as {flag} "
                                 f"({MISSING_FLAGS.get(flag, flag).split(' (')[0]})") | _extra(unit=r["unit"])
    est = " (estimated)" if bool(r["estimated"]) else ""
    return out | dict(public_detail=f"{country} {iv[0]:,.0f} {r['unit']}{est}",
                      estimated=bool(r["estimated"]), public_flag="" if iv[0] == iv[1] else "range",
                      reason="") | _extra(iv[0], iv[1] if iv[1] != iv[0] else math.nan, r["unit"])


def world_rank(world: pd.DataFrame, edition: int, commodity: str, stages: str, country: str,
               year: str = "latest", measure: str = "production") -> dict:
    """The country's rank among producers (or holders of reserves: measure 'reserves'; 1 = largest;
    'World' and 'Other countries' left out); the reason names competitors whose figure is withheld."""
    sub, stage, why = _series(world, edition, commodity, stages, measure)
    if sub is None:
        return _none(why) | _extra()
    y, rows = _year(sub, year)
    rows = rows[~rows["country"].isin(AGGREGATES)]
    own = rows[rows["country"] == country]
    if own.empty or pd.isna(own["value"].iloc[0]):
        return _none(f"MCS {edition} gives no {y} {_name(commodity)} {stage} {measure} figure "
                     f"for {country}") | _extra()
    mine = float(own["value"].iloc[0])
    known = rows.dropna(subset=["value"])
    rank = 1 + int((known["value"] > mine).sum())
    hidden = rows[rows["value"].isna()]
    leaders = known.sort_values(["value", "country"], ascending=[False, True])["country"].head(3)
    out = _none("") | _base(rows[rows["country"].isin([country, *leaders])], y, stage, own["unit"].iloc[0], measure)
    caveat = (f"; caveat: {', '.join(hidden['country'])} "
              f"{'has' if len(hidden) == 1 else 'have'} no published figure (withheld or not "
              f"available) and could rank higher" if len(hidden) else "")
    return out | dict(public_detail=f"{country} ranks {rank} of {len(known)} ({', '.join(leaders)} lead)",
                      public_flag="", reason=caveat.lstrip("; "),
                      estimated=bool(own["estimated"].iloc[0])) | _extra(float(rank), math.nan, "rank")


def import_reliance(nir: pd.DataFrame, edition: int, commodity: str, form: str,
                    year: str = "latest") -> dict:
    """U.S. net import reliance (% of apparent consumption) from net_import_reliance.csv."""
    sub = nir[(nir["edition"] == edition) & (nir["commodity"] == commodity)
              & (nir["form"].fillna("") == (form or ""))]
    if sub.empty:
        return _none(f"MCS {edition} gives no U.S. net import reliance for "
                     f"{_name(commodity, form)}") | _extra()
    y = int(sub["year"].max()) if year == "latest" else int(year)
    rows = sub[sub["year"] == y]
    if rows.empty:
        return _none(f"MCS {edition} gives no U.S. net import reliance for "
                     f"{_name(commodity, form)} in {y}") | _extra()
    r = rows.iloc[0]
    out = _none("") | dict(period=str(y), compared=f"{y} net import reliance",
                           source_file=r["source_file"], source_rows=str(int(r["source_row"])))
    flag = r["nir_flag"] if isinstance(r["nir_flag"], str) else ""
    iv = interval(r["nir_pct"], flag)
    if iv is None:
        return out | dict(reason=f"MCS {edition} prints {r['raw_value']} "
                                 f"({MISSING_FLAGS.get(flag, flag).split(' (')[0]})") | _extra()
    hi = min(iv[1], 100.0)
    return out | dict(public_detail=f"net import reliance {r['raw_value']}%", reason="",
                      public_pct=iv[0], public_high_pct=hi if hi != iv[0] else math.nan,
                      public_flag="" if hi == iv[0] else flag) | _extra()
