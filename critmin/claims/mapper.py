"""From each figure of an article (and its sentence) to a query on our processed tables, by
explicit rules, or to the reason why none fits. One row per claim: a list of minerals after one
figure ('80% of the world's tungsten, gallium and antimony') gives one claim per mineral.

Rules (`rule` column), tried in this order for each figure:
  import-reliance  a percent in a sentence about relying / depending on imports ('relies on
                   imports for 76% of its cobalt'): U.S. net import reliance
  import-share     a percent in a sentence with an import verb or noun and 'from <country>'
                   ('the U.S. imported 70% of its rare earth compounds from China'; 'X% of Japan's
                   cobalt imports came from ...'): share of the importer's imports
  world-share      a percent or fraction followed by 'of the world's / global / world <minerals>'
  amount           a mass after a production verb ('mined 28,000 tonnes of cobalt in 2024')
  rank             '<country> is the (second-)largest / leading / top producer (miner, refiner)
                   of <mineral>' (found in the sentence, with or without an ordinal figure)
The country is the last one named before the figure; a sentence that opens with 'The country',
'It' or 'The nation' refers to the last country that opened a sentence before it. The stage
comes from the verb: mines / mined / extracts -> mine; refines / processes / smelts -> refinery;
any other verb ('produces', 'accounts for', 'supplies') -> the stage USGS publishes for that
mineral (mine when it has one). The year is a year in the sentence, 'last year' / 'this year'
from the article's date, or else the newest year of each edition ('latest').
"""
from __future__ import annotations

import math
import re

import pandas as pd

from critmin.analysis.reference import display_name
from critmin.claims import anchor, hedges, names
from critmin.claims.table import CLAIM_COLUMNS

MAPPED_COLUMNS = CLAIM_COLUMNS + ["importer", "written", "sentence_index", "char_start", "char_end",
                                  "span", "rule", "mapped_by"]
MINE_VERBS = re.compile(r"\b(mines?|mined|mining|miners?|extracts?|extracted|dug|digs?)\b", re.I)
REFINE_VERBS = re.compile(r"\b(refines?|refined|refining|refiners?|process(?:es|ed|ing|ors?)?|"
                          r"smelts?|smelted|smelting|separates?|separated)\b", re.I)
PRODUCE_VERBS = re.compile(r"\b(mines?|mined|produces?|produced|refines?|refined|extracted|"
                           r"processed|output|production|turned out|dug up)\b", re.I)
IMPORT_WORDS = re.compile(r"\b(imports?|imported|importing|bought|buys?|purchased|sourced|sources|gets|got)\b",
                          re.I)
RELIANCE = re.compile(r"\b(relies|rely|relied|reliant|reliance|depends|depend|depended|dependent)\b", re.I)
ANAPHORA = re.compile(r"^\W*(the country|the nation|it|its)\b", re.I)
WORLD_OF = re.compile(r"^\s*of\s+(?:the\s+)?(?:world['’]s|global|worldwide|world)\b", re.I)
CLAUSE_END = re.compile(r";|—|–|\s-\s|\bwhile\b|\bwhereas\b|\bbut\b|\bwhich\b", re.I)
RANK = re.compile(
    r"\b(?:the\s+)?(?:(?:world|globe)['’]s\s+|global\s+)?(?:(?P<ord>second|third|fourth|fifth|2nd|3rd|4th|5th)"
    r"[-\s]+)?(?P<sup>largest|biggest|leading|top|number one|no\.\s?1)\s+(?P<pre>(?:[a-z-]+\s+){0,3}?)"
    r"(?P<role>producer|miner|refiner|processor|supplier|source)s?\b(?P<post>\s+of\s+[^.;]*)?", re.I)
ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
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
    rows, used, last_country = [], set(), None
    for i, (start, end) in enumerate(article.sentences):
        text = article.text[start:end]
        figs = [r for r in figures.itertuples(index=False) if r.sentence_index == i]
        subject_ctx = last_country if ANAPHORA.match(text) else None
        here = names.countries(text, start)
        for f in figs:
            got = _map_one(article.text, start, end, f, figs, here, subject_ctx, year, world, editions)
            rows += got
            for r in got:
                used |= r.pop("_dates", set())
        rows += _ranks(article.text, start, end, figs, here, subject_ctx, year, world, editions, i)
        opener = [c for c in here if not _after_word(article.text, c.start, ("from", "to", "of"))]
        if opener and not ANAPHORA.match(text):
            last_country = opener[0].name
    rank_figs = {r["char_start"] for r in rows if r["rule"] == "rank"}
    rows = [r for r in rows if not (r["kind"] == "ordinal" and r["char_start"] in rank_figs)]
    rows = [r for r in rows if not (r["kind"] in ("year", "period") and r["char_start"] in used)]
    out = pd.DataFrame(rows, columns=MAPPED_COLUMNS).sort_values("char_start", kind="stable")
    out["claim_id"] = [f"R{n:02d}" for n in range(1, len(out) + 1)]
    out["claim"] = [in_words(r) for r in out.itertuples(index=False)]
    return out.reset_index(drop=True)


