"""How the focus country's share of world production moved (notebooks 30 and 50): USGS editions
up to the report's edition chained (newest edition per year), years up to the report's year; the
figures a later edition revised; and the British Geological Survey's longer series beside USGS's
(never spliced). One function serves the overview (several minerals) and a mineral's page."""
from __future__ import annotations

import pandas as pd

from critmin.analysis import editions, shares
from critmin.present import charts
from critmin.present import format as fmt
from critmin.sections.supply import Section, Sections, edition_rows

KEYS = ["commodity", "measure", "stage", "basis", "unit", "year"]
BGS_SOURCE = "British Geological Survey, World Mineral Statistics (contains BGS materials © UKRI)"


def _shares_up_to(world, minerals, edition: int, year: int | None, focus_country: str) -> pd.DataFrame:
    rows = edition_rows(world, edition, minerals, "production", up_to=True)
    if year is not None:
        rows = rows[rows["year"] <= year]
    return shares.focus_shares(rows, focus_country, rounded_world=True)


def chained_shares(world, *, minerals, edition: int, year: int | None, focus_country: str) -> pd.DataFrame:
    """The focus share per series and year, newest edition <= `edition` per year, with 'series'
    (display name), 'shown_as' and the editions that said otherwise ('earlier')."""
    every = _shares_up_to(world, minerals, edition, year, focus_country)
    if every.empty:
        return every.assign(series=[], shown_as=[], earlier=[], edition_used=[], revised=[])
    every = every.assign(shown_as=[fmt.share_text(p, f, h, reason=r, estimated=bool(e), approx=bool(a))
                                   for p, f, h, r, e, a in zip(every["share_pct"], every["share_flag"],
                                                               every["share_high_pct"], every["reason"],
                                                               every["estimated"], every["approx"])])
    chained = editions.chain(every, KEYS, value="share_pct", flag="share_flag", shown="shown_as")
    one = every["commodity"].nunique() == 1
    chained["series"] = [fmt.series_name(c, s, with_commodity=not one) for c, s in
                         zip(chained["commodity"], chained["stage"])]
    chained["earlier"] = [f"MCS {t.replace('; ', '; MCS ')}" if t else "" for t in chained["earlier_values"]]
    return chained


def share_over_time(world, *, minerals, edition: int, year: int | None, focus_country: str,
                    chart_prefix: str = "") -> Section:
    """A line per series of the focus country's share of world production (chart
    '<prefix>-focus-share-over-time')."""
    chained = chained_shares(world, minerals=minerals, edition=edition, year=year,
                             focus_country=focus_country)
    chart_id = f"{chart_prefix}-focus-share-over-time" if chart_prefix else "focus-share-over-time"
    names = fmt.join([fmt.in_text(m) for m in minerals])
    if chained.empty:
        return Section(chart_id, chained, empty=f"No MCS edition up to {edition} has a world production "
                                                f"table for {names}.")
    exact = chained[chained["share_flag"] == ""].sort_values("year", kind="stable")
    moves = [f"{s}: {g['shown_as'].iloc[0]} in {fmt.year(g['year'].iloc[0])}"
             + (f", {g['shown_as'].iloc[-1]} in {fmt.year(g['year'].iloc[-1])}" if len(g) > 1 else "")
             for s, g in exact.groupby("series", sort=True)]
    y0, y1 = int(chained["year"].min()), int(chained["year"].max())
    n_rev = int(chained["revised"].sum())
    sentence = (f"The MCS editions up to {edition}, chained (the newest edition for each year, each "
                f"share of that edition's own world total): "
                + ("; ".join(moves) + "." if moves else
                   f"no year gives {focus_country} a share that can be computed.")
                + (f" A later edition revised {fmt.of(n_rev, len(chained), 'yearly share')}." if n_rev
                   else " No later edition revised them."))
    if exact.empty and not (chained["share_flag"].isin([">", "<", "range"])).any():
        return Section(chart_id, chained, sentence=sentence, kind="text")
    cols = ["series", "year", "share_pct", "share_flag", "share_high_pct", "estimated", "shown_as",
            "approx", "reason", "edition", "edition_used", "earlier", "revised", "country_raw",
            "world_raw"] + shares.PROVENANCE
    return Section(chart_id, chained[cols], sentence=sentence, kind="line",
                   title=f"{focus_country}'s share of world production of {names.lower()}, {fmt.years(y0, y1)}",
                   subtitle=("% of the world total, newest MCS edition per year; hollow points and "
                             f"{fmt.ESTIMATE_KEY}; W/NA: no figure"),
                   source=charts.source_line(*sorted(int(e) for e in chained["edition_used"].unique())),
                   alt=f"Line chart of {focus_country}'s share of world production of {names} by year, "
                       f"{fmt.years(y0, y1)}.",
                   options=dict(y="share_pct", series="series", flag="share_flag", high="share_high_pct",
                                estimated="estimated", unit="%", ymax=110))


