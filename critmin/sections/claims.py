"""The claims check as the notebook shows it: run critmin.claims.run (extraction, the rule
mapper, a reviewed claims table when one fits, the checks), shape the summary table and the chart
data, and write report/data/claims_check.csv.

Which reviewed claims table goes with an article (parameter `claims_table`):
  'auto'  our reviewed table (data/reference/article_claims.csv) when the article is the seed
          (same bytes as critmin.config.SEED_ARTICLE); any other article is mapped by rule only;
  a path  that table, which must fit the article (every claim's figure found in it) or it is refused;
  ''      no reviewed table: rule-mapped claims only.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from critmin.analysis import tables
from critmin.claims import sources, verify
from critmin.claims.anchor import RELEASE_RULE
from critmin.claims.check import CHECK_COLUMNS, Tolerance, check_claims, share_text
from critmin.claims.run import (CHECK_CSV, FIGURES_CSV, SEED_CLAIMS, ClaimsCheck, editions_for,  # noqa: F401
                                pick_claims, resolve_path, write_csvs)
from critmin.claims.run import run as _run
from critmin.claims.table import load_claims
from critmin.present import format as fmt

SHARE_KINDS = ("share_of_world_production", "us_import_share_from_china", "import_share")


def run(article=None, claims_table="auto", editions=(2025, 2026), approximate_pp=5.0,
        exact_pp=1.0, processed=None, report_edition: int | None = None, date=None) -> ClaimsCheck:
    """critmin.claims.run.run with the report's parameters (an edition given as None is the one
    out when the article was written, from its dateline or `date`)."""
    return _run(article, claims_table, editions, approximate_pp, exact_pp, processed,
                report_edition, date)


# ---------------------------------------------------------------- what the notebook shows


def figure_table(result: ClaimsCheck) -> pd.DataFrame:
    """The extracted figures as a reader needs them: where, the figure as text, what it counts."""
    f = result.figures
    return pd.DataFrame({
        "sentence": f["sentence_index"], "as written": f["text"],
        "value": [_value_text(r) for r in f.itertuples()], "kind": [fmt.claim_kind(k) for k in f["kind"]],
        "counts": f["counted"], "qualifier": f["qualifier"], "context": f["snippet"],
        "claim": f["claim_ids"]})


def _value_text(r) -> str:
    """A figure's value for reading: years as years, dates as dates, money as money."""
    unit = "" if r.unit == "percentage_points" and r.kind != "percent" else r.unit
    text = fmt.figure_value(r.number, r.kind, unit, r.number_high, r.normalized)
    return text.replace("%", " percentage points") if r.unit == "percentage_points" else text


def summary(result: ClaimsCheck) -> pd.DataFrame:
    """One row per claim: the article's figure, then per edition the published figure, what was
    compared and the verdict."""
    c = result.checks
    if c.empty:
        return pd.DataFrame(columns=["claim_id", "claim", "article"])
    base = c.drop_duplicates("claim_id")[["claim_id", "claim", "qualifier", "claimed", "kind"]]
    out = pd.DataFrame({"claim_id": base["claim_id"], "claim": base["claim"],
                        "article": [_claimed_text(r) for r in base.itertuples()]})
    for ed in result.editions:
        e = c[c["edition"] == ed].set_index("claim_id")
        out[f"MCS {ed}"] = [_public_text(e.loc[i], 1) if i in e.index else ""
                            for i in out["claim_id"]]
        out[f"compared {ed}"] = [_words(e.loc[i, "compared"]) if i in e.index else "" for i in out["claim_id"]]
        out[f"verdict {ed}"] = [_reads(result, e.loc[i]) if i in e.index else "" for i in out["claim_id"]]
    # why a claim, or one edition's check of it, has no verdict
    why = {}
    for r in c[c["verdict"] == "not checkable"].itertuples():
        why.setdefault(r.claim_id, []).append(
            r.reason if pd.isna(r.edition) or r.reason.startswith("MCS")
            else f"MCS {r.edition}: {r.reason}")
    out["why not checkable"] = [_words("; ".join(why.get(i, []))) for i in out["claim_id"]]
    if "revision" in c and (c["revision"] != "").any():
        rev = c.drop_duplicates("claim_id").set_index("claim_id")["revision"]
        out["later revision"] = [_words(rev.get(i, "")) for i in out["claim_id"]]
    return out.reset_index(drop=True)


