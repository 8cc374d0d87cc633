"""The focus country's share of the world total, per edition, commodity, measure, stage and year.

USGS values are not always numbers: W (withheld), NA, bounds (>95, <1,000) and ranges. A share is
computed with interval arithmetic so flags propagate honestly:
  exact / exact          -> exact share
  bound or range inside  -> a bounded share ('>', '<') or a 'range' share (share_pct..share_high_pct)
  W / NA / XX / qual / E -> no share; `reason` says which side is missing and why.
A withheld value is never treated as zero.

A share is of the published world total, as USGS computes its own (MCS 2025 T5: rare earths 69%).
NOTE: a *rounded* world total can make a share impossible: gallium 2025, China 900,000 kg of a
world total of 900,000 kg while Russia and Japan are listed with 6,000 and 3,000 kg. When the share
would read 100% (or more) and the countries listed with a number add up to more than the total (by
no more than ROUNDING, beyond which the total is wrong, not rounded), the share is of their sum
instead and `approx` is True: 'about 99%'. The rule is per series (its largest listed country
reads 100%), so every country of that series is of the same sum.
Every share row names its numerator and denominator rows (numerator_/denominator_source_file and
_source_row; a denominator that is a sum lists its rows, ';'-separated).
"""
from __future__ import annotations

import math

import pandas as pd

from critmin.ingest.tokens import MISSING_FLAGS

AGGREGATES = ("World", "Other countries")
# Columns that identify one published series inside world.csv (country and year aside).
SERIES = ["edition", "commodity", "measure", "stage", "basis", "unit"]
ROUNDING = 1.10   # listed countries may exceed a rounded world total by up to 10%
PROVENANCE = ["numerator_source_file", "numerator_source_row", "denominator_source_file",
              "denominator_source_row"]


def interval(value, flag, value_high=math.nan):
    """(low, high) of what a published cell allows: exact -> (v, v); '>' -> (v, inf);
    '<' -> (0, v); 'range' -> (v, value_high). None when the cell has no number."""
    if flag in MISSING_FLAGS or value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if flag == "":
        return (value, value)
    if flag == ">":
        return (value, math.inf)
    if flag == "<":
        return (0.0, value)
    if flag == "range":
        return (value, value_high)
    raise ValueError(f"unknown value flag {flag!r}")


def ratio(num, num_flag, num_high, den, den_flag, den_high, *, num_name="country", den_name="world"):
    """Return (pct, flag, pct_high, reason) for 100 * num / den with flags carried through.

    flag is '' (exact), '>' (pct is a lower bound), '<' (upper bound), 'range' (pct..pct_high),
    or 'none' with pct NaN and a reason."""
    n = interval(num, num_flag, num_high)
    if n is None:
        return math.nan, "none", math.nan, f"{num_name} value {_describe(num_flag, num)}"
    d = interval(den, den_flag, den_high)
    if d is None:
        return math.nan, "none", math.nan, f"{den_name} value {_describe(den_flag, den)}"
    if d[1] == 0:
        return math.nan, "none", math.nan, f"{den_name} value is zero"
    lo = n[0] / d[1]  # n0 / inf is 0.0
    hi = (math.inf if n[1] > 0 else 0.0) if d[0] == 0 else n[1] / d[0]
    lo, hi = 100 * lo, 100 * hi
    if lo == hi:
        return lo, "", math.nan, ""
    why = f"{num_name} {num_flag or 'exact'} / {den_name} {den_flag or 'exact'}"
    if math.isinf(hi):
        if lo == 0:
            return math.nan, "none", math.nan, f"{why}: bounds in the same direction, share unbounded"
        return lo, ">", math.nan, f"{why}: the share is a lower bound"
    if lo == 0 and (num_flag == "<" or den_flag == ">"):
        return hi, "<", math.nan, f"{why}: the share is an upper bound"
    return lo, "range", hi, f"{why}: the share is a range"


def _describe(flag, value):
    if flag in MISSING_FLAGS:
        return f"is {MISSING_FLAGS[flag]}"
    return "is missing"


