"""Where supply comes from: the focus country's share of world production and capacity, and the
countries behind each world total (notebooks 30 and 50).

Every function takes the processed tables and explicit parameters and returns a Section (or a
Sections group): the rows drawn or tabled, each published number with the raw file and row it
comes from (a share: numerator_ and denominator_source_file/_source_row), the finding sentence,
the chart's title and subtitle, and the sentence said instead when there is nothing to show.
Rules:
- a report for edition N uses edition N for its snapshots and editions <= N for its trends;
- a snapshot shows `year`, or a series' newest year before it, and names the years it shows;
- 'more than half' counts exact shares, lower bounds and ranges above 50%, never '<' bounds;
- a chart whose every bar would read 'NA' is not drawn: a sentence says what is missing and why.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from critmin.analysis import shares
from critmin.present import charts
from critmin.present import format as fmt

SHARE_COLUMNS = ["name", "share_pct", "share_flag", "share_high_pct", "estimated", "focus",
                 "shown_as", "approx", "reason", "country_raw", "world_raw", "unit", "edition",
                 "year"] + shares.PROVENANCE
OVER_HALF_FLAGS = ("", ">", "range")   # '<' bounds never count as 'more than half'


@dataclass(frozen=True)
class Section:
    """One finding: its sentence, then a chart or a table of `rows`; `empty` when rows is empty."""
    chart_id: str
    rows: pd.DataFrame
    sentence: str = ""
    title: str = ""
    subtitle: str = ""
    empty: str = ""
    source: str = ""
    alt: str = ""
    kind: str = "text"                 # 'share-bars', 'bars', 'line', 'table' or 'text'
    options: dict = field(default_factory=dict)

    def parts(self, sentence: bool = True) -> list:
        """What show() displays, in order (for tests and for show); sentence=False leaves the
        finding out (a cell tagged 'headline' shows it alone)."""
        if self.rows.empty or self.kind == "text":
            text = self.sentence if not self.rows.empty or not self.empty else self.empty
            return [charts.paragraph(text)] if text and sentence else []
        out = [charts.paragraph(self.sentence)] if self.sentence and sentence else []
        common = dict(chart_id=self.chart_id, title=self.title, subtitle=self.subtitle,
                      source=self.source, alt=self.alt)
        if self.kind == "share-bars":
            out.append(charts.bar_share(self.rows, **common, **self.options))
        elif self.kind == "bars":
            out.append(charts.hbars(self.rows, **common, **self.options))
        elif self.kind == "line":
            out.append(charts.line_over_time(self.rows, **common, **self.options))
        elif self.kind == "table":
            cols = self.options["columns"]
            out.append(charts.table(self.rows[list(cols)].rename(columns=cols), self.title,
                                    digits=self.options.get("digits", 0)))
        else:
            raise ValueError(f"section {self.chart_id}: unknown kind {self.kind!r}")
        return out

    def show(self, sentence: bool = True) -> None:
        from IPython.display import display

        for part in self.parts(sentence):
            display(part)


@dataclass(frozen=True)
class Sections:
    """Several sections of one kind (one chart per stage), or `empty` when there are none."""
    items: tuple
    empty: str = ""
    heading: str = ""
    anchor: str = ""
    bullets: tuple = ()
    level: int = 2        # the heading's level (a mineral page's name is its page's h1)
    summary: str = ""     # one paragraph under the heading

    def parts(self) -> list:
        out = [charts.heading(self.heading, self.level, anchor=self.anchor)] if self.heading else []
        if self.summary:
            out.append(charts.paragraph(self.summary))
        if self.bullets:
            out.append(charts.bullets(self.bullets))
        for item in self.items:
            out += item.parts()
        if not self.items and self.empty:
            out.append(charts.paragraph(self.empty))
        return out

    def show(self) -> None:
        from IPython.display import display

        for part in self.parts():
            display(part)


# ---------------------------------------------------------------- shared pieces


def edition_rows(world: pd.DataFrame, edition: int, minerals=None, measure: str | None = None,
                 *, up_to: bool = False) -> pd.DataFrame:
    """Rows of edition `edition` (or of every edition up to it), of the minerals and measure."""
    keep = (world["edition"] <= edition) if up_to else (world["edition"] == edition)
    if minerals is not None:
        keep &= world["commodity"].isin(list(minerals))
    if measure is not None:
        keep &= world["measure"] == measure
    return world[keep]


def label_shares(df: pd.DataFrame, *, with_commodity: bool = True, with_year: bool = True) -> pd.DataFrame:
    """Adds 'name' (display names of commodity and stage, with the year) and 'shown_as'."""
    df = df.copy()
    df["name"] = [fmt.series_name(c, s, with_commodity=with_commodity) + (f", {fmt.year(y)}" if with_year else "")
                  for c, s, y in zip(df["commodity"], df["stage"], df["year"])]
    df["shown_as"] = [fmt.share_text(p, f, h, reason=r, estimated=bool(e), approx=bool(a))
                      for p, f, h, r, e, a in zip(df["share_pct"], df["share_flag"], df["share_high_pct"],
                                                  df["reason"], df["estimated"], df["approx"])]
    return df


def absent_sentence(world: pd.DataFrame, slugs, edition: int, measure: str = "production") -> str:
    """Why a mineral has no world `measure` table in MCS `edition`, in words, per mineral."""
    said = []
    for slug in slugs:
        name = fmt.in_text(slug)
        mine = world[(world["commodity"] == slug) & (world["edition"] <= edition)]
        here = mine[mine["edition"] == edition]
        other = sorted(mine.loc[mine["measure"] == measure, "edition"].unique())
        if not here.empty:
            what = fmt.join(sorted({fmt.measure(m) for m in here["measure"]}))
            said.append(f"for {name}, MCS {edition} gives {what} only, no world {fmt.measure(measure)}")
        elif other:
            said.append(f"MCS {edition} has no world table for {name} "
                        f"(MCS {fmt.join([fmt.year(e) for e in other])} had one)")
        else:
            said.append(f"no MCS edition up to {edition} has a world table for {name}")
    return "; ".join(said)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _over_half(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["share_flag"].isin(OVER_HALF_FLAGS) & (df["share_pct"] > 50)]


def _drawable(df: pd.DataFrame) -> pd.DataFrame:
    return df[(df["share_flag"] != "none") & df["share_pct"].notna()]


def _why_none(df: pd.DataFrame) -> str:
    """'W withheld for 2 series, not listed by USGS for 1' from the shares that are missing."""
    counts = df[df["share_flag"] == "none"]["shown_as"].value_counts().sort_index()
    return "; ".join(f"{label} ({fmt.spelled(int(n))} series)" for label, n in counts.items())


# ---------------------------------------------------------------- the focus country's share


def focus_share(world: pd.DataFrame, *, minerals, edition: int, year: int | None,
                focus_country: str, measure: str = "production") -> Section:
    """The focus country's share of world production (or capacity) of each mineral, at `year`
    (notebook 30). minerals=None: every commodity with such a table (capacity)."""
    snap = shares.snapshot(edition_rows(world, edition, minerals, measure), year)
    rows = label_shares(shares.focus_shares(snap, focus_country, rounded_world=True)).assign(focus=True)
    words = fmt.measure(measure)
    chart_id = f"focus-share-{measure}"
    src = charts.source_line(edition)
    wanted = list(minerals) if minerals is not None else sorted(rows["commodity"].unique())
    absent = [m for m in wanted if m not in set(rows["commodity"])]
    if rows.empty:
        return Section(chart_id, rows, empty=(f"MCS {edition} has no world {words} table "
                                              f"for the minerals profiled: {absent_sentence(world, absent, edition, measure)}."
                                              if absent else f"MCS {edition} publishes no {words} table by country."))
    when = fmt.years_listed(rows["year"])
    known = _drawable(rows).sort_values(["share_pct", "name"], ascending=[False, True])
    best = known.head(1)
    best_text = f"{best['shown_as'].iloc[0]} of {best['name'].iloc[0].lower()}" if len(best) else ""
    if measure == "production":
        half = _over_half(rows)
        names = list(dict.fromkeys(fmt.commodity(c) for c in half["commodity"]))
        n = len(wanted)
        if len(half):
            listing = "; ".join(f"{fmt.in_text(c)} {b} ({fmt.stage(st)}, {fmt.year(y)})" for c, st, y, b
                                in zip(half["commodity"], half["stage"], half["year"], half["shown_as"]))
            key = f" ({fmt.ESTIMATE_KEY})" if half["estimated"].astype(bool).any() else ""
            sentence = (f"In MCS {edition}, {focus_country} accounted for more than half of world "
                        f"production of {fmt.of(len(names), n, 'profiled mineral')}: {listing}{key}.")
            title = f"{focus_country} produced more than half of the world's {fmt.join(names).lower()}"
        elif len(known):
            below = list(dict.fromkeys(fmt.commodity(c) for c in known["commodity"]))
            sentence = (f"In MCS {edition}, {focus_country} produced less than half of the world's "
                        f"{fmt.join(below).lower()}; its largest share is {best_text}.")
            title = f"{focus_country}'s largest share of world production among these minerals: {best_text}"
        else:
            sentence = f"In MCS {edition}, {focus_country}'s share of world production cannot be computed."
            title = ""
        if absent:
            sentence += f" Not shown: {absent_sentence(world, absent, edition, measure)}."
    else:
        n_com = rows["commodity"].nunique()
        sentence = (f"MCS {edition} publishes {words} by country for {fmt.count(n_com, 'commodity')}. "
                    f"{focus_country}'s share can be computed for {fmt.of(len(known), len(rows), 'capacity table')}"
                    + (f"; the largest is {best_text}." if best_text else "."))
        title = (f"{focus_country} holds {best['shown_as'].iloc[0]} of world capacity for {best['name'].iloc[0].lower()}"
                 if best_text else f"{focus_country}'s share of world capacity cannot be computed")
    if len(known) < len(rows):
        sentence += f" Without a share: {_why_none(rows)}."
    if known.empty:
        return Section(chart_id, rows, sentence=sentence, kind="text")
    notes = fmt.ESTIMATE_KEY + ("; about: of the listed countries' sum (the rounded world total is smaller)"
                                      if rows["approx"].any() else "")
    return Section(chart_id, rows[SHARE_COLUMNS], sentence=sentence, title=title,
                   subtitle=f"{focus_country}'s share of world {words}, %, {when} (MCS {edition}); {notes}",
                   source=src, kind="share-bars",
                   alt=(f"Bar chart of {focus_country}'s share of world {words} per mineral in {when}, "
                        f"MCS {edition}; shares that cannot be computed are labelled, not drawn."),
                   options=dict(label="name", highlight="focus", text="shown_as",
                                focus_country=focus_country,
                                row_height=0.24 if measure == "capacity" else 0.28))


# ---------------------------------------------------------------- the countries behind a world total


def producers(world: pd.DataFrame, *, mineral: str, edition: int, year: int | None,
              focus_country: str, top_n: int = 10, measure: str = "production") -> Sections:
    """One chart per stage of `mineral`: the top_n listed countries' shares of the world total at
    `year` (notebook 50)."""
    name = fmt.in_text(mineral)
    snap = shares.snapshot(edition_rows(world, edition, [mineral], measure), year)
    listed = shares.country_shares(snap)
    only_world = snap[snap["country"] == "World"]
    if listed.empty and not only_world.empty:
        said = [f"{fmt.stage(r.stage)} {fmt.year(r.year)}: {r.raw_value} {fmt.unit(r.unit)}"
                for r in only_world.itertuples()]
        return Sections((), empty=(f"USGS gives only a world figure for {name} {fmt.measure(measure)} "
                                   f"({'; '.join(said)}), no figures by country, so no country's share "
                                   "can be computed."))
    if listed.empty:
        empty = (f"USGS publishes no capacity table for {name} in MCS {edition}." if measure == "capacity"
                 else f"{_capital(absent_sentence(world, [mineral], edition, measure))}.")
        return Sections((), empty=empty)
    listed = listed.assign(estimated=listed["estimated_share"], focus=listed["country"] == focus_country)
    listed["shown_as"] = [fmt.share_text(p, f, h, reason=r, estimated=bool(e), approx=bool(a))
                          for p, f, h, r, e, a in zip(listed["share_pct"], listed["share_flag"],
                                                      listed["share_high_pct"], listed["reason"],
                                                      listed["estimated"], listed["approx"])]
    items, seen = [], set()
    for (stage, basis, yr), g in listed.groupby(["stage", "basis", "year"], sort=True):
        g = g.assign(_has=g["value"].notna()).sort_values(
            ["_has", "value", "country"], ascending=[False, False, True], kind="stable").head(top_n)
        words = fmt.stage(stage) if measure == "production" else f"{fmt.stage(stage)} capacity"
        chart_id = f"{mineral}-{'producers' if measure == 'production' else 'capacity'}-{stage or 'all'}"
        chart_id += f"-{len(seen)}" if chart_id in seen else ""
        seen.add(chart_id)
        known = _drawable(g).sort_values(["share_pct", "country"], ascending=[False, True])
        what = f"world {words} of {name} in {fmt.year(yr)}" + (f" ({basis})" if basis else "")
        if known.empty:
            items.append(Section(chart_id, g, kind="text", sentence=(
                f"MCS {edition} lists {fmt.count(len(g), 'country')} for {what}, but no share can be "
                f"computed: {_why_none(g)}.")))
            continue
        lead = known.iloc[0]
        cols = ["country", "share_pct", "share_flag", "share_high_pct", "estimated", "focus", "shown_as",
                "approx", "reason", "value", "value_flag", "raw_value", "unit", "edition", "year"] + shares.PROVENANCE
        items.append(Section(
            chart_id, g[cols], kind="share-bars",
            title=f"{lead['country']} accounted for {lead['shown_as']} of {what}",
            subtitle=(f"Share of {what}, %, MCS {edition}; the {fmt.count(min(top_n, len(g)), 'largest listed country')}"
                      f"; {fmt.ESTIMATE_KEY}"
                      + ("; about: of the listed countries' sum, the rounded world total being smaller"
                         if g["approx"].any() else "")),
            source=charts.source_line(edition),
            alt=(f"Bar chart of the largest countries' shares of {what}; {focus_country} highlighted; "
                 "shares that cannot be computed are labelled, not drawn."),
            options=dict(label="country", highlight="focus", text="shown_as", focus_country=focus_country)))
    return Sections(tuple(items))


# ---------------------------------------------------------------- a mineral page's opening facts


def profile_facts(p, world: pd.DataFrame) -> Sections:
    """The mineral page's heading, its snapshot facts at the page's year (the focus share per
    production stage; U.S. net import reliance per form, newest year up to it) and, in words,
    what is missing. `p` is the page's critmin.analysis.profile.Profile."""
    snap = shares.snapshot(edition_rows(world, p.edition, [p.slug], "production"), p.year)
    own = label_shares(shares.focus_shares(snap, p.focus_country, rounded_world=True), with_year=False)
    facts = [f"{p.focus_country}'s share of world {fmt.stage(s) if s else 'production'} in "
             f"{fmt.year(y)}: {t}" for s, y, t in zip(own["stage"], own["year"], own["shown_as"])]
    said_share = [f"{t} of world {fmt.stage(s) if s else 'production'} in {fmt.year(y)}"
                  for s, y, t in zip(own["stage"], own["year"], own["shown_as"])]
    said_nir = []
    nir = p.nir
    if len(nir):
        nir = nir[nir["edition_used"] <= p.edition]
        nir = nir[nir["year"] <= p.year] if p.year is not None else nir
        for r in nir.sort_values("year").groupby("form").tail(1).itertuples():
            facts.append(f"U.S. net import reliance ({fmt.commodity(p.slug, r.form)}) in "
                         f"{fmt.year(r.year)}: {r.label}" + ("%" if r.label[-1:].isdigit() else ""))
            value = ("none on balance: the United States is a net exporter" if r.label == "E" else
                     f"{r.label}{'%' if r.label[-1:].isdigit() else ''}")
            said_nir.append(f"{value} ({fmt.form_name(r.form, p.slug) + ', ' if r.form else ''}{fmt.year(r.year)})")
    said = ("What is missing: " + " ".join(m.rstrip(".") + "." for m in p.missing) if p.missing
            else "Every section below has data for this mineral.")
    summary = " ".join(filter(None, [
        f"{p.focus_country} accounted for {fmt.join(said_share)}." if said_share else
        f"USGS gives no share of world production for {p.focus_country} in MCS {p.edition}.",
        fmt.ESTIMATE_LEGEND if fmt.marks_estimate(*said_share) else "",
        f"U.S. net import reliance, as USGS reports it: {fmt.join(said_nir)}." if said_nir else
        f"MCS {p.edition} gives no U.S. net import reliance for it."]))
    return Sections((Section("facts", own, sentence=said, kind="text"),),
                    heading=p.name, anchor=f"profile-{p.slug}", level=1,
                    summary=summary)