def _reads(result: ClaimsCheck, r) -> str:
    """A USGS row's verdict as printed: '(different period)' when its years are not the claim's."""
    period = result.claims.set_index("claim_id")["year_or_period"].get(r.name, "")
    return sources.reads(r["verdict"], period, r["period"])


def verdicts_view(result: ClaimsCheck) -> pd.DataFrame:
    """One row per checkable claim: the article's figure, every source's figure and verdict (USGS
    per edition, then World Mining Data and BGS, or BACI by value and by quantity), the overall
    verdict, what it depends on and the caveats the data give."""
    c, v = result.checks, result.verdicts
    if v is None or v.empty:
        return pd.DataFrame(columns=["claim", "article", "sources", "verdict", "depends on", "caveats"])
    checkable = result.claims.loc[result.claims["checkable"] == "yes", "claim_id"]
    rows = []
    for cid in checkable:
        mine = c[c["claim_id"] == cid]
        if mine.empty:
            continue
        first = mine.iloc[0]
        label = "USGS import sources" if first["kind"] in SHARE_KINDS[1:] else "USGS"
        parts = [_source_text(f"{label} MCS {r['edition']}", _public_text(r, 1), r["period"],
                              _reads(result, r.rename(cid))) for _, r in mine.iterrows()]
        for r in result.sources[result.sources["claim_id"] == cid].itertuples():
            pub = "no figure" if r.verdict == "not checkable" else f"{r.public_pct:.1f}%"
            parts.append(_source_text(r.source, pub, r.period, r.reads))
        o = v.set_index("claim_id").loc[cid]
        rows.append({"claim": cid, "article": _claimed_text(first), "sources": "; ".join(parts),
                     "verdict": o["overall_verdict"], "depends on": _words(o["depends_on"]),
                     "caveats": _words(o["caveats"])})
    return pd.DataFrame(rows, columns=["claim", "article", "sources", "verdict", "depends on", "caveats"])


def _source_text(source: str, pub: str, period, verdict: str) -> str:
    """'USGS MCS 2025 (2024): 82.7% e, consistent' (e: a USGS estimate, fmt.ESTIMATE)."""
    when = f" ({period})" if period else ""
    return f"{source}{when}: {pub}" + (f", {verdict}" if verdict != "not checkable" else "")


def _claimed_text(r) -> str:
    hedge = f"{r.qualifier} " if r.qualifier else ""
    if r.kind in SHARE_KINDS or r.kind in ("net_import_reliance", "share_of_world_reserves"):
        return f"{hedge}{r.claimed:g}%"
    if r.kind == "amount_of_production":
        return f"{hedge}{getattr(r, 'span', '') or fmt.number(r.claimed)}"
    if r.kind in ("rank_of_producer", "rank_of_reserves"):
        return f"rank {r.claimed:g}" if not r.qualifier else f"top {r.claimed:g}"
    return ""


def _public_text(r, digits: int = 0) -> str:
    if r["public_flag"] == "none":
        return "no figure"
    if r.get("public_unit", "") == "rank":
        return f"rank {r['public_value']:g}"
    if r.get("public_unit", ""):
        return fmt.mass(r["public_value"], r["public_unit"], bool(r["estimated"]))
    text = share_text(r["public_pct"], r["public_high_pct"], r["public_flag"], digits)
    return fmt.estimate(text, bool(r["estimated"]))


_COMPARED = re.compile(r"^(\d{4}) (\S+) (production|capacity|reserves)")
_STAGE_SLUGS = re.compile(r"(?<![\w-])(" + "|".join(sorted((k for k in fmt.STAGES if "-" in k),
                                                           key=len, reverse=True)) + r")(?![\w-])")


def _words(text: str) -> str:
    """What was compared, for reading: '2025 low-purity-primary production' -> '2025 primary
    production (low purity)'; any other stage slug in a reason by its words."""
    m = _COMPARED.match(text)
    if m:
        y, stage, measure = m.groups()
        words = fmt.stage(stage) if measure == "production" else f"{fmt.stage(stage)} {measure}"
        text = f"{y} {words}" + text[m.end():]
    return _STAGE_SLUGS.sub(lambda m: fmt.stage(m.group(1)), text)


