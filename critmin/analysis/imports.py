"""U.S. import dependence: net import reliance (NIR), leading import sources, China's share of
U.S. imports (USGS import-source shares) and by value and weight in UN Comtrade.

NIR is USGS's (imports - exports + stock change) / apparent consumption, in percent. USGS prints
bounds ('>95', '>50') when the exact figure would reveal withheld company data, and 'E' when the
U.S. is a net exporter. Bounds stay bounds here: they sort just above their number and are drawn
as bounds; 'E' sorts below every importer."""
from __future__ import annotations

import math
import re

import pandas as pd

from critmin.analysis import tables
from critmin.ingest.sources import comtrade
from critmin.ingest.sources.mcs_fig2 import ITEM_COLUMNS as FIGURE2_COLUMNS

SORT_BUMP = {"": 0.0, ">": 0.5, "<": -0.5}
NO_FIGURE = ("W", "NA", "XX")


def hs_codes() -> dict[str, tuple[str, str]]:
    """hs_code -> (short description, scope note), from data/mappings/hs_codes.csv as the Comtrade
    reader keeps it (one reading of that file for the whole package)."""
    return {code: (re.split(r"[;(]", r["description"])[0].strip(), r["scope_note"])
            for code, r in comtrade.hs_codes().items()}


def hs_label(code: str) -> str:
    """'HS 2846 Compounds of rare-earth metals, yttrium or scandium'."""
    desc = hs_codes().get(code, ("", ""))[0]
    return f"HS {code} {desc}".strip()


def hs_codes_naming(slug: str, name: str) -> list[str]:
    """HS codes filed under `slug`, then those whose description names the mineral among others
    (HS 811292 lists germanium, indium, niobium, vanadium besides gallium)."""
    own = [c for c, r in comtrade.hs_codes().items() if r["commodity"] == slug]
    word = re.compile(rf"\b{re.escape(name.lower())}\b")
    wider = [c for c, r in comtrade.hs_codes().items()
             if r["commodity"] != slug and word.search(r["description"].lower())]
    return sorted(own) + sorted(wider)


def nir_label(pct, flag) -> str:
    """What USGS printed, in words a chart can show: '100', '>95', 'E', 'W', 'NA'."""
    if flag in (">", "<"):
        return f"{flag}{pct:g}"
    if flag in ("E", "W", "NA", "XX"):
        return flag
    return "NA" if pct is None or math.isnan(pct) else f"{pct:g}"


def nir_sort_value(pct, flag) -> float:
    """Number used only to order bars: '>95' above 95, 'E' below 0, W/NA below that."""
    if flag == "E":
        return -1.0
    if flag in ("W", "NA", "XX") or pct is None or math.isnan(pct):
        return -2.0
    return pct + SORT_BUMP.get(flag, 0.0)


def dependent(pct, flag, threshold: float):
    """True / False when the published figure says so against the threshold, None if it can't.

    Rules: 'E' (net exporter) is not dependent; W/NA/XX decide nothing; '>x' is dependent when x
    is at or above the threshold (else unknown); '<x' is not dependent when x is at or below the
    threshold (else unknown); an exact figure compares as it is. Any other flag (a range, a word)
    is an error: USGS prints none in NIR and we do not guess what one would mean."""
    if flag == "E":
        return False
    if flag in NO_FIGURE:
        return None
    if flag not in ("", ">", "<"):
        raise ValueError(f"net import reliance flag {flag!r}: expected '', '>', '<', 'E', "
                         f"{', '.join(map(repr, NO_FIGURE))}")
    if pct is None or math.isnan(pct):
        raise ValueError(f"net import reliance with flag {flag!r} has no number")
    if flag == ">":
        return True if pct >= threshold else None
    if flag == "<":
        return False if pct <= threshold else None
    return bool(pct >= threshold)


def full(pct, flag) -> bool:
    """All of apparent consumption imported: an exact 100 (a bound such as '>95' is not)."""
    return flag == "" and pct == 100


def leading_source(sources: str) -> str:
    """First name in USGS's '; '-separated list (USGS lists sources in descending import share)."""
    if not isinstance(sources, str) or not sources.strip():
        return ""
    return sources.split(";")[0].strip()


def newest_edition(df: pd.DataFrame, edition: int | None = None) -> int:
    """The requested edition, or the newest in the table."""
    return int(df["edition"].max()) if edition is None else int(edition)


