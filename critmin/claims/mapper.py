"""From each figure of an article (and its sentence) to a query on our processed tables, by
explicit rules, or to the reason why none fits. One row per claim: a list of minerals after one
figure ('80% of the world's tungsten, gallium and antimony') gives one claim per mineral.

Rules (`rule` column), tried in this order for each figure, on the figure's own clause (from the
last clause end before it to the next figure or clause end: ';', a dash, 'while', 'but', 'which',
', and its ...'), so a later clause never changes its kind, stage or year:
  import-reliance  a percent in a clause about relying / depending on imports or foreign sources
                   ('relies on imports for 76% of its cobalt'; 'net import reliance of 76% for
                   cobalt'; 'relies on imports for all of its X and Y' = 100%, one claim per
                   mineral): U.S. net import reliance; the importer is the country named before
                   the figure, else the last country that opened a sentence before it
  import-share     a percent in a clause with an import verb or noun and 'from <country>'
                   ('the U.S. imported 70% of its rare earth compounds from China'; 'X% of Japan's
                   cobalt imports came from ...'): share of the importer's imports
  world-share      a percent or fraction followed by 'of the world's / global / world <minerals>'
                   (the country before it, or after it: 'is mined in China', 'comes from the
                   DRC'), or "<country>'s share of world <mineral> output is X%"; with 'reserves'
                   in that phrase it is a share of world reserves
  amount           a mass after a production verb ('mined 28,000 tonnes of cobalt in 2024')
  rank             ranks.py: 'the (second-)largest / leading / top producer (miner, refiner,
                   supplier) of <mineral>', 'second only to <country>', 'one of the top three'
                   (rank at most 3), 'the largest reserves of <mineral>'
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

import math
import re
from dataclasses import dataclass

import pandas as pd

from critmin.analysis.reference import display_name
from critmin.claims import anchor, hedges, names, ranks
from critmin.claims.table import CLAIM_COLUMNS

MAPPED_COLUMNS = CLAIM_COLUMNS + ["importer", "written", "sentence_index", "char_start", "char_end",
                                  "span", "rule", "mapped_by"]
MINE_VERBS = re.compile(r"\b(mines?|mined|mining|miners?|extracts?|extracted|dug|digs?)\b", re.I)
REFINE_VERBS = re.compile(r"\b(refines?|refined|refining|refiners?|refiner(?:y|ies)|process(?:es|ed|ing|ors?)?|"
                          r"smelts?|smelted|smelting|smelters?|separates?|separated)\b", re.I)
PRODUCE_VERBS = re.compile(r"\b(mines?|mined|produces?|produced|refines?|refined|extracted|"
                           r"processed|output|production|turned out|dug up)\b", re.I)
IMPORT_WORDS = re.compile(r"\b(imports?|imported|importing|bought|buys?|purchased|sourced|sources|gets|got)\b",
                          re.I)
RELIANCE = re.compile(r"\b(relies|rely|relied|reliant|reliance|depends|depend|depended|dependent)\b", re.I)
FOREIGN = re.compile(r"\b(imports?|imported|foreign|abroad|overseas|other countries)\b", re.I)
ANAPHORA = re.compile(r"^\W*(the country|the nation|it|its)\b", re.I)
WORLD_OF = re.compile(r"^\s*of\s+(?:the\s+)?(?:world['’]s|global|worldwide|world)\b", re.I)
RESERVES = re.compile(r"\breserves?\b", re.I)
# A clause ends at a semicolon, a dash, a contrast word, or ', and' before a new subject
# ('..., and its exports ...'); not at ', and' inside a list of minerals.
CLAUSE_END = re.compile(r";|—|–|\s-\s|\bwhile\b|\bwhereas\b|\bbut\b|\bwhich\b|\bthough\b|\balthough\b"
                        r"|,\s+and\s+(?=(?:its|it|their|they|this|that|these|those|the|exports?|imports?|"
                        r"refiners?|prices?|miners?)\b)", re.I)
# The country after the figure: '60% of global antimony is mined in China', '... comes from the DRC'.
LOCATED = re.compile(r"\b(?:(?:is|are|was|were)\s+(?:\w+\s+){0,2}?(?:mined|produced|refined|processed|"
                     r"extracted|dug up|located|found|made)\s+in|(?:comes?|came|originates?|originated)"
                     r"\s+from)\s+$", re.I)
# '<country>'s share of world <mineral> output is X%'
SHARE_OF = re.compile(r"['’]s\s+share\s+of\s+(?:the\s+)?(?:world['’]s|global|world|worldwide)\s+"
                      r"(?P<rest>[^.;]*?)\s+(?:is|was|stands at|stood at|reached|hit|rose to|fell to|"
                      r"came to|amounts to|amounted to)\s*$", re.I)
# 'relies on imports for all of its X and Y' (no figure in digits: 'all' is 100%)
ALL_OF = re.compile(r"\b(?:rel(?:y|ies|ied)|depends?|depended|dependent|reliant)\s+(?:entirely\s+)?on\s+"
                    r"(?:imports|foreign\s+(?:sources|suppliers|supplies)|other countries)\s+for\s+"
                    r"(?P<all>all|the whole|the entirety)\s+of\s+", re.I)
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


@dataclass(frozen=True)
class Sentence:
    """One sentence and what the rules need around it."""
    text: str          # the whole article text (offsets are into it)
    s: int             # sentence start, end
    e: int
    figs: list         # its figures (extract.FIGURE_COLUMNS tuples)
    here: list         # countries named in it (names.Mention)
    ctx: str | None    # the country 'It' / 'The country' refers to (None when it opens otherwise)
    prev: str | None   # the last country that opened a sentence before this one
    year: int | None   # the article's year
    world: pd.DataFrame
    editions: tuple
    i: int


def map_figures(article, figures: pd.DataFrame, world: pd.DataFrame, editions, date=None) -> pd.DataFrame:
    """One row per claim (MAPPED_COLUMNS); `date` fixes 'last year' (None: no relative years)."""
    year = date.year if date else None
    rows, used, last_country = [], set(), None
    for i, (start, end) in enumerate(article.sentences):
        text = article.text[start:end]
        figs = [r for r in figures.itertuples(index=False) if r.sentence_index == i]
        here = names.countries(text, start)
        sen = Sentence(article.text, start, end, figs, here, last_country if ANAPHORA.match(text) else None,
                       last_country, year, world, tuple(editions), i)
        got = [r for f in figs for r in _map_one(sen, f)] + _all_of(sen) + ranks.ranks(sen)
        for r in got:
            used |= r.pop("_dates", set())
        rows += _unique(got)
        opener = [c for c in here if not _after_word(article.text, c.start, ("from", "to", "of"))]
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
    return f"{country}'" if country.endswith("s") else f"{country}'s"


def _after_word(text, pos, words) -> bool:
    before = text[max(0, pos - 12):pos].lower().split()
    return bool(before) and before[-1].strip("(") in words or text[max(0, pos - 4):pos].lower() == "the " \
        and len(before) > 1 and before[-2] in words


def _row(f, text, **kw) -> dict:
    base = dict(claim="", figure=float(f.number), figure_high=math.nan, unit=f.unit, qualifier="",
                kind=f.kind, commodity="", measure="", stage="", form="", country="",
                year_or_period="", attributed_to="", checkable="no", mapped_table="",
                why_not_checkable="", see_also="", importer="", written=f.text,
                sentence_index=int(f.sentence_index), char_start=int(f.char_start),
                char_end=int(f.char_end), span=text[f.char_start:f.char_end], rule="none",
                mapped_by="rule")
    return base | kw


def _no(f, text, why, rule="none") -> list[dict]:
    return [_row(f, text, why_not_checkable=why, rule=rule)]


def _clause_after(text, pos, end, figs) -> str:
    """From the figure to the next figure or clause end."""
    nxt = min([g.char_start for g in figs if g.char_start > pos] + [end])
    seg = text[pos:nxt]
    m = CLAUSE_END.search(seg)
    return seg[: m.start()] if m else seg


def _clause_before(text, s, pos) -> str:
    """From the last clause end before the figure (or the sentence start) to the figure."""
    seg = text[s:pos]
    ends = list(CLAUSE_END.finditer(seg))
    return seg[ends[-1].end():] if ends else seg


def _subject(text, s_start, pos, here, ctx):
    before = [c for c in here if c.end <= pos and not _after_word(text, c.start, ("from",))]
    return before[-1].name if before else ctx


def _when(sen: Sentence, at) -> tuple[str, set, str]:
    """(year_or_period, offsets of the year figures used, why not when the date is needed) for the
    figure at `at` (a (start, end) pair): a year or 'last year' in its own clause (up to the next
    figure) wins, then one before it (back to the previous figure), then one elsewhere in its
    clause; a year in another clause or after a comparison ('up from 50% in 2015') is not its."""
    text, figs = sen.text, sen.figs
    dates = [g for g in figs if g.kind in ("year", "period")]
    values = sorted(g.char_start for g in figs if g.kind not in ("year", "period", "date", "time"))
    a, b = at
    nxt = min([v for v in values if v > a] + [sen.e])
    prev = max([v for v in values if v < a] + [sen.s])
    lo_c = sen.s + len(text[sen.s:a]) - len(_clause_before(text, sen.s, a))
    hi_c = b + len(_clause_after(text, b, sen.e, []))
    windows = [(b, min(nxt, hi_c)), (max(prev, lo_c), a)]
    if not COMPARED.search(text[lo_c:hi_c]):
        windows.append((lo_c, hi_c))
    for lo, hi in windows:
        for g in dates:
            if lo <= g.char_start < hi:
                when = f"{g.number:.0f}-{g.number_high:.0f}" if g.kind == "period" else f"{g.number:.0f}"
                return when, {int(g.char_start)}, ""
        y, phrase = anchor.relative_year(text[lo:hi], sen.year)
        if phrase:
            if y is None:
                return "", set(), f"'{phrase}' needs the article's date, which it does not give"
            return str(y), set(), ""
    return "latest", set(), ""


COMPARED = re.compile(r"\b(?:up|down)\s+from\b|\bcompared\s+(?:with|to)\b|\bthan\b|\bagainst\b", re.I)


def _stage(lead: str, after: str, sen: Sentence, mineral) -> str:
    """The stage from the verb nearest the figure: the last mine/refine verb before it in its clause,
    else the first after it in its clause; a name that fixes a stage ('platinum') wins."""
    if getattr(mineral, "stage", ""):
        return mineral.stage
    before = [(m.start(), "refinery" if REFINE_VERBS.fullmatch(m.group()) else "mine")
              for m in re.finditer(MINE_VERBS.pattern + "|" + REFINE_VERBS.pattern, lead, re.I)]
    if before:
        return before[-1][1]
    if REFINE_VERBS.search(after) and (not MINE_VERBS.search(after)
                                       or REFINE_VERBS.search(after).start() < MINE_VERBS.search(after).start()):
        return "refinery"
    if MINE_VERBS.search(after):
        return "mine"
    return default_stage(sen.world, mineral.name, sen.editions)


def default_stage(world, commodity, editions) -> str:
    """The production stage USGS publishes for a mineral: 'mine' when any compared edition has it,
    else each edition's single stage ('primary|low-purity-primary' for gallium)."""
    sub = world[(world["commodity"] == commodity) & (world["measure"] == "production")
                & world["edition"].isin(list(editions))]
    if (sub["stage"] == "mine").any():
        return "mine"
    stages = []
    for ed in sorted(editions):
        have = sorted(set(sub.loc[sub["edition"] == ed, "stage"]))
        if len(have) == 1 and have[0] not in stages:
            stages.append(have[0])
    return "|".join(stages) or "mine"


