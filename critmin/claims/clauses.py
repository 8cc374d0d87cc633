"""What every claim rule of the mapper shares: one sentence and its context (Sentence), the
figure's own clause, its subject country, year, stage and hedge, and the claim row itself."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from critmin.claims import anchor, hedges, names

MINE_VERBS = re.compile(r"\b(mines?|mined|mining|miners?|extracts?|extracted|dug|digs?)\b", re.I)
REFINE_VERBS = re.compile(r"\b(refines?|refined|refining|refiners?|refiner(?:y|ies)|process(?:es|ed|ing|ors?)?|"
                          r"smelts?|smelted|smelting|smelters?|separates?|separated)\b", re.I)
PRODUCE_VERBS = re.compile(r"\b(mines?|mined|produces?|produced|refines?|refined|extracted|"
                           r"processed|output|production|turned out|dug up)\b", re.I)
IMPORT_WORDS = re.compile(r"\b(imports?|imported|importing|bought|buys?|purchased|sourced|sources|gets|got)\b",
                          re.I)
RELIANCE = re.compile(r"\b(relies|rely|relied|relying|reliant|reliance|depends|depend|depended|depending|"
                      r"dependent)\b", re.I)
FOREIGN = re.compile(r"\b(imports?|imported|foreign|abroad|overseas|other countries)\b", re.I)
ANAPHORA = re.compile(r"^\W*(the country|the nation|it|its)\b", re.I)
RESERVES = re.compile(r"\breserves?\b|\b(?:world['’]s|global)\s+known\b", re.I)  # 'the world's known lithium'
# A clause ends at a semicolon, a dash, a contrast word, or ', and' before a new subject
# ('..., and its exports ...'); not at ', and' inside a list of minerals.
# (an en dash between two numbers is a range, '2022–2024', not a clause end)
_CLAUSE_END = (r";|—|(?<!\d)(?<!\d\s)–|–(?!\s?\d)|\s-\s|\bwhile\b|\bwhereas\b|\bbut\b|\bwhich\b|\bthough\b|\balthough\b"
               r"|,\s+and\s+(?=(?:its|it|their|they|this|that|these|those|the|exports?|imports?|"
               r"refiners?|prices?|miners?)\b)")
# ', and China mined ...' opens a new clause; ', and China in 2024' (a list of suppliers) does not
_NEW_SUBJECT = r"(?:\s+(?:\w+ly\s+)?(?:is|was|has|had|holds|held|[a-z]+(?:es|ed|s))\b|['’]s\b)"


@lru_cache(maxsize=None)
def clause_end() -> re.Pattern:
    countries = names._country_re().pattern.removeprefix(r"(?<![\w-])")
    return re.compile(_CLAUSE_END + r"|,\s+and\s+(?=(?:the\s+)?" + countries + _NEW_SUBJECT + ")", re.I)


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
    before: str = ""   # the sentence before, when in the same paragraph (line), else ''
    last: tuple = ()   # the claims mapped in the sentence before (for 'that share')
    para: str = ""     # the paragraph (line) before this sentence: never across a break or heading


def after_word(text, pos, words) -> bool:
    before = text[max(0, pos - 12):pos].lower().split()
    return bool(before) and before[-1].strip("(") in words or text[max(0, pos - 4):pos].lower() == "the " \
        and len(before) > 1 and before[-2] in words


def claim_row(f, text, **kw) -> dict:
    base = dict(claim="", figure=float(f.number), figure_high=math.nan, unit=f.unit, qualifier="",
                kind=f.kind, commodity="", measure="", stage="", form="", country="",
                year_or_period="", attributed_to="", checkable="no", mapped_table="",
                why_not_checkable="", see_also="", importer="", written=f.text,
                sentence_index=int(f.sentence_index), char_start=int(f.char_start),
                char_end=int(f.char_end), span=text[f.char_start:f.char_end], rule="none",
                mapped_by="rule")
    return base | kw


def not_checkable(f, text, why, rule="none") -> list[dict]:
    return [claim_row(f, text, why_not_checkable=why, rule=rule)]


TIME_KINDS = ("year", "period", "date", "decade", "time")


def clause_after(text, pos, end, figs) -> str:
    """From the figure to the next figure or clause end. A year or date does not end it: 'X% of
    Japan's tungsten imports in 2023 came from China' keeps its supplier."""
    nxt = min([g.char_start for g in figs if g.char_start > pos and getattr(g, "kind", "") not in TIME_KINDS]
              + [end])
    seg = text[pos:nxt]
    m = clause_end().search(seg)
    return seg[: m.start()] if m else seg


def clause_before(text, s, pos) -> str:
    """From the last clause end before the figure (or the sentence start) to the figure."""
    seg = text[s:pos]
    ends = list(clause_end().finditer(seg))
    return seg[ends[-1].end():] if ends else seg


def subject_of(text, s_start, pos, here, ctx):
    # not a country after 'from', nor one ranked ahead ('trails only Chile', 'behind Indonesia')
    before = [c for c in here if c.end <= pos and not after_word(text, c.start, ("from", "only", "behind"))]
    return before[-1].name if before else ctx


def year_of(sen: Sentence, at) -> tuple[str, set, str]:
    """(year_or_period, offsets of the year figures used, why not when the date is needed) for the
    figure at `at` (a (start, end) pair): a year or 'last year' in its own clause (up to the next
    figure) wins, then one before it (back to the previous figure), then one elsewhere in its
    clause; a year in another clause or after a comparison ('up from 50% in 2015') is not its.
    Before the figure, the year nearest it wins."""
    text, figs = sen.text, sen.figs
    dates = [g for g in figs if g.kind in ("year", "period")]
    values = sorted(g.char_start for g in figs if g.kind not in ("year", "period", "date", "time"))
    a, b = at
    nxt = min([v for v in values if v > a] + [sen.e])
    prev = max([v for v in values if v < a] + [sen.s])
    lo_c = sen.s + len(text[sen.s:a]) - len(clause_before(text, sen.s, a))
    hi_c = b + len(clause_after(text, b, sen.e, []))
    windows = [(b, min(nxt, hi_c)), (max(prev, lo_c), a)]
    if not COMPARED.search(text[lo_c:hi_c]):
        windows.append((lo_c, hi_c))
    for k, (lo, hi) in enumerate(windows):
        # before the figure, the nearest year is its own ('in 2023, and by 2024 that share ... 40%')
        for g in (reversed(dates) if k == 1 else dates):
            if lo <= g.char_start < hi and not _names_an_edition(text, g):
                when = f"{g.number:.0f}-{g.number_high:.0f}" if g.kind == "period" else f"{g.number:.0f}"
                span = N_YEARS_TO.search(text, max(sen.s, int(g.char_start) - 50), int(g.char_start))
                if span and g.kind == "year":  # 'over the four years through 2024': 2021-2024
                    n = N_WORDS.get(span.group("n").lower()) or int(span.group("n"))
                    when = f"{g.number - n + 1:.0f}-{g.number:.0f}"
                return when, {int(g.char_start)}, ""
        if (same := SAME_YEAR.search(text, lo, hi)) is not None:
            years = {r["year_or_period"] for r in sen.last if r["checkable"] == "yes"} - {"latest", ""}
            if len(years) == 1:  # 'the same year': the one year of the sentence before's claims
                return years.pop(), set(), ""
            return "", set(), f"'{same.group()}' refers to no one year of the sentence before"
        y, phrase = anchor.relative_year(text[lo:hi], sen.year)
        if phrase:
            if y is None:
                return "", set(), f"'{phrase}' needs the article's date, which it does not give"
            return str(y), set(), ""
    return "latest", set(), ""


# a year that names a publication, not the figure's year: "the USGS's 2026 Mineral Commodity
# Summaries", 'MCS 2025', 'its 2024 yearbook'
_EDITION_AFTER = re.compile(r"\s+(?:edition\s+of\s+(?:the\s+)?)?(?:Mineral\s+Commodity\s+Summar|MCS\b|"
                            r"(?:annual\s+)?(?:yearbook|edition|report|summary|summaries|review)\b)", re.I)


def _names_an_edition(text, g) -> bool:
    return bool(_EDITION_AFTER.match(text, int(g.char_end)) or re.search(r"\bMCS\s+$", text[max(0, int(g.char_start) - 5):int(g.char_start)]))


SAME_YEAR = re.compile(r"\b(?:that|the\s+same)\s+year\b", re.I)
# 'over the four years through 2024', 'in the three years to 2023': the years ending with that one
N_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
N_YEARS_TO = re.compile(r"\b(?:over|in|during|for|across)\s+the\s+(?:past\s+|last\s+)?(?P<n>two|three|four|five|six|"
                        r"seven|eight|nine|ten|[2-9]|10)\s+years\s+(?:through|to|until|up\s+to|ending(?:\s+in)?|"
                        r"ended(?:\s+in)?)\s+$", re.I)
# a comparison ('up from 50% in 2015', 'higher than in 2020'); 'more than 95%' is a hedge, not one
COMPARED = re.compile(r"\b(?:up|down)\s+from\b|\bcompared\s+(?:with|to)\b|\bagainst\b"
                      r"|(?<!more )(?<!less )(?<!fewer )(?<!greater )(?<!rather )\bthan\b", re.I)


def stage_of(lead: str, after: str, sen: Sentence, mineral) -> str:
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


def hedge_of(text, f) -> str:
    return hedges.hedge_before(text[max(0, f.char_start - 40): f.char_start])