def chart_data(result: ClaimsCheck, focus_country: str) -> pd.DataFrame:
    """Rows for charts.hbars: per share claim about the focus country, the article's figure (with
    its tolerance band as text) and the published figure of each edition, in claim order."""
    c = result.checks
    c = c[c["kind"].isin(SHARE_KINDS) & (c["country"] == focus_country)]
    rows = []
    for cid, g in c.groupby("claim_id", sort=False):
        first = g.iloc[0]
        name = fmt.commodity(first["commodity"])
        what = (f"U.S. {name.lower()} imports" if first["kind"] == SHARE_KINDS[1]
                else f"{name} output")
        rows.append(dict(label=f"{what} · article", value=first["claimed"], value_high=math.nan,
                         flag="", estimated=False, is_article=True, published=False,
                         text=_claimed_text(first),
                         claim_id=cid, edition=pd.NA, verdict="", compared="",
                         source_file="", source_row=""))
        for r in g.itertuples():
            label = f"{what} · MCS {r.edition}" + (f" ({r.period})" if r.period else "")
            text = (f"{_public_text(pd.Series(r._asdict()))}, {r.verdict}"
                    if r.public_flag != "none" else f"no figure: {_short_reason(r.reason)}")
            rows.append(dict(label=label, value=r.public_pct, value_high=r.public_high_pct,
                             flag="range" if not math.isnan(r.public_high_pct) else "",
                             estimated=bool(r.estimated), is_article=False, published=True,
                             text=text,
                             claim_id=cid, edition=r.edition, verdict=r.verdict,
                             compared=_words(r.compared), source_file=r.source_file,
                             source_row=r.source_rows))
    return pd.DataFrame(rows, columns=["label", "value", "value_high", "flag", "estimated",
                                       "is_article", "published", "text", "claim_id", "edition", "verdict",
                                       "compared", "source_file", "source_row"])


def _band_text(r) -> str:
    lo, hi = r["band_low"], r["band_high"]
    if math.isnan(hi):
        return f"≥{lo:g}%"
    if math.isnan(lo):
        return f"≤{hi:g}%"
    return f"{lo:g}–{hi:g}%"


def _short_reason(reason: str) -> str:
    if "for any country" in reason:
        return "none for any country (" + reason.rsplit("(", 1)[-1]
    if "withheld" in reason:
        return "withheld (W)"
    if "order only" in reason:
        return "order of sources only"
    if "has no world" in reason:
        return "not in this edition"
    return reason.split(";")[0][:40]


def finding(result: ClaimsCheck, edition: int) -> str:
    """A chart title that states the finding for one edition (from the verdicts, not by hand)."""
    c = result.checks
    c = c[c["kind"].isin(SHARE_KINDS) & (c["edition"] == edition)]
    counts = c["verdict"].value_counts()
    ok, over, under = (int(counts.get(v, 0)) for v in ("consistent", "overstates", "understates"))
    rest = len(c) - ok - over - under
    tail = [f"{fmt.spelled(over)} too high" if over else "", f"{fmt.spelled(under)} too low" if under else "",
            f"{fmt.spelled(rest)} unchecked" if rest else ""]
    tail = [t for t in tail if t]
    return (f"{fmt.spelled(ok).capitalize()} of the article's {fmt.count(len(c), 'share figure')} "
            f"{'fits' if ok == 1 else 'fit'} MCS {edition}" + (f": {fmt.join(tail)}" if tail else ""))


def claims_chart(result: ClaimsCheck, focus_country: str, chart_id: str = "claims-vs-published"):
    """The article's share figures next to USGS's, through the house chart module; a sentence
    instead when the article has no share claims about the focus country."""
    from critmin.present import charts

    data = chart_data(result, focus_country)
    if data.empty:
        return charts.paragraph(f"No share figure about {focus_country} to chart; "
                                f"{result.claims_source}.")
    newest = max(result.editions)
    eds = "/".join(str(e) for e in result.editions)
    alt = "; ".join(f"{lab}: {txt}" for lab, txt in zip(data["label"], data["text"]))
    return charts.hbars(
        data, label="label", value="value", high="value_high", flag="flag",
        # the focus colour marks the focus country's published figures, as in every chart
        estimated="estimated", highlight="published", text="text", keep_order=True,
        chart_id=chart_id, title=finding(result, newest),
        subtitle=(f"{focus_country}'s share (%), the article (June 2025) vs USGS {eds}, newest "
                  f"year; 'around' ± {result.tolerance.approximate_pp:g} pp"
                  + (f"; {fmt.ESTIMATE_KEY}" if data["estimated"].astype(bool).any() else "")),
        source=charts.source_line(*result.editions) + "; " + charts.ARTICLE,
        alt=f"Bar chart comparing the article's share figures with USGS figures. {alt}",
        xlabel="%", xmax=150, digits=1, unit="%",
        highlight_label=f"USGS: {focus_country}'s published share", other_label="The article")


