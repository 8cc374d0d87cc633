"""Claims about a country's production or reserves, read against world.csv (rules 'world-share'
and 'amount' of mapper.py).

  world-share  a percent or fraction followed by 'of the world's / global / world <mineral>'
               (the country before it, or after it: 'is mined in China', 'comes from the DRC'),
               "<country>'s share of world <mineral> output is X%", or by 'of mined / refined /
               primary <mineral>' (the adjective fixes the stage: mined -> mine, refined ->
               refinery, primary -> the stage USGS publishes for it). With 'reserves' in that
               phrase ('of known rare-earth reserves', 'of the world's known reserves') it is a
               share of world reserves. When the phrase names no mineral but a generic total
               ('the world's supply', 'global output', 'known reserves'), the mineral comes from
               context: the figure's clause before it, else the rest of its sentence before it,
               else the sentence before it in the same paragraph, else the rest of its paragraph
               before it (never across a paragraph break or heading); the nearest of these that
               names any mineral must name exactly one, or the claim is not checkable and says why.
  amount       a mass after a production verb ('mined 28,000 tonnes of cobalt in 2024').
"""
from __future__ import annotations

import re

from critmin.claims import names, ranks
from critmin.claims.clauses import (IMPORT_WORDS, MINE_VERBS, PRODUCE_VERBS, REFINE_VERBS, RESERVES, claim_row,
                                    default_stage, not_checkable, stage_of)

_WORLD = r"(?:world['’]s|global|worldwide|world)"
WORLD_OF = re.compile(r"^\s*of\s+(?:all\s+)?(?:the\s+)?(?:" + _WORLD + r"\b|known\b(?=[^.;]*\breserves)"
                      r"|(?:mined|refined|primary)\s)", re.I)
# The adjective before the mineral that fixes its stage: '69% of mined rare earths'.
STAGE_ADJ = re.compile(r"^\s*of\s+(?:all\s+)?(?:the\s+)?(?:" + _WORLD
                       + r"\s+)?(?P<adj>mined|refined|primary)\s", re.I)
# A total of no named mineral: 'of the world's supply', 'of global output', 'of known reserves';
# not 'supply chain' nor 'output of solar panels'.
GENERIC = re.compile(r"^\s*of\s+(?:all\s+)?(?:the\s+)?(?:" + _WORLD + r"\s+)?(?:known\s+|proven\s+|"
                     r"total\s+|mine\s+|mined\s+|refined\s+|primary\s+)?(?:supply|supplies|output|production|"
                     r"total|reserves)\b(?!\s+chains?\b|\s+of\b)", re.I)
# The country after the figure: '60% of global antimony is mined in China', '... comes from the DRC'.
LOCATED = re.compile(r"\b(?:(?:is|are|was|were)\s+(?:\w+\s+){0,2}?(?:mined|produced|refined|processed|"
                     r"extracted|dug up|located|found|made)\s+in|(?:comes?|came|originates?|originated)"
                     r"\s+from)\s+$", re.I)
# '<country>'s share of world <mineral> output is X%'
SHARE_OF = re.compile(r"['’]s\s+share\s+of\s+(?:the\s+)?(?:world['’]s|global|world|worldwide)\s+"
                      r"(?P<rest>[^.;]*?)\s+(?:is|was|stands at|stood at|reached|hit|rose to|fell to|"
                      r"came to|amounts to|amounted to)\s*$", re.I)


