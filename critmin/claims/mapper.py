"""From each figure of an article (and its sentence) to a query on our processed tables, by
explicit rules, or to the reason why none fits. One row per claim: a list of minerals after one
figure ('80% of the world's tungsten, gallium and antimony') gives one claim per mineral.

Rules (`rule` column), tried in this order for each figure, on the figure's own clause (from the
last clause end before it to the next figure or clause end: ';', a dash, 'while', 'but', 'which',
', and its ...', ', and <Country> <verb>'), so a later clause never changes its kind, stage or year:
  import-share     '<importer> relied on <supplier> for X% of its <mineral> imports', and a percent
                   in a clause with an import verb or noun and a supplier (import_shares.py)
  import-reliance  U.S. net import reliance: reliance on imports, or the share of what it
                   consumed that was imported; 'all of' = 100%; lists split (reliance.py)
  world-share      a share of world production or reserves (production.py)
  amount           a mass after a production verb (production.py)
  that-share       'that share had fallen to 38%': the one share claim of the sentence before,
                   with this figure, hedge and year (when it has several or none: not checkable)
  rank             '(second-)largest producer of <mineral>' and the like (ranks.py)
The country is the last one named before the figure; a sentence that opens with 'The country',
'It' or 'The nation' refers to the last country that opened a sentence before it. The stage
comes from the mine / refine verb nearest the figure in its clause (the last before it, else the
first after it): mines / mined / extracts -> mine; refines / processes / smelts -> refinery; a
name that fixes a stage ('platinum' -> the platinum rows) wins; any other verb ('produces',
'supplies') -> the stage USGS publishes for that mineral (mine when it has one). A product form
our tables do not hold ('lithium carbonate') is not checkable, with the reason. The year is one
in the figure's clause (not after 'up from' / 'than'), 'last year' / 'this year' from the
article's date, or else the newest year of each edition ('latest'). Two rules or two names that
reach the same query in one sentence give one claim.
"""
from __future__ import annotations

import re

import pandas as pd

from critmin.analysis.reference import display_name
from critmin.claims import import_shares, names, production, ranks, reliance
from critmin.claims.clauses import (ANAPHORA, IMPORT_WORDS, Sentence, after_word, claim_row, clause_after,
                                    clause_before, hedge_of, not_checkable, subject_of, year_of)
from critmin.claims.table import CLAIM_COLUMNS

MAPPED_COLUMNS = CLAIM_COLUMNS + ["importer", "written", "sentence_index", "char_start", "char_end",
                                  "span", "rule", "mapped_by"]
OTHER_KINDS = {
    "money": "a sum of money: our tables hold no prices, investments or funding",
    "count": "a count: our tables hold national totals, not counts of mines, firms or people",
    "number": "a bare number with no unit our tables use",
    "duration": "a length of time, not a statistic in our tables",
    "ordinal": "an ordinal that is not a producer's rank",
    "year": "a date: it places an event, not a statistic in our tables",
    "period": "a date: it places an event, not a statistic in our tables",
    "decade": "a date: it places an event, not a statistic in our tables",
    "date": "a date: it places an event or dates the page",
    "time": "a time of day: page metadata",
}


def map_figures(article, figures: pd.DataFrame, world: pd.DataFrame, editions, date=None) -> pd.DataFrame:
    """One row per claim (MAPPED_COLUMNS); `date` fixes 'last year' (None: no relative years)."""
    year = date.year if date else None
    rows, used, last_country, last = [], set(), None, []
    for i, (start, end) in enumerate(article.sentences):
        text = article.text[start:end]
        figs = [r for r in figures.itertuples(index=False) if r.sentence_index == i]
        here = names.countries(text, start)
        p_start, p_end = article.sentences[i - 1] if i else (start, start)
        before = article.text[p_start:p_end] if i and "\n" not in article.text[p_end:start] else ""
        sen = Sentence(article.text, start, end, figs, here, last_country if ANAPHORA.match(text) else None,
                       last_country, year, world, tuple(editions), i, before, tuple(last),
                       article.text[article.text.rfind("\n", 0, start) + 1:start])
        got, all_of = [], reliance.all_of(sen)
        for f in figs:  # each figure sees the claims before it ('71% of those imports')
            got += _map_one(sen, f, [r for r in all_of if r["char_start"] < f.char_start] + got)
        got += all_of + ranks.ranks(sen, got)  # got: for the rank of an amount
        for r in got:
            used |= r.pop("_dates", set())
        last = _unique(got)
        rows += last
        opener = [c for c in here if not after_word(article.text, c.start, ("from", "to", "of"))]
        if opener and not ANAPHORA.match(text):
            last_country = opener[0].name
    # a figure inside a rank phrase ('second', 'top three') is that rank, not a claim of its own
    spans = [(r["char_start"], r["char_end"]) for r in rows if r["rule"] == "rank"]
    rows = [r for r in rows if not (r["kind"] in ("ordinal", "count", "number") and r["rule"] != "rank"
                                    and any(a <= r["char_start"] < b for a, b in spans))]
    rows = [r for r in rows if not (r["kind"] in ("year", "period") and r["char_start"] in used)]
    out = pd.DataFrame(rows, columns=MAPPED_COLUMNS).sort_values("char_start", kind="stable")
    out["claim_id"] = [f"R{n:02d}" for n in range(1, len(out) + 1)]
    out["claim"] = [in_words(r) for r in out.itertuples(index=False)]
    return out.reset_index(drop=True)