def describe(result: ClaimsCheck) -> str:
    """One sentence on what was read: figures found, story length, what was cut, which claims."""
    a = result.article
    cut = len(a.text) - a.story_end
    cut_text = (f"the {fmt.number(cut)} characters of site navigation after the story were left out"
                if cut else "nothing after the story needed cutting")
    kinds = result.figures["kind"].value_counts()
    listing = ", ".join(f"{fmt.claim_kind(k)} {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"{fmt.count(len(result.figures), 'figure').capitalize()} in "
            f"{fmt.count(len(a.sentences), 'sentence')} of the story (by kind: {listing or 'none'}); "
            f"{cut_text}. Claims: {result.claims_source}." + "".join(f" {n}" for n in result.notes))


def claims_view(result: ClaimsCheck) -> pd.DataFrame:
    """The claims table as a reader sees it."""
    c = result.claims
    return pd.DataFrame({
        "claim": c["claim_id"], "in our words": c["claim"],
        "figure": [_figure_text(r) for r in c.itertuples()],
        "qualifier": c["qualifier"], "kind": [fmt.claim_kind(k) for k in c["kind"]],
        "checked against": [f"{t} ({fmt.commodity(k)})" if t and k else t
                            for t, k in zip(c["mapped_table"], c["commodity"])],
        "matched text": c["span"], "mapped by": [fmt.mapped_by(m, r) for m, r in zip(c["mapped_by"], c["rule"])],
        "why not checkable": c["why_not_checkable"]})


def _figure_text(r) -> str:
    high = float(r.figure_high) if r.figure_high not in ("", None) and not pd.isna(r.figure_high) else None
    if r.kind in ("rank_of_producer", "rank_of_reserves"):
        return f"rank {r.figure:g}" if not r.qualifier else f"top {r.figure:g}"
    if r.kind == "amount_of_production":
        return r.written
    return fmt.figure_value(float(r.figure), r.kind, r.unit, high)


def rule_text(result: ClaimsCheck) -> str:
    return ("One tolerance rule for every claim, set by its qualifier: "
            + result.tolerance.describe() + ". A published figure inside that band is "
            "consistent; below it, the article overstates; above it, the article understates. "
            "A share is the named country's value over the world total of the same USGS table, "
            "for the newest year each edition gives unless the article names a year. The same band "
            "judges every source (each USGS edition, World Mining Data, BGS, and BACI by value and by "
            "quantity); when some sources find a claim consistent and others do not, its verdict is "
            "'depends on source/measure', and '(different period)' marks data for years other than "
            "the claim's. " + _mapping_text(result)
            + (" " + fmt.ESTIMATE_LEGEND if result.checks.get("estimated", pd.Series(dtype=bool)).astype(bool).any()
               else ""))


def _mapping_text(result: ClaimsCheck) -> str:
    """How the claims were mapped and dated, in words."""
    c = result.claims
    parts = [f"{fmt.count(len(g), 'claim')} {fmt.mapped_by(k, '')} ({_id_ranges(list(g['claim_id']))})"
             for k, g in sorted(c.groupby("mapped_by"), key=lambda kg: kg[0])]
    when = (f"The article is dated {fmt.date(result.date.isoformat())}; 'last year' and 'this year' "
            f"count from that date, and {RELEASE_RULE}." if result.date else
            "The article gives no date, so 'last year' and 'this year' are not checked.")
    return (f"Claims were mapped to the tables by explicit rules and, where a reviewed table "
            f"exists, checked by hand: {fmt.join(parts)}. " + when)


def _id_ranges(ids: list) -> str:
    """['C01', 'C02', 'C03', 'C05'] -> 'C01–C03, C05' (ids that are not prefix + number as they are)."""
    out, run = [], []
    for i in ids:
        m = re.fullmatch(r"([A-Za-z]+)(\d+)", i)
        p = run[-1] if run else None
        if m and p and p[0] == m.group(1) and int(m.group(2)) == p[1] + 1:
            run.append((m.group(1), int(m.group(2)), i))
            continue
        out.append(run)
        run = [(m.group(1), int(m.group(2)), i)] if m else [("", -2, i)]
    out.append(run)
    return ", ".join(r[0][2] if len(r) == 1 else f"{r[0][2]}–{r[-1][2]}" for r in out if r)


def save(result: ClaimsCheck, report_dir=None):
    """Write the CSVs and say what was saved, for the report's data section."""
    from critmin.present import charts

    saved = write_csvs(result, report_dir)
    return charts.paragraph(
        f"Saved: data/{saved[0].name} ({fmt.count(len(result.checks), 'verdict row')}) and "
        f"data/{saved[1].name} ({fmt.count(len(result.figures), 'figure')}).")