def world_share(sen, f, lead, after, subject, common, why_when):
    text = sen.text
    own = SHARE_OF.search(lead)
    if own:  # "China's share of world gallium output is 98%"
        who = [c for c in sen.here if c.end <= f.char_start and text[c.end:c.end + 2] in ("'s", "’s")]
        mins, scope = names.minerals(own.group("rest")), own.group(0)
        subject = who[-1].name if who else None
        span_end = f.char_end
    elif WORLD_OF.match(after):
        at = _located(sen, f.char_end, after)
        mins, scope, span_end = names.minerals(_own_phrase(sen, f.char_end, after), f.char_end), after, None
        subject = at or subject
        if not mins and GENERIC.match(after):
            mins, why = _from_context(sen, f, lead)
            if why:
                return not_checkable(f, text, why, "world-share")
            span_end = f.char_end + GENERIC.match(after).end()
    else:
        return not_checkable(f, text, "a percent that is not a share of world production, of an importer's "
                             "imports or of U.S. consumption (import reliance)")
    reserves = bool(RESERVES.search(scope))
    if not mins:
        return not_checkable(f, text, "a share of the world's supply of nothing our tables name",
                             "world-share")
    if subject is None:
        return not_checkable(f, text, "a world share with no country named", "world-share")
    adj = STAGE_ADJ.match(after)
    out = []
    for m in mins:
        if m.refuse:
            out += not_checkable(f, text, m.refuse, "world-share")
            continue
        kind, measure = ("share_of_world_reserves", "reserves") if reserves else \
            ("share_of_world_production", "production")
        if reserves:
            stage = m.stage or "mine"
        elif adj and not m.stage:
            stage = {"mined": "mine", "refined": "refinery"}.get(adj.group("adj").lower()) \
                or default_stage(sen.world, m.name, sen.editions)
        else:
            stage = stage_of(lead, after, sen, m)
        end = span_end or (m.end if m.end > f.char_start else f.char_end)
        out.append(claim_row(f, text, **common, kind=kind, rule="world-share", commodity=m.name,
                             measure=measure, stage=stage, country=subject,
                             checkable="yes" if not why_when else "no", mapped_table="world.csv",
                             why_not_checkable=why_when, span=text[f.char_start:end]))
    return out


def _own_phrase(sen, pos, after) -> str:
    """The figure's 'of the world's ...' phrase up to the next country or relative clause: in '...
    of the world's mined cobalt in 2025, and Indonesia, where nickel ...' the nickel is not its."""
    cut = [c.start - pos for c in sen.here if pos <= c.start < pos + len(after)]
    rel = re.search(r",\s+(?:where|which|whose|who)\b", after, re.I)
    return after[:min(cut + ([rel.start()] if rel else []) + [len(after)])]


def _from_context(sen, f, lead):
    """(the one mineral the context names, '') or ([], why): the figure's clause before it, the
    rest of its sentence before it, then the sentence before in the same paragraph."""
    before_clause = sen.text[sen.s:f.char_start - len(lead)] if lead else sen.text[sen.s:f.char_start]
    for where, part in (("its clause", lead), ("its sentence", before_clause),
                        ("the sentence before", sen.before), ("its paragraph before it", sen.para)):
        got = names.minerals(part)
        found = {m.name: m for m in got}
        if len(found) == 1 and where == "its paragraph before it":
            since = part[got[-1].end:] + sen.text[sen.s:f.char_start]
            other = [o for o in OTHER_OUTPUT.findall(since) if o.lower() not in NOT_A_PRODUCT]
            if other:  # 'Steel makers ... China makes half of world output': the steel, maybe
                return [], (f"a world share that names no mineral; its paragraph named {got[-1].text} "
                            f"but then {other[-1]} output or supply: which one is meant is not clear")
        if len(found) == 1:
            return list(found.values()), ""
        if len(found) > 1:
            return [], (f"a world share that names no mineral, and {where} names "
                        f"{len(found)} ({', '.join(sorted(found))}): which one is meant is not clear")
    return [], "a world share that names no mineral, nor does its sentence or the one before, nor its paragraph"


# '<noun> output / production / supply / makers' between the paragraph's mineral and the figure
OTHER_OUTPUT = re.compile(r"\b([A-Za-z][\w-]+)\s+(?:output|production|supply|supplies|makers|producers|"
                          r"plants|industry)\b")
NOT_A_PRODUCT = frozenset("world global its their the total annual domestic mine mined refined refinery "
                          "primary national country's world's china's and of in its' combined".split())


def _located(sen, pos, after) -> str | None:
    """The country named right after 'is mined in' / 'comes from' in the figure's clause."""
    for c in sen.here:
        if c.start >= pos and c.start - pos <= len(after) and LOCATED.search(sen.text[pos:c.start]
                                                                           .removesuffix("the ")):
            return c.name
    return None