_SAME_CLAIM = ("kind", "figure", "qualifier", "commodity", "form", "measure", "stage", "country",
               "importer", "year_or_period")


def _unique(rows: list[dict]) -> list[dict]:
    """One claim per mapping in a sentence: two rules (or two names of one mineral) that reach the
    same query give one row, the first found."""
    seen, out = set(), []
    for r in rows:
        key = tuple(r[k] for k in _SAME_CLAIM) if r["checkable"] == "yes" else id(r)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def in_words(r) -> str:
    """The claim restated from its mapping (never the article's wording)."""
    name = display_name(r.commodity, r.form).lower() if r.commodity else ""
    if r.stage in STAGE_NAMES:
        name = STAGE_NAMES[r.stage]
    hedge = f"{r.qualifier} " if r.qualifier else ""
    figure = (f"{r.written} ({r.figure:.1f}%)" if r.written and not re.search(r"\d", r.written)
              else f"{r.figure:g}%")
    when = "" if r.year_or_period in ("", "latest") else f" in {r.year_or_period}"
    if r.kind == "share_of_world_production":
        return f"{_own(r.country)} share of world {name} output{when}: {hedge}{figure}"
    if r.kind == "share_of_world_reserves":
        return f"{_own(r.country)} share of world {name} reserves{when}: {hedge}{figure}"
    if r.kind == "amount_of_production":
        return f"{_own(r.country)} {name} output{when}: {hedge}{r.written}"
    if r.kind in ("rank_of_producer", "rank_of_reserves") and not (r.country and name):
        return f"The rank '{r.span or r.written}' (not checked against our tables)"
    if r.kind in ("rank_of_producer", "rank_of_reserves"):
        among = "producers" if r.kind == "rank_of_producer" else "holders of reserves"
        place = f"in the top {r.figure:g}" if r.qualifier else f"{r.figure:g}"
        return f"{r.country} ranks {place} among {name} {among}{when}"
    if r.kind == "import_share":
        return f"Share of {_own(r.importer)} {name} imports from {r.country}{when}: {hedge}{figure}"
    if r.kind == "net_import_reliance":
        return f"U.S. net import reliance for {name}{when}: {hedge}{figure}"
    return f"The figure '{r.span}' (not checked against our tables)"


STAGE_NAMES = {"mine-platinum": "platinum", "mine-palladium": "palladium"}


def _own(country: str) -> str:
    if country == "EU-27":  # a bloc, not a country's name: 'the EU-27's imports'
        return "the EU-27's"
    return f"{country}'" if country.endswith("s") else f"{country}'s"


