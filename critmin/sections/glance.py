"""At a glance (notebook 15, top of the report): one table over the profiled minerals and one
scatter of every commodity USGS reports, both from what the other sections compute.

- mining and refining/processing shares: the same snapshot and shares as critmin.sections.supply
  (focus_share), split by stage: 'mine' stages are mining, every other production stage USGS
  tabulates (refinery, smelter, plant, primary, …) is processing;
- U.S. net import reliance and the share of U.S. imports: the headline series per commodity, as
  the export-controls section (critmin.sections.controls) pairs them;
- export controls: the reference timeline's measures by the country in focus naming the mineral.
Every number carries its raw file and row into the table's and the chart's CSV."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critmin.analysis import controls, imports, reference, shares
from critmin.present import charts, format as fmt
from critmin.sections.nir import possessive
from critmin.sections.supply import edition_rows, label_shares
from critmin.sections.view import show


def _is_mining(stage: str) -> bool:
    return stage == "" or stage.startswith("mine")


def stage_shares(world: pd.DataFrame, *, edition: int, year: int | None, focus_country: str) -> pd.DataFrame:
    """The focus country's share of world production per commodity and stage (supply's snapshot),
    with a column saying whether the stage is mining."""
    snap = shares.snapshot(edition_rows(world, edition, None, "production"), year)
    rows = label_shares(shares.focus_shares(snap, focus_country, rounded_world=True))
    return rows.assign(mining=[_is_mining(s) for s in rows["stage"]])


def dependence(nir: pd.DataFrame, sources: pd.DataFrame, *, edition: int, year: int | None,
               focus_country: str, nir_threshold: float) -> pd.DataFrame:
    """Per commodity: the headline U.S. NIR series (as in the export-controls section) and the
    focus country's share of U.S. imports of the same form."""
    head = imports.nir_newest(controls.nir_at(nir, edition, year), edition=edition,
                              threshold=nir_threshold, focus_country=focus_country, headline=True)
    imp = imports.import_shares(sources, focus_country, edition=edition) if (
        sources["edition"] == edition).any() else sources.iloc[0:0].assign(reason="")
    picked = imports.headline_import_shares(head, imp) if len(imp) else pd.DataFrame(
        columns=["commodity", "import_form", "focus_import_share_pct", "focus_import_rank",
                 "import_period", "import_reason", "leading_import_source"])
    srcs = imp[["commodity", "form", "source_file", "source_row"]].rename(
        columns={"form": "import_form", "source_file": "import_source_file",
                 "source_row": "import_source_row"}) if len(imp) else None
    out = head.merge(picked, on="commodity", how="left")
    if srcs is not None:
        out = out.merge(srcs, on=["commodity", "import_form"], how="left")
    else:
        out = out.assign(import_source_file="", import_source_row=pd.NA)
    return out.rename(columns={"source_file": "nir_source_file", "source_row": "nir_source_row"})


def _share_cell(rows: pd.DataFrame, with_stage: bool) -> str:
    if rows.empty:
        return ""
    return "; ".join((f"{fmt.stage(s)}: {t}" if with_stage else t)
                     for s, t in zip(rows["stage"], rows["shown_as"]))


def _controls_cell(e: pd.DataFrame) -> str:
    """Whether the country controls the mineral's exports, from its measures in our timeline."""
    live = e[(e["status"] == "in force") & (e["measure_type"] != "suspension")]
    if len(live):
        return f"yes, since {live['date'].iloc[0][:4]} ({fmt.count(len(live), 'measure')} in force)"
    if len(e):
        return f"none in force ({fmt.count(len(e), 'measure')} lifted or suspended)"
    return "none in our reference timeline"


def _import_cell(r) -> str:
    if r is None or pd.isna(r.get("import_period", pd.NA)):
        return "no import sources listed"
    pct, rank = r.get("focus_import_share_pct"), r.get("focus_import_rank")
    if pd.notna(pct):
        return f"{fmt.pct(pct)} (rank {fmt.number(rank)})"
    if pd.notna(rank):
        return f"ranked {fmt.number(rank)} (no shares published)"
    return "not a named source"