def revised_shares(world, *, minerals, edition: int, year: int | None, focus_country: str) -> Section:
    """The yearly shares that a later edition (<= `edition`) revised: what it says, what earlier
    editions said."""
    chained = chained_shares(world, minerals=minerals, edition=edition, year=year,
                             focus_country=focus_country)
    rev = chained[chained["revised"]] if len(chained) else chained
    if chained.empty:
        return Section("revised-shares", rev)
    rows = rev.assign(year_shown=[fmt.year(y) for y in rev["year"]],
                      from_mcs=[f"MCS {int(e)}" for e in rev["edition_used"]])
    return Section("revised-shares", rows, kind="table",
                   empty=f"No later edition up to MCS {edition} revised these shares.",
                   title=(f"{focus_country}'s shares of world production that a later edition revised "
                          f"(MCS editions up to {edition})"),
                   options=dict(columns={"series": "Series", "year_shown": "Year", "shown_as": "Share used",
                                         "from_mcs": "From", "earlier": "Earlier editions said"}))


def bgs_comparison(world, bgs, *, minerals, edition: int, year: int | None, focus_country: str,
                   chart_prefix: str = "") -> Sections:
    """Per mineral BGS covers: the focus share in each BGS series (sum of the listed countries)
    beside USGS's chained mine share; chart '<prefix>-bgs-share' or 'bgs-vs-usgs-<mineral>'."""
    chained = chained_shares(world, minerals=minerals, edition=edition, year=year,
                             focus_country=focus_country)
    items = []
    covered = bgs[bgs["commodity"].isin(list(minerals))]
    if year is not None:
        covered = covered[covered["year"] <= year]
    for slug in [m for m in minerals if m in set(covered["commodity"])]:
        name = fmt.commodity(slug)
        b = shares.bgs_shares(covered[covered["commodity"] == slug], focus_country)
        b = b.assign(series="BGS " + b["bgs_series"])
        u = chained[(chained["commodity"] == slug) & (chained["stage"] == "mine")] if len(chained) else chained
        u = u.assign(series="USGS MCS (mine production)")
        cols = ["series", "year", "share_pct", "share_flag", "reason"] + shares.PROVENANCE
        both = pd.concat([b[cols], u[cols]], ignore_index=True)
        known = b[b["share_flag"] == ""].sort_values("year")
        ranked = known.groupby("bgs_series").agg(last=("year", "max"), n=("year", "count")) \
            .sort_values(["last", "n"], ascending=False)
        chart_id = f"{chart_prefix}-bgs-share" if chart_prefix else f"bgs-vs-usgs-{slug}"
        if ranked.empty:
            items.append(Section(chart_id, b, kind="text",
                                 sentence=f"BGS World Mineral Statistics give no {name.lower()} figure "
                                          f"for {focus_country}."))
            continue
        main = known[known["bgs_series"] == ranked.index[0]]
        first, last = main.iloc[0], main.iloc[-1]
        items.append(Section(
            chart_id, both, kind="line",
            title=(f"{name}: {focus_country}'s share in the BGS {ranked.index[0]} series went from "
                   f"{first['share_pct']:.0f}% in {fmt.year(first['year'])} to {last['share_pct']:.0f}% "
                   f"in {fmt.year(last['year'])}"),
            subtitle="% of the sum of the countries BGS lists, or of USGS's world total; the two are not spliced",
            source=f"Source: {BGS_SOURCE}"
                   + ("; " + charts.source_line(*sorted(int(e) for e in u["edition_used"].unique()))
                      .removeprefix("Source: ") if len(u) else ""),
            alt=f"Line chart of {focus_country}'s share of world {name.lower()} production in BGS series "
                f"and, dashed, in USGS's.",
            options=dict(y="share_pct", series="series", flag="share_flag", unit="%", ymax=110,
                         linestyles={"USGS MCS (mine production)": "--"})))
    missing = [fmt.in_text(m) for m in minerals if m not in set(covered["commodity"])]
    empty = (f"BGS World Mineral Statistics (1970–2021) in our extract do not cover "
             f"{fmt.join(missing)}." if missing and not items else "")
    return Sections(tuple(items), empty=empty)
