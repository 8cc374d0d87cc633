"""Where U.S. imports come from, as the report says it: USGS's import sources (the focus country's
share across minerals for notebook 20, one mineral's sources for notebook 50) and UN Comtrade
shares by value and by weight (one function for all profiled minerals and for one mineral).

When the focus country is the importer itself, these sections say so and ask nothing of it; what
our extract does not hold is said as a limit of our extract, never as a fact about USGS."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from critmin.analysis import imports
from critmin.ingest.sources import comtrade
from critmin.present import charts
from critmin.sections import us_only
from critmin.present import format as fmt
from critmin.sections.nir import _display, possessive

COMTRADE = "un-comtrade-us-china-2020-2024"


def _self(importer: str) -> str:
    return (f"The country followed in this report is the {importer} itself, so what share of "
            f"{possessive('the ' + importer)} imports it supplies is not asked; its own share of world "
            "production, capacity and reserves is in the section on world supply.")


def _of_series(k: int, n: int) -> str:
    """'70 of the 171 series', 'none of the 171 series' ('series' is its own plural)."""
    return f"{'none' if k == 0 else fmt.spelled(k)} of the {fmt.spelled(n)} series"


def _period(p: str) -> str:
    return p.replace("-", "–")


# ---------------------------------------------------------------- USGS import sources


@dataclass(frozen=True)
class ImportSources:
    rows: pd.DataFrame          # chart rows: one per mineral and form, with provenance
    table_rows: pd.DataFrame    # the profiled minerals, for the table (or one mineral's sources)
    finding: str
    title: str = ""
    subtitle: str = ""
    alt: str = ""
    caption: str = ""
    chart_id: str = "import-share-focus"
    edition: int = 0
    focus_country: str = ""
    charts_by_form: tuple = field(default_factory=tuple)  # (form label, rows) for one mineral

    def paragraph(self) -> charts.Html:
        return charts.paragraph(self.finding)

    def chart(self):
        if self.rows.empty or not self.title:
            return None
        return charts.bar_share(
            self.rows, label="name", highlight="focus", focus_country=self.focus_country,
            row_height=0.25, xlabel=f"{possessive(self.focus_country)} share of U.S. imports (%)",
            chart_id=self.chart_id, title=self.title, subtitle=self.subtitle,
            source=charts.source_line(self.edition), alt=self.alt)

    def table(self):
        return charts.table(self.table_rows, self.caption, digits=0) if len(self.table_rows) else None

    def show(self) -> None:
        if self.charts_by_form:
            _display(*_mineral_parts(self))
        else:
            _display(self.paragraph(), self.chart(), self.table())


def _editions_with_sources(sources: pd.DataFrame) -> list[int]:
    return sorted(int(e) for e in sources["edition"].unique())


def focus_import_shares(sources: pd.DataFrame, *, edition: int, focus_country: str,
                        importer: str = "United States", minerals=()) -> ImportSources:
    """The focus country's share of U.S. imports per mineral and form in MCS `edition` (shares
    where USGS gives them, MCS 2026; else its rank in USGS's ordered list), and a table for the
    profiled minerals."""
    if (notice := us_only.guard(importer, "USGS import-source data")) is not None:
        return notice
    edition = int(edition)
    if focus_country == importer:
        return ImportSources(pd.DataFrame(), pd.DataFrame(), _self(importer))
    if edition not in _editions_with_sources(sources):
        return ImportSources(pd.DataFrame(), pd.DataFrame(),
                             f"Our extract of MCS {edition} holds no U.S. import-source lists, so "
                             f"{possessive(focus_country)} place among U.S. import sources is not "
                             "given for this edition.")
    imp = imports.import_shares(sources, focus_country, edition=edition)
    imp["name"] = [fmt.commodity(c, f) for c, f in zip(imp["commodity"], imp["form"])]
    period = _period(imp["period"].iloc[0])
    n_all = len(imp)
    named = imp[imp["rank"].notna()]
    shares = named[named["share_pct"].notna()]
    has_shares = imp["share_pct"].notna().any() or sources.loc[
        sources["edition"] == edition, "share_pct"].notna().any()
    table = _profiled_table(imp, minerals, focus_country)
    caption = f"U.S. import sources of the profiled minerals, MCS {edition} ({period})"
    if not has_shares:
        first = int((named["rank"] == 1).sum())
        finding = (f"MCS {edition} lists U.S. import sources for {period} in descending order of "
                   f"import share, without the shares. {focus_country} is among the sources named "
                   f"for {_of_series(len(named), n_all)} (minerals and forms) and listed first for "
                   f"{'none' if first == 0 else fmt.spelled(first)}.")
        return ImportSources(pd.DataFrame(), table, finding, caption=caption, edition=edition,
                             focus_country=focus_country)
    if shares.empty:
        return ImportSources(pd.DataFrame(), table,
                             f"MCS {edition} gives import-source shares for {period} for "
                             f"{n_all} series (minerals and forms); {focus_country} is not among "
                             "the sources it names for any of them.",
                             caption=caption, edition=edition, focus_country=focus_country)
    half = shares[shares["share_pct"] >= 50]
    top = shares.sort_values(["share_pct", "name"], ascending=[False, True]).iloc[0]
    finding = (f"MCS {edition} gives import-source shares for {period}. {focus_country} is a named "
               f"source for {_of_series(len(shares), n_all)} (minerals and forms), and supplied "
               f"half or more of U.S. imports of {'none' if len(half) == 0 else fmt.spelled(len(half))} of them"
               + (f": {fmt.join(fmt.in_text(c, f) for c, f in zip(half['commodity'], half['form']))}."
                  if 0 < len(half) <= 12 else
                  f"; its largest share is {fmt.pct(top['share_pct'])} of U.S. imports of "
                  f"{fmt.in_text(top['commodity'], top['form'])}." if len(half) == 0 else "."))
    title = (f"{focus_country} supplied half or more of U.S. imports of "
             f"{fmt.spelled(len(half))} minerals or forms, {period}" if len(half) else
             f"{focus_country} supplied at most {fmt.pct(top['share_pct'])} of U.S. imports of any "
             f"mineral, {period}")
    rows = shares.assign(estimated=False, focus=True, share_flag="")[
        ["name", "commodity", "form", "share_pct", "share_flag", "estimated", "focus", "period",
         "rank", "leading_source", "edition", "raw_value", "source_file", "source_row"]]
    return ImportSources(
        rows.reset_index(drop=True), table, finding, title=title,
        subtitle=(f"{possessive(focus_country)} share of U.S. imports, %, {period} (MCS {edition}); "
                  f"minerals and forms where {focus_country} is a named source"),
        alt=(f"Bar chart of {possessive(focus_country)} share of U.S. imports for "
             f"{fmt.spelled(len(shares))} minerals or forms in {period}, largest first."),
        caption=caption, edition=edition, focus_country=focus_country)


def _profiled_table(imp: pd.DataFrame, minerals, focus: str) -> pd.DataFrame:
    t = imp[imp["commodity"].isin(list(minerals))]
    return pd.DataFrame({
        "Mineral": t["name"], "Period": [_period(p) for p in t["period"]],
        f"Rank of {focus}": [fmt.number(r) if r == r else "not named" for r in t["rank"]],
        f"{focus} share": [fmt.pct(v) if v == v else "" for v in t["share_pct"]],
        "Leading source": t["leading_source"],
        "Leading share": [fmt.pct(v) if v == v else "" for v in t["leading_share_pct"]],
        "Note": t["reason"]}).reset_index(drop=True)


def mineral_import_sources(sources: pd.DataFrame, *, mineral: str, edition: int,
                           focus_country: str, importer: str = "United States") -> ImportSources:
    """One mineral's U.S. import sources in MCS `edition`, per form: shares where USGS gives them
    (a bar chart), else the order (a table)."""
    edition = int(edition)
    name = fmt.commodity(mineral)
    if edition not in _editions_with_sources(sources):
        return ImportSources(pd.DataFrame(), pd.DataFrame(),
                             f"Our extract of MCS {edition} holds no U.S. import-source lists.")
    g = sources[(sources["edition"] == edition) & (sources["commodity"] == mineral)]
    if g.empty:
        return ImportSources(pd.DataFrame(), pd.DataFrame(),
                             f"The MCS {edition} data release names no U.S. import sources for "
                             f"{name.lower()}.")
    parts, said = [], []
    for form, f in g.groupby("form", sort=True):
        f = f.sort_values("rank")
        label = fmt.in_text(mineral, form)
        period = _period(f["period"].iloc[0])
        listed = [c for c in f["country"] if c != "Other countries"]
        if f["share_pct"].notna().any():
            said.append(f"{label}, {period}: " + fmt.join(
                [f"{c} {fmt.pct(v, fl if fl in ('>', '<') else '')}" for c, v, fl in
                 zip(f["country"], f["share_pct"], f["share_flag"]) if c != "Other countries" and v == v]))
        else:
            said.append(f"{label}, {period}, in descending order of import share (USGS gives no "
                        f"shares in this edition): {fmt.join(listed)}")
        parts.append((label, form, period, f))
    lead = f"MCS {edition} names the sources of U.S. imports: " + "; ".join(said) + "."
    if focus_country != importer:
        among = g[g["country"] == focus_country]
        lead += (f" {focus_country} is not among them." if among.empty else "")
    return ImportSources(g.reset_index(drop=True), pd.DataFrame(), lead, edition=edition,
                         focus_country=focus_country, charts_by_form=tuple(parts),
                         chart_id=f"{mineral}-import-sources")


def _mineral_parts(sec: ImportSources) -> list:
    """The parts of one mineral's import-source section: a sentence, then per form a bar chart
    (shares) or a table (order only)."""
    out = [sec.paragraph()]
    for label, form, period, f in sec.charts_by_form:
        if f["share_pct"].notna().any():
            d = f.assign(focus=f["country"] == sec.focus_country, estimated=False,
                         share_flag=[x if x in (">", "<") else "" for x in f["share_flag"]])
            out.append(charts.bar_share(
                d[["country", "share_pct", "share_flag", "estimated", "focus", "rank", "period",
                   "edition", "raw_value", "source_file", "source_row"]],
                label="country", highlight="focus", focus_country=sec.focus_country,
                keep_order=True, xlabel="Share of U.S. imports (%)",
                chart_id=f"{sec.chart_id}-{form or 'all'}",
                title=_sources_title(f, label, period),
                subtitle=f"Share of U.S. imports, %, {period} (MCS {sec.edition})",
                source=charts.source_line(sec.edition),
                alt=f"Bar chart of U.S. import sources for {label} with their shares, {period}."))
        else:
            out.append(charts.table(pd.DataFrame({
                "Rank": [fmt.number(r) for r in f["rank"]], "Country": f["country"],
                "Period": [period] * len(f)}),
                f"U.S. import sources of {label}, in descending order of import share "
                f"(MCS {sec.edition})", digits=0))
    return out


def _sources_title(f: pd.DataFrame, label: str, period: str) -> str:
    top = f[(f["country"] != "Other countries") & f["share_pct"].notna()].iloc[0]
    return (f"{top['country']} supplied {fmt.pct(top['share_pct'], top['share_flag'] if top['share_flag'] in ('>', '<') else '')} "
            f"of U.S. imports of {label}, {period}")


# ---------------------------------------------------------------- UN Comtrade


@dataclass(frozen=True)
class TradeShares:
    rows: pd.DataFrame          # per HS code and year: shares by value and weight, with provenance
    finding: str
    notes: tuple                # one bullet per HS code: what it covers
    value_title: str = ""
    weight_title: str = ""
    weight_missing: str = ""    # said instead of the weight chart when Comtrade gives no weight
    focus_country: str = ""
    chart_prefix: str = "trade-share"
    span: str = ""

    def paragraph(self) -> charts.Html:
        return charts.paragraph(self.finding)

    def _line(self, kind: str):
        cols = ["series", "hs_code", "year", f"{kind}_share_pct", f"{kind}_flag",
                f"{'value_usd' if kind == 'value' else 'weight_kg'}_world",
                f"{'value_usd' if kind == 'value' else 'weight_kg'}_partner", "note",
                "world_source_file", "world_source_row", "partner_source_file", "partner_source_row"]
        unit = "by US$ value" if kind == "value" else "by net weight (kg); NA: Comtrade gives no weight"
        return charts.line_over_time(
            self.rows[cols], y=f"{kind}_share_pct", series="series", flag=f"{kind}_flag", unit="%",
            ymax=110, chart_id=f"{self.chart_prefix}-{kind}",
            title=self.value_title if kind == "value" else self.weight_title,
            subtitle=f"Imports from {self.focus_country} as % of U.S. imports from the world, {unit}, {self.span}",
            source=charts.source_line(COMTRADE),
            alt=f"Line chart of {possessive(self.focus_country)} share of U.S. imports {unit.split(';')[0]} per HS code, {self.span}.")

    def value_chart(self):
        return self._line("value") if len(self.rows) else None

    def weight_chart(self):
        if self.rows.empty:
            return None
        if self.weight_missing:
            return charts.paragraph(self.weight_missing)
        return self._line("weight")

    def bullets(self) -> charts.Html:
        return charts.bullets(self.notes)

    def show(self) -> None:
        _display(self.paragraph(), self.value_chart(), self.weight_chart(), self.bullets())


def trade_shares(trade: pd.DataFrame, *, minerals, importer: str = "United States",
                 focus_country: str = "China", chart_prefix: str = "trade-share") -> TradeShares:
    """The importer's imports from the focus country as a share of its imports from the world,
    by value and by weight, for the HS codes of `minerals` in our Comtrade extract: the codes filed
    under each mineral and those whose description names it among other metals (germanium in
    HS 811292), each with what it covers."""
    if (notice := us_only.guard(importer, "Our UN Comtrade extract")) is not None:
        return notice
    minerals = list(minerals)
    if focus_country == importer:
        return TradeShares(pd.DataFrame(), _self(importer), ())
    names = {m: fmt.commodity(m) for m in minerals}
    codes = list(dict.fromkeys(c for m in minerals for c in imports.hs_codes_naming(m, names[m])))
    which = fmt.join([n.lower() for n in names.values()]) if names else "these minerals"
    if not codes:
        return TradeShares(pd.DataFrame(), f"Our UN Comtrade extract holds no HS code for {which}.", ())
    mine = trade[(trade["reporter"] == importer) & trade["hs_code"].isin(codes)]
    partners = sorted(set(mine["partner"]) - {"World"})
    if focus_country not in partners:
        return TradeShares(pd.DataFrame(),
                           f"Our UN Comtrade extract holds {possessive('the ' + importer)} imports of "
                           f"these HS codes from {fmt.join(partners + ['the world'])} only, so imports "
                           f"from {focus_country} cannot be shown.", _notes(codes, minerals, names))
    tr = imports.trade_shares(mine, reporter=importer, partner=focus_country)
    tr["series"] = [imports.hs_label(h) for h in tr["hs_code"]]
    y0, y1 = int(tr["year"].min()), int(tr["year"].max())
    latest = tr[tr["year"] == y1]
    by_value = [f"{s}: {fmt.pct(v)}" for s, v in zip(latest["series"], latest["value_share_pct"]) if v == v]
    finding = (f"Our UN Comtrade extract holds U.S. imports for "
               f"{fmt.count(len(codes), 'HS code')} of {which}. "
               + (f"In {fmt.year(y1)} {possessive(focus_country)} share of them by value was "
                  f"{'; '.join(by_value)}." if by_value else
                  f"In {fmt.year(y1)} it records no U.S. imports of them from {focus_country}."))
    span = fmt.years(y0, y1)
    top_w = latest[latest["weight_share_pct"].notna()].sort_values("weight_share_pct", ascending=False)
    weight_title = (f"By weight, {focus_country} supplied {fmt.pct(top_w['weight_share_pct'].iloc[0])} "
                    f"of U.S. imports of {top_w['series'].iloc[0]} in {fmt.year(y1)}" if len(top_w) else
                    f"{possessive(focus_country)} share of U.S. imports by weight, {span}")
    weight_missing = ("" if tr["weight_share_pct"].notna().any() else
                      "Comtrade gives no net weight for these codes, so there is no share by weight.")
    return TradeShares(tr.reset_index(drop=True), finding, _notes(codes, minerals, names),
                       value_title=f"{possessive(focus_country)} share of U.S. imports by value, "
                                   f"{'HS codes of the profiled minerals' if len(minerals) > 1 else names[minerals[0]].lower()}, {span}",
                       weight_title=weight_title, weight_missing=weight_missing,
                       focus_country=focus_country, chart_prefix=chart_prefix, span=span)


def _notes(codes, minerals, names) -> tuple:
    """What each code covers; a code that names a mineral among others says so plainly."""
    out = []
    for code in codes:
        desc, scope = imports.hs_codes().get(code, ("", ""))
        filed = comtrade.hs_codes()[code]["commodity"]
        wider = [names[m].lower() for m in minerals if m != filed and code in imports.hs_codes_naming(m, names[m])]
        text = f"{imports.hs_label(code)}: {scope}"
        if wider:
            text += (f". It covers {fmt.join(wider)} too, among other metals: its shares are for the "
                     f"whole group, not for {fmt.join(wider)} alone")
        out.append(text)
    return tuple(out)


def sources_for_mineral(mineral: str, *, edition: int, focus_country: str,
                        importer: str = "United States") -> ImportSources:
    """One mineral's page: its U.S. import sources in MCS `edition` (tables read here)."""
    if (notice := us_only.guard(importer, "USGS import-source data")) is not None:
        return notice
    from critmin.analysis import tables

    return mineral_import_sources(tables.load("import_sources.csv"), mineral=mineral,
                                  edition=edition, focus_country=focus_country, importer=importer)


def trade_for_mineral(mineral: str, *, focus_country: str,
                      importer: str = "United States") -> TradeShares:
    """One mineral's page: UN Comtrade shares for its HS codes (charts '<mineral>-trade-*')."""
    if (notice := us_only.guard(importer, "Our UN Comtrade extract")) is not None:
        return notice
    from critmin.analysis import tables

    return trade_shares(tables.load("trade.csv"), minerals=[mineral], importer=importer,
                        focus_country=focus_country, chart_prefix=f"{mineral}-trade")
