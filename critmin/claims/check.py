"""Each of the article's figures against the public data: the published figure, the difference and
a verdict under one tolerance rule.

THE TOLERANCE RULE is one rule for every claim kind, stated in critmin/claims/hedges.py: the
claim's hedge ('around', 'at least', none, ...) and its exact and approximate widths give a band of
published values that the claim fits; inside -> consistent, below -> overstates, above ->
understates; no published number (W, NA, no row) or a bound that straddles the band -> not
checkable, and why. Widths are parameters (Tolerance).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from critmin.analysis.reference import display_name
from critmin.analysis.shares import focus_shares
from critmin.claims import hedges
from critmin.ingest.tokens import MISSING_FLAGS
from critmin.errors import ParamError

VERDICTS = hedges.VERDICTS
QUALIFIERS = frozenset(hedges.SHAPES)

CHECK_COLUMNS = [
    "claim_id", "claim", "kind", "commodity", "country", "claimed", "qualifier", "edition",
    "period", "compared", "public_pct", "public_high_pct", "public_flag", "estimated", "public_detail",
    "difference_pp", "band_low", "band_high", "verdict", "reason", "source_file", "source_rows"]


@dataclass(frozen=True)
class Tolerance:
    approximate_pp: float = 5.0
    exact_pp: float = 1.0
    approximate_rel: float = 0.10  # amounts: 'about' allows this share of the claimed amount

    def __post_init__(self):
        for name in ("approximate_pp", "exact_pp"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 50:
                raise ParamError(f"tolerance {name} must be a number of percentage points in "
                                 f"[0, 50], got {v!r}")
        v = self.approximate_rel
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 1:
            raise ParamError(f"tolerance approximate_rel must be a fraction in [0, 1], got {v!r}")

    def band(self, claimed: float, qualifier: str) -> tuple[float, float]:
        """The published shares a claim fits, by its qualifier (the rule in claims/hedges.py)."""
        return hedges.band(claimed, qualifier, self.exact_pp, hedges.share_width(claimed, self.approximate_pp,
                                                                                  self.exact_pp))

    def describe(self) -> str:
        return hedges.describe(self.exact_pp, self.approximate_pp, self.approximate_rel)


def verdict(claimed: float, qualifier: str, public_low: float, public_high: float | None = None,
            tolerance: Tolerance = Tolerance()) -> tuple[str, str]:
    """(verdict, reason) for a claimed percent against a published one (or an interval
    [public_low, public_high] when USGS publishes a bound or range)."""
    lo, hi = tolerance.band(claimed, qualifier)
    if public_low is None or (isinstance(public_low, float) and math.isnan(public_low)):
        return "not checkable", "no published figure"
    p_hi = public_low if public_high is None or math.isnan(public_high) else public_high
    return hedges.compare(lo, hi, public_low, p_hi)


def _interval(pct: float, flag: str, high: float) -> tuple[float, float] | None:
    """The published share as an interval, from focus_shares' (share_pct, share_flag, high)."""
    if flag == "none" or pct is None or math.isnan(pct):
        return None
    return {"": (pct, pct), ">": (pct, 100.0), "<": (0.0, pct), "range": (pct, high)}[flag]


def share_text(lo: float, hi: float, flag: str, digits: int = 1) -> str:
    """A published share as words: '48.9%', '10.0–12.0%'; a bound as one ('at most 48.9%' when
    the world total is a lower bound, _interval's '<'), never as '0.0–48.9%'."""
    if flag == "<":
        return f"at most {hi:.{digits}f}%"
    if flag == ">":
        return f"at least {lo:.{digits}f}%"
    return f"{lo:.{digits}f}%" if math.isnan(hi) else f"{lo:.{digits}f}–{hi:.{digits}f}%"


# ---------------------------------------------------------------- public figures