def annotate(df: pd.DataFrame, *, threshold: float, focus_country: str) -> pd.DataFrame:
    """Add label, sort_value, dependent (against `threshold`), full (exact 100), leading_source
    (first of major_import_sources) and focus_leads to NIR rows."""
    df = df.copy()
    srcs = df["major_import_sources"].fillna("") if "major_import_sources" in df else [""] * len(df)
    df["label"] = [nir_label(p, f) for p, f in zip(df["nir_pct"], df["nir_flag"])]
    df["sort_value"] = [nir_sort_value(p, f) for p, f in zip(df["nir_pct"], df["nir_flag"])]
    df["dependent"] = pd.array([dependent(p, f, threshold) for p, f in
                                zip(df["nir_pct"], df["nir_flag"])], dtype="boolean")
    df["full"] = [full(p, f) for p, f in zip(df["nir_pct"], df["nir_flag"])]
    df["leading_source"] = [leading_source(s) for s in srcs]
    df["focus_leads"] = df["leading_source"] == focus_country
    return df


def _order(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["sort_value", "commodity", "form"], ascending=[False, True, True],
                          kind="stable").reset_index(drop=True)


def nir_newest(nir: pd.DataFrame, *, edition: int | None = None, year: int | None = None,
               threshold: float = 50, focus_country: str = "China",
               headline: bool = False) -> pd.DataFrame:
    """NIR of every commodity and form in one edition (default the newest), at `year` (default:
    each commodity's newest year in that edition; a commodity without that year is left out),
    with label, sort order, dependence against `threshold` and leading source.

    headline=True keeps one row per commodity: the series USGS charts in its NIR figure (the row
    carrying the import-source list), else the all-forms series (form ''), else the first form."""
    ed = newest_edition(nir, edition)
    df = nir[nir["edition"] == ed]
    if year is None:
        df = df[df["year"] == df.groupby("commodity")["year"].transform("max")].copy()
    else:
        df = df[df["year"] == int(year)].copy()
    if headline:
        srcs = df["major_import_sources"].fillna("") if "major_import_sources" in df else [""] * len(df)
        df["_rank"] = [0 if s else (1 if f == "" else 2) for s, f in zip(srcs, df["form"])]
        df = df.sort_values(["commodity", "_rank", "form"], kind="stable").drop_duplicates("commodity")
        df = df.drop(columns="_rank")
    return _order(annotate(df, threshold=threshold, focus_country=focus_country))



def figure2(edition: int, items: pd.DataFrame | None = None) -> pd.DataFrame:
    """The items of MCS `edition`'s Figure 2 ('net import reliance'), one row per item as USGS
    lists it, in USGS's order, with USGS's own value and import-source list
    (data/processed/nir_figure2.csv). An edition without a Fig2 file (MCS 2022) gives no rows."""
    items = tables.load("nir_figure2.csv") if items is None else items
    return items[items["edition"] == int(edition)].reset_index(drop=True)[FIGURE2_COLUMNS]


def counts(items: pd.DataFrame) -> dict:
    """Counts over annotated NIR items (see annotate): items, dependent, not decidable, full,
    net exporters, dependent items whose leading source is the focus country, dependent items with
    no source list, and the same per commodity (a commodity counts once if any item does)."""
    dep = items[items["dependent"].fillna(False).astype(bool)]
    return {"items": len(items), "dependent": len(dep),
            "undecided": int(items["dependent"].isna().sum()),
            "full": int(items["full"].sum()), "exporters": int((items["nir_flag"] == "E").sum()),
            "focus_leads": int(dep["focus_leads"].sum()),
            "no_sources": int((dep["leading_source"] == "").sum()),
            "commodities": items["commodity"].nunique(),
            "dependent_commodities": dep["commodity"].nunique()}


def import_shares(sources: pd.DataFrame, country: str, *, edition: int | None = None) -> pd.DataFrame:
    """Per commodity and form in one edition: `country`'s rank and % share of U.S. imports.
    Commodities where it is not among the named sources get rank NaN and a reason."""
    ed = newest_edition(sources, edition)
    df = sources[sources["edition"] == ed]
    keys = ["edition", "commodity", "form", "period"]
    allk = df[keys].drop_duplicates()
    df = df.assign(**{c: df[c] if c in df else "" for c in ("share_flag", "raw_value", "source_file")},
                   source_row=df["source_row"] if "source_row" in df else pd.NA)
    own = df[df["country"] == country][keys + ["rank", "share_pct", "share_flag", "raw_value",
                                              "source_file", "source_row"]]
    lead = df.sort_values("rank").drop_duplicates(keys)[keys + ["country", "share_pct"]].rename(
        columns={"country": "leading_source", "share_pct": "leading_share_pct"})
    out = allk.merge(own, on=keys, how="left").merge(lead, on=keys, how="left")
    out["country"] = country
    for col in ("share_flag", "raw_value", "source_file"):
        out[col] = out[col].fillna("")
    out["source_row"] = out["source_row"].astype("Int64")
    out["reason"] = ""
    out.loc[out["rank"].isna(), "reason"] = f"{country} is not among the import sources USGS names"
    out.loc[out["rank"].notna() & out["share_pct"].isna(), "reason"] = \
        "this edition gives the order of sources only, not shares"
    return out.sort_values(["share_pct", "commodity", "form"], ascending=[False, True, True],
                           na_position="last", kind="stable").reset_index(drop=True)


