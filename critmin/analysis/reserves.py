"""Reserves: the focus country's share of world reserves, and reserves-to-production years.

Reserves-to-production (R/P) = reserves / mine production of the same edition, in years at the
current rate. It is a snapshot, not a forecast: reserves are revised as prices and surveys change.
Production is taken from the same edition and the reserves' year (or the newest year before it),
the reserves' own stage when production has it (titanium: mine-ilmenite reserves against
mine-ilmenite output), else stage 'mine', else the only stage. Bounds propagate (world reserves '>85,000,000' give an
R/P that is a lower bound); withheld production gives no R/P, with the reason."""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis.shares import focus_shares, ratio

TONNES = {"kg": 1e-3, "t": 1.0, "kt": 1e3, "Mt": 1e6}
COLUMNS = ["edition", "commodity", "country", "reserves_stage", "reserves_basis", "reserves_year",
           "reserves_value", "reserves_flag", "reserves_unit", "production_year", "production_stage", "production_value",
           "production_flag", "production_unit", "rp_years", "rp_flag", "rp_high_years", "reason",
           "production_source_file", "production_source_row"]


def reserves_share(world: pd.DataFrame, country: str) -> pd.DataFrame:
    """focus_shares() restricted to reserves."""
    return focus_shares(world[world["measure"] == "reserves"], country, rounded_world=True)


def unit_factor(from_unit: str, to_unit: str) -> float | None:
    """Multiplier converting from_unit to to_unit; None when they cannot be converted."""
    if from_unit == to_unit:
        return 1.0
    if from_unit in TONNES and to_unit in TONNES:
        return TONNES[from_unit] / TONNES[to_unit]
    return None


def _production_series(prod: pd.DataFrame, basis: str, stage: str = "") -> pd.DataFrame:
    """The production rows R/P is computed against: the reserves' own stage if present, else
    stage 'mine', else the only stage."""
    # NOTE: reserves and output on different bases (chromium: Cr2O3 content against gross
    # weight) do not divide; a series without a basis is taken to be on the other's basis.
    prod = prod[(prod["basis"] == basis) | (prod["basis"] == "") | (basis == "")]
    if stage and (prod["stage"] == stage).any():
        return prod[prod["stage"] == stage]
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
                "reserves_stage": r.stage, "reserves_basis": r.basis, "reserves_year": r.year, "reserves_value": r.value, "reserves_flag": r.value_flag,
                "reserves_unit": r.unit, "production_year": math.nan, "production_stage": "",
                "production_value": math.nan, "production_flag": "", "production_unit": "",
                "rp_years": math.nan, "rp_flag": "none", "rp_high_years": math.nan, "reason": "",
                "production_source_file": "", "production_source_row": ""}
        prod = world[(world["edition"] == r.edition) & (world["commodity"] == r.commodity)
                     & (world["measure"] == "production") & (world["country"] == country)
                     & (world["year"] <= r.year)]
        prod = _production_series(prod, r.basis, r.stage)
        if prod.empty:
            rows.append({**base, "reason": f"{'no' if country == 'World' else f'no {country}'} "
                                           "mine production on the same basis in this edition"})
            continue
        p = prod[prod["year"] == prod["year"].max()].iloc[0]
        base.update(production_year=int(p["year"]), production_stage=p["stage"],
                    production_value=p["value"], production_flag=p["value_flag"],
                    production_unit=p["unit"], production_source_file=p["source_file"],
                    production_source_row=str(int(p["source_row"])))
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


TABLE_KEYS = ["edition", "commodity", "stage", "basis", "unit", "year"]


def reserves_table(world: pd.DataFrame, country: str, year: int | None = None) -> pd.DataFrame:
    """One row per reserves series (edition, commodity, stage, basis, unit) at `year` or the
    newest year before it (the edition's only year when it has none before): the country's share
    of world reserves (with numerator and denominator rows), and R/P years for the country and
    for the world, each matched on the same stage and basis."""
    from critmin.analysis.shares import pick_year

    share = reserves_share(world, country)
    if share.empty:
        return share.assign(**{c: pd.Series(dtype=object) for c in
                               ["rp_years", "rp_flag", "rp_reason", "world_rp_years", "world_rp_flag"]})
    picked = pick_year(share, year) if year is not None else share.iloc[0:0]
    rest = share[~share.set_index(["commodity", "stage", "basis"]).index.isin(
        picked.set_index(["commodity", "stage", "basis"]).index)]
    share = pd.concat([picked, pick_year(rest)], ignore_index=True)
    on = {"reserves_stage": "stage", "reserves_basis": "basis", "reserves_year": "year",
          "reserves_unit": "unit"}
    own = reserves_to_production(world, country).rename(columns={**on, "reason": "rp_reason"})
    wld = reserves_to_production(world, "World").rename(columns={**on, "rp_years": "world_rp_years",
                                                                 "rp_flag": "world_rp_flag",
                                                                 "reason": "world_rp_reason"})
    keep = ["rp_years", "rp_flag", "rp_high_years", "rp_reason", "production_year",
            "production_stage", "production_value", "production_flag", "production_unit",
            "production_source_file", "production_source_row"]
    out = share.merge(own[TABLE_KEYS + keep], on=TABLE_KEYS, how="left", validate="one_to_one")
    out = out.merge(wld[TABLE_KEYS + ["world_rp_years", "world_rp_flag", "world_rp_reason"]],
                    on=TABLE_KEYS, how="left", validate="one_to_one")
    for c in ("rp_flag", "world_rp_flag"):
        out[c] = out[c].fillna("none")
    for c in ("rp_reason", "world_rp_reason", "production_stage", "production_flag",
              "production_unit", "production_source_file", "production_source_row"):
        out[c] = out[c].fillna("")
    return out.drop_duplicates(TABLE_KEYS).sort_values(TABLE_KEYS, kind="stable").reset_index(drop=True)
