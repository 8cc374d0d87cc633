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
               Shapes that lean on the sentence (bottom of this module): 'and X% of its <mineral>'
               after a world share ('its' = the world's), '<country>, which mined X%' / 'whose
               deposits make up X of the total', 'the country' / 'it' = the one country of the
               sentence before, and 'refined' magnesium metal at USGS's only stage, smelter.
  amount       a mass after a production verb ('mined 28,000 tonnes of cobalt in 2024').
"""
from __future__ import annotations

import re

from critmin.claims import hedges, names, ranks
from critmin.claims.clauses import (IMPORT_WORDS, MINE_VERBS, PRODUCE_VERBS, REFINE_VERBS, RESERVES, TIME_KINDS,
                                    claim_row, clause_after, clause_before, default_stage, not_checkable,
                                    stage_of, subject_of, year_of)

_WORLD = r"(?:world['’]s|global|worldwide|world)"
WORLD_OF = re.compile(r"^\s*of\s+(?:all\s+)?(?:the\s+)?(?:" + _WORLD + r"\b|known\b(?=[^.;]*\breserves)"
                      r"|(?:mined|refined|primary)\s|reserves\b(?!\s+(?:of|in|held)\b))", re.I)
# The adjective before the mineral that fixes its stage: '69% of mined rare earths'.
STAGE_ADJ = re.compile(r"^\s*of\s+(?:all\s+)?(?:the\s+)?(?:" + _WORLD
                       + r"\s+)?(?P<adj>mined|refined|primary)\s", re.I)
# bare 'half of reserves' (no "world's"): the world's only after a verb of holding ('China holds ...')
RESERVES_APPOSED = re.compile(r"\breserves\s*,\s*" + hedges.RUN + "$", re.I)
BARE_RESERVES = re.compile(r"^\s*of\s+(?:all\s+)?(?:the\s+)?reserves\b", re.I)
HOLDS = re.compile(r"\b(?:holds?|held|has|had|have|sits? on|sat on|controls?|controlled|possess(?:es|ed)?|"
                   r"accounts? for|accounted for|owns?)\b", re.I)
# A total of no named mineral: 'of the world's supply', 'of global output', 'of known reserves';
# not 'supply chain' nor 'output of solar panels'.
GENERIC = re.compile(r"^\s*of\s+(?:all\s+)?(?:the\s+)?(?:" + _WORLD + r"\s+)?(?:known\s+|proven\s+|"
                     r"total\s+|mine\s+|mined\s+|refined\s+|primary\s+)?(?:supply|supplies|output|production|"
                     r"total|reserves)\b(?!\s+chains?\b|\s+of\b)", re.I)
# The country after the figure: '60% of global antimony is mined in China', '... comes from the DRC'.
LOCATED = re.compile(r"\b(?:(?:is|are|was|were)\s+(?:\w+\s+){0,2}?(?:mined|produced|refined|processed|"
                     r"extracted|dug up|located|found|made)\s+in|(?:comes?|came|originates?|originated)"
                     r"\s+from)\s+$", re.I)
# '<country>'s share of world <mineral> output is X%', "China's share of mined antimony fell to X"
# (the adjective mined / refined / primary says the world's output, as after 'of' above)
SHARE_OF = re.compile(r"['’]s\s+share\s+of\s+(?:the\s+)?(?:world['’]s|global|world|worldwide|(?=(?:mined|refined|"
                      r"primary|refinery|mine)\s))\s*(?P<rest>[^.;]*?)\s+(?:is|was|stands at|stood at|reached|hit|rose to|fell to|"
                      r"came to|amounts to|amounted to|dropped to|slipped to|climbed to|grew to|shrank to)\s*$", re.I)
# "China's share of refinery production was ...": a share of output that names no mineral
OWN_GENERIC = re.compile(r"\s*(?:(?:mine|mined|refinery|refined|primary)\s+)?(?:production|output|supply)\s*", re.I)
# a figure of something other than output right after the mineral: '60% of the world's lithium
# refining capacity', "China's share of world rare-earth demand"
NOT_OUTPUT = re.compile(r"^\s+(?:(?!and\b|or\b)[\w-]+\s+)?(?:capacity|demand|consumption|market|sales|exports?|imports?|"
                        r"trade|stockpiles?|use)\b", re.I)


def world_share(sen, f, lead, after, subject, common, why_when):
    text = sen.text
    after = names.before_source(after)  # 'a by-product of alumina refining': the source, not the claim
    hedge = hedges._HEDGE.search(lead)
    own = SHARE_OF.search(lead[:hedge.start(1)] if hedge else lead)
    probe, why, g = _its_world(sen, f, after)
    if g is not None and common["year_or_period"] == "latest" and not why_when:  # its year, too
        when, dates, why_when = year_of(sen, (g.char_start, g.char_end))
        common = common | dict(year_or_period=when, _dates=common["_dates"] | dates)
    if why:
        return not_checkable(f, text, why, "world-share")
    subject, why = _relative_subject(sen, f, subject) if not own else (subject, "")
    if why:
        return not_checkable(f, text, why, "world-share")
    subject, why = _anaphor_subject(sen, f, lead, subject) if not own else (subject, "")
    if why:
        return not_checkable(f, text, why, "world-share")
    after_words, context = after, False
    after = probe or after
    if own:  # "China's share of world gallium output is 98%"
        who = [c for c in sen.here if c.end <= f.char_start and text[c.end:c.end + 2] in ("'s", "’s")]
        mins = names.minerals(own.group("rest"), f.char_start - len(lead) + own.start("rest"))
        if not mins and OWN_GENERIC.fullmatch(own.group("rest")):  # 'of refinery production': context's
            mins, why = _from_context(sen, f, lead)
            if why:
                return not_checkable(f, text, why, "world-share")
        scope = own.group(0)
        subject = who[-1].name if who else None
        span_end = f.char_end
    elif WORLD_OF.match(after):
        if BARE_RESERVES.match(after) and not HOLDS.search(lead):  # '60% of reserves are in brine'
            return not_checkable(f, text, "a share of reserves with no verb of holding before it: whose "
                                 "reserves, and of what total, is not clear", "world-share")
        at = _located(sen, f.char_end, after_words)
        if (why := _joint(sen, f, lead, after_words, at)):
            return not_checkable(f, text, why, "world-share")
        mins = listed(text, names.minerals(_own_phrase(sen, f.char_end, after_words), f.char_end))
        scope, span_end = after, None
        subject = at or subject
        if not mins and GENERIC.match(after):
            mins, why = _from_context(sen, f, lead)
            context = True
            if why:
                return not_checkable(f, text, why, "world-share")
            span_end = f.char_end + GENERIC.match(after).end()
    else:
        return not_checkable(f, text, "a percent that is not a share of world production, of an importer's "
                             "imports or of U.S. consumption (import reliance)")
    # ... or the noun the figure stands in apposition to: 'Its copper reserves, roughly 12% of the total'
    reserves = bool(RESERVES.search(scope) or RESERVES_APPOSED.search(lead))
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
        if not context and NOT_OUTPUT.match(text[m.end:m.end + 40]):
            out += not_checkable(f, text, f"a share of the world's {m.text} "
                                 f"{NOT_OUTPUT.match(text[m.end:m.end + 40]).group().split()[-1]}, not of its "
                                 "output or reserves", "world-share")
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
        stage = smelted_stage(sen, m.name, stage)
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


_JOINED = re.compile(r",?\s+(?:and|or|&|plus|as well as|along with|together with)\s+(?:the\s+)?", re.I)


def _joint(sen, f, lead, after, located) -> str:
    """Why the share is not one country's when it is said of two joined ones ('China and Russia
    produced 90% of ...', '... is mined in China and Russia'), else ''."""
    text = sen.text
    if located:
        pair = [c for c in sen.here if f.char_end <= c.start and c.end <= f.char_end + len(after)]
        pair = pair[[c.name for c in pair].index(located):][:2]
    else:
        pair = [c for c in sen.here if f.char_start - len(lead) <= c.start and c.end <= f.char_start][-2:]
    if len(pair) == 2 and pair[0].name != pair[1].name and _JOINED.fullmatch(text[pair[0].end:pair[1].start]):
        return (f"a combined share of several countries ({pair[0].text} and {pair[1].text}): our tables give "
                "one country's share at a time")
    return ""


def _located(sen, pos, after) -> str | None:
    """The country named right after 'is mined in' / 'comes from' in the figure's clause."""
    for c in sen.here:
        if c.start >= pos and c.start - pos <= len(after) and LOCATED.search(sen.text[pos:c.start]
                                                                           .removesuffix("the ")):
            return c.name
    return None


def amount(sen, f, lead, after, subject, common, why_when, earlier=()):
    """A mass produced: after a production verb or noun in the figure's own clause (relative clauses
    and an earlier country's clause left out: 'Indonesia, where cobalt comes from nickel processing,'
    gives no verb nor stage), or 'with N tonnes' after a producer's place ('has climbed to second,
    with 44,000 tonnes': that rank's country, mineral, stage and year). A clause naming no mineral
    takes the one that the sentence before's production claims share (with their stage and year)."""
    text = sen.text
    after = names.before_source(after)  # 'recovered as a by-product of alumina': its source, not its mineral
    if (got := apposed(sen, f, after, common, why_when)) is not None:
        return got
    if IMPORT_WORDS.search(lead + after) or re.search(r"\bexport", lead + after, re.I):
        return not_checkable(f, text, "a traded quantity: our tables give import shares, not tonnages",
                             "amount")
    if RESERVES.search(lead + after):
        return not_checkable(f, text, "a reserves figure: not mapped by these rules", "amount")
    own = _own_clause(sen, lead, f.char_start)
    if ITS_LEAD.match(lead) and not names.minerals(after[:60]):  # 'and its mines turned out N tonnes of it'
        return its_amount(sen, f, lead, after, list(earlier), common, why_when)
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
    same = _same_sentence_output(sen, earlier) if not (mins or ctx) else None
    if same and not ONE_SITE.search(own) and not other and not CAPACITY.search(own + after):
        # 'The DRC mined three-quarters of the cobalt, and Indonesia produced about 28,000 tons'
        mins = [names.Mention(0, 0, "", same[0], "", same[1])]
        common = common | (dict(year_or_period=same[2]) if common["year_or_period"] == "latest"
                           and not why_when else {})
    if not mins or subject is None:
        missing = "mineral" if not mins else "country"
        return not_checkable(f, text, f"an amount with no {missing} named", "amount")
    m = mins[0]
    if m.refuse or (why := ore_by_weight(sen, m)):
        return not_checkable(f, text, m.refuse or why, "amount")
    return [claim_row(f, text, **common, kind="amount_of_production", rule="amount", commodity=m.name,
                      measure="production", stage=stage_of(own, after, sen, m), country=subject,
                      checkable="yes" if not why_when else "no", mapped_table="world.csv",
                      why_not_checkable=why_when)]


def _same_sentence_output(sen, earlier):
    """(commodity, stage, year) of the production claims before the figure in its sentence when
    they share one and the sentence names no other mineral, else None."""
    keys = {(r["commodity"], r["stage"], r["year_or_period"]) for r in earlier
            if r["checkable"] == "yes" and r["kind"] in _ITS_KINDS}
    named = {m.name for m in names.minerals(sen.text[sen.s:sen.e])}
    if len(keys) != 1 or named - {next(iter(keys))[0]}:
        return None
    return next(iter(keys))


def ore_by_weight(sen, m) -> str:
    """Why tonnes of a named ore ('7 million tonnes of manganese ore', gross weight) cannot be read
    against USGS's metal content, '' when they can (chromite: USGS gives its gross weight)."""
    if not m.form.startswith(("ore", "chromite")):
        return ""
    w = sen.world
    basis = set(w.loc[(w["commodity"] == m.name) & (w["measure"] == "production") & (w["stage"] == "mine")
                      & w["edition"].isin(list(sen.editions)), "basis"])
    if basis and basis <= {"gross weight"}:
        return ""
    return (f"tonnes of {m.text} are its gross weight; USGS gives mine production as "
            f"{' / '.join(sorted(b for b in basis if b)) or 'metal content'}, not ore")


# ---- shapes of the world-share rule that lean on the sentence around the figure -----------------
# 'China produced 98% of the world's gallium in 2023, roughly 600 tonnes, ...': a mass set beside a
# world share (after a comma or bracket, with at most a hedge between, and ending its phrase) is that
# share's output: the share claim's mineral, stage, country and year, with the mass's own hedge.
_APPOSED_BEFORE = re.compile(r"[,(]\s*(?:or\s+)?$")
_APPOSED_AFTER = re.compile(r"\s*(?:[,.;:)]|—|–|\s-\s|$)")


def apposed(sen, f, after, common, why_when):
    """The amount an apposed mass states (a claim row list), a refusal when the share it stands
    beside is not one checkable world share of output, or None when the shape is not there."""
    text = sen.text
    prev = [g for g in sen.figs if g.char_end <= f.char_start and g.kind not in TIME_KINDS]
    if not prev or prev[-1].kind not in ("percent", "fraction") or not _APPOSED_AFTER.match(after):
        return None
    g = prev[-1]
    between = text[g.char_end:f.char_start]
    hedge = hedges._HEDGE.search(between)
    sep = _APPOSED_BEFORE.search(between[:hedge.start(1)] if hedge else between)
    if not WORLD_OF.match(between) or not sep:
        return None
    head = between[:sep.start()]
    if re.search(r"[,;()]", head) or names.countries(head):  # one phrase: no second clause or country
        return None
    lead_g, after_g = clause_before(text, sen.s, g.char_start), clause_after(text, g.char_end, sen.e, sen.figs)
    when, dates, why_g = year_of(sen, (g.char_start, g.char_end))
    share = world_share(sen, g, lead_g, after_g, subject_of(text, sen.s, g.char_start, sen.here, sen.ctx),
                        dict(qualifier="", year_or_period=when, _dates=dates), why_g)
    ok = [r for r in share if r["checkable"] == "yes"]
    if len(ok) != 1 or len(share) != 1 or ok[0]["kind"] != "share_of_world_production":
        why = "a reserves figure: not mapped by these rules" if ok and ok[0]["kind"] == "share_of_world_reserves" \
            else "an amount set beside a share that is not one checkable world share of output: what it is " \
                 "the output of is not clear"
        return not_checkable(f, text, why, "amount")
    r = ok[0]
    keep = {k: r[k] for k in ("commodity", "stage", "country", "year_or_period")}
    return [claim_row(f, text, **(common | keep), kind="amount_of_production",
                      rule="amount", measure="production", checkable="yes", mapped_table="world.csv")]


# 'and 90% of its mined tungsten' after 'of the world's primary gallium': 'its' is the world's
ITS_OF = re.compile(r"^\s*of\s+its\s+", re.I)
# a verb between the two figures that is not about output: 'mines 60% of the world's graphite and
# exports 40% of its output' ('its' = the country's)
NOT_MADE = re.compile(r"\b(?:exports?|exported|sells?|sold|ships?|shipped|consumes?|consumed|uses|buys?|bought|"
                      r"imports?|imported|owns?|owned|controls?|controlled)\b", re.I)


def _its_world(sen, f, after) -> tuple[str, str, object]:
    """('of the world's ...' for 'of its ...', '') when 'its' continues a world share named earlier
    in the sentence ('80% of the world's bismuth and two-thirds of its tellurium'), ('', why) when
    the shape is there but 'its' may be a country's, ('', '') when the shape is not there; and
    the earlier figure (for its year)."""
    its = ITS_OF.match(after)
    if not its:
        return "", "", None
    text = sen.text
    world = [g for g in sen.figs if g.char_end <= f.char_start and WORLD_OF.match(text[g.char_end:f.char_start])
             and re.match(r"^\s*of\s+(?:all\s+)?(?:the\s+)?" + _WORLD, text[g.char_end:f.char_start], re.I)]
    if not world:
        return "", "", None
    between = text[world[-1].char_end:f.char_start]
    first = {m.name for m in names.minerals(between)}
    now = {m.name for m in names.minerals(after)}
    why = ""
    if names.countries(between):
        why = "'its' may mean the world's or the country named before it: which one is not clear"
    elif NOT_MADE.search(between):
        why = (f"'its' follows '{NOT_MADE.search(between).group()}', not an output verb: it may mean the "
               "country's, not the world's")
    elif not now or now & first:
        why = "'its' may mean the country's as well as the world's (the same mineral, or none, named again)"
    if why:
        return "", why, None
    return after[:its.start()] + re.sub(r"\bits\b", "the world's", its.group(), flags=re.I) \
        + after[its.end():], "", world[-1]


# 'Indonesia, which mined half of the world's nickel'; 'Brazil, whose deposits make up ...'
RELATIVE = re.compile(r"^\s*,\s*(?:which|whose\s+(?:[\w-]+\s+){1,2}?(?:make|made|makes|account|accounts|"
                      r"accounted|hold|holds|held|represent|represents|represented|amount|amounts|amounted)"
                      r"|where\s+(?:mines|miners|refiners|refineries|smelters|plants)\b)", re.I)


def _relative_subject(sen, f, subject) -> tuple[str | None, str]:
    """The country a relative clause right before the figure is about: '<country>, which mined
    X% ...' (even after 'from': 'nickel comes from Indonesia, which mined half ...'); refused when
    two countries share it ('China and Indonesia, which together ...')."""
    text = sen.text
    before = [c for c in sen.here if c.end <= f.char_start]
    if not before:
        return subject, ""
    c = before[-1]
    rel = RELATIVE.match(text[c.end:f.char_start])
    if not rel or any(g.char_start > c.end and g.char_start < f.char_start for g in sen.figs
                      if g.kind not in ("year", "period")):
        return subject, ""
    if len(before) > 1 and re.fullmatch(r"\s*(?:,|,?\s+and|,?\s+or)\s+(?:the\s+)?",
                                        text[before[-2].end:c.start]):
        return None, "a relative clause after two or more countries: whose share it is is not clear"
    return c.name, ""


# 'Globally, the country mined ...', "the country's refineries turned out ...", 'it mined ...'
ANAPHOR = re.compile(r"(?:^|[,:;]\s*|\b(?:and|but|while)\s+|\b(?:globally|also|meanwhile|overall)\s+)"
                     r"(?P<who>the\s+country(?:['’]s)?|the\s+nation(?:['’]s)?|its|it)\b", re.I)
# what may open the clause before 'the country': 'Globally,', 'In 2024,', 'Last year,'
INTRO = re.compile(r"\W*(?:globally|also|meanwhile|overall|worldwide|today|now|in\s+\d{4}|last\s+year|this\s+year)?"
                   r"\W*", re.I)
# a mineral as the topic before 'it': 'In antimony, used in flame retardants, it produced ...' (the
# mineral is the object of 'In', so 'it' is not the mineral but the country of the sentence before)
TOPIC = re.compile(r"\W*(?:in|for|as\s+for|turning\s+to)\s+(?P<topic>[^,;]{2,40}),(?:[^,;]{0,80},)?\s*", re.I)
_PRODUCER_KINDS = ("share_of_world_production", "share_of_world_reserves", "amount_of_production",
                   "rank_of_producer", "rank_of_reserves", "import_share")


def _anaphor_subject(sen, f, lead, subject) -> tuple[str | None, str]:
    """For a figure whose clause opens with 'the country' / 'it' and whose sentence names no country
    before it: the one country the sentence before was about (the producer side of its claims: the
    country of a world share, amount or rank, the supplier of an import share, and the importer
    too when it is named before that claim's figure; with no claim there, the one country it
    names). Refused when that is not exactly one country, or there is no sentence before."""
    if any(c.end <= f.char_start for c in sen.here) or sen.ctx:
        return subject, ""
    a = ANAPHOR.search(lead)
    topic = TOPIC.fullmatch(sen.text[sen.s:f.char_start - len(lead) + a.start("who")]) if a else None
    topic = topic if topic and names.minerals(topic.group("topic")) else None
    if not a or lead[:a.start()].strip(" ,") and not INTRO.fullmatch(lead[:a.start("who")]) and not topic:
        return subject, ""
    who = a.group("who")
    if not sen.before:
        return None, f"'{who}' refers to a country named before, but its sentence opens a paragraph"
    if who.lower() in ("it", "its") and not topic \
            and names.minerals(sen.text[sen.s:f.char_start - len(lead) + a.start("who")]):
        return None, f"'{who}' may be the mineral named before it, not a country"
    rows = [r for r in sen.last if r["checkable"] == "yes" and r["kind"] in _PRODUCER_KINDS]
    if rows:
        start = sen.text.rfind(sen.before, 0, sen.s)
        found = set()
        for r in rows:
            found.add(r["country"])
            if r["importer"] and any(c.name == r["importer"] and c.end <= r["char_start"]
                                     for c in names.importers(sen.before, start)):
                found.add(r["importer"])
    else:
        found = {c.name for c in names.countries(sen.before) if not _buyer_in_phrase(sen.before, c)}
    found.discard("")
    if len(found) != 1:
        n = f"{len(found)} countries ({', '.join(sorted(found))})" if found else "no country"
        return None, f"'{who}' refers to the sentence before, which names {n}: which one is meant is not clear"
    return found.pop(), ""


# 'the natural graphite Japan imported ... came from China': Japan buys inside a noun phrase (a
# reduced relative clause after the mineral); it is not what the sentence is about
_BOUGHT = re.compile(r"\s+(?:imported|imports|bought|buys|buys in|purchased|received|consumed|used)\b", re.I)


def _buyer_in_phrase(text, c) -> bool:
    mins = [m for m in names.minerals(text) if m.end <= c.start]
    return bool(_BOUGHT.match(text, c.end)) and bool(mins) and not text[mins[-1].end:c.start].strip()


def smelted_stage(sen, commodity, stage) -> str:
    """'refined magnesium metal': USGS publishes magnesium metal at stage 'smelter' only. When the
    verb says refine and the mineral has no refinery stage but one smelter stage, the smelter rows
    (caveats.py says so); never when it has a refinery stage."""
    if stage != "refinery":
        return stage
    w = sen.world
    have = set(w.loc[(w["commodity"] == commodity) & (w["measure"] == "production")
                     & w["edition"].isin(list(sen.editions)), "stage"])
    return "smelter" if have == {"smelter"} else stage


# 'Brazil, whose deposits make up nearly a third of the total': the total of the world share named
# before it in its sentence (else the one share claim of the sentence before)
OF_TOTAL = re.compile(r"^\s*of\s+the\s+total\b", re.I)  # not "that total": China's, maybe
DEPOSITS = re.compile(r"\b(?:deposits?|reserves?|resources?|holds?|held|sits on)\b", re.I)
_WORLD_KINDS = ("share_of_world_production", "share_of_world_reserves")


def of_the_total(sen, f, lead, after, subject, earlier, common, why_when):
    """A share of the world total an earlier share claim is about (None when the claim it refers to
    is not a world share: mapper.py reads it as a share of imports)."""
    if not OF_TOTAL.match(after):
        return None
    ref = [r for r in earlier if r["checkable"] == "yes"]
    ref = [r for r in ref if r["char_start"] == max(x["char_start"] for x in ref)] if ref else \
        [r for r in sen.last if r["checkable"] == "yes"]
    if not ref or any(r["kind"] not in _WORLD_KINDS for r in ref):
        return None
    text, rule = sen.text, "world-share"
    if len({(r["kind"], r["commodity"], r["stage"]) for r in ref}) != 1:
        return not_checkable(f, text, f"'of the total' may mean {len(ref)} world totals named before it: "
                             "which one is not clear", rule)
    r = ref[0]
    subject, why = _relative_subject(sen, f, subject)
    if why or subject is None:
        return not_checkable(f, text, why or "a share of the world total with no country named", rule)
    reserves = r["kind"] == "share_of_world_reserves"
    near = [c for c in sen.here if c.end <= f.char_start]  # the words after its country, not before
    own = text[near[-1].end:f.char_start] if near else lead
    says = "reserves" if DEPOSITS.search(own) else "output" if PRODUCE_VERBS.search(own) else ""
    if says and says != ("reserves" if reserves else "output"):
        return not_checkable(f, text, "'of the total' refers to a world total of "
                             f"{'reserves' if reserves else 'output'}, but its clause speaks of {says}", rule)
    if common["year_or_period"] == "latest" and not why_when:
        common = common | dict(year_or_period=r["year_or_period"])
    return [claim_row(f, text, **common, kind=r["kind"], rule=rule, commodity=r["commodity"],
                      measure=r["measure"], stage=r["stage"], country=subject,
                      checkable="yes" if not why_when else "no", mapped_table="world.csv",
                      why_not_checkable=why_when,
                      span=text[f.char_start:f.char_end + OF_TOTAL.match(after).end()])]


# how the minerals of a list are joined: 'tungsten, gallium and antimony', 'refined copper and
# alumina'; a mineral after other words ('tellurium, a by-product of copper refining') is not listed
_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as well as)\s+)(?:(?:mined|refined|primary)\s+)?",
                   re.I)


