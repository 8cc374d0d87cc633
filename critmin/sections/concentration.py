"""How concentrated supply is, what is in the ground, and what is being built (notebooks 30 and
50): the HHI chart and table, the reserves table with reserves-to-production years, and the new
capacity the article names. One function per table serves the overview and a mineral's page."""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis import concentration as conc
from critmin.analysis import reference, reserves, shares
from critmin.present import charts
from critmin.present import format as fmt
from critmin.sections.supply import Section, edition_rows

BANDS = "bands: below 1,500 low, 1,500–2,500 moderate, above 2,500 high"


def _series(k: int, n: int, adjective: str) -> str:
    return fmt.of(k, n, f"{adjective} series").replace("serieses", "series")


def _pct(v) -> str:
    return "" if v is None or v != v else f"{v:.0f}%"


def _amount(value, flag: str, raw: str, unit: str) -> str:
    """'44,000,000 t', '>85,000,000 t', 'withheld (W)', as published."""
    if flag in fmt.FLAG_SHORT:
        return f"{fmt.FLAG_SHORT[flag]} ({flag})" if flag != "qual" else fmt.FLAG_SHORT[flag]
    if flag == "range" or value is None or value != value:
        return f"{raw} {fmt.unit(unit)}" if raw else "not listed"
    return f"{flag if flag in ('>', '<') else ''}{fmt.number(value)} {fmt.unit(unit)}"


def _years(v, flag: str) -> str:
    if flag == "none" or v is None or v != v:
        return "not computed"
    return f"{flag if flag in ('>', '<') else ''}{fmt.number(v, 0)} years"


# ---------------------------------------------------------------- concentration


def concentration_rows(world, *, minerals, edition: int, year: int | None) -> pd.DataFrame:
    """HHI and top-3 share per production series at `year` (critmin.analysis.concentration), with
    the display name, the drawn flag and every figure worded."""
    snap = shares.snapshot(edition_rows(world, edition, minerals, "production"), year)
    c = conc.concentration(snap)
    one = c["commodity"].nunique() == 1
    c["name"] = [fmt.series_name(m, s, with_commodity=not one) + f", {fmt.year(y)}"
                 for m, s, y in zip(c["commodity"], c["stage"], c["year"])]
    c["flag"] = ["none" if h != h else ("" if abs(hh - h) < 0.5 else "range")
                 for h, hh in zip(c["hhi"], c["hhi_high"])]
    c["band_label"] = [conc.band_label(r) for _, r in c.iterrows()]
    c["hhi_text"] = [fmt.number(h, 0) if h == h else "" for h in c["hhi"]]
    c["hhi_high_text"] = [fmt.number(h, 0) if h == h else "" for h in c["hhi_high"]]
    c["top3_text"] = [_pct(v) for v in c["top3_pct"]]
    c["top3_high_text"] = [_pct(v) for v in c["top3_high_pct"]]
    c["remainder_text"] = [_pct(v) for v in c["remainder_pct"]]
    c["top3_names"] = [fmt.join(t.split("; ")) if t else "" for t in c["top3_countries"]]
    c["year_shown"] = [fmt.year(y) for y in c["year"]]
    c["edition"] = c["edition"].astype(int)
    return c


FLAG_WORDS = {"(flag range)": "(USGS gives it only as a range)", "(flag W)": "(withheld)",
              "(flag NA)": "(not available)", "(flag >)": "(a lower bound)", "(flag <)": "(an upper bound)"}


def _unindexed(c: pd.DataFrame) -> str:
    none = c[c["hhi"].isna()]
    said = [f"{n} ({r})" for n, r in zip(none["name"], none["reason"])]
    for code, words in FLAG_WORDS.items():
        said = [t.replace(code, words) for t in said]
    return "; ".join(said)


def concentration_table(world, *, minerals, edition: int, year: int | None) -> Section:
    """The HHI table (notebooks 30 and 50)."""
    c = concentration_rows(world, minerals=minerals, edition=edition, year=year)
    shown = c[c["hhi"].notna()]
    names = fmt.join([fmt.in_text(m) for m in minerals]) if minerals else "these minerals"
    missing = _unindexed(c)
    return Section(
        "concentration-table", shown, kind="table",
        sentence=f"No index for: {missing}." if missing and len(shown) else "",
        empty=(f"No concentration index for {names}: " + (missing or f"MCS {edition} has no world "
                                                            "production table by country") + "."),
        title=f"Herfindahl–Hirschman index of world production, MCS {edition} ({BANDS})",
        options=dict(columns={"name": "Series", "hhi_text": "HHI (listed)",
                              "hhi_high_text": "HHI (remainder as one)", "band_label": "Band",
                              "top3_text": "Top-3 share", "top3_high_text": "Top-3 share (upper)",
                              "top3_names": "Top 3", "remainder_text": "Unlisted", "reason": "Note"}))


