"""U.S. net import reliance (NIR) as the report says it: the snapshot of one edition and year
(notebook 20's headline, counted as USGS's Figure 2 lists its items) and NIR over time, chained
across the editions up to the report's (notebook 20 for the profiled minerals, notebook 50 for one).

Edition and year mean one thing: a report for edition N reads editions <= N only, and a snapshot
shows the `year` given; every title and sentence names the year actually shown."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critmin.analysis import editions, imports
from critmin.present import charts
from critmin.sections import us_only
from critmin.present import format as fmt

CHAINED_COLUMNS = ["name", "commodity", "form", "year", "nir_pct", "nir_flag", "label", "edition",
                   "edition_used", "earlier_values", "revised", "raw_value", "source_file",
                   "source_row"]


def _name(slug: str, form: str) -> str:
    return fmt.commodity(slug, form)


def _display(*parts) -> None:
    from IPython.display import display

    for part in parts:
        if part is not None:
            display(part)


# ---------------------------------------------------------------- snapshot of one edition/year


@dataclass(frozen=True)
class NirSnapshot:
    rows: pd.DataFrame      # one row per item shown: NIR, label, dependence, leading source, provenance
    edition: int
    year: int
    basis: str              # 'figure2' (items as Figure 2 lists them) or 'series' (one per commodity)
    importer: str
    focus_country: str
    threshold: float
    finding: str            # the paragraph
    title: str
    subtitle: str
    alt: str
    empty: str              # said instead of the chart when there is nothing to draw
    chart_id: str = "nir-newest"
    short: str = ""         # the headline: the counts and the focus country's place, no reconciling

    def headline(self) -> charts.Html:
        return charts.paragraph(self.short or self.finding)

    @property
    def counts(self) -> dict:
        return imports.counts(self.rows)

    def paragraph(self) -> charts.Html:
        return charts.paragraph(self.finding)

    def chart(self):
        if self.rows.empty:
            return charts.paragraph(self.empty)
        data = self.rows[["name", "nir_pct", "nir_flag", "focus_leads", "label", "dependent",
                          "leading_source", "major_import_sources", "edition", "year", "raw_value",
                          "raw_label", "source_file", "source_row"]]
        return charts.nir_bars(data, threshold=self.threshold, focus_country=self.focus_country,
                               row_height=0.25, chart_id=self.chart_id, title=self.title,
                               subtitle=self.subtitle, source=charts.source_line(self.edition),
                               alt=self.alt)

    def show(self) -> None:
        _display(self.paragraph(), self.chart())


def _pick_basis(nir: pd.DataFrame, fig2: pd.DataFrame, edition: int, year: int | None):
    """Figure 2's items when the edition has a Figure 2 for the year asked (or no year is given),
    else one processed series per commodity at `year`."""
    fig_year = int(fig2["year"].iloc[0]) if len(fig2) else None
    if fig_year is not None and (year is None or int(year) == fig_year):
        return fig2, "figure2", fig_year
    ed = nir[nir["edition"] == edition]
    if year is None:
        year = int(ed["year"].max()) if len(ed) else None
    if year is None:
        return ed, "series", None
    rows = imports.nir_newest(nir, edition=edition, year=year, headline=True)
    if len(fig2):  # the edition's source lists (its Fig2 period) still say where imports came from
        lists = fig2[["commodity", "form", "major_import_sources", "period"]]
        rows = rows.drop(columns="major_import_sources").merge(lists, on=["commodity", "form"],
                                                                how="left")
        rows["major_import_sources"] = rows["major_import_sources"].fillna("")
    return rows, "series", int(year)


def nir_snapshot(nir: pd.DataFrame, fig2: pd.DataFrame, *, edition: int, year: int | None,
                 importer: str = "United States", focus_country: str = "China",
                 nir_threshold: float = 50) -> NirSnapshot:
    """NIR of MCS `edition` at `year`: counted as Figure 2 lists its items when `year` is the
    figure's year (fig2 = imports.figure2(edition)), else one series per commodity; with the
    count of dependent items, the exact-100 items, and (unless the focus country is the importer)
    how many of the dependent items list the focus country first."""
    if (notice := us_only.guard(importer, "USGS net import reliance")) is not None:
        return notice
    edition = int(edition)
    rows, basis, year = _pick_basis(nir, fig2, edition, year)
    empty = (f"MCS {edition} gives no net import reliance for {fmt.year(year)}." if year
             else f"MCS {edition} gives no net import reliance in our data.")
    if rows.empty or year is None:
        return NirSnapshot(rows, edition, year or edition - 1, basis, importer, focus_country,
                           nir_threshold, empty, "", "", "", empty)
    rows = imports.annotate(rows.assign(edition=edition), threshold=nir_threshold,
                            focus_country=focus_country)
    rows = rows.sort_values(["sort_value", "commodity", "form"], ascending=[False, True, True],
                            kind="stable").reset_index(drop=True)
    rows["name"] = [_name(c, f) for c, f in zip(rows["commodity"], rows["form"])]
    rows["raw_label"] = rows["raw_label"] if "raw_label" in rows else ""
    c = imports.counts(rows)
    said = _snapshot_sentences(rows, c, nir, basis=basis, edition=edition, year=year,
                               importer=importer, focus_country=focus_country, threshold=nir_threshold)
    finding = " ".join(said)
    # NOTE: the headline keeps the counts and the sources sentence; how Figure 2 items map to the
    # data release's series is said in the section, not at the top of the report.
    where = f"In MCS {edition}'s Figure 2 ({fmt.year(year)}), t" if basis == "figure2" else "T"
    short = " ".join([where + said[1][1:]] + ([said[-1]] if len(said) > 2 else []))
    t = f"{nir_threshold:g}%"
    noun = "item" if basis == "figure2" else "commodity"
    where = f" in MCS {edition}'s Figure 2" if basis == "figure2" else ""
    title = (f"The {importer} relied on imports for at least {t} of its use of "
             f"{fmt.of(c['dependent'], c['items'], noun)}{where}, {fmt.year(year)}")
    subtitle = (f"Net import reliance, % of apparent consumption, {fmt.year(year)} (MCS {edition}"
                + (", Figure 2, items as USGS lists them" if basis == "figure2" else
                   ", one series per commodity") + "). Hatched bars: USGS gives only a bound "
                "(>95, >50). E: net exporter. NA: not available.")
    alt = (f"Bar chart of U.S. net import reliance for {fmt.count(c['items'], noun)} "
           f"in {fmt.year(year)}, sorted from highest to lowest; {fmt.spelled(c['dependent'])} at or above {t}. "
           "Bounds such as >95 are drawn hatched and net exporters are labelled E"
           + ("." if focus_country == importer else
              f"; bars are highlighted where {focus_country} is the first-listed import source."))
    return NirSnapshot(rows, edition, year, basis, importer, focus_country, nir_threshold, finding,
                       title, subtitle, alt, empty, short=short)


def _snapshot_sentences(rows, c, nir, *, basis, edition, year, importer, focus_country, threshold):
    t, y = f"{threshold:g}%", fmt.year(year)
    noun = "item" if basis == "figure2" else "commodity"
    out = []
    if basis == "figure2":
        out.append(f"MCS {edition}'s Figure 2 charts U.S. net import reliance in {y} for "
                   f"{fmt.count(c['items'], 'item')}, as USGS lists them: "
                   f"{fmt.count(c['commodities'], 'commodity')}, some in several forms "
                   "(each form is counted as its own item, as in the figure).")
    else:
        out.append(f"MCS {edition} gives a {y} net import reliance for "
                   f"{fmt.count(c['items'], 'commodity')}; each is counted once, by its series for all forms "
                   "where USGS gives one, else by the first of its forms in alphabetical "
                   "order.")
    out.append(f"The {importer} imported at least {t} of its apparent consumption of "
               f"{fmt.of(c['dependent'], c['items'], noun)}"
               + (f" ({fmt.count(c['dependent_commodities'], 'commodity')})" if basis == "figure2" else "")
               + f", all of it for {fmt.spelled(c['full'])}"
               + (f", and was a net exporter of {fmt.spelled(c['exporters'])}." if c["exporters"] else ".")
               + _undecided(rows, t))
    if basis == "figure2":
        extra = _series_not_in_figure(rows, nir, edition=edition, year=year, threshold=threshold)
        if extra:
            out.append(extra)
    out.append(_sources_sentence(rows, c, basis=basis, edition=edition, importer=importer,
                                 focus_country=focus_country, threshold=threshold))
    return [s for s in out if s]


def _undecided(rows, t) -> str:
    """Name the items whose published figure is a bound on the wrong side of the threshold, or
    no figure: they are neither counted as dependent nor as not."""
    u = rows[rows["dependent"].isna()]
    if u.empty:
        return ""
    names = [f"{fmt.in_text(c, fm)} ({fmt.pct(p, f)})"
             for c, fm, p, f in zip(u["commodity"], u["form"], u["nir_pct"], u["nir_flag"])]
    return (f" The published figure for {fmt.join(names)} cannot be placed against {t}, so "
            f"{'it is' if len(u) == 1 else 'they are'} not counted either way.")


def possessive(name: str) -> str:
    """'the United States' -> "the United States'", 'China' -> "China's"."""
    return name + ("'" if name.endswith("s") else "'s")


def _series_not_in_figure(rows, nir, *, edition, year, threshold) -> str:
    """Reconcile the figure's count with the data release's series."""
    allser = imports.nir_newest(nir, edition=edition, year=year, threshold=threshold)
    keys = set(zip(rows["commodity"], rows["form"]))
    rest = allser[[k not in keys for k in zip(allser["commodity"], allser["form"])]]
    dep = rest[rest["dependent"].fillna(False).astype(bool)]
    if allser.empty:
        return ""
    names = [fmt.in_text(a, b) for a, b in zip(dep["commodity"], dep["form"])]
    return (f"The data release gives {fmt.year(year)} figures for "
            f"{len(allser)} series of "
            f"{fmt.count(allser['commodity'].nunique(), 'commodity')}; of the "
            f"{fmt.spelled(len(rest))} not in the figure, {fmt.spelled(len(dep))} "
            f"{'is' if len(dep) == 1 else 'are'} at or above {threshold:g}%"
            + (f" ({fmt.join(names)})." if names else "."))


def _sources_sentence(rows, c, *, basis, edition, importer, focus_country, threshold) -> str:
    if focus_country == importer:
        return (f"The country followed in this report is the {importer} itself, so which of these "
                f"imports come from it is not asked; the {possessive(importer)} own share of world "
                "production, capacity and reserves is in the section on world supply.")
    dep = rows[rows["dependent"].fillna(False).astype(bool)]
    listed = dep[dep["leading_source"] != ""]
    if "major_import_sources" not in rows or (rows["major_import_sources"].fillna("") == "").all():
        return (f"Our extract of MCS {edition} holds no import-source lists, so the leading "
                "source of each is not given here.")
    period = rows.loc[rows["major_import_sources"].fillna("") != "", "period"].iloc[0]
    noun = "item" if basis == "figure2" else "commodity"
    text = (f"USGS lists import sources in descending order of import share ({period.replace('-', '–')}); "
            f"{focus_country} is listed first for {fmt.of(int(listed['focus_leads'].sum()), len(dep), noun)}"
            f" at or above {threshold:g}%")
    missing = dep[dep["leading_source"] == ""]
    if len(missing):
        said = fmt.join(fmt.in_text(c, f) for c, f in zip(missing["commodity"], missing["form"]))
        text += f" ({said} {'has' if len(missing) == 1 else 'have'} no source list)"
    return text + "."


# ---------------------------------------------------------------- NIR over time


@dataclass(frozen=True)
class NirOverTime:
    rows: pd.DataFrame      # chained: one row per series and year, newest edition <= N wins
    edition: int
    threshold: float
    finding: str
    title: str
    subtitle: str
    alt: str
    empty: str
    chart_id: str

    @property
    def revised(self) -> pd.DataFrame:
        return self.rows[self.rows["revised"]] if len(self.rows) else self.rows

    def paragraph(self) -> charts.Html:
        return charts.paragraph(self.finding if len(self.rows) else self.empty)

    def chart(self):
        if self.rows.empty:
            return None
        return charts.line_over_time(
            self.rows[CHAINED_COLUMNS], y="nir_pct", series="name", flag="nir_flag", unit="%",
            ymax=110, chart_id=self.chart_id, title=self.title, subtitle=self.subtitle,
            source=charts.source_line(*sorted(int(e) for e in self.rows["edition_used"].unique())),
            alt=self.alt)

    def revisions(self) -> charts.Html:
        r = self.revised
        if r.empty:
            return charts.paragraph("" if self.rows.empty else
                                    "No later edition revised any of these figures.")
        shown = pd.DataFrame({"Series": r["name"], "Year": [fmt.year(v) for v in r["year"]],
                              "NIR used (%)": r["label"],
                              "From MCS": [fmt.year(v) for v in r["edition_used"]],
                              "Earlier editions said": r["earlier_values"]})
        return charts.table(shown, "Figures that a later edition revised (the newest is used)")

    def show(self) -> None:
        _display(self.paragraph(), self.chart(), self.revisions())

    def facts(self, year: int) -> list[str]:
        """One line per series: its NIR in `year` (or its newest year before), for a summary."""
        out = []
        for name, g in self.rows.groupby("name", sort=True):
            g = g[g["year"] <= int(year)].sort_values("year")
            if g.empty:
                continue
            r = g.iloc[-1]
            out.append(f"U.S. net import reliance, {name.lower()}, in {fmt.year(r['year'])}: "
                       f"{fmt.pct(r['nir_pct'], r['nir_flag'])}")
        return out


def _forms(nir: pd.DataFrame, fig2: pd.DataFrame, minerals) -> dict:
    """The series a mineral is followed by: its first Figure 2 item, else its all-forms series,
    else its first form in alphabetical order."""
    out = {}
    for m in minerals:
        f = fig2[fig2["commodity"] == m]
        forms = sorted(nir.loc[nir["commodity"] == m, "form"].unique())
        out[m] = f["form"].iloc[0] if len(f) else ("" if "" in forms or not forms else forms[0])
    return out


def nir_over_time(nir: pd.DataFrame, fig2: pd.DataFrame, *, edition: int, minerals,
                  nir_threshold: float = 50, all_forms: bool = False,
                  chart_id: str = "nir-over-time", importer: str = "United States") -> NirOverTime:
    """NIR of `minerals` chained across MCS editions up to `edition` (for each year the newest
    edition's figure; revisions kept). One series per mineral (see _forms), or every form.
    Another importer gets the U.S.-only notice, as the snapshot does."""
    if (notice := us_only.guard(importer, "USGS net import reliance")) is not None:
        return notice
    edition = int(edition)
    minerals = list(minerals)
    sel = nir[(nir["edition"] <= edition) & nir["commodity"].isin(minerals)]
    names = fmt.join([fmt.in_text(m) for m in minerals]) if minerals else "the minerals"
    empty = (f"USGS gives no net import reliance for {names} in any MCS edition up to {edition} "
             "that we hold.")
    ch = editions.chain(sel, ["commodity", "form", "year"], value="nir_pct", flag="nir_flag") \
        if len(sel) else sel
    if len(ch) and not all_forms:
        forms = _forms(sel, fig2, minerals)
        ch = ch[ch["form"] == ch["commodity"].map(forms)]
    if ch.empty:
        return NirOverTime(ch, edition, nir_threshold, empty, "", "", "", empty, chart_id)
    ch = ch.assign(name=[_name(c, f) for c, f in zip(ch["commodity"], ch["form"])],
                   label=[imports.nir_label(p, f) for p, f in zip(ch["nir_pct"], ch["nir_flag"])],
                   dependent=[imports.dependent(p, f, nir_threshold)
                              for p, f in zip(ch["nir_pct"], ch["nir_flag"])]).reset_index(drop=True)
    y0, y1 = int(ch["year"].min()), int(ch["year"].max())
    span, t = fmt.years(y0, y1), f"{nir_threshold:g}%"
    n = ch["name"].nunique()
    always = sorted(k for k, g in ch.groupby("name") if all(d is True for d in g["dependent"]))
    said = {n: fmt.in_text(c, f) for n, c, f in zip(ch["name"], ch["commodity"], ch["form"])}
    revised = int(ch["revised"].sum())
    eds = sorted(int(e) for e in ch["edition_used"].unique())
    noun = "form" if all_forms else "profiled mineral"
    finding = (f"Chaining MCS editions {fmt.years(eds[0], edition)} (for each year the newest "
               f"edition's figure), {fmt.of(len(always), n, noun)}"
               f" {'was' if len(always) == 1 else 'were'} at or above {t} in every year from "
               f"{fmt.year(y0)} to {fmt.year(y1)}" + (f": {fmt.join(said[k] for k in always)}." if always else ".")
               + f" Later editions revised {revised} of the {len(ch)} published figures"
               + ("; the revisions are listed below and kept in the chart's data." if revised else "."))
    if len(minerals) == 1:
        title = f"U.S. net import reliance for {fmt.commodity(minerals[0]).lower()}, {span}"
    else:
        lead = fmt.of(len(always), n, "profiled mineral")
        title = f"{lead[0].upper()}{lead[1:]} stayed at or above {t} import reliance, {span}"
    subtitle = (f"U.S. net import reliance, % of apparent consumption, {span}; newest edition per "
                f"year up to MCS {edition}. Triangles: USGS gives a bound (▲ more than). Letters "
                "on the axis: no figure (E net exporter, W withheld).")
    alt = f"Line chart of U.S. net import reliance from {fmt.year(y0)} to {fmt.year(y1)} for {fmt.join(sorted(ch['name'].unique()))}."
    return NirOverTime(ch, edition, nir_threshold, finding, title, subtitle, alt, empty, chart_id)


def for_mineral(mineral: str, *, edition: int, nir_threshold: float = 50,
                importer: str = "United States") -> NirOverTime:
    """One mineral's page: every form of its NIR, chained over MCS editions up to `edition`."""
    from critmin.analysis import tables

    return nir_over_time(tables.load("net_import_reliance.csv"), imports.figure2(edition),
                         edition=edition, minerals=[mineral], nir_threshold=nir_threshold,
                         all_forms=True, chart_id=f"{mineral}-nir", importer=importer)