def _map_one(sen: Sentence, f, earlier=()) -> list[dict]:
    text, s, e = sen.text, sen.s, sen.e
    if f.kind == "time":  # the page clock: never a claim
        return []
    if f.kind not in ("percent", "fraction", "mass"):
        if f.kind == "ordinal" and ranks.rank_at(text, f):
            return []
        return not_checkable(f, text, OTHER_KINDS.get(f.kind, "not a statistic"))
    hedge = hedge_of(text, f) or ("about" if f.kind == "fraction" else "")
    when, dates, why_when = year_of(sen, (f.char_start, f.char_end))
    subject = subject_of(text, s, f.char_start, sen.here, sen.ctx)
    after = clause_after(text, f.char_end, e, sen.figs)
    lead = clause_before(text, s, f.char_start)
    clause = lead + text[f.char_start:f.char_end] + after
    common = dict(qualifier=hedge, year_or_period=when, _dates=dates)
    if f.kind != "mass" and GOAL.search(lead):  # 'wants that share to fall to 65%'
        return [r | dict(_dates=dates) for r in not_checkable(f, text, "a target or forecast, not a "
                                                                        "published statistic", "none")]
    if f.kind == "mass":
        return production.amount(sen, f, lead, after, subject, common, why_when, earlier)
    if THOSE.match(after) and f.kind in ("percent", "fraction"):
        # 'of the total' after a world share: a share of that world total (production.py)
        if (got := production.of_the_total(sen, f, lead, after, subject, list(earlier), common, why_when)):
            return got
        return _those(sen, f, lead, after, list(earlier), common, why_when)
    if (got := import_shares.relied_on(sen, f, lead, after, common, why_when)) is not None:
        return got
    if f.kind in ("percent", "fraction") and (got := import_shares.elided(sen, f, lead, after, earlier, common,
                                                                           why_when)) is not None:
        return got  # '..., with Japan, which supplied almost a quarter,'
    own = OWN_CLAUSE.split(lead)[-1]
    if THAT_SHARE.search(own) and f.unit == "percent" and not production.WORLD_OF.match(after) \
            and _no_other_mineral(sen, own, earlier) and [r for r in earlier if r["kind"] in SHARE_KINDS]:
        # 'Japan bought half of its rare earth imports from China in 2023, and by 2024 that share
        # had fallen to under 40%': the share claim before it in its own sentence
        return _that_share(sen, f, common, why_when, earlier)
    own_clause = own + text[f.char_start:f.char_end] + after
    if reliance.is_reliance(sen, clause) and not (IMPORT_WORDS.search(own_clause)
                                                  and not reliance.is_reliance(sen, own_clause)):
        # ('completely import-reliant for graphite, and about 70% of its graphite imports came from
        # China': the figure's own clause is an import share)
        return reliance.reliance(sen, f, after, subject, common, why_when)
    if IMPORT_WORDS.search(clause) or import_shares.supplied_to(sen, f, after):
        return import_shares.import_share(sen, f, after, subject, common, why_when)
    if THAT_SHARE.search(lead) and f.unit == "percent" and not production.WORLD_OF.match(after) \
            and _no_other_mineral(sen, clause):  # 'the figure for nickel is 30%' names its own
        return _that_share(sen, f, common, why_when)
    return production.world_share(sen, f, lead, after, subject, common, why_when)


# a goal or forecast in the figure's clause before it: not a statistic of any year we hold
GOAL = re.compile(r"\b(?:wants?|wanted|aims?|aimed|aiming|plans?|planned|planning|hopes?|hoped|seeks?|sought|"
                  r"intends?|intended|targets?|targeted|goal|ambition|pledged?|promised?|expects?|expected|"
                  r"forecasts?|projected|projects|would|will|could|should|might)\b", re.I)


# '71% of those imports', 'of that total', 'of them': a share of what an earlier claim is about
THOSE = re.compile(r"^\s*of\s+(?:(?:those|these|that|this|such)\s+(?:imports|purchases|shipments|supplies|"
                   r"total|amount|volume)\b|them\b|the\s+total\b)", re.I)
IMPORT_KINDS = ("import_share", "net_import_reliance")


def _those(sen, f, lead, after, earlier, common, why_when):
    """'China supplied 71% of those imports': an import share of the importer's imports of the
    mineral the claim before it (in its sentence, else the one claim of the sentence before) is
    about, with its years when this clause states none; the supplier is the country of this clause
    (before the figure with a supply verb, or after 'from')."""
    text, rule = sen.text, "those-imports"
    ref = [r for r in earlier if r["checkable"] == "yes"]
    if ref:
        last = max(r["char_start"] for r in ref)
        ref = [r for r in ref if r["char_start"] == last]
        where = "the claim before it in its sentence"
    else:
        ref = [r for r in sen.last if r["checkable"] == "yes"]
        where = "the sentence before"
    keys = {(r["kind"], r["commodity"], r["form"], r["importer"] or r["country"]) for r in ref}
    if len(keys) != 1:
        n = f"{len(keys)} claims" if keys else "no claim we mapped"
        return not_checkable(f, text, f"'{THOSE.match(after).group().strip()}' refers to {where}, which has "
                             f"{n}: what it is a share of is not clear", rule)
    r = ref[0]
    if r["kind"] not in IMPORT_KINDS:
        return not_checkable(f, text, f"'{THOSE.match(after).group().strip()}' refers to {where}, which is "
                             "not about imports: a share of it is not in our tables", rule)
    importer = r["importer"] or r["country"] if r["kind"] == "net_import_reliance" else r["importer"]
    frm = re.search(r"\bfrom\s+", after, re.I)
    partner = names.countries(after[frm.end():frm.end() + 40]) if frm else []
    if not partner and import_shares.SUPPLIED.search(lead):
        partner = [c for c in names.countries(lead) if c.name != importer][-1:]
    if not partner or partner[0].name == importer:
        return not_checkable(f, text, "a share of those imports with no supplier named", rule)
    # its own sentence must not name another mineral or importer: 'It also imports nickel; Canada
    # supplied 40% of those imports' is about nickel, not the cobalt of the claim before
    start = r["char_end"] if r in earlier else sen.s
    others = ({m.name for m in names.minerals(text[start:f.char_start])} - {r["commodity"]}) | (
        {c.name for c in names.importers(text[start:f.char_start])} - {importer, partner[0].name})
    if others:
        return not_checkable(f, text, f"'{THOSE.match(after).group().strip()}' may be about "
                             f"{', '.join(sorted(others))}, named since the claim it would refer to", rule)
    if common["year_or_period"] == "latest" and not why_when:
        common = common | dict(year_or_period=r["year_or_period"])
    return [claim_row(f, text, **common, kind="import_share", rule=rule, commodity=r["commodity"],
                      form=r["form"], importer=importer, country=partner[0].name,
                      checkable="yes" if not why_when else "no", mapped_table="import_sources.csv",
                      why_not_checkable=why_when)]


