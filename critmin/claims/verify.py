"""Every mapped claim against each compared edition, under the one rule of hedges.py, with a note
when a later edition revised the figure the article could read.

Columns: check.CHECK_COLUMNS, then public_value / public_high / public_unit (amounts and ranks),
revision, span (the matched text), rule (which mapping rule, or 'hand') and mapped_by."""
from __future__ import annotations

import math

import pandas as pd

from critmin.claims import caveats, hedges, imports, measures, sources
from critmin.claims.check import CHECK_COLUMNS, Tolerance, _none, world_share
from critmin.errors import ParamError

VERIFY_COLUMNS = CHECK_COLUMNS + ["public_value", "public_high", "public_unit", "revision", "span",
                                  "rule", "mapped_by"]
PERCENT_KINDS = ("share_of_world_production", "share_of_world_reserves", "us_import_share_from_china",
                 "import_share", "net_import_reliance")
IMPORT_KINDS = ("us_import_share_from_china", "import_share")  # answered by USGS import sources
RANK_KINDS = ("rank_of_producer", "rank_of_reserves")
TABLES = {"share_of_world_production": "world.csv", "amount_of_production": "world.csv",
          "rank_of_producer": "world.csv", "us_import_share_from_china": "import_sources.csv",
          "import_share": "import_sources.csv", "net_import_reliance": "net_import_reliance.csv",
          "share_of_world_reserves": "world.csv", "rank_of_reserves": "world.csv"}


def _get(c, name, default=""):
    v = getattr(c, name, default)
    return default if v is None or (isinstance(v, float) and math.isnan(v)) else v


def lookup(c, tables: dict, edition: int) -> dict:
    """The published figure for one claim and edition (check.world_share's fields + extras)."""
    extra = dict(public_value=math.nan, public_high=math.nan, public_unit="")
    if c.kind in ("share_of_world_production", "share_of_world_reserves"):
        return world_share(tables["world.csv"], edition, c.commodity, c.measure, c.stage, c.country,
                           c.year_or_period) | extra
    if c.kind == "amount_of_production":
        return measures.world_amount(tables["world.csv"], edition, c.commodity, c.stage, c.country,
                                     c.year_or_period)
    if c.kind in RANK_KINDS:
        return measures.world_rank(tables["world.csv"], edition, c.commodity, c.stage, c.country,
                                   c.year_or_period, c.measure or "production")
    if c.kind in ("us_import_share_from_china", "import_share"):
        backend = imports.backend_for(_get(c, "importer") or imports.US)
        period = "" if c.year_or_period == "latest" else c.year_or_period
        return backend.lookup(tables, edition, c.commodity, c.form, c.country, period) | extra
    if c.kind == "net_import_reliance":
        return measures.import_reliance(tables["net_import_reliance.csv"], edition, c.commodity,
                                        c.form, c.year_or_period)
    raise ParamError(f"claim {c.claim_id}: no lookup for kind {c.kind!r}; checkable kinds: "
                     f"{sorted(TABLES)}")


def claim_band(c, pub: dict, tol: Tolerance) -> tuple[float, float, float]:
    """(claimed in the published unit, band low, band high) under the one rule."""
    claimed = float(c.figure)
    if c.kind in PERCENT_KINDS:
        lo, hi = tol.band(claimed, c.qualifier)
        return claimed, lo, hi
    if c.kind in RANK_KINDS:  # exact, or 'at most' for 'one of the top three'
        lo, hi = hedges.band(claimed, c.qualifier, 0.0, 0.0)
        return claimed, lo, hi
    unit = pub["public_unit"]
    value = measures.convert(claimed, c.unit, unit)
    if value is None:
        raise ParamError(f"claim {c.claim_id}: cannot convert {c.unit!r} to {unit!r}")
    exact = measures.convert(hedges.rounding_unit(_get(c, "written") or f"{claimed:g}"), c.unit, unit) / 2
    lo, hi = hedges.band(value, c.qualifier, exact, tol.approximate_rel * value)
    return value, lo, hi


def check_one(c, tables, edition, tol) -> dict:
    pub = lookup(c, tables, edition)
    if pub["public_flag"] == "none" or (c.kind not in PERCENT_KINDS and math.isnan(pub["public_value"])):
        return pub | dict(verdict="not checkable", difference_pp=math.nan, band_low=math.nan,
                          band_high=math.nan, reason=pub["reason"] or "no published figure")
    claimed, lo, hi = claim_band(c, pub, tol)
    if c.kind in PERCENT_KINDS:
        p_lo = pub["public_pct"]
        p_hi = p_lo if math.isnan(pub["public_high_pct"]) else pub["public_high_pct"]
    else:
        p_lo = pub["public_value"]
        p_hi = p_lo if math.isnan(pub["public_high"]) else pub["public_high"]
    v, why = hedges.compare(lo, hi, p_lo, p_hi)
    if c.kind in RANK_KINDS:  # a smaller rank number claims more: the sense flips
        v = {"overstates": "understates", "understates": "overstates"}.get(v, v)
        why = {"consistent": "published rank equals the claim" if not c.qualifier else
                             f"published rank within the top {claimed:g}",
               "overstates": "the country ranks lower than claimed",
               "understates": "the country ranks higher than claimed"}.get(v, why)
    if pub["reason"]:
        why = f"{why}; {pub['reason']}"
    if "the claim covers" in pub["compared"]:
        why += "; the published period differs from the claim's"
    diff = claimed - p_lo if c.kind in PERCENT_KINDS and pub["public_flag"] == "" else math.nan
    return pub | dict(verdict=v, reason=why, difference_pp=round(diff, 6) if not math.isnan(diff) else diff,
                      band_low=lo if math.isfinite(lo) else math.nan,
                      band_high=hi if math.isfinite(hi) else math.nan)


