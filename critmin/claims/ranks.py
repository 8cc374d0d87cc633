"""Rank claims, found in the sentence with or without an ordinal figure:
  '<country> is the (second-)largest / leading / top producer (miner, refiner, supplier) of X',
  '... is second only to <country>' (rank 2), '... holds the largest reserves of X' (reserves);
  'one of the top three producers' -> rank at most 3 (qualifier 'at most'); 'one of the largest'
  states no bound -> not checkable, and why. The mineral is named in the rank phrase, or else is the
  only mineral the sentence names."""
from __future__ import annotations

import re

from critmin.claims import clauses, names

ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
TOP_N = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "2": 2, "3": 3, "4": 4, "5": 5, "10": 10}
RANK = re.compile(
    r"\b(?P<one>one\s+of\s+)?(?:the\s+)?(?:(?:world|globe)['’]s\s+|global\s+)?"
    r"(?:(?P<ord>second|third|fourth|fifth|2nd|3rd|4th|5th)[-\s]+)?"
    r"(?P<sup>largest|biggest|leading|top(?:\s+(?P<n>two|three|four|five|ten|\d{1,2}))?|number one|no\.\s?1)"
    r"\s+(?:known\s+)?(?P<pre>(?:[a-z-]+\s+){0,3}?)"
    r"(?P<role>producer|miner|refiner|processor|supplier|source|reserves|deposits)s?\b"
    r"(?P<post>\s+of\s+[^.;]*)?", re.I)
SECOND_ONLY = re.compile(r"\b(?:second\s+only\s+to|behind\s+only|trail(?:s|ed|ing)?\s+only)\s+", re.I)
# A place without 'largest': 'Chile a close second', 'ranks third', 'came second behind Australia'.
PLACE = re.compile(r"\b(?:(?:ranks?|ranked|ranking|came|comes|placed|places|stands|stood|finished|is|was|"
                   r"remains|remained|sits|sat)\s+(?:a\s+)?(?:(?:close|distant|strong)\s+)?|a\s+(?:close|distant)\s+)"
                   r"(?P<ord>second|third|fourth|fifth|2nd|3rd|4th|5th)\b(?![-\s]+(?:largest|biggest|leading|top|"
                   r"half|quarter|time|round|largest|straight|consecutive|year|month|week|quarter|phase|line|tier)\b)",
                   re.I)
# the place must be among producers (or holders of reserves): a role word in its sentence
PLACE_ROLE = re.compile(r"\b(?:producers?|miners?|refiners?|processors?|output|production|mining|refining|"
                        r"processing|reserves|deposits)\b", re.I)
# ... and its sentence must not be about buyers, sellers or anything else ('second to none')
PLACE_NOT = re.compile(r"\b(?:import\w*|export\w*|buyers?|consum\w*|demand|markets?|sales|spend\w*|"
                       r"suppliers?|sources?|investors?|price\w*|shares?|list|economy|to\s+none)\b", re.I)
ROLE_VERB = {"miner": "mines", "refiner": "refines", "processor": "processes"}


def pseudo_figure(number, kind, unit, text, i, start, end):
    """A figure the extractor does not list ('largest', 'all'), shaped like one."""
    return type("F", (), dict(number=number, unit=unit, kind=kind, text=text, sentence_index=i,
                              char_start=start, char_end=end))


def rank_at(text, f) -> bool:
    return bool(re.match(r"[-\s]+(largest|biggest|leading|top)\b", text[f.char_end:f.char_end + 12], re.I))


def ranks(sen) -> list[dict]:
    text, s, e = sen.text, sen.s, sen.e
    out = []
    sentence_minerals = names.minerals(text[s:e])
    only = sentence_minerals if len({m.name for m in sentence_minerals}) == 1 else []
    for m in RANK.finditer(text, s, e):
        named = names.minerals(m.group("pre") or "") + names.minerals((m.group("post") or "")[:80])
        role = m.group("role").lower()
        n = ORDINALS.get((m.group("ord") or "").lower(), 1)
        bound = TOP_N.get((m.group("n") or "").lower())
        start = m.start("ord") if m.group("ord") else m.start("sup")
        out += _claims(sen, m.start(), m.end(), start, named or only[:1], role, bound or n,
                       "at most" if bound else "", bool(m.group("one")) and not bound,
                       reserves=role in ("reserves", "deposits"))
    for m in SECOND_ONLY.finditer(text, s, e):
        rival = [c for c in sen.here if c.start == m.end() or c.start == m.end() + 4]
        if rival:
            # 'trails only China and India': two ahead, so third
            two = [c for c in sen.here if c.start > rival[0].end and
                   re.fullmatch(r"\s+and\s+(?:the\s+)?", text[rival[0].end:c.start])]
            n = 3 if two and m.group().lower().startswith("trail") else 2
            out += _claims(sen, m.start(), (two or rival)[0].end, m.start(), only[:1], "", n, "", False,
                           reserves=bool(clauses.RESERVES.search(text[s:e])))
    return out + places(sen, only)