def listed_sums(world: pd.DataFrame) -> pd.DataFrame:
    """Per series and year: how many non-World rows there are (n_countries), the sum of those with
    a number ('Other countries' included) and the source rows summed, ';'-separated."""
    keys = SERIES + ["year"]
    rows = world[world["country"] != "World"].sort_values("source_row", kind="stable")
    if rows.empty:
        return pd.DataFrame(columns=keys + ["listed_sum", "listed_max", "listed_rows", "n_countries"])
    num = (rows["value_flag"] == "") & rows["value"].notna()
    rows = rows.assign(_v=rows["value"].where(num), _r=[str(int(r)) if n else "" for r, n in
                                                        zip(rows["source_row"], num)],
                       _c=rows["value"].where(num & (rows["country"] != "Other countries")))
    return rows.groupby(keys, dropna=False).agg(
        listed_sum=("_v", lambda v: v.sum(min_count=1)),
        listed_max=("_c", "max"),
        listed_rows=("_r", lambda r: ";".join(x for x in r if x)),
        n_countries=("country", "count")).reset_index()


def rounded_base(world_value: float, world_flag: str, listed_sum: float, listed_max: float) -> bool:
    """True when the series' shares must be taken of the listed sum (module docstring)."""
    if world_flag != "" or not world_value == world_value or not world_value > 0:
        return False
    return (listed_max == listed_max and listed_max >= 0.995 * world_value
            and world_value < listed_sum <= ROUNDING * world_value)