def concentration_chart(world, *, minerals, edition: int, year: int | None) -> Section:
    """HHI bars, hatched to the upper bound (notebook 30)."""
    c = concentration_rows(world, minerals=minerals, edition=edition, year=year)
    shown = c[c["hhi"].notna()]
    high = shown[shown["band"] == "high"]
    if shown.empty:
        return Section("concentration-hhi", shown, empty="No concentration index can be computed: "
                                                         + (_unindexed(c) or "no world production table") + ".")
    listing = "; ".join(f"{n} {h}" for n, h in zip(high["name"], high["hhi_text"]))
    sentence = (f"{_series(len(high), len(shown), 'production').capitalize()} of the profiled minerals "
                f"{'is' if len(high) == 1 and len(shown) == 1 else 'are'} highly concentrated (HHI "
                f"above 2,500 even at its lower bound)" + (f": {listing}." if listing else "."))
    when = fmt.years_listed(shown["year"])
    cols = ["name", "hhi", "hhi_high", "flag", "band_label", "top3_pct", "top3_high_pct",
            "top3_countries", "leader", "leader_pct", "remainder_pct", "other_countries_pct",
            "reason", "edition", "year", "source_file", "world_source_row", "listed_source_rows"]
    return Section(
        "concentration-hhi", shown[cols], sentence=sentence, kind="bars",
        title=f"{_series(len(high), len(shown), 'production').capitalize()} are highly concentrated"
              if len(high) != 1 else f"{_series(1, len(shown), 'production').capitalize()} is highly concentrated",
        subtitle=(f"HHI of world production, {when}, MCS {edition}; hatched: the rise if the unlisted "
                  "remainder were one producer"),
        source=charts.source_line(edition),
        alt=("Bar chart of the Herfindahl–Hirschman index per mineral with dashed lines at 1,500 and "
             "2,500; hatched extensions show the upper bound when the unlisted remainder is one producer."),
        options=dict(label="name", value="hhi", high="hhi_high", flag="flag",
                     xlabel="Herfindahl–Hirschman index", xmax=11500, digits=0,
                     thresholds=[(1500, "1,500"), (2500, "2,500: high")]))


# ---------------------------------------------------------------- reserves


def _note(r) -> str:
    if r.share_flag == "none":
        return fmt.share_text(r.share_pct, "none", reason=r.reason)
    if r.world_flag == ">":
        return "world reserves are published as a lower bound, so the share is an upper bound"
    return "about: of the listed countries' sum" if r.approx else ""


def reserves_table(world, *, minerals, edition: int, year: int | None, focus_country: str) -> Section:
    """Reserves per mineral, stage and basis: the focus country's and the world's, the share and
    reserves-to-production years (notebooks 30 and 50). One mineral: also a sentence."""
    here = edition_rows(world, edition, minerals)
    rows = reserves.reserves_table(here, focus_country, year)
    names = fmt.join([fmt.in_text(m) for m in minerals])
    empty = f"MCS {edition} gives no reserves for {names}."
    partial = here[here["measure"] == "reserves"]
    if rows.empty and not partial.empty:
        listed = "; ".join(f"{r.country}: {r.raw_value} {fmt.unit(r.unit)}" for r in partial.itertuples())
        empty = (f"MCS {edition} gives reserves for {names} without a world total ({listed}), so no "
                 "share of world reserves can be computed.")
    if rows.empty:
        return Section("reserves-table", rows, empty=empty)
    one = rows["commodity"].nunique() == 1
    rows = rows.assign(
        mineral=[fmt.commodity(c) for c in rows["commodity"]],
        stage_shown=[fmt.stage(s) if s else "" for s in rows["stage"]],
        year_shown=[fmt.year(y) for y in rows["year"]],
        focus_reserves=[_amount(v, f, raw, u) for v, f, raw, u in
                        zip(rows["country_value"], rows["country_flag"], rows["country_raw"], rows["unit"])],
        world_reserves=[_amount(v, f, raw, u) for v, f, raw, u in
                        zip(rows["world_value"], rows["world_flag"], rows["world_raw"], rows["unit"])],
        share=[fmt.share_text(p, f, h, reason=r, approx=bool(a)) for p, f, h, r, a in
               zip(rows["share_pct"], rows["share_flag"], rows["share_high_pct"], rows["reason"], rows["approx"])],
        rp_focus=[_years(v, f) for v, f in zip(rows["rp_years"], rows["rp_flag"])],
        rp_world=[_years(v, f) for v, f in zip(rows["world_rp_years"], rows["world_rp_flag"])])
    rows["note"] = [_note(r) for r in rows.itertuples()]
    cols = {"mineral": "Mineral", "stage_shown": "Stage", "basis": "Basis", "year_shown": "Year",
            "focus_reserves": f"{focus_country} reserves", "world_reserves": "World reserves",
            "share": f"{focus_country} share", "rp_focus": f"R/P, {focus_country}",
            "rp_world": "R/P, world", "note": "Note"}
    if one:
        cols.pop("mineral")
    return Section("reserves-table", rows, kind="table", empty=empty,
                   sentence=reserves_sentence(rows.iloc[0], edition, focus_country) if one else "",
                   title=(f"Reserves, MCS {edition} (with USGS's later corrections); R/P = reserves / "
                          "mine production of the same edition, stage and basis, in years at that rate"),
                   options=dict(columns=cols))