def _hedge(text, f) -> str:
    return hedges.hedge_before(text[max(0, f.char_start - 40): f.char_start])


def _map_one(sen: Sentence, f) -> list[dict]:
    text, s, e = sen.text, sen.s, sen.e
    if f.kind == "time":  # the page clock: never a claim
        return []
    if f.kind not in ("percent", "fraction", "mass"):
        return [] if f.kind == "ordinal" and ranks.rank_at(text, f) else _no(f, text, OTHER_KINDS.get(f.kind, "not a statistic"))
    hedge = _hedge(text, f) or ("about" if f.kind == "fraction" else "")
    when, dates, why_when = _when(sen, (f.char_start, f.char_end))
    subject = _subject(text, s, f.char_start, sen.here, sen.ctx)
    after = _clause_after(text, f.char_end, e, sen.figs)
    lead = _clause_before(text, s, f.char_start)
    clause = lead + text[f.char_start:f.char_end] + after
    common = dict(qualifier=hedge, year_or_period=when, _dates=dates)
    if f.kind == "mass":
        return _amount(sen, f, lead, after, subject, common, why_when)
    if RELIANCE.search(clause) and FOREIGN.search(clause):
        return _reliance(sen, f, after, subject or sen.prev, common, why_when)
    if IMPORT_WORDS.search(clause):
        return _import(sen, f, after, subject, common, why_when)
    return _world_share(sen, f, lead, after, subject, common, why_when)


