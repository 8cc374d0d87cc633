"""Reserves: the focus country's share of world reserves, and reserves-to-production years.

Reserves-to-production (R/P) = reserves / mine production of the same edition, in years at the
current rate. It is a snapshot, not a forecast: reserves are revised as prices and surveys change.
Production is taken from the same edition and the reserves' year (or the newest year before it),
stage 'mine' when the commodity has one. Bounds propagate (world reserves '>85,000,000' give an
R/P that is a lower bound); withheld production gives no R/P, with the reason."""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis.shares import focus_shares, ratio

TONNES = {"kg": 1e-3, "t": 1.0, "kt": 1e3, "Mt": 1e6}
COLUMNS = ["edition", "commodity", "country", "reserves_year", "reserves_value", "reserves_flag",
           "reserves_unit", "production_year", "production_stage", "production_value",
           "production_flag", "production_unit", "rp_years", "rp_flag", "rp_high_years", "reason"]


def reserves_share(world: pd.DataFrame, country: str) -> pd.DataFrame:
    """focus_shares() restricted to reserves."""
    return focus_shares(world[world["measure"] == "reserves"], country)


def unit_factor(from_unit: str, to_unit: str) -> float | None:
    """Multiplier converting from_unit to to_unit; None when they cannot be converted."""
    if from_unit == to_unit:
        return 1.0
    if from_unit in TONNES and to_unit in TONNES:
        return TONNES[from_unit] / TONNES[to_unit]
    return None


def _production_series(prod: pd.DataFrame, basis: str) -> pd.DataFrame:
    """The production rows R/P is computed against: stage 'mine' if present, else the only stage."""
    same_basis = prod[prod["basis"] == basis]
    prod = same_basis if not same_basis.empty else prod
    if (prod["stage"] == "mine").any():
        return prod[prod["stage"] == "mine"]
    stages = prod["stage"].unique()
    return prod if len(stages) == 1 else prod.iloc[0:0]


def reserves_to_production(world: pd.DataFrame, country: str) -> pd.DataFrame:
    """R/P years for `country` (use 'World' for the world) per edition and commodity."""
    rows = []
    res = world[(world["measure"] == "reserves") & (world["country"] == country)]
    for r in res.sort_values(["edition", "commodity", "stage", "year"]).itertuples(index=False):
        base = {"edition": r.edition, "commodity": r.commodity, "country": country,
                "reserves_year": r.year, "reserves_value": r.value, "reserves_flag": r.value_flag,
                "reserves_unit": r.unit, "production_year": math.nan, "production_stage": "",
                "production_value": math.nan, "production_flag": "", "production_unit": "",
                "rp_years": math.nan, "rp_flag": "none", "rp_high_years": math.nan, "reason": ""}
        prod = world[(world["edition"] == r.edition) & (world["commodity"] == r.commodity)
                     & (world["measure"] == "production") & (world["country"] == country)
                     & (world["year"] <= r.year)]
        prod = _production_series(prod, r.basis)
        if prod.empty:
            rows.append({**base, "reason": "no single mine-production series in this edition"})
            continue
        p = prod[prod["year"] == prod["year"].max()].iloc[0]
        base.update(production_year=int(p["year"]), production_stage=p["stage"],
                    production_value=p["value"], production_flag=p["value_flag"],
                    production_unit=p["unit"])
        factor = unit_factor(p["unit"], r.unit)
        if factor is None:
            rows.append({**base, "reason": f"units differ ({r.unit} reserves, {p['unit']} production)"})
            continue
        pct, flag, high, reason = ratio(
            r.value, r.value_flag, r.value_high,
            p["value"] * factor, p["value_flag"], p["value_high"] * factor,
            num_name="reserves", den_name="production")
        rows.append({**base, "rp_years": pct / 100, "rp_flag": flag, "rp_high_years": high / 100,
                     "reason": reason})
    return pd.DataFrame(rows, columns=COLUMNS)