@dataclass(frozen=True)
class Glance:
    table_rows: pd.DataFrame    # one row per profiled mineral, words and numbers with provenance
    points: pd.DataFrame        # one row per commodity with a production share or an NIR
    focus_country: str
    importer: str
    edition: int
    year: int | None
    threshold: float

    # ---- the table
    def columns(self) -> dict:
        f = self.focus_country
        cols = {"name": "Mineral", "mining": f"{possessive(f)} share of world mining",
                "processing": f"{possessive(f)} share of refining or processing",
                "nir": "U.S. net import reliance",
                "imports": f"{possessive(f)} share of U.S. imports",
                "controls": f"Export controls by {f}"}
        if "article" in self.table_rows:
            cols["article"] = "The article's figure, checked"
        return cols

    def table(self):
        shown = self.table_rows[list(self.columns())].rename(columns=self.columns())
        when = "" if self.year is None else f", {fmt.year(self.year)}"
        periods = sorted(set(p for p in self.table_rows["import_period"] if isinstance(p, str) and p))
        caption = (f"The profiled minerals at a glance: USGS Mineral Commodity Summaries {self.edition}"
                   f"{when}" + (f"; import shares {fmt.join(fmt.years(*p.split('-')) for p in periods)}"
                                if periods else "") + "; export controls from our reference timeline"
                   + ("; the article's figures as the claims check judges them, every source "
                      "compared" if "article" in self.table_rows else ""))
        # the report's first estimate marker: explained here, once
        if fmt.marks_estimate(*shown.astype(str).to_numpy().ravel()):
            caption += f". {fmt.ESTIMATE_LEGEND[:-1]}"
        # seven columns: on a phone one block per mineral reads without scrolling sideways
        return charts.data_table(shown, self.table_rows, table_id="at-a-glance-minerals", caption=caption,
                                 stacked=True)

    # ---- the scatter
    def both(self) -> pd.DataFrame:
        return self.points[self.points["kind"] != "none"]

    def top(self) -> pd.DataFrame:
        """Commodities over half of whose world production is the country's and whose U.S. net
        import reliance is at or above the threshold (a bound counts only if it says so)."""
        b = self.both()
        return b[(b["share_pct"] > 50) & (b["share_flag"] != "<") & (b["nir_pct"] >= self.threshold)
                 & (b["nir_flag"] != "<") & (b["kind"] != "exporter")]

    def sentence(self) -> str:
        b, high = self.both(), self.top()
        f, n = self.focus_country, len(b)
        return (f"Of {fmt.count(n, 'commodity')} with both figures in MCS {self.edition}, "
                f"{fmt.spelled(len(high))} are produced mostly in {f} and imported by the "
                f"{self.importer} for at least {self.threshold:g}% of its use"
                + (f": {fmt.join(fmt.in_text(c) for c in high['commodity'])}." if 0 < len(high) <= 15 else "."))

    def scatter(self):
        b, f = self.both(), self.focus_country
        left_out = self.points[self.points["kind"] == "none"]
        when = "" if self.year is None else f"{fmt.year(self.year)}, "
        return charts.scatter(
            self.points, x="share_pct", y="y_drawn", kind="kind", label="name", highlight="profiled",
            chart_id="at-a-glance-scatter",
            title=(f"{fmt.of(len(self.top()), len(b), 'commodity').capitalize()}: mostly produced in "
                   f"{f}, and at least {self.threshold:g}% imported by the {self.importer}"),
            subtitle=(f"{possessive(f)} share of world production (x) against U.S. net import "
                      f"reliance (y), {when}MCS {self.edition}; one point per commodity (mining where "
                      f"USGS gives it); triangles: USGS gives only a bound. Not drawn, lacking one of "
                      f"the two figures: {fmt.count(len(left_out), 'commodity')}"),
            source=charts.source_line(self.edition),
            alt=(f"Scatter plot of {fmt.count(len(b), 'commodity')}: {possessive(f)} share of "
                 f"world production against U.S. net import reliance; the profiled minerals are "
                 f"labelled; bounds are drawn as triangles pointing the way the true value lies."),
            xlabel=f"{possessive(f)} share of world production", ylabel="U.S. net import reliance",
            xline=50, yline=self.threshold, highlight_label="profiled mineral",
            other_label="other commodity")

    def paragraph(self) -> charts.Html:
        return charts.paragraph(self.sentence())

    def show(self):
        return show(self.table(), self.paragraph(), self.scatter())


def _point_kind(share, share_flag, est, nir_pct, nir_flag) -> str:
    if nir_flag == "E":
        return "exporter" if pd.notna(share) and share_flag not in ("none", "W", "NA") else "none"
    if pd.isna(share) or pd.isna(nir_pct) or share_flag in ("none", "W", "NA", "range") or \
            nir_flag in ("W", "NA", "XX"):
        return "none"
    if nir_flag in (">", "<"):
        return f"y{nir_flag}"
    if share_flag in (">", "<"):
        return f"x{share_flag}"
    return "estimated" if est else "exact"