def _world_share(sen, f, lead, after, subject, common, why_when):
    text = sen.text
    own = SHARE_OF.search(lead)
    if own:  # "China's share of world gallium output is 98%"
        who = [c for c in sen.here if c.end <= f.char_start and text[c.end:c.end + 2] in ("'s", "’s")]
        mins, scope = names.minerals(own.group("rest")), own.group(0)
        subject = who[-1].name if who else None
        span_end = f.char_end
    elif WORLD_OF.match(after):
        mins, scope, span_end = names.minerals(after, f.char_end), after, None
        at = _located(sen, f.char_end, after)
        subject = at or subject
    else:
        return _no(f, text, "a percent that is not a share of world production, of an importer's "
                            "imports or of U.S. consumption (import reliance)")
    reserves = bool(RESERVES.search(scope))
    if not mins:
        return _no(f, text, "a share of the world's supply of nothing our tables name", "world-share")
    if subject is None:
        return _no(f, text, "a world share with no country named", "world-share")
    out = []
    for m in mins:
        if m.refuse:
            out += _no(f, text, m.refuse, "world-share")
            continue
        kind, measure = ("share_of_world_reserves", "reserves") if reserves else \
            ("share_of_world_production", "production")
        stage = (m.stage or "mine") if reserves else _stage(lead, after, sen, m)
        out.append(_row(f, text, **common, kind=kind, rule="world-share", commodity=m.name,
                        measure=measure, stage=stage, country=subject,
                        checkable="yes" if not why_when else "no", mapped_table="world.csv",
                        why_not_checkable=why_when,
                        span=text[f.char_start:span_end or m.end] if (span_end or m.end) > f.char_start
                        else text[f.char_start:f.char_end]))
    return out


