"""The other sources beside USGS MCS for one claim, and the claim's overall verdict.

Production shares: World Mining Data (2018-2024) and BGS World Mineral Statistics (to 2021), for
the claim's year, or, for a claim of the newest figure, the newest year USGS compared that the source
also has (a source with none of those years is shown as not checkable, never compared with another
year). Import shares: CEPII BACI by value and by quantity (imports.py) for the claim's years.
Every source is judged by the same tolerance band (hedges.py, verify.claim_band).

Overall verdict: the USGS edition out when the article was written (when its date says which and
that edition has a figure; else the newest edition with one), and every other source with one; when they
all give the same verdict it is the claim's; when some find the claim consistent and others not, it
is 'depends on source/measure' and `depends_on` says which source says what.

Named source or measure: when the article names the source of an import figure ('USGS', 'CEPII
BACI') or its measure ('by weight' -> BACI by quantity, 'by value'), the claim's attributed_to
(import_shares.named_source), the claim is judged by that source alone when it has a figure for the
claim's own years; the others stay beside it and depends_on says the article named it. When the
named source has no such figure, or none is named, every source judges as above (the seed names
USGS for 2020-2023, which MCS 2026 gives only for 2021-2024: judged by all). A named measure with
no figure ('by weight' for tungsten, whose tonnes are not summed) is not checkable: the other
measure is another metric."""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis import production_sources, shares
from critmin.claims import hedges, imports
from critmin.claims.check import _name, _none
from critmin.ingest.periods import period_years
from critmin.ingest.sources.geopolrisk_wheel import rel as wheel_rel

SOURCE_COLUMNS = ["claim_id", "source", "period", "compared", "public_pct", "public_detail",
                  "verdict", "reads", "band_low", "band_high", "reason", "source_file", "source_rows"]
USGS = "USGS MCS"
WMD, BGS = "World Mining Data", "BGS World Mineral Statistics"
KINDS = ("share_of_world_production", "us_import_share_from_china", "import_share")
TABLES = ("wmd_production.csv", "bgs_production.csv")  # what beside() reads for production shares


def reads(verdict: str, claim_period: str, period: str) -> str:
    """The verdict as the report prints it: '(different period)' when the years compared are not
    the claim's (a claim of the newest figure has no period of its own)."""
    if verdict == "not checkable" or not period or period_years(claim_period) is None:
        return verdict
    return verdict if period_years(claim_period) == period_years(period) else f"{verdict} (different period)"


def _wmd(c, wmd: pd.DataFrame, years: list[int]) -> dict:
    sub = wmd[wmd.commodity == c.commodity]
    stage = next((s for s in str(c.stage).split("|") if (sub.stage == s).any()), None)
    if stage is None:
        return _none(f"World Mining Data has no {_name(c.commodity)} table at stage "
                     f"{str(c.stage).replace('|', ' or ')}")
    s = production_sources.wmd_shares(sub[sub.stage == stage], c.country)
    s = s[s.year.isin(years) & s.share_pct.notna()]
    if s.empty:
        return _none(f"World Mining Data has no {c.country} {_name(c.commodity)} figure for "
                     f"{' or '.join(map(str, years))}")
    if s.source_table.nunique() > 1:
        return _none(f"World Mining Data has several {_name(c.commodity)} tables "
                     f"({', '.join(sorted(s.source_table.unique()))}); the claim names none")
    r = s.sort_values("year").iloc[-1]
    rows = sub[(sub.source_table == r.source_table) & (sub.year == r.year)
               & sub.country.isin([c.country, "World"])]
    return dict(period=str(int(r.year)), compared=f"{int(r.year)} {stage} production"
                + (f", {r.basis}" if isinstance(r.basis, str) and r.basis else ""),
                public_pct=float(r.share_pct), public_flag="",
                public_detail=f"{c.country} {r.country_value:,.0f} {r.unit} of world {r.world_value:,.0f} {r.unit}",
                reason="", source_file=wheel_rel("world_mining_data.db"),
                source_rows=f"table {r.source_table}, rowids "
                            + ";".join(str(int(x)) for x in sorted(rows.source_rowid)))