def focus_shares(world: pd.DataFrame, country: str, *, rounded_world: bool = False) -> pd.DataFrame:
    """One row per published series and year: the country's value, the world total and the share.
    rounded_world=True applies the rounded-world rule (module docstring) for what a reader sees;
    False keeps the share of the published total, as USGS prints it (the claims check compares
    with USGS's own percentages: gallium 2025 100%).

    The country and 'World' rows are matched within the same edition, commodity, measure, stage,
    basis and unit, so numerator and denominator always come from one table of one edition."""
    keys = SERIES + ["year"]
    cols = ["value", "value_flag", "value_high", "raw_value", "estimated", "source_file", "source_row"]
    tot = world[world["country"] == "World"][keys + cols]
    own = world[world["country"] == country][keys + cols]
    if tot.duplicated(keys).any() or own.duplicated(keys).any():
        dup = pd.concat([tot[tot.duplicated(keys)], own[own.duplicated(keys)]]).head(1)
        raise ValueError(f"world table has two rows for one series: {dup[keys].to_dict('records')}")
    merged = tot.merge(own, on=keys, how="left", suffixes=("_world", "_country"))
    merged = merged.merge(listed_sums(world), on=keys, how="left")
    rows = []
    for r in merged.itertuples(index=False):
        listed = isinstance(r.raw_value_country, str)
        approx = False
        den_file, den_row = r.source_file_world, str(int(r.source_row_world))
        if not listed:
            pct, flag, high = math.nan, "none", math.nan
            reason = (f"USGS lists no country for this series, only a world figure"
                      if not r.n_countries == r.n_countries else
                      f"{country} is not listed for this series (a small producer inside "
                      f"'Other countries', or none)")
        else:
            pct, flag, high, reason = ratio(
                r.value_country, r.value_flag_country, r.value_high_country,
                r.value_world, r.value_flag_world, r.value_high_world,
                num_name=country, den_name="world")
        if rounded_world and listed and flag == "" and rounded_base(r.value_world, r.value_flag_world, r.listed_sum,
                                                  r.listed_max):
            pct, approx = 100 * r.value_country / r.listed_sum, True
            den_file, den_row = r.source_file_world, r.listed_rows
            reason = (f"the countries listed add up to more than the rounded world total "
                      f"({r.raw_value_world}); the share is of their sum")
        elif flag == "" and pct > 100.5:
            reason = ("the country exceeds the published world total: the world figure looks "
                      "wrong in the source (check it)")
        est = bool(r.estimated_world) or (listed and bool(r.estimated_country))
        rows.append({**{k: getattr(r, k) for k in keys},
                     "country": country,
                     "country_value": r.value_country if listed else math.nan,
                     "country_flag": r.value_flag_country if listed else "",
                     "country_raw": r.raw_value_country if listed else "",
                     "world_value": r.value_world, "world_flag": r.value_flag_world,
                     "world_raw": r.raw_value_world,
                     "share_pct": pct, "share_flag": flag, "share_high_pct": high,
                     "estimated": est, "approx": approx, "reason": reason,
                     "numerator_source_file": r.source_file_country if listed else "",
                     "numerator_source_row": str(int(r.source_row_country)) if listed else "",
                     "denominator_source_file": den_file, "denominator_source_row": den_row})
    out = pd.DataFrame(rows, columns=keys + [
        "country", "country_value", "country_flag", "country_raw", "world_value", "world_flag",
        "world_raw", "share_pct", "share_flag", "share_high_pct", "estimated", "approx",
        "reason"] + PROVENANCE)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def country_shares(world: pd.DataFrame, *, rounded_world: bool = True) -> pd.DataFrame:
    """Every listed country's share of its series' world total (the rows of `world` other than
    the aggregates, with share_pct, share_flag, share_high_pct, approx, reason and the
    numerator/denominator rows), by the rules of focus_shares."""
    keys = SERIES + ["year"]
    tot = world[world["country"] == "World"][keys + ["value", "value_flag", "value_high", "raw_value",
                                                     "estimated", "source_file", "source_row"]]
    tot = tot.rename(columns={c: f"w_{c}" for c in tot.columns if c not in keys})
    listed = world[~world["country"].isin(AGGREGATES)].merge(tot, on=keys, how="left")
    listed = listed.merge(listed_sums(world), on=keys, how="left")
    out = []
    for r in listed.itertuples(index=False):
        if not isinstance(r.w_raw_value, str):
            res = (math.nan, "none", math.nan, "no world total published for this series")
            den = ("", "")
        else:
            res = ratio(r.value, r.value_flag, r.value_high, r.w_value, r.w_value_flag,
                        r.w_value_high, num_name=r.country, den_name="world")
            den = (r.w_source_file, str(int(r.w_source_row)))
        approx = rounded_world and res[1] == "" and rounded_base(r.w_value, r.w_value_flag, r.listed_sum, r.listed_max)
        if approx:
            res = (100 * r.value / r.listed_sum, "", math.nan,
                   f"the countries listed add up to more than the rounded world total "
                   f"({r.w_raw_value}); the share is of their sum")
            den = (r.w_source_file, r.listed_rows)
        out.append({"share_pct": res[0], "share_flag": res[1], "share_high_pct": res[2],
                    "reason": res[3], "approx": approx,
                    "estimated_share": bool(r.estimated) or bool(r.w_estimated is True),
                    "numerator_source_file": r.source_file, "numerator_source_row": str(int(r.source_row)),
                    "denominator_source_file": den[0], "denominator_source_row": den[1]})
    base = world[~world["country"].isin(AGGREGATES)].reset_index(drop=True)
    cols = ["share_pct", "share_flag", "share_high_pct", "reason", "approx", "estimated_share"] + PROVENANCE
    return pd.concat([base, pd.DataFrame(out, columns=cols)], axis=1)


def pick_year(df: pd.DataFrame, year: int | None = None, by=("commodity", "measure", "stage", "basis")) -> pd.DataFrame:
    """Per series keep one year: `year` when published, else the newest year before it
    (newest overall when year is None). The year kept is in the 'year' column."""
    if year is not None:
        df = df[df["year"] <= year]
    by = [c for c in by if c in df.columns]
    if df.empty:
        return df.copy()
    newest = df.groupby(by, dropna=False)["year"].transform("max")
    return df[df["year"] == newest].reset_index(drop=True)