def world_share(world: pd.DataFrame, edition: int, commodity: str, measure: str, stages: str,
                country: str, year: str = "latest") -> dict:
    """The country's share of the world total from world.csv for one edition. `stages` may list
    alternatives ('primary|low-purity-primary': editions label gallium differently); the first one
    the edition has is used. `year`: 'latest' = the newest year of that series in the edition."""
    sub = world[(world["edition"] == edition) & (world["commodity"] == commodity)
                & (world["measure"] == measure)]
    stage = next((s for s in stages.split("|") if (sub["stage"] == s).any()), None)
    if stage is None:
        have = sorted(set(sub["stage"]))
        if not have:
            return _none(f"MCS {edition} has no world {measure} table for {_name(commodity)}")
        return _none(f"MCS {edition} has no world {measure} rows for {_name(commodity)} at stage "
                     f"{stages} (stages it publishes: {', '.join(have)})")
    sub = sub[sub["stage"] == stage]
    shares = focus_shares(sub, country)
    if shares.empty:
        return _none(f"MCS {edition} gives no world total for {_name(commodity)} {stage} {measure}")
    if shares[["basis", "unit"]].drop_duplicates().shape[0] > 1:
        raise ParamError(f"MCS {edition} {commodity} {stage} {measure}: several series "
                         f"(basis/unit); the claim must name one")
    if year == "latest":
        shares = shares[shares["year"] == shares["year"].max()]
    else:
        shares = shares[shares["year"] == int(year)]
        if shares.empty:
            return _none(f"MCS {edition} has no {_name(commodity)} {stage} {measure} for {year}")
    r = shares.iloc[0]
    year = int(r["year"])
    rows = sub[(sub["year"] == year) & sub["country"].isin([country, "World"])]
    unit, basis = r["unit"], (f", {r['basis']}" if r["basis"] else "")
    out = dict(period=str(year), compared=f"{year} {stage} {measure}{basis}",
               source_file=";".join(sorted(set(rows["source_file"]))),
               source_rows=";".join(str(int(x)) for x in sorted(rows["source_row"])))
    iv = _interval(r["share_pct"], r["share_flag"], r["share_high_pct"])
    if iv is None:
        return out | dict(public_detail=f"{country} {_cell(r, 'country')}, world {_cell(r, 'world')}",
                          estimated=False, reason=_why_no_share(sub[sub["year"] == year], r, edition,
                                                                commodity, stage, measure, year)) \
            | _public(None, "none")
    detail = (f"{country} {r['country_value']:,.0f} {unit} of world {r['world_value']:,.0f} {unit}"
              + (" (estimated)" if bool(r["estimated"]) else ""))
    return out | dict(public_detail=detail, estimated=bool(r["estimated"]), reason=r["reason"]) \
        | _public(iv, r["share_flag"])


def _name(commodity: str, form: str = "") -> str:
    """The commodity as a sentence names it: 'rare earths (compounds and metals)'."""
    return display_name(commodity, form).lower()


def _cell(r, side: str) -> str:
    """How a published cell reads when it is not a plain number ('NA', 'W', '>50')."""
    v, flag, raw = r[f"{side}_value"], r[f"{side}_flag"], r[f"{side}_raw"]
    if isinstance(v, float) and not math.isnan(v) and not flag:
        return f"{v:,.0f}"
    return flag or raw or "not listed"


def _why_no_share(year_rows, r, edition, commodity, stage, measure, year) -> str:
    """Say plainly when USGS publishes no figure for any country (germanium), not just one."""
    flags = sorted(set(year_rows.loc[year_rows["value"].isna(), "value_flag"]) - {""})
    if year_rows["value"].isna().all() and flags:
        words = "; ".join(f"{f} = {MISSING_FLAGS.get(f, f).split(' (')[0]}" for f in flags)
        return (f"MCS {edition} publishes no {_name(commodity)} {stage} {measure} figure for any "
                f"country in {year} ({words})")
    return r["reason"]