def places(sen, only) -> list[dict]:
    """'Chile a close second', '... ranks third among cobalt miners': a rank without 'largest', only
    in a sentence about producers (or reserves) and not about buyers; the mineral is named after the
    place in its clause or is the sentence's only one; several and none named: not checkable."""
    text, s, e = sen.text, sen.s, sen.e
    out = []
    for m in PLACE.finditer(text, s, e):
        rest = clauses.clause_after(text, m.end(), e, [])
        if not PLACE_ROLE.search(text[s:e]) or PLACE_NOT.search(text[s:e]) or RANK.search(rest):
            continue  # 'second-largest' and the like are RANK's; 'second among importers' is no rank of ours
        named = names.minerals(rest[:80])
        many = {x.name for x in names.minerals(text[s:e])}
        n = ORDINALS[m.group("ord").lower()]
        end = m.end() + len(rest.rstrip(" ,")) if named else m.end()
        if not (named or only):
            f = pseudo_figure(n, "ordinal", "", text[m.start("ord"):m.end()], sen.i, m.start("ord"), m.end())
            why = (f"a rank whose mineral is not clear: its sentence names {len(many)} ({', '.join(sorted(many))})"
                   if many else "a rank that names no mineral")
            out.append(clauses.claim_row(f, text, kind="rank_of_producer", rule="rank", unit="rank",
                                         why_not_checkable=why))
            continue
        out += _claims(sen, m.start(), end, m.start("ord"), named[:1] or only[:1], _role(text[s:e], m.start() - s), n, "",
                       False, reserves=bool(clauses.RESERVES.search(rest or text[s:e])
                                            and not re.search(r"\bproduc", rest)), who=True)
    return out


def _role(sentence: str, at: int) -> str:
    """The mine or refine role nearest the place: the last before it, else the first after it."""
    found = list(re.finditer(r"\b(min(?:er|ers|ing)|refin(?:er|ers|ing)|process(?:or|ors|ing))\b", sentence, re.I))
    if not found:
        return ""
    m = ([x for x in found if x.start() < at] or found)[-1 if any(x.start() < at for x in found) else 0]
    w = m.group(1).lower()
    return "miner" if w.startswith("min") else "refiner" if w.startswith("refin") else "processor"


def _claims(sen, start, end, fig_start, minerals, role, n, qualifier, unbounded, reserves, who=False):
    text = sen.text
    f = pseudo_figure(n, "ordinal", "", text[fig_start:end].strip(), sen.i, fig_start, end)
    subject = clauses.subject_of(text, sen.s, start, sen.here, sen.ctx)
    if who:  # a place: not the country it is behind ('behind Australia, Chile ranks second')
        ahead = [c for c in sen.here if c.end <= start and not clauses.after_word(
            text, c.start, ("from", "behind", "after", "than", "to", "only"))]
        subject = ahead[-1].name if ahead else (sen.ctx if not sen.here else None)
    when, _, why_when = clauses.year_of(sen, (start, end))
    kind = "rank_of_reserves" if reserves else "rank_of_producer"
    out = []
    for mn in minerals:
        why = (why_when or ("" if subject else "a rank with no country named")
               or ("'one of the largest' states no rank to check (no 'top N' bound)" if unbounded else "")
               or mn.refuse)
        stage = (mn.stage or "mine") if reserves else clauses.stage_of(ROLE_VERB.get(role, ""), "", sen, mn)
        out.append(clauses.claim_row(f, text, kind=kind, rule="rank", commodity=mn.name,
                                     measure="reserves" if reserves else "production", stage=stage,
                                     country=subject or "", year_or_period=when, unit="rank",
                                     qualifier=qualifier, checkable="no" if why else "yes",
                                     mapped_table="world.csv" if not why else "", why_not_checkable=why))
    return out