def revision(c, tables, editions) -> str:
    """'MCS 2026 revised Indonesia's 2024 figure from 28,000 t to 35,000 t' when the newest
    compared edition prints another value for the year the first edition compared."""
    if c.kind not in ("amount_of_production", "share_of_world_production") or len(editions) < 2:
        return ""
    first = measures.world_amount(tables["world.csv"], editions[0], c.commodity, c.stage, c.country,
                                  c.year_or_period)
    if math.isnan(first["public_value"]):
        return ""
    year = first["period"]
    later = measures.world_amount(tables["world.csv"], editions[-1], c.commodity, c.stage, c.country, year)
    if math.isnan(later["public_value"]) or later["public_value"] == first["public_value"]:
        return ""
    u = first["public_unit"]
    relabel = (" (under another stage label)" if first["compared"].split()[1] != later["compared"].split()[1]
               else "")
    return (f"MCS {editions[-1]} revised {c.country}'s {year} figure from "
            f"{first['public_value']:,.0f} {u} to {later['public_value']:,.0f} {u}{relabel}")


def check_all(claims: pd.DataFrame, tables: dict, editions, tol: Tolerance = Tolerance()) -> pd.DataFrame:
    """One row per checkable claim and edition, one row per other claim (its reason)."""
    eds = sorted(dict.fromkeys(editions))
    rows = []
    for c in claims.itertuples(index=False):
        head = dict(claim_id=c.claim_id, claim=c.claim, kind=c.kind, commodity=c.commodity,
                    country=c.country, claimed=float(c.figure), qualifier=c.qualifier,
                    span=_get(c, "span"), rule=_get(c, "rule", "hand"),
                    mapped_by=_get(c, "mapped_by", "hand"))
        if c.checkable != "yes":
            rows.append(head | _none(c.why_not_checkable) | dict(
                edition=pd.NA, verdict="not checkable", difference_pp=math.nan, band_low=math.nan,
                band_high=math.nan, public_value=math.nan, public_high=math.nan, public_unit="",
                revision=""))
            continue
        note = revision(c, tables, eds)
        for ed in eds:
            rows.append(head | check_one(c, tables, ed, tol) | dict(edition=ed, revision=note))
    out = pd.DataFrame(rows, columns=VERIFY_COLUMNS)
    out["edition"] = out["edition"].astype("Int64")
    return out


VERDICT_COLUMNS = ["claim_id", "overall_verdict", "depends_on", "caveats"]


def check_sources(claims: pd.DataFrame, checks: pd.DataFrame, tables: dict, tol: Tolerance = Tolerance(),
                  at_writing: int | None = None, sentences: dict | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the other sources' rows, sources.SOURCE_COLUMNS; one overall verdict per claim with what it
    depends on and the caveats the data give, VERDICT_COLUMNS). at_writing: the USGS edition out
    when the article was written, which judges the claim when it has a figure (else the newest).
    sentences: claim_id -> the article's sentence stating it (for the caveats' wording checks)."""
    rows, verdicts = [], []
    for c in claims.itertuples(index=False):
        mine = checks[checks["claim_id"] == c.claim_id]
        if c.checkable != "yes":
            verdicts.append(dict(claim_id=c.claim_id, overall_verdict="not checkable", depends_on="",
                                 caveats=""))
            continue
        label = "USGS import sources, MCS" if c.kind in IMPORT_KINDS else sources.USGS
        usgs = [dict(r, source=f"{label} {r['edition']}",
                     reads=sources.reads(r["verdict"], c.year_or_period, r["period"]))
                for r in mine.sort_values("edition").to_dict("records")]
        other = []
        if c.kind in sources.KINDS:
            other = sources.beside(c, mine, tables, tol.band(float(c.figure), c.qualifier))
        rows += other
        v, dep = sources.overall(usgs, other, at_writing)
        verdicts.append(dict(claim_id=c.claim_id, overall_verdict=v, depends_on=dep,
                             caveats=caveats.for_claim(c, mine, tables,
                                                       (sentences or {}).get(c.claim_id, ""))))
    return (pd.DataFrame(rows, columns=sources.SOURCE_COLUMNS),
            pd.DataFrame(verdicts, columns=VERDICT_COLUMNS))