def import_share(imports: pd.DataFrame, edition: int, commodity: str, form: str, country: str,
                 period: str = "") -> dict:
    """The country's share of U.S. imports from import_sources.csv for one edition. Editions that
    list sources in order only give no share: the rank is reported instead."""
    sub = imports[(imports["edition"] == edition) & (imports["commodity"] == commodity)
                  & (imports["form"] == form)].sort_values("rank")
    if sub.empty:
        return _none(f"MCS {edition} lists no import sources for {_name(commodity, form)}")
    got = sub["period"].iloc[0]
    base = dict(period=got, source_file=";".join(sorted(set(sub["source_file"]))),
                compared=f"import sources {got}" + (
                    f" (the claim covers {period})" if period and period != got else ""))
    own = sub[sub["country"] == country]
    order = ", ".join(sub["country"])
    if own.empty:
        return _none(f"{country} is not among the import sources MCS {edition} lists ({order})") \
            | base
    r = own.iloc[0]
    base["source_rows"] = str(int(r["source_row"]))
    rank = f"{country} ranks {int(r['rank'])} of {len(sub)} ({order})"
    if pd.isna(r["share_pct"]):
        return _none(f"MCS {edition} lists import sources in order only, without shares: {rank}") \
            | base | dict(public_detail=f"{country} ranked {int(r['rank'])} of {len(sub)}")
    detail = f"{country} {r['share_pct']:g}% of U.S. imports ({got})"
    return base | dict(public_detail=detail, reason="", estimated=False) | _public(
        (float(r["share_pct"]), float(r["share_pct"])), "")


def _public(iv, flag) -> dict:
    if iv is None:
        return dict(public_pct=math.nan, public_high_pct=math.nan, public_flag="none")
    lo, hi = iv
    return dict(public_pct=lo, public_high_pct=hi if hi != lo else math.nan,
                public_flag="" if hi == lo else flag)


def _none(reason: str) -> dict:
    return dict(period="", compared="", public_detail="", estimated=False, reason=reason, source_file="",
                source_rows="", public_pct=math.nan, public_high_pct=math.nan, public_flag="none")


# ---------------------------------------------------------------- all claims


LOOKUPS = {"share_of_world_production": "world.csv", "us_import_share_from_china": "import_sources.csv"}


def check_claims(claims: pd.DataFrame, tables: dict, editions, tolerance: Tolerance = Tolerance()
                 ) -> pd.DataFrame:
    """One row per checkable claim and edition, one row per other claim (verdict 'not checkable'
    with the claims table's reason). `tables` maps 'world.csv' / 'import_sources.csv' to frames."""
    editions = _editions(editions)
    rows = []
    for c in claims.itertuples(index=False):
        head = dict(claim_id=c.claim_id, claim=c.claim, kind=c.kind, commodity=c.commodity,
                    country=c.country, claimed=float(c.figure), qualifier=c.qualifier)
        if c.checkable != "yes":
            rows.append(head | _none(c.why_not_checkable) | dict(
                edition=pd.NA, verdict="not checkable", difference_pp=math.nan,
                band_low=math.nan, band_high=math.nan))
            continue
        lo, hi = tolerance.band(float(c.figure), c.qualifier)
        for ed in editions:
            if c.kind == "share_of_world_production":
                pub = world_share(tables["world.csv"], ed, c.commodity, c.measure, c.stage,
                                  c.country, c.year_or_period)
            elif c.kind == "us_import_share_from_china":
                pub = import_share(tables["import_sources.csv"], ed, c.commodity, c.form,
                                   c.country, c.year_or_period)
            else:
                raise ParamError(f"claim {c.claim_id}: no lookup for kind {c.kind!r}; "
                                 f"checkable kinds: {sorted(LOOKUPS)}")
            if pub["public_flag"] == "none":
                v, why = "not checkable", pub["reason"]
            else:
                v, why = verdict(float(c.figure), c.qualifier, pub["public_pct"],
                                 pub["public_high_pct"], tolerance)
                if pub["reason"]:
                    why = f"{why}; {pub['reason']}"
                if "the claim covers" in pub["compared"]:
                    why += "; the published period differs from the claim's"
            diff = (float(c.figure) - pub["public_pct"]
                    if pub["public_flag"] == "" else math.nan)
            rows.append(head | pub | dict(
                edition=ed, verdict=v, reason=why,
                difference_pp=round(diff, 6) if not math.isnan(diff) else diff,
                # an open side of the band ('at least') is written as empty, not as inf
                band_low=lo if math.isfinite(lo) else math.nan,
                band_high=hi if math.isfinite(hi) else math.nan))
    out = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    out["edition"] = out["edition"].astype("Int64")
    return out


def _editions(editions) -> list[int]:
    eds = [editions] if isinstance(editions, int) else list(editions)
    if not eds or not all(isinstance(e, int) and not isinstance(e, bool) for e in eds):
        raise ParamError(f"editions must be a non-empty list of MCS years, got {editions!r}")
    return eds