def in_words(r) -> str:
    """The claim restated from its mapping (never the article's wording)."""
    name = display_name(r.commodity, r.form).lower() if r.commodity else ""
    hedge = f"{r.qualifier} " if r.qualifier else ""
    figure = (f"{r.written} ({r.figure:.1f}%)" if r.written and not re.search(r"\d", r.written)
              else f"{r.figure:g}%")
    when = "" if r.year_or_period in ("", "latest") else f" in {r.year_or_period}"
    if r.kind == "share_of_world_production":
        return f"{_own(r.country)} share of world {name} output{when}: {hedge}{figure}"
    if r.kind == "amount_of_production":
        return f"{_own(r.country)} {name} output{when}: {hedge}{r.written}"
    if r.kind == "rank_of_producer":
        return f"{r.country} ranks {r.figure:g} among {name} producers{when}"
    if r.kind == "import_share":
        return f"Share of {_own(r.importer)} {name} imports from {r.country}{when}: {hedge}{figure}"
    if r.kind == "net_import_reliance":
        return f"U.S. net import reliance for {name}{when}: {hedge}{figure}"
    return f"The figure '{r.span}' (not checked against our tables)"


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


def _clause_after(text, pos, end, figs) -> tuple[int, str]:
    nxt = min([g.char_start for g in figs if g.char_start > pos] + [end])
    seg = text[pos:nxt]
    m = CLAUSE_END.search(seg)
    return pos, seg[: m.start()] if m else seg


def _subject(text, s_start, pos, here, ctx):
    before = [c for c in here if c.end <= pos and not _after_word(text, c.start, ("from",))]
    return before[-1].name if before else ctx


def _when(text, s_start, s_end, figs, year, at=None) -> tuple[str, set, str]:
    """(year_or_period, offsets of the year figures used, why not when the date is needed) for the
    figure `at` (a (start, end) pair): a year or 'last year' in its own clause (up to the next
    figure) wins, then one before it (back to the previous figure), then any in the sentence."""
    dates = [g for g in figs if g.kind in ("year", "period")]
    values = sorted(g.char_start for g in figs if g.kind not in ("year", "period", "date", "time"))
    a, b = at or (s_start, s_start)
    nxt = min([v for v in values if v > a] + [s_end])
    prev = max([v for v in values if v < a] + [s_start])
    for lo, hi in ((b, nxt), (prev, a), (s_start, s_end)):
        for g in dates:
            if lo <= g.char_start < hi:
                when = f"{g.number:.0f}-{g.number_high:.0f}" if g.kind == "period" else f"{g.number:.0f}"
                return when, {int(g.char_start)}, ""
        y, phrase = anchor.relative_year(text[lo:hi], year)
        if phrase:
            if y is None:
                return "", set(), f"'{phrase}' needs the article's date, which it does not give"
            return str(y), set(), ""
    return "latest", set(), ""


def _stage(verb_text: str, world, commodity, editions) -> str:
    if REFINE_VERBS.search(verb_text):
        return "refinery"
    if MINE_VERBS.search(verb_text):
        return "mine"
    return default_stage(world, commodity, editions)


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
    h = hedges.hedge_before(text[max(0, f.char_start - 40): f.char_start])
    return h