def headline_import_shares(nir_head: pd.DataFrame, imp: pd.DataFrame) -> pd.DataFrame:
    """The focus country's share of U.S. imports per commodity, for the same form as the NIR
    headline series (else the all-forms row): one row per commodity that has import sources."""
    rows = []
    for r in nir_head.itertuples(index=False):
        g = imp[imp["commodity"] == r.commodity]
        pick = g[g["form"] == r.form]
        if pick.empty:
            pick = g[g["form"] == ""]
        if not pick.empty:
            p = pick.iloc[0]
            rows.append({"commodity": r.commodity, "import_form": p["form"],
                         "focus_import_share_pct": p["share_pct"], "focus_import_rank": p["rank"],
                         "import_period": p["period"], "import_reason": p["reason"],
                         "leading_import_source": p["leading_source"],
                         "leading_import_share_pct": p["leading_share_pct"]})
    return pd.DataFrame(rows, columns=["commodity", "import_form", "focus_import_share_pct",
                                       "focus_import_rank", "import_period", "import_reason",
                                       "leading_import_source", "leading_import_share_pct"])


def trade_shares(trade: pd.DataFrame, *, reporter: str = "United States", partner: str = "China",
                 flow: str = "import") -> pd.DataFrame:
    """Per HS code and year: the reporter's imports from `partner` as % of its imports from the
    World, by value (US$) and by weight (kg). Where Comtrade leaves net weight empty (0) but gives
    the quantity in kg, the quantity is used and the note says so; otherwise no weight share."""
    df = trade[(trade["reporter"] == reporter) & (trade["flow"] == flow)].copy()
    from_qty = df["net_weight_kg"].isna() & (df.get("qty_unit", "") == "kg") & df.get("qty", math.nan).notna() \
        if "qty" in df else pd.Series(False, index=df.index)
    df["weight_kg"] = df["net_weight_kg"].where(~from_qty, df.get("qty"))
    df["from_qty"] = from_qty
    keys = ["commodity", "hs_code", "year"]
    # Comtrade's key (reporter, partner, flow, hs_code, year) is unique, so each side is one raw
    # row; its file and line are kept for the numerator and the denominator of every share.
    agg = {"value_usd": ("value_usd", lambda v: v.sum(min_count=1)),
           "weight_kg": ("weight_kg", lambda v: v.sum(min_count=1)),
           "from_qty": ("from_qty", "any"),
           "source_file": ("source_file", lambda v: "; ".join(sorted(set(v)))),
           "source_row": ("source_row", lambda v: "; ".join(str(int(x)) for x in sorted(v)))}
    tot = df[df["partner"] == "World"].groupby(keys).agg(**agg)
    par = df[df["partner"] == partner].groupby(keys).agg(**agg)
    out = tot.merge(par, left_index=True, right_index=True, how="left",
                    suffixes=("_world", "_partner")).reset_index()
    out = out.rename(columns={f"source_{k}_{side}": f"{side}_source_{k}" for k in ("file", "row")
                              for side in ("world", "partner")})
    for side in ("world", "partner"):
        out[f"{side}_source_file"] = out[f"{side}_source_file"].fillna("")
        out[f"{side}_source_row"] = out[f"{side}_source_row"].fillna("")
    out["value_share_pct"] = 100 * out["value_usd_partner"] / out["value_usd_world"]
    out["weight_share_pct"] = 100 * out["weight_kg_partner"] / out["weight_kg_world"]
    reasons = []
    for r in out.itertuples(index=False):
        why = []
        if math.isnan(r.value_usd_partner):
            why.append(f"no {flow} row from {partner}")
        if math.isnan(r.weight_kg_world) or math.isnan(r.weight_kg_partner):
            why.append("weight not reported (Comtrade gives net weight 0 and no quantity in kg), "
                       "so no weight share")
        elif any(v is not None and v == v and bool(v) for v in (r.from_qty_world, r.from_qty_partner)):
            why.append("weight taken from Comtrade's quantity in kg where net weight is 0")
        scope = hs_codes().get(r.hs_code, ("", ""))[1]
        if scope:
            why.append(f"HS {r.hs_code}: {scope}")
        reasons.append("; ".join(why))
    out["note"] = reasons
    out["value_flag"] = ["" if v == v else "NA" for v in out["value_share_pct"]]
    out["weight_flag"] = ["" if v == v else "NA" for v in out["weight_share_pct"]]
    out = out.drop(columns=["from_qty_world", "from_qty_partner"])
    out.insert(0, "partner", partner)
    out.insert(0, "reporter", reporter)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)