def _located(sen, pos, after) -> str | None:
    """The country named right after 'is mined in' / 'comes from' in the figure's clause."""
    for c in sen.here:
        if c.start >= pos and c.start - pos <= len(after) and LOCATED.search(sen.text[pos:c.start]
                                                                           .removesuffix("the ")):
            return c.name
    return None


def _reliance(sen, f, after, subject, common, why_when):
    text = sen.text
    mins = names.minerals(after) or names.minerals(text[sen.s:sen.e])[:1]
    if subject is None:
        return _no(f, text, "import reliance with no importer named", "import-reliance")
    if subject != "United States":
        return _no(f, text, "USGS publishes net import reliance for the United States only",
                   "import-reliance")
    return [_row(f, text, **common, kind="net_import_reliance", rule="import-reliance",
                 commodity=m.name, form=m.form, importer=subject, country=subject,
                 checkable="yes" if not why_when else "no", mapped_table="net_import_reliance.csv",
                 measure="net import reliance", why_not_checkable=why_when) for m in mins] \
        or _no(f, text, "import reliance on no mineral we can name", "import-reliance")


def _all_of(sen: Sentence) -> list[dict]:
    """'relies on imports for all of its X and Y': 100% net import reliance, one claim per mineral."""
    out = []
    for m in ALL_OF.finditer(sen.text, sen.s, sen.e):
        f = ranks.pseudo_figure(100.0, "percent", "percent", sen.text[m.start("all"):m.end("all")],
                                sen.i, m.start("all"), m.end("all"))
        after = _clause_after(sen.text, m.end(), sen.e, sen.figs)
        when, dates, why_when = _when(sen, (m.start(), m.end()))
        subject = _subject(sen.text, sen.s, m.start(), sen.here, sen.ctx) or sen.prev
        got = _reliance(sen, f, after, subject, dict(qualifier="", year_or_period=when, _dates=dates),
                        why_when)
        out += [r | dict(span=sen.text[m.start("all"):m.end()] + after.strip().rstrip(",."))
                for r in got]
    return out