# ---- one mineral's page: what the article says about it


@dataclass(frozen=True)
class MineralClaims:
    name: str
    claims: pd.DataFrame     # the article's claims about this mineral
    checks: pd.DataFrame     # checkable ones against editions no later than the report's
    editions: list
    notes: list
    verdicts: pd.DataFrame = None  # overall verdict per checkable claim (claims.verify.VERDICT_COLUMNS)
    source: str = ""               # how the claims were mapped (ClaimsCheck.claims_source)

    def show(self):
        from critmin.present import charts
        from critmin.sections.view import show

        lower = self.name.lower()
        if self.claims.empty:
            return charts.paragraph(f"The article states no figure about {lower}.")
        c = self.claims
        view = pd.DataFrame({
            "Claim": c["claim_id"], "The article's figure (our words)": c["claim"],
            "Figure": [_figure_text(r) for r in c.itertuples()], "Hedge": c["qualifier"],
            "Checkable": c["checkable"], "Why not": c["why_not_checkable"]})
        parts = [charts.table(view, f"Figures the article gives about {lower} ({self.source})",
                              digits=0)]
        k = self.checks
        if len(k):
            rows = pd.DataFrame({
                "Claim": k["claim_id"], "MCS": [fmt.year(e) for e in k["edition"]],
                "Article": [_claimed_text(r) for r in k.itertuples()],
                "USGS": [_public_text(r, 1) for _, r in k.iterrows()],
                "Compared": [_words(t) for t in k["compared"]],
                "Verdict": k["verdict"], "Why": [_words(t) for t in k["reason"]]})
            eds = fmt.join(f"MCS {e}" for e in self.editions)
            parts.append(charts.table(rows, f"Check against USGS ({eds})", digits=0))
        for v in ([] if self.verdicts is None else self.verdicts.itertuples()):
            if v.overall_verdict != "not checkable" or v.caveats:
                dep = f": {_words(v.depends_on)}" if v.depends_on else ""
                cav = f" Caveats: {_words(v.caveats)}." if v.caveats else ""
                parts.append(charts.paragraph(f"{v.claim_id}, all sources compared (USGS, World Mining "
                                              f"Data, BGS or BACI): {v.overall_verdict}{dep}.{cav}"))
        return show(*parts, *[charts.paragraph(n) for n in self.notes])


def for_mineral(slug: str, *, edition: int, article=None, processed=None) -> MineralClaims:
    """The article's claims about one mineral (the report's `article`; None: the seed, with its
    reviewed table), checked as notebook 60 checks them: against the edition out when it was
    written and the report's, none later than the report's."""
    result = _run(article, "auto", [None, edition], report_edition=edition,
                         processed=processed, commodities=[slug])
    checks = result.checks[result.checks["edition"].notna()].reset_index(drop=True)
    verdicts = result.verdicts[result.verdicts["claim_id"].isin(checks["claim_id"])]
    return MineralClaims(fmt.commodity(slug), result.claims, checks, result.editions,
                         result.notes if len(checks) else [], verdicts, result.claims_source)

def glance_verdicts(article=None, *, edition: int, minerals) -> pd.DataFrame:
    """Per profiled mineral, the article's figures about it and their overall verdicts, in words
    for the at-a-glance table ('80%: overstates'), with the claim ids behind them."""
    result = _run(article, "auto", [None, edition], report_edition=edition, commodities=list(minerals))
    verdict = {v.claim_id: v.overall_verdict + (f" ({v.depends_on})" if v.depends_on.startswith("only")
                                                 else "") for v in result.verdicts.itertuples()}
    rows = []
    for slug in minerals:
        c = result.claims[result.claims["commodity"] == slug]
        said = [f"{_hedged(r)}: {verdict.get(r.claim_id, 'not checkable')}" for r in c.itertuples()
                if r.checkable == "yes"]
        rows.append({"commodity": slug,
                     "article": "; ".join(said) if said else (
                         "no checkable figure" if len(c) else "no figure about it"),
                     "article_claims": ";".join(c.loc[c["checkable"] == "yes", "claim_id"])})
    return pd.DataFrame(rows, columns=["commodity", "article", "article_claims"])


def _hedged(r) -> str:
    hedge = str(r.qualifier or "").strip()
    return f"{hedge} {_figure_text(r)}" if hedge else _figure_text(r)