def _bgs(c, bgs: pd.DataFrame, years: list[int]) -> dict:
    s = shares.bgs_shares(bgs[bgs.commodity == c.commodity], c.country) if (bgs.commodity == c.commodity).any() \
        else pd.DataFrame()
    if len(s):
        s = s[s.year.isin(years) & (s.share_flag == "")]
    if s.empty:
        return _none(f"BGS World Mineral Statistics (to 2021) have no {c.country} "
                     f"{_name(c.commodity)} figure for {' or '.join(map(str, years))}")
    s = s[s.year == s.year.max()]
    if len(s) > 1:
        return _none(f"BGS publishes several {_name(c.commodity)} series ({'; '.join(s.bgs_series)}) "
                     "that must not be added; the claim names none")
    r = s.iloc[0]
    return dict(period=str(int(r.year)), compared=f"{int(r.year)} production, {r.bgs_series}",
                public_pct=float(r.share_pct), public_flag="",
                public_detail=f"{c.country} {r.country_value:,.0f} t of the countries' sum {r.world_value:,.0f} t",
                reason="", source_file=r.numerator_source_file,
                source_rows=f"{r.numerator_source_row}; world: {r.denominator_source_row}")


def beside(c, usgs_rows: pd.DataFrame, tables: dict, band) -> list[dict]:
    """Rows (SOURCE_COLUMNS) for the sources other than USGS MCS, each judged by `band`
    ((low, high) of the claim under the one rule)."""
    if c.kind == "share_of_world_production":
        missing = [t for t in TABLES if t not in tables]
        if missing:
            return [_row(c, name, _none(f"data/processed/{t} is not among the tables given"), band)
                    for name, t in zip((WMD, BGS), TABLES) if t in missing]
        years = period_years(c.year_or_period) or sorted(
            {int(p) for p in usgs_rows.period if str(p).isdigit()}, reverse=True)
        if not years:  # USGS compared no year: the claim's newest year is not known
            years = []
        found = [(WMD, _wmd(c, tables["wmd_production.csv"], years) if years else
                  _none("USGS compared no year, so no year to read World Mining Data for")),
                 (BGS, _bgs(c, tables["bgs_production.csv"], years) if years else
                  _none("USGS compared no year, so no year to read BGS for"))]
    elif c.kind in ("us_import_share_from_china", "import_share"):
        importer = getattr(c, "importer", "") or imports.US
        found = [(b.label, b.lookup(tables, None, c.commodity, c.form, c.country, c.year_or_period, importer))
                 for b in imports.beside(importer)]
        # the named source rides on the rows to overall() (not a column of the sources table)
        return [_row(c, name, pub, band) | dict(named=str(getattr(c, "attributed_to", "") or ""))
                for name, pub in found]
    else:
        return []
    return [_row(c, name, pub, band) for name, pub in found]


def _named_labels(named: str) -> tuple[str, ...]:
    """The row sources a named source or measure means (prefixes of `source`)."""
    if "USGS" in named:
        return ("USGS",)
    if "by quantity" in named:
        return ("BACI by quantity",)
    if "by value" in named:
        return ("BACI by value",)
    return ("BACI",) if "BACI" in named else ()