def snapshot(world: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Rows (all countries) of each series at `year`, or at the newest year before it, or at the
    newest year when the series starts later. Series = edition, commodity, measure, stage, basis."""
    if world.empty:
        return world.copy()
    keys = ["edition", "commodity", "measure", "stage", "basis"]
    newest = world.groupby(keys)["year"].transform("max")
    if year is None:
        return world[world["year"] == newest].reset_index(drop=True)
    before = world["year"].where(world["year"] <= year)
    best = before.groupby([world[k] for k in keys]).transform("max").fillna(newest)
    return world[world["year"] == best].reset_index(drop=True)


# BGS series whose sub-commodities are not on one basis. Lithium minerals mixes gross mineral
# tonnages (spodumene, petalite, lepidolite...), compounds (carbonate, chloride, hydroxide) and
# lithium content; only the lithium-content rows (from 2012) add up across countries. Nickel
# sulfate is a compound, not nickel metal. Other series' sub-commodities (monazite, bastnaesite...;
# metallurgical/chemical manganese ore) are gross tonnages of one product and are summed.
BGS_KEEP_ONLY = {"lithium minerals": ("Li content", "lithium minerals (Li content)")}
BGS_DROP = {"nickel smelter/refined": {"Sulfate"}}


def bgs_comparable(bgs: pd.DataFrame) -> pd.DataFrame:
    """BGS rows on one basis per series (see BGS_KEEP_ONLY / BGS_DROP); series renamed to say so."""
    keep = pd.Series(True, index=bgs.index)
    out = bgs.copy()
    for series, (marker, name) in BGS_KEEP_ONLY.items():
        rows = bgs["bgs_series"] == series
        keep &= ~rows | bgs["sub_commodity"].str.contains(marker, regex=False)
        out.loc[rows, "bgs_series"] = name
    for series, subs in BGS_DROP.items():
        keep &= ~((bgs["bgs_series"] == series) & bgs["sub_commodity"].isin(subs))
    return out[keep]


def bgs_shares(bgs: pd.DataFrame, country: str) -> pd.DataFrame:
    """The country's share of BGS world production per BGS series and year.

    BGS publishes no world total in our extract, so 'world' is the sum of every country with a
    number that year; sub-commodities on one basis are summed per country first (bgs_comparable).
    Series are never added together (rare-earth minerals 119 and oxides 736 overlap)."""
    bgs = bgs_comparable(bgs)
    keys = ["commodity", "bgs_code", "bgs_series", "year"]
    if "source_file" not in bgs:  # a frame built by hand carries no provenance
        bgs = bgs.assign(source_file="", source_row=None)
    bgs = bgs.assign(_row=["" if v != v or r is None or r != r else str(int(r))
                           for r, v in zip(bgs["source_row"], bgs["value_t"])])
    rows_of = lambda r: ";".join(x for x in r if x)  # noqa: E731
    world = bgs.groupby(keys).agg(world_value=("value_t", lambda v: v.sum(min_count=1)),
                                  n_countries=("value_t", "count"),
                                  denominator_source_file=("source_file", "first"),
                                  denominator_source_row=("_row", rows_of))
    own_rows = bgs[bgs["country"] == country]
    own = own_rows.groupby(keys).agg(country_value=("value_t", lambda v: v.sum(min_count=1)),
                                     n_missing=("value_t", lambda v: int(v.isna().sum())),
                                     numerator_source_file=("source_file", "first"),
                                     numerator_source_row=("_row", rows_of))
    out = world.join(own, how="left").reset_index()
    out["country"] = country
    out["share_pct"] = 100 * out["country_value"] / out["world_value"]
    out["share_flag"] = ["" if v == v else "none" for v in out["share_pct"]]
    out["reason"] = ["" if f == "" else f"{country} has no BGS figure for this year"
                     for f in out["share_flag"]]
    part = out["n_missing"].fillna(0) > 0
    out.loc[part & (out["share_flag"] == ""), "reason"] = "some sub-series of this country are blank"
    for c in PROVENANCE:
        out[c] = out[c].fillna("")
    return out[keys + ["country", "country_value", "world_value", "n_countries", "share_pct",
                       "share_flag", "reason"] + PROVENANCE].sort_values(keys, kind="stable").reset_index(drop=True)