def reserves_sentence(r, edition: int, focus_country: str) -> str:
    """'MCS 2026 puts China's reserves at 44,000,000 t and the world's at >85,000,000 t (2025):
    <59% of the world total. At 2025 mine output that is 163 years of China's production.'"""
    name = fmt.commodity(r["commodity"]).lower()
    when = fmt.year(r["year"])
    if r["share_flag"] == "none" and not r["country_raw"]:
        text = (f"MCS {edition} lists no reserves of {name} for {focus_country}; the world's are "
                f"{r['world_reserves']} ({when}).")
    else:
        text = (f"MCS {edition} puts {focus_country}'s reserves of {name} at {r['focus_reserves']} and "
                f"the world's at {r['world_reserves']} ({when}): {r['share']} of the world total.")
    if r["rp_flag"] != "none" and not math.isnan(r["rp_years"]):
        text += (f" At {fmt.year(r['production_year'])} mine output that is {r['rp_focus']} of "
                 f"{focus_country}'s production.")
    elif r["country_raw"] and r["rp_reason"]:
        text += f" No reserves-to-production ratio for {focus_country}: {r['rp_reason']}."
    return text


# ---------------------------------------------------------------- new capacity


def new_capacity(*, minerals=None) -> Section:
    """New capacity outside China that the article names, for the minerals (None: all)."""
    cap = reference.new_capacity()
    if minerals is not None:
        keep = reference.by_mineral(cap)
        keep = set(keep.loc[keep["mineral"].isin(list(minerals)), "project_id"])
        cap = cap[cap["project_id"].isin(keep)]
    cap = cap.assign(
        minerals_shown=[fmt.join([fmt.commodity(m) for m in ms.split(";")]) for ms in cap["minerals"]],
        amount=[fmt.money(a) if a == a else "not stated" for a in cap["amount_usd"]])
    names = fmt.join([fmt.in_text(m) for m in minerals]) if minerals else ""
    given = cap[cap["amount_usd"].notna()]
    sentence = ""
    if minerals is None and len(cap):
        sentence = (f"The article names {fmt.count(len(cap), 'effort')} to build supply outside China"
                    + (f"; the sums it gives come to {fmt.money(given['amount_usd'].sum())} ("
                       + "; ".join(f"{p}: {a}" for p, a in zip(given["project"], given["amount"])) + ")"
                       if len(given) else "")
                    + ". They are committed, sought or announced amounts, not capacity in tonnes, and "
                      "our data cannot check them.")
    return Section("new-capacity", cap, kind="table", sentence=sentence,
                   empty=(f"The article names no new capacity for {names} outside China." if names
                          else "The article names no new capacity outside China."),
                   title="New capacity outside China named in the article (AP, 12 June 2025)",
                   options=dict(columns={"project": "Project", "operator_or_backer": "Who",
                                         "location": "Where", "minerals_shown": "Minerals",
                                         "stage": "Stage", "amount": "Amount (US$)",
                                         "amount_kind": "Amount is", "description": "What (our summary)",
                                         "source": "Source"}))