def amount(sen, f, lead, after, subject, common, why_when):
    """A mass produced: after a production verb or noun in the figure's own clause (relative clauses
    and an earlier country's clause left out: 'Indonesia, where cobalt comes from nickel processing,'
    gives no verb nor stage), or 'with N tonnes' after a producer's place ('has climbed to second,
    with 44,000 tonnes': that rank's country, mineral, stage and year). A clause naming no mineral
    takes the one that the sentence before's production claims share (with their stage and year)."""
    text = sen.text
    if IMPORT_WORDS.search(lead + after) or re.search(r"\bexport", lead + after, re.I):
        return not_checkable(f, text, "a traded quantity: our tables give import shares, not tonnages",
                             "amount")
    if RESERVES.search(lead + after):
        return not_checkable(f, text, "a reserves figure: not mapped by these rules", "amount")
    own = _own_clause(sen, lead, f.char_start)
    place = ranks.place_before(sen, f)
    obj = OBJECT.match(after)
    named = {m.name for m in names.minerals(after[:40])}
    if obj and obj.group("w").lower() not in OWN_OBJECTS and named != {place and place["commodity"]} \
            or CAPACITY.search(own + after):
        place = None  # 'with 28,000 tonnes of new capacity' is not that place's output
    if place and not PRODUCE_VERBS.search(own[-40:]):
        keep = {k: place[k] for k in ("commodity", "stage", "country", "year_or_period")}
        return [claim_row(f, text, **(common | keep), kind="amount_of_production", rule="amount",
                          measure="production", checkable="yes", mapped_table="world.csv")]
    if not PRODUCE_VERBS.search(own + after[:30]):
        return not_checkable(f, text, "a mass with no production verb", "amount")
    mins = names.minerals(after) or names.minerals(own)
    ctx = ranks.context(sen) if not mins and not names.minerals(text[sen.s:sen.e]) else None
    other = [o for o in OTHER_OUTPUT.findall(own + after[:30]) if o.lower() not in NOT_A_PRODUCT
             and not names.actors(o + " output") and not names.countries(o)]
    other += [obj.group("w")] if obj and obj.group("w").lower() not in OWN_OBJECTS else []
    # not 'magnet output of N tonnes', one mine's, nor a capacity
    if ctx and not ctx[3] and not ONE_SITE.search(own) and not other and not CAPACITY.search(own + after):
        stage = stage_of(own, after, sen, names.Mention(0, 0, "", ctx[0])) if MINE_OR_REFINE.search(own + after) \
            else ctx[1]
        mins, common = [names.Mention(0, 0, "", ctx[0], "", stage)], common | (
            dict(year_or_period=ctx[2]) if common["year_or_period"] == "latest" and not why_when else {})
    if not mins or subject is None:
        missing = "mineral" if not mins else "country"
        return not_checkable(f, text, f"an amount with no {missing} named", "amount")
    m = mins[0]
    if m.refuse:
        return not_checkable(f, text, m.refuse, "amount")
    return [claim_row(f, text, **common, kind="amount_of_production", rule="amount", commodity=m.name,
                      measure="production", stage=stage_of(own, after, sen, m), country=subject,
                      checkable="yes" if not why_when else "no", mapped_table="world.csv",
                      why_not_checkable=why_when)]


# what the tonnes are of, when not a mineral: 'produced 20,000 tonnes of magnets' is no context mineral's
OBJECT = re.compile(r"\s*(?:a\s+year\s+|per\s+year\s+)?of\s+(?:the\s+)?(?P<w>[a-z][\w-]*)", re.I)
OWN_OBJECTS = frozenset({"output", "production", "ore", "concentrate", "it", "that", "this"})
CAPACITY = re.compile(r"\b(?:capacity|capacities|nameplate|could\s+produce|able\s+to)\b", re.I)
# one mine, firm or plant is not a country's output: 'the Mountain Pass mine produced ...'
ONE_SITE = re.compile(r"\b(?:mine|company|companies|firm|group|plant|project|operation|smelter|refinery)\b", re.I)
MINE_OR_REFINE = re.compile(MINE_VERBS.pattern + "|" + REFINE_VERBS.pattern, re.I)


def _own_clause(sen, lead, pos) -> str:
    """The figure's clause before it without relative clauses and without an earlier country's
    clause (', and Indonesia, where ...': from 'Indonesia' on)."""
    start = pos - len(lead)
    own = ranks.own_text(sen.text, start, pos, pos)
    cut = [c.start - start for c in sen.here if start <= c.start < pos
           and re.search(r",\s+and\s+(?:the\s+)?$", sen.text[max(start, c.start - 8):c.start])]
    return own[cut[-1]:] if cut else own