def _by_named(usgs_row: list[dict], others: list[dict]) -> tuple[str, str] | None:
    """(verdict, depends_on) from the source the article names, when it has a figure for the claim's
    own years; else None."""
    named = next((r.get("named", "") for r in others if r.get("named")), "")
    labels = _named_labels(named)
    rows = [r for r in usgs_row + others if labels and str(r["source"]).startswith(labels)
            and r["verdict"] != "not checkable" and not r["reads"].endswith("(different period)")]
    measure = "USGS" not in named and ("by quantity" in named or "by value" in named)
    if not rows and measure:  # the other measure is another metric: no verdict, and why
        why = "; ".join(r["reason"] for r in others if str(r["source"]).startswith(labels) and r.get("reason"))
        return "not checkable", (f"the article names its {'source and ' if 'BACI' in named else ''}measure "
                                 f"({named}), for which no source has a "
                                 f"figure" + (f": {why}" if why else ""))
    if not rows:
        return None
    rest = [r for r in usgs_row + others if r not in rows and r["verdict"] != "not checkable"]
    said = "; ".join(f"{v} by {_who([r for r in rest if r['verdict'] == v])}"
                     for v in dict.fromkeys(r["verdict"] for r in rest))
    verdicts = list(dict.fromkeys(r["verdict"] for r in rows))
    which = ("source and measure" if "BACI" in named else "measure") if measure else "source"
    beside_it = f"; beside it, {said}" if said else ""
    if len(verdicts) > 1:  # 'CEPII BACI' named, and its value and quantity disagree
        return "depends on source/measure", f"the article names its {which} ({named}), whose figures " \
            "disagree: " + "; ".join(f"{v} by {_who([r for r in rows if r['verdict'] == v])}"
                                     for v in verdicts) + beside_it
    return verdicts[0], f"the article names its {which} ({named}): judged by {_who(rows)}" + beside_it


def _row(c, name: str, pub: dict, band) -> dict:
    lo, hi = band
    if pub["public_flag"] == "none":
        v, why = "not checkable", pub["reason"]
    else:
        v, why = hedges.compare(lo, hi, pub["public_pct"], pub["public_pct"])
    return dict(claim_id=c.claim_id, source=name, period=pub["period"], compared=pub["compared"],
                public_pct=pub["public_pct"], public_detail=pub["public_detail"], verdict=v,
                reads=reads(v, c.year_or_period, pub["period"]),
                band_low=lo if math.isfinite(lo) else math.nan,
                band_high=hi if math.isfinite(hi) else math.nan, reason=why,
                source_file=pub["source_file"], source_rows=pub["source_rows"])


def _who(rows) -> str:
    return " and ".join(f"{r['source']} ({r['period']}"
                        + (", a different period)" if r["reads"].endswith("(different period)") else ")")
                        for r in rows)


def overall(usgs: list[dict], others: list[dict], at_writing: int | None = None) -> tuple[str, str]:
    """(verdict, what it depends on) from one USGS row with a figure (the edition at_writing if it
    has one, else the newest) and the other sources."""
    with_figure = [r for r in usgs if r["verdict"] != "not checkable"]
    then = [r for r in with_figure if at_writing is not None and r.get("edition") == at_writing]
    if (by := _by_named(then or with_figure[-1:], others)) is not None:
        return by
    judged = (then or with_figure[-1:]) + [r for r in others if r["verdict"] != "not checkable"]
    if not judged:
        return "not checkable", ""
    usgs_ok = any(r["verdict"] != "not checkable" for r in usgs)
    verdicts = list(dict.fromkeys(r["verdict"] for r in judged))
    if len(verdicts) == 1:
        periods = {r["reads"].endswith("(different period)") for r in judged}
        only = f"only {_who(judged)} has a figure" if len(judged) == 1 and not usgs_ok else ""
        return (f"{verdicts[0]} (different period)" if periods == {True} else verdicts[0]), only
    if "consistent" not in verdicts:  # all find it off, in different directions
        parts = [f"{v} by {_who([r for r in judged if r['verdict'] == v])}" for v in verdicts]
        return "depends on source/measure", "; ".join(parts)
    ok = [r for r in judged if r["verdict"] == "consistent"]
    off = [r for r in judged if r["verdict"] != "consistent"]
    return "depends on source/measure", (f"consistent by {_who(ok)}; " + "; ".join(
        f"{v} by {_who([r for r in off if r['verdict'] == v])}" for v in dict.fromkeys(r["verdict"] for r in off)))