def _amount(sen, f, lead, after, subject, common, why_when):
    text, s = sen.text, sen.s
    if IMPORT_WORDS.search(lead + after) or re.search(r"\bexport", lead + after, re.I):
        return _no(f, text, "a traded quantity: our tables give import shares, not tonnages", "amount")
    if RESERVES.search(lead + after):
        return _no(f, text, "a reserves figure: not mapped by these rules", "amount")
    if not PRODUCE_VERBS.search(lead + after[:30]):
        return _no(f, text, "a mass with no production verb", "amount")
    mins = names.minerals(after) or names.minerals(lead)
    if not mins or subject is None:
        return _no(f, text, "an amount with no " + ("mineral" if not mins else "country") + " named",
                   "amount")
    m = mins[0]
    if m.refuse:
        return _no(f, text, m.refuse, "amount")
    return [_row(f, text, **common, kind="amount_of_production", rule="amount", commodity=m.name,
                 measure="production", stage=_stage(lead, after, sen, m), country=subject,
                 checkable="yes" if not why_when else "no", mapped_table="world.csv",
                 why_not_checkable=why_when)]


def _import(sen, f, after, subject, common, why_when):
    text, s = sen.text, sen.s
    frm = re.search(r"\b(?:came\s+|come\s+|comes\s+)?from\s+", after, re.I)
    partner = names.countries(after[frm.end():frm.end() + 60]) if frm else []
    importer = subject
    own = [c for c in names.countries(after) if re.match(r"\s*(?:['’]s)?\s+(?:[a-z -]+\s+)?imports",
                                                        after[c.end:c.end + 40], re.I)]
    if own:  # 'X% of Japan's cobalt imports came from ...'
        importer = own[0].name
    if not partner and subject and own and re.search(r"\b(supplied|supplies|provided|provides|"
                                                      r"accounted for|made up)\b", text[s:f.char_start], re.I):
        partner = [names.Mention(0, 0, subject, subject)]  # '<partner> supplied X% of U.S. imports'
    if partner and importer == partner[0].name:
        importer = None
    product = names.minerals(after[: frm.start()] if frm else after)
    if not partner or importer is None or not product:
        missing = "partner ('from <country>')" if not partner else "importer" if importer is None else "mineral"
        return _no(f, text, f"an import share with no {missing} named", "import-share")
    m = product[0]
    return [_row(f, text, **common, kind="import_share", rule="import-share", commodity=m.name,
                 form=m.form, importer=importer, country=partner[0].name, checkable="yes"
                 if not why_when else "no", mapped_table="import_sources.csv",
                 why_not_checkable=why_when)]