# 'that share had fallen to about 38 percent', 'the proportion rose to 45%'
THAT_SHARE = re.compile(r"\b(?:that|this|the|its|their)\s+(?:share|proportion|percentage|portion|figure|"
                        r"reliance|dependence)\b(?!\s+of\b)(?:(?!\bby\b).)*$", re.I)
SHARE_KINDS = ("share_of_world_production", "share_of_world_reserves", "import_share", "net_import_reliance")


# the figure's own clause within the text before it: after the last ';' or ', and' / ', but' ...
OWN_CLAUSE = re.compile(r";|,\s+(?:and|but|while|whereas|though|although)\s+", re.I)


def _no_other_mineral(sen, clause, earlier=None) -> bool:
    """The clause names no mineral, or only ones a share claim of the sentence before (or of
    `earlier`, the claims before it in its sentence) is about."""
    named = {m.name for m in names.minerals(clause)}
    ref = sen.last if earlier is None else earlier
    return named <= {r["commodity"] for r in ref if r["kind"] in SHARE_KINDS and r["checkable"] == "yes"}


_SHARE_KEY = ("kind", "commodity", "form", "measure", "stage", "country", "importer")


def _which_share(found: list[dict], sentence: str) -> list[dict]:
    """The share claims of the sentence before that 'that share' may mean: one; else the one whose
    mineral or country this sentence names; else, when they are one share at several dates ('90% in
    2010 and 60% in 2022'), the nearest (the last); else all of them (ambiguous)."""
    if len(found) < 2:
        return found
    named = {m.name for m in names.minerals(sentence)} | {c.name for c in names.importers(sentence)}
    hit = [r for r in found if {r["commodity"], r["country"], r["importer"]} & named]
    if len({tuple(r[k] for k in _SHARE_KEY) for r in hit}) == 1:
        return hit[-1:]
    if len({tuple(r[k] for k in _SHARE_KEY) for r in found}) == 1:
        return found[-1:]
    return found


def _that_share(sen, f, common, why_when, earlier=None):
    """The share claim of the sentence before it (or, given `earlier`, of the claims before it in
    its sentence) means (_which_share), with this figure, hedge and year; when that is not clear,
    not checkable, and why."""
    ref, where = (sen.last, "the sentence before") if earlier is None else (earlier, "the claims before it")
    kinds = _which_share([r for r in ref if r["kind"] in SHARE_KINDS and r["checkable"] == "yes"],
                         sen.text[sen.s:sen.e])
    if len(kinds) != 1:
        n = f"{len(kinds) or 'no'} share claim{'s' if len(kinds) != 1 else ''}"
        return not_checkable(f, sen.text, f"'that share' refers to {where}, which has {n}: "
                             "which one is meant is not clear", "that-share")
    keep = {k: kinds[0][k] for k in ("kind", "commodity", "form", "measure", "stage", "country",
                                     "importer", "mapped_table")}
    named = dict(attributed_to=import_shares.named_source(sen, f)) if keep["kind"] == "import_share" else {}
    return [claim_row(f, sen.text, **common, **keep, **named, rule="that-share",
                      checkable="yes" if not why_when else "no", why_not_checkable=why_when)]