def listed(text, mins):
    """The minerals of the list that opens with the first one (offsets into text)."""
    out = mins[:1]
    for m in mins[1:]:
        if not _JOIN.fullmatch(text[out[-1].end:m.start]):
            break
        out.append(m)
    return out


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


# ---- 'its N tonnes': the country and mineral of the claim before (rule 'its-amount') ------------
# the figure's clause is 'its [mines|miners|refineries ... <verb>]' and nothing else
ITS_LEAD = re.compile(r"^\s*its\s+(?:(?:mines|miners|refiners|refineries|smelters|plants|producers)\s+"
                      r"(?:[a-z]+\s+){1,2})?$", re.I)
# what the tonnes are of: 'it', 'the metal' (the claim's mineral), or nothing
ITS_OBJECT = re.compile(r"^\s*(?:of\s+(?:it|the\s+(?:metal|mineral|ore|stuff))\b)?(?!\s*of\b)", re.I)
_ITS_KINDS = ("share_of_world_production", "amount_of_production", "rank_of_producer")


def _owners(text, offset=0) -> list:
    """The countries named in text that are not part of an institution's name."""
    return [c for c in names.countries(text, offset) if not names.state_body_after(text, c.end - offset)]


def its_amount(sen, f, lead, after, earlier, common, why_when):
    """'..., and its mines turned out 1.5 million tonnes of it', 'Its miners dug up N tonnes of the
    metal': the one production claim before it in its sentence (else, when the sentence opens with
    'Its', of the sentence before) gives the country, mineral, stage and year. Refused when those
    claims are of more than one country or mineral, when another country (not one inside an
    institution's name: 'the U.S. Geological Survey') or mineral is named between, or when the
    tonnes are of something else ('of new capacity')."""
    text, rule = sen.text, "its-amount"
    obj = ITS_OBJECT.match(after)
    if not obj or CAPACITY.search(lead + after):
        return not_checkable(f, text, "'its' tonnes of something other than the mineral named before", rule)
    ref = [r for r in earlier if r["checkable"] == "yes" and r["kind"] in _ITS_KINDS]
    where, since = "the claims before it in its sentence", ""
    if ref:
        since = text[min(r["char_start"] for r in ref):f.char_start]
        said = text[sen.s:min(r["char_start"] for r in ref)]
    elif sen.before and not text[sen.s:f.char_start - len(lead)].strip() and not earlier:
        ref = [r for r in sen.last if r["checkable"] == "yes" and r["kind"] in _ITS_KINDS]
        where, said = "the sentence before", sen.before
        since = text[min(r["char_start"] for r in ref):sen.s] if ref else ""
    keys = {(r["country"], r["commodity"], r["form"], r["stage"], r["year_or_period"]) for r in ref}
    if len(keys) != 1:
        n = f"{len(keys)} production claims" if keys else "no production claim we mapped"
        return not_checkable(f, text, f"'its' refers to {where}, which has {n}: whose output it is "
                             "is not clear", rule)
    country, commodity, form, stage, year = keys.pop()
    named = {c.name for c in _owners(said + since)}
    if country not in named:
        return not_checkable(f, text, f"'its' refers to {country}, which is named only inside another "
                             "name there", rule)
    others = ({m.name for m in names.minerals(since)} - {commodity}) | (
        named - {country} if sen.ctx != country or ref[0] in earlier else set())  # 'Its' opening: the opener
    if others:
        return not_checkable(f, text, f"'its' may mean {', '.join(sorted(others))}, also named in "
                             "the text it refers to", rule)
    verb = stage_of(lead, "", sen, names.Mention(0, 0, "", commodity)) if MINE_OR_REFINE.search(lead) else ""
    if verb and verb != stage and stage in ("mine", "refinery"):
        return not_checkable(f, text, f"'its' amount is of stage {verb}, the claim before of {stage}", rule)
    if common["year_or_period"] == "latest" and not why_when:
        common = common | dict(year_or_period=year)
    return [claim_row(f, text, **common, kind="amount_of_production", rule=rule, commodity=commodity, form=form,
                      measure="production", stage=stage, country=country,
                      checkable="yes" if not why_when else "no", mapped_table="world.csv",
                      why_not_checkable=why_when, span=text[f.char_start - len(lead):f.char_end + obj.end()])]
