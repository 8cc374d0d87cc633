"""What the export-controls section and the mineral pages' export-control part say.

Inputs: the reference timeline of China's measures (data/reference/export_control_events.csv,
one source per row), USGS's table of country export controls (export_controls.csv, MCS 2026
Table 4) and U.S. net import reliance and import sources of the report's edition and year.
A report for edition N shows no table from a later edition: before MCS 2026 the country table is
replaced by a sentence saying so."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critmin.analysis import controls, imports, reference, tables
from critmin.present import charts, format as fmt
from critmin.sections import us_only
from critmin.sections.view import Table, Text, show

TIMELINE_SOURCE = "Source: data/reference/export_control_events.csv, compiled from official announcements named there"
RECENT = "2023"          # the timeline's title counts measures from this year on


@dataclass(frozen=True)
class Inputs:
    events: pd.DataFrame
    t4: pd.DataFrame
    nir: pd.DataFrame
    import_sources: pd.DataFrame


def load() -> Inputs:
    return Inputs(reference.events(), tables.load("export_controls.csv"),
                  tables.load("net_import_reliance.csv"), tables.load("import_sources.csv"))


def event_date(d: str, precision: str) -> str:
    """'2010-09-01' at month precision -> 'September 2010'; at day precision '1 August 2023'."""
    if precision == "year":
        return d[:4]
    text = fmt.date(d)
    return text.split(" ", 1)[1] if precision == "month" else text


def _measures(events: pd.DataFrame) -> pd.DataFrame:
    return events.assign(
        when=[event_date(d, p) for d, p in zip(events["date"], events["date_precision"])],
        minerals_named=[fmt.commodities(m) for m in events["minerals"]])


def _nir_text(pct, flag, year) -> str:
    if not isinstance(flag, str) or (flag == "" and (pct is None or pct != pct)):
        return "no figure"
    return fmt.pct(pct, flag) + (f" ({fmt.year(year)})" if year == year and year is not None else "")


def _share_text(pct, rank, reason) -> str:
    if pct == pct and pct is not None:
        return fmt.pct(pct, "")
    if rank == rank and rank is not None:
        return f"ranked {fmt.number(rank)} (no shares published)"
    return "not a listed source" if isinstance(reason, str) and reason else "no sources listed"


@dataclass(frozen=True)
class ExportControls:
    """The section's rows: China's measures, the per-mineral summary joined to U.S. dependence
    (with the NIR row's source file and row), and the country table when the edition has it."""
    events: pd.DataFrame
    minerals: pd.DataFrame
    t4: pd.DataFrame
    t4_edition: int
    controller: str
    focus_country: str
    importer: str
    edition: int
    year: int | None
    threshold: float

    @property
    def dependent(self) -> pd.DataFrame:
        return self.minerals[self.minerals["dependent"].fillna(False).astype(bool)]

    def _when(self) -> str:
        years = sorted({int(y) for y in self.minerals["nir_year"].dropna()})
        if not years:
            return f"in MCS {self.edition}"
        return f"in {fmt.join(fmt.year(y) for y in years)} (MCS {self.edition})"

    # ---- China's measures
    def headline(self) -> Text:
        ev, dep = self.events, self.dependent
        n_min = len(self.minerals)
        names = fmt.join(dep["name"].str.lower()) if len(dep) else ""
        return Text(
            f"Our reference table lists {fmt.count(len(ev), 'export-control measure')} by "
            f"{self.controller} on critical minerals from {ev['date'].min()[:4]} to {ev['date'].max()[:4]}, "
            f"naming {fmt.count(n_min, 'mineral')}. The {self.importer} relied on imports for at "
            f"least {self.threshold:g}% of its apparent consumption of "
            f"{fmt.of(len(dep), n_min, 'mineral')} {self._when()}" + (f": {names}." if names else "."))

    def timeline(self):
        ev = _measures(self.events)
        recent = int((ev["date"] >= RECENT).sum())
        first, last = ev["date"].min()[:4], ev["date"].max()[:4]
        source = TIMELINE_SOURCE + ", " + charts.ARTICLE
        if self.t4_edition <= self.edition:
            source += ", and " + charts.source_line(self.t4_edition).removeprefix("Source: ") + " (Table 4)"
        highlighted = self.focus_country in set(ev["country"])
        return charts.timeline(
            ev[["date", "when", "short_label", "country", "measure", "minerals_named", "status",
                "source"]],
            date="date", label="short_label", group="country", focus=self.focus_country,
            chart_id="export-control-timeline",
            title=(f"{fmt.of(recent, len(ev), 'measure').capitalize()} on critical minerals that "
                   f"{self.controller} has taken since {first} date from {RECENT} or later"),
            subtitle=(f"Measures by date of entry into force or announcement, {fmt.years(first, last)}"
                      + (f"; {self.focus_country}'s measures highlighted" if highlighted else "")),
            source=source,
            alt=(f"Timeline of {fmt.count(len(ev), 'export-control measure')} by {self.controller} "
                 f"on critical minerals from {first} to {last}; {recent} of them from {RECENT} on."))

    def measures(self) -> Table:
        ev = _measures(self.events)
        return Table(ev, {"when": "Date", "measure": "Measure (our summary)",
                          "minerals_named": "Minerals", "applies_to": "Applies to",
                          "status": "Status", "source": "Source"},
                     f"{self.controller}'s export-control measures (dates: entry into force where known)")

    # ---- the country table (MCS 2026 Table 4)
    def worldwide(self) -> Table:
        t4 = self.t4
        if t4.empty:
            return Table(t4, {}, "", empty=(
                f"USGS first published a table of country export controls in a later edition than "
                f"the one this report uses (MCS {self.edition}); it is left out here."))
        by = (t4.groupby("country", sort=True)
              .agg(measure=("measure", "first"), items=("item", ", ".join), since=("year", "min"),
                   source_file=("source_file", "first"),
                   source_row=("source_row", lambda r: ";".join(str(int(x)) for x in sorted(set(r)))))
              .reset_index())
        by["since"] = [fmt.year(y) for y in by["since"]]
        n = t4.groupby("country").size()
        own = int(n.get(self.focus_country, 0))
        where = (f"appears with {fmt.count(own, 'item')}, the most of any country." if own and own == n.max()
                 else f"appears with {fmt.count(own, 'item')}." if own else "does not appear in it.")
        return Table(by, {"country": "Country", "measure": "Measure", "items": "Items",
                          "since": "Earliest year"},
                     f"Export bans, quotas and licensing by country (USGS MCS {self.t4_edition}, Table 4)",
                     sentence=(f"USGS's table of country export controls (data to 21 November 2025) lists "
                               f"{fmt.count(t4['country'].nunique(), 'country')}. {self.focus_country} {where}"))

    # ---- controlled minerals against U.S. dependence
    def dependence(self):
        m = self.minerals
        if m["nir_flag"].isna().all():
            return Text(f"MCS {self.edition} gives no U.S. net import reliance for any mineral "
                        f"{self.controller}'s measures name" + (f" in {self.year}." if self.year else "."))
        data = m.assign(nir_flag=m["nir_flag"].fillna("NA"),
                        focus_leads=m["leading"].eq(self.controller))
        data = data.assign(sort=[imports.nir_sort_value(p, f) for p, f in zip(data["nir_pct"], data["nir_flag"])])
        data = data.sort_values(["sort", "name"], ascending=[False, True], kind="stable")
        k, n = len(self.dependent), len(m)
        return charts.nir_bars(
            data[["name", "nir_pct", "nir_flag", "nir_year", "focus_leads", "leading", "first_measure",
                  "latest_measure", "n_measures", "share_text", "nir_source_file", "nir_source_row"]],
            threshold=self.threshold, focus_country=self.controller, chart_id="controls-vs-nir",
            title=(f"The {self.importer} imported at least {self.threshold:g}% of its consumption of "
                   f"{fmt.of(k, n, 'mineral')} {self.controller} controls"),
            subtitle=(f"U.S. net import reliance, %, {self._when().removeprefix('in ')}; minerals "
                      f"named in {self.controller}'s measures since {self.events['date'].min()[:4]}"),
            source=charts.source_line(self.edition) + "; data/reference/export_control_events.csv",
            alt=(f"Bar chart of U.S. net import reliance for the {fmt.count(n, 'mineral')} under "
                 f"{self.controller}'s export controls; {k} at or above {self.threshold:g}%."))

    def dependence_table(self) -> Table:
        share_head = f"{self.controller}'s share of U.S. imports"
        return Table(self.minerals, {
            "name": "Mineral", "first_when": "First measure", "latest_when": "Latest measure",
            "n_measures": "Measures", "nir_text": "U.S. net import reliance",
            "leading": "Leading U.S. import source", "share_text": share_head},
            f"Controlled minerals and U.S. dependence (net import reliance and import sources from MCS {self.edition})")


def section(inputs: Inputs, *, focus_country: str, importer: str, edition: int, year: int | None,
            nir_threshold: float) -> ExportControls:
    """The export-controls section for the report's parameters (NIR of `year` in `edition`)."""
    ev = inputs.events
    controller = ev["country"].iloc[0] if ev["country"].nunique() == 1 else "Governments"
    head = imports.nir_newest(controls.nir_at(inputs.nir, edition, year), edition=edition,
                              threshold=nir_threshold, focus_country=controller, headline=True)
    imp = imports.import_shares(inputs.import_sources, controller, edition=edition)
    pairs = controls.events_vs_dependence(ev, head, imp)
    m = controls.mineral_summary(pairs)
    precision = dict(zip(ev["date"], ev["date_precision"]))
    m = m.assign(
        first_when=[event_date(d, precision[d]) for d in m["first_measure"]],
        latest_when=[event_date(d, precision[d]) for d in m["latest_measure"]],
        nir_text=[_nir_text(p, f, y) for p, f, y in zip(m["nir_pct"], m["nir_flag"], m["nir_year"])],
        leading=[a if isinstance(a, str) and a else (b if isinstance(b, str) else "")
                 for a, b in zip(m["leading_source"], m["leading_import_source"])],
        share_text=[_share_text(p, r, why) for p, r, why in
                    zip(m["focus_import_share_pct"], m["focus_import_rank"], m["import_reason"])])
    t4_ed = controls.t4_edition(inputs.t4)
    t4 = inputs.t4 if t4_ed <= edition else inputs.t4.iloc[0:0]
    # NOTE: the dependence joined here is USGS net import reliance, which covers the United States
    # only: its sentences name the United States whatever the report's importer (never relabelled).
    return ExportControls(ev, m, t4, t4_ed, controller, focus_country, us_only.US, int(edition),
                          None if year is None else int(year), float(nir_threshold))


# ---- one mineral's page


@dataclass(frozen=True)
class MineralControls:
    name: str
    events: pd.DataFrame
    t4: pd.DataFrame
    t4_edition: int
    edition: int

    def show(self):
        ev = _measures(self.events)
        lower = self.name.lower()
        measures = Table(ev, {"when": "Date", "measure": "Measure (our summary)",
                              "applies_to": "Applies to", "status": "Status", "source": "Source"},
                         f"China's export-control measures naming {lower}",
                         empty=f"Our reference table of China's export-control measures names no measure on {lower}.")
        if self.t4_edition > self.edition:
            t4 = Text(f"USGS's table of country export controls first appeared in a later edition "
                      f"than MCS {self.edition}, the one this report uses.")
        else:
            rows = self.t4.assign(since=[fmt.year(y) for y in self.t4["year"]])
            t4 = Table(rows, {"country": "Country", "measure": "Measure", "item": "Item", "since": "Since"},
                       f"USGS MCS {self.t4_edition} Table 4: export controls in force",
                       empty=f"USGS's MCS {self.t4_edition} table of export controls lists no measure on {lower}.")
        return show(measures.show(), t4.show())


def for_mineral(slug: str, *, edition: int, inputs: Inputs | None = None) -> MineralControls:
    """The measures naming one mineral, and USGS's country table rows naming it."""
    inputs = inputs or load()
    ev = reference.by_mineral(inputs.events)
    ev = ev[ev["mineral"] == slug].reset_index(drop=True)
    t4 = inputs.t4[inputs.t4["commodity"] == slug].reset_index(drop=True)
    return MineralControls(fmt.commodity(slug), ev, t4, controls.t4_edition(inputs.t4), int(edition))