def _map_one(text, s, e, f, figs, here, ctx, year, world, editions) -> list[dict]:
    if f.kind == "time":  # the page clock: never a claim
        return []
    if f.kind not in ("percent", "fraction", "mass"):
        return [] if f.kind == "ordinal" and _rank_at(text, f) else _no(f, text, OTHER_KINDS.get(f.kind, "not a statistic"))
    sentence = text[s:e]
    hedge = _hedge(text, f) or ("about" if f.kind == "fraction" else "")
    when, dates, why_when = _when(text, s, e, figs, year, (f.char_start, f.char_end))
    subject = _subject(text, s, f.char_start, here, ctx)
    _, after = _clause_after(text, f.char_end, e, figs)
    common = dict(qualifier=hedge, year_or_period=when, _dates=dates)
    if f.kind == "mass":
        return _amount(text, s, f, after, subject, common, why_when, world, editions)
    if RELIANCE.search(sentence) and re.search(r"import", sentence, re.I):
        mins = names.minerals(after) or names.minerals(sentence)
        if subject != "United States":
            return _no(f, text, "USGS publishes net import reliance for the United States only",
                       "import-reliance")
        return [_row(f, text, **common, kind="net_import_reliance", rule="import-reliance",
                     commodity=m.name, form=m.form, importer=subject, country=subject,
                     checkable="yes", mapped_table="net_import_reliance.csv",
                     measure="net import reliance", why_not_checkable=why_when) for m in mins[:1]] \
            or _no(f, text, "import reliance on no mineral we can name", "import-reliance")
    if IMPORT_WORDS.search(sentence):
        return _import(text, s, e, f, after, here, subject, common, why_when)
    if WORLD_OF.match(after):
        mins = names.minerals(after, f.char_end)
        if not mins:
            return _no(f, text, "a share of the world's supply of nothing our tables name", "world-share")
        if subject is None:
            return _no(f, text, "a world share with no country named", "world-share")
        verb = text[s:f.char_start] + after
        return [_row(f, text, **common, kind="share_of_world_production", rule="world-share",
                     commodity=m.name, measure="production", stage=_stage(verb, world, m.name, editions),
                     country=subject, checkable="yes" if not why_when else "no",
                     mapped_table="world.csv", why_not_checkable=why_when,
                     span=text[f.char_start:m.end]) for m in mins]
    return _no(f, text, "a percent that is not a share of world production, of an importer's "
                        "imports or of U.S. consumption (import reliance)")


def _amount(text, s, f, after, subject, common, why_when, world, editions):
    lead = text[s:f.char_start]
    if IMPORT_WORDS.search(lead + after) or re.search(r"\bexport", lead + after, re.I):
        return _no(f, text, "a traded quantity: our tables give import shares, not tonnages", "amount")
    if re.search(r"\breserves?\b", lead + after, re.I):
        return _no(f, text, "a reserves figure: not mapped by these rules", "amount")
    if not PRODUCE_VERBS.search(lead + after[:30]):
        return _no(f, text, "a mass with no production verb", "amount")
    mins = names.minerals(after) or names.minerals(lead)
    if not mins or subject is None:
        return _no(f, text, "an amount with no " + ("mineral" if not mins else "country") + " named",
                   "amount")
    m = mins[0]
    return [_row(f, text, **common, kind="amount_of_production", rule="amount", commodity=m.name,
                 measure="production", stage=_stage(lead, world, m.name, editions), country=subject,
                 checkable="yes" if not why_when else "no", mapped_table="world.csv",
                 why_not_checkable=why_when)]


def _import(text, s, e, f, after, here, subject, common, why_when):
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


def _rank_at(text, f) -> bool:
    return bool(re.match(r"[-\s]+(largest|biggest|leading|top)\b", text[f.char_end:f.char_end + 12], re.I))


def _ranks(text, s, e, figs, here, ctx, year, world, editions, i) -> list[dict]:
    out = []
    for m in RANK.finditer(text, s, e):
        if re.search(r"\bone of\s+$", text[max(s, m.start() - 12):m.start()], re.I):
            continue
        mins = names.minerals(m.group("pre") or "") + names.minerals((m.group("post") or "")[:80])
        subject = _subject(text, s, m.start(), here, ctx)
        when, _, why_when = _when(text, s, e, figs, year, (m.start(), m.end()))
        n = ORDINALS.get((m.group("ord") or "").lower(), 1)
        role = m.group("role").lower()
        for mn in mins:
            verb = {"miner": "mines", "refiner": "refines", "processor": "processes"}.get(role, "")
            f = type("F", (), dict(number=n, unit="", kind="ordinal", text=m.group(0).strip(),
                                   sentence_index=i, char_start=m.start(), char_end=m.end()))
            out.append(_row(f, text, kind="rank_of_producer", rule="rank", commodity=mn.name,
                            measure="production", stage=_stage(verb, world, mn.name, editions),
                            country=subject or "", year_or_period=when, unit="rank",
                            checkable="yes" if subject and not why_when else "no",
                            mapped_table="world.csv" if subject else "",
                            why_not_checkable=why_when or ("" if subject else "a rank with no country named")))
    return out