def at_a_glance(world: pd.DataFrame, nir: pd.DataFrame, sources: pd.DataFrame,
                events: pd.DataFrame, *, minerals, focus_country: str, importer: str,
                edition: int, year: int | None, nir_threshold: float,
                article_checks: pd.DataFrame | None = None) -> Glance:
    """The table over `minerals` and the points of every commodity, for the report's parameters;
    article_checks (sections.claims.glance_verdicts): the article's verdicts per mineral."""
    edition = int(edition)
    st = stage_shares(world, edition=edition, year=year, focus_country=focus_country)
    dep = dependence(nir, sources, edition=edition, year=year, focus_country=focus_country,
                     nir_threshold=nir_threshold)
    ev = reference.by_mineral(events)
    ev = ev[ev["country"] == focus_country].sort_values(["date", "event_id"], kind="stable")
    rows = []
    for slug in minerals:
        s = st[st["commodity"] == slug]
        mine, other = s[s["mining"]], s[~s["mining"]]
        d = dep[dep["commodity"] == slug]
        r = d.iloc[0] if len(d) else None
        e = ev[ev["mineral"] == slug]
        m0 = mine.iloc[0] if len(mine) else None
        rows.append({
            "commodity": slug, "name": fmt.commodity(slug),
            "mining": _share_cell(mine, len(mine) > 1) or (
                "not reported by USGS" if len(s) else f"no world production table in MCS {edition}"),
            "processing": _share_cell(other, True) or (
                "not reported by USGS" if len(s) else f"no world production table in MCS {edition}"),
            "nir": (fmt.pct(r["nir_pct"], r["nir_flag"]) if r is not None and r["nir_flag"] not in ("W", "NA", "XX", "E")
                    else ("net exporter" if r is not None and r["nir_flag"] == "E" else "no figure")),
            "imports": _import_cell(r),
            "controls": _controls_cell(e),
            "mining_share_pct": m0["share_pct"] if m0 is not None else pd.NA,
            "mining_share_flag": m0["share_flag"] if m0 is not None else "",
            "mining_numerator_source_file": m0["numerator_source_file"] if m0 is not None else "",
            "mining_numerator_source_row": m0["numerator_source_row"] if m0 is not None else pd.NA,
            "mining_denominator_source_file": m0["denominator_source_file"] if m0 is not None else "",
            "mining_denominator_source_row": m0["denominator_source_row"] if m0 is not None else pd.NA,
            "processing_stages": ";".join(other["stage"]),
            "processing_share_pct": ";".join(f"{v:.1f}" for v in other["share_pct"].dropna()),
            "processing_numerator_source_rows": ";".join(str(v) for v in other["numerator_source_row"].dropna()),
            "nir_year": r["year"] if r is not None else pd.NA,
            "nir_pct": r["nir_pct"] if r is not None else pd.NA,
            "nir_flag": r["nir_flag"] if r is not None else "",
            "nir_source_file": r["nir_source_file"] if r is not None else "",
            "nir_source_row": r["nir_source_row"] if r is not None else pd.NA,
            "import_period": r["import_period"] if r is not None else "",
            "focus_import_share_pct": r["focus_import_share_pct"] if r is not None else pd.NA,
            "import_source_file": r["import_source_file"] if r is not None else "",
            "import_source_row": r["import_source_row"] if r is not None else pd.NA,
            "control_events": ";".join(e["event_id"]),
            "control_source_file": "data/reference/export_control_events.csv" if len(e) else "",
        })
    table = pd.DataFrame(rows)
    if article_checks is not None:
        table = table.merge(article_checks, on="commodity", how="left", validate="one_to_one")
        table = table.assign(article_source_file="claims_check.csv")
    # one point per commodity: its mining share where USGS gives one, else its first stage
    first = (st.assign(_m=~st["mining"]).sort_values(["commodity", "_m", "stage"], kind="stable")
             .drop_duplicates("commodity").drop(columns="_m"))
    pts = first.merge(dep[["commodity", "form", "nir_pct", "nir_flag", "year", "nir_source_file",
                           "nir_source_row"]].rename(columns={"year": "nir_year", "form": "nir_form"}),
                      on="commodity", how="outer")
    pts["name"] = [fmt.commodity(c) for c in pts["commodity"]]
    pts["profiled"] = pts["commodity"].isin(list(minerals))
    pts["kind"] = [_point_kind(a, b, c, d, e) for a, b, c, d, e in
                   zip(pts["share_pct"], pts["share_flag"].fillna("none"), pts["estimated"].fillna(False),
                       pts["nir_pct"], pts["nir_flag"].fillna("NA"))]
    # drawn where: a net exporter imports none of its use on balance (USGS prints E, no figure)
    pts["y_drawn"] = [0.0 if k == "exporter" else v for k, v in zip(pts["kind"], pts["nir_pct"])]
    keep = ["commodity", "name", "stage", "year", "share_pct", "share_flag", "estimated", "shown_as",
            "nir_form", "nir_year", "nir_pct", "nir_flag", "profiled", "kind", "y_drawn",
            "numerator_source_file", "numerator_source_row", "denominator_source_file",
            "denominator_source_row", "nir_source_file", "nir_source_row"]
    pts = pts[keep].sort_values("commodity", kind="stable").reset_index(drop=True)
    return Glance(table, pts, focus_country, importer, edition, None if year is None else int(year),
                  float(nir_threshold))
