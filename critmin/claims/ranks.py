"""Rank claims, found in the sentence with or without an ordinal figure:
  '<country> is the (second-)largest / leading / top producer (miner, refiner, supplier) of X',
  '... is second only to <country>' (rank 2), '... holds the largest reserves of X' (reserves);
  'one of the top three producers' -> rank at most 3 (qualifier 'at most'); 'one of the largest'
  states no bound -> not checkable, and why. The mineral is named in the rank phrase, or else is the
  only mineral the sentence names."""
from __future__ import annotations

import re

from critmin.claims import clauses, names

ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
            "tenth": 10, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10}
_ORD_WORDS = "|".join(sorted(ORDINALS, key=len, reverse=True))
TOP_N = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "2": 2, "3": 3, "4": 4, "5": 5, "10": 10}
RANK = re.compile(
    r"\b(?P<one>one\s+of\s+)?(?:the\s+)?(?:(?:world|globe)['’]s\s+|global\s+)?"
    r"(?:(?P<ord>" + _ORD_WORDS + r")[-\s]+)?"
    r"(?P<sup>largest|biggest|leading|top(?:\s+(?P<n>two|three|four|five|ten|\d{1,2}))?|number one|no\.\s?1)"
    r"\s+(?:known\s+)?(?P<pre>(?:[a-z-]+\s+){0,3}?)"
    r"(?P<role>producer|miner|refiner|processor|supplier|source|reserves|deposits)s?\b"
    r"(?P<post>\s+of\s+[^.;]*)?", re.I)
SECOND_ONLY = re.compile(r"\b(?:second\s+only\s+to|behind\s+only|trail(?:s|ed|ing)?\s+only)\s+", re.I)
# A place without 'largest': 'Chile a close second', 'ranks third', 'came second behind Australia',
# a move ('has climbed to second', 'slipped to third'; never 'fell to a third', a fraction) and the
# appositive 'Myanmar, in third place,'.
_ORD = r"(?P<ord>" + _ORD_WORDS + r")"
PLACE = re.compile(r"\b(?:(?:ranks?|ranked|ranking|came|comes|placed|places|stands|stood|finished|is|was|"
                   r"remains|remained|sits|sat)\s+(?:(?:now|still|again)\s+)?(?:a\s+)?(?:(?:close|distant|strong)\s+)?|a\s+(?:close|distant)\s+"
                   r"|(?:climbed|climbs|rose|rises|risen|moved|moves|slipped|slips|fell|falls|fallen|dropped|drops|"
                   r"slid|slides|jumped|advanced|dropped\s+back)\s+(?:up\s+|back\s+)?to\s+"
                   r"(?:(?:a\s+)?(?:close|distant)\s+)?"
                   r"|(?<=,\s)(?:(?:now|still)\s+)?in\s+(?=" + _ORD.replace("?P<ord>", "?:") + r"\s+place\b))"
                   + _ORD + r"\b(?![-\s]+(?:largest|biggest|leading|top|"
                   r"half|quarter|time|round|largest|straight|consecutive|year|month|week|quarter|phase|line|tier)\b)"
                   r"(?!\s+of\b)", re.I)
# 'Australia, still the leader,' / 'X remains the runner-up': rank 1 / 2 (the appositive's head or
# the clause's subject); only before a clause end or 'among' / 'with' ('the leader in recycling' is not)
LEADER = re.compile(r"(?:,\s+|\b(?:is|was|remains|remained)\s+)(?:(?:still|now|again|by\s+far)\s+)?the\s+"
                    r"(?:clear\s+|undisputed\s+)?(?P<w>leader|runner-up)(?=\s*[,.;—]|\s+(?:among|with)\b)", re.I)
# a second place after the first: 'with Russia a close second and Tajikistan third'
AND_NEXT = re.compile(r"\s*,?\s+and\s+(?:the\s+)?", re.I)
NEXT_ORD = re.compile(r"\s+(?:(?:a\s+)?(?:close|distant)\s+)?" + _ORD + r"\b(?![-\s]+\w*(?:largest|biggest))", re.I)
# the place must be among producers (or holders of reserves): a role word in its sentence (or one
# production claim in the sentence before: context())
PLACE_ROLE = re.compile(r"\b(?:producers?|miners?|refiners?|processors?|output|production|mining|refining|"
                        r"processing|mined|refined|mines|refines|produces|produced|reserves|deposits)\b", re.I)
# ... and its sentence must not be about buyers, sellers, firms or anything else ('second to none');
# a share of world output is a producer's ('China's share of mined antimony fell ..., with Russia second')
PLACE_NOT = re.compile(r"\b(?:import\w*|export\w*|buyers?|consum\w*|demand|markets?|sales|spend\w*|"
                       r"suppliers?|sources?|investors?|price\w*|compan(?:y|ies)|firms?|traders?|"
                       r"shares?(?!\s+of\s+(?:the\s+)?(?:world['’]s|global|world|mined|refined|primary|refinery|mine|smelter)\b)|"
                       r"list|economy|to\s+none)\b", re.I)
# a relative clause about its head ('Indonesia, where cobalt is recovered from nickel processing,'):
# its minerals and verbs are not the rank's
RELATIVE = re.compile(r",\s+(?:where|which|whose|who)\b[^,;.]*(?:,|(?=[;.]))", re.I)
# the rank of an amount: '... turned out 51,000 tonnes, the second-largest total'
AMOUNT_RANK = re.compile(r"[^,;.]{0,60}?,\s+(?:the\s+)?(?:world['’]s\s+)?(?:" + _ORD + r"[-\s]+)?"
                         r"(?:largest|biggest|highest)\s+"
                         r"(?:total|amount|tonnage|figure|volume|output)\b", re.I)
# a place in something else, named after it: 'second in a ranking of ...', 'third among importers'
OTHER_CONTEST = re.compile(r"(?:\s+place)?\s+(?:in|among|on|for|at|by|behind\s+\w+\s+in)\b", re.I)
# a rank within a region or leaving a country out, named right after the place
REGIONAL = re.compile(r"(?:\s+place)?\s+(?:(?:in|among|within)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:Americas?|Africa|African|"
                      r"Europe|European|Asia|Asian|region|regional|bloc|EU|continent|hemisphere|OECD|West|western)\b"
                      r"|outside\b|excluding\b|after\s+China\b)", re.I)
PRODUCTION_KINDS = {"share_of_world_production": False, "amount_of_production": False, "rank_of_producer": False,
                    "share_of_world_reserves": True, "rank_of_reserves": True}
ROLE_VERB = {"miner": "mines", "refiner": "refines", "processor": "processes"}


# the buyer of a supplier rank: "India's biggest graphite supplier", 'the top supplier to Japan',
# 'the largest source of U.S. imports of ...'
_BUYER_BEFORE = re.compile(r"(?:['’]s)?\s+(?:(?:single|own|main)\s+)?$")
_BUYER_AFTER = re.compile(r"\s*(?:of\s+[^.;,]{0,40}?\s+)?(?:to|for)\s+(?:the\s+)?$|\bimports?\b", re.I)


def trade_rank(text: str, s: int, e: int, m: re.Match) -> str:
    """The importer whose suppliers a supplier / source rank places the country among ('' when the
    rank names none: then it reads as a producer rank)."""
    lead = text[s:m.start()]
    for c in reversed(names.importers(lead, s)):
        if names.possessive(text, c) and _BUYER_BEFORE.fullmatch(text, c.end, m.start()):
            return c.name
        break
    at = m.end("role") + (text[m.end("role"):m.end("role") + 1] == "s")
    post = re.split(r"[;,]", text[at:min(e, at + 80)])[0]
    for c in names.importers(post, at):
        gap = text[at:c.start]
        if _BUYER_AFTER.search(gap) or (re.fullmatch(r"\s+of\s+(?:the\s+)?", gap) and re.match(
                r"(?:['’]s)?\s+(?:[\w-]+\s+)?imports\b", text[c.end:c.end + 40])):
            return c.name
    if re.match(r"\s+of\s+(?:[\w.-]+\s+){0,2}imports\b", post, re.I):
        return "an importer"
    return ""


def pseudo_figure(number, kind, unit, text, i, start, end):
    """A figure the extractor does not list ('largest', 'all'), shaped like one."""
    return type("F", (), dict(number=number, unit=unit, kind=kind, text=text, sentence_index=i,
                              char_start=start, char_end=end))


def rank_at(text, f) -> bool:
    return bool(re.match(r"[-\s]+(largest|biggest|leading|top)\b", text[f.char_end:f.char_end + 12], re.I))


def ranks(sen, got=()) -> list[dict]:
    """Every rank claim of the sentence; `got` are its other claims (for the rank of an amount)."""
    text, s, e = sen.text, sen.s, sen.e
    out = []
    sentence_minerals = names.minerals(text[s:e])
    only = sentence_minerals if len({m.name for m in sentence_minerals}) == 1 else []
    for m in RANK.finditer(text, s, e):
        named = names.minerals(m.group("pre") or "") + names.minerals((m.group("post") or "")[:80])
        role = m.group("role").lower()
        if role in ("supplier", "source") and (buyer := trade_rank(text, s, e, m)):
            # "Madagascar, India's biggest graphite supplier": a place among one importer's suppliers
            start = m.start("ord") if m.group("ord") else m.start("sup")
            end = m.end("role") + (text[m.end("role"):m.end("role") + 1] == "s")
            f = pseudo_figure(ORDINALS.get((m.group("ord") or "").lower(), 1), "ordinal", "",
                              text[start:end], sen.i, start, end)
            out.append(clauses.claim_row(f, text, kind="rank_of_producer", rule="rank", unit="rank",
                                         why_not_checkable=f"a rank among the suppliers of {buyer} (a place in its "
                                         "imports), not among the world's producers: our checks read shares "
                                         "of an importer's imports, not places"))
            continue
        n = ORDINALS.get((m.group("ord") or "").lower(), 1)
        bound = TOP_N.get((m.group("n") or "").lower())
        start = m.start("ord") if m.group("ord") else m.start("sup")
        reserves = role in ("reserves", "deposits")
        ctx = context(sen) if not sentence_minerals and role not in ("supplier", "source") else None
        if ctx and ctx[3] == reserves and not PLACE_NOT.search(text[s:e]):
            # 'The Philippines, the second-largest producer, ...' after a sentence on Indonesia's nickel
            stage = ctx[1] if role not in ROLE_VERB else clauses.stage_of(ROLE_VERB[role], "", sen, names.Mention(
                0, 0, "", ctx[0]))
            out += _claims(sen, m.start(), m.end(), start, [names.Mention(0, 0, "", ctx[0], "", stage)], role,
                           bound or n, "at most" if bound else "", bool(m.group("one")) and not bound,
                           reserves=reserves, year=ctx[2])
            continue
        given = year = None
        if MAKES_IT.search(text, max(s, m.start() - 40), m.start()):
            # 'its 5.3 million tonnes make it the top producer': the country of the claims before it
            ref = [r for r in got if r["checkable"] == "yes" and r["kind"] in PRODUCTION_KINDS
                   and r["char_start"] < m.start()]
            who, years = {r["country"] for r in ref}, {r["year_or_period"] for r in ref}
            if len(who) != 1:
                f = pseudo_figure(n, "ordinal", "", text[start:m.end()], sen.i, start, m.end())
                out.append(clauses.claim_row(f, text, kind="rank_of_producer", rule="rank", unit="rank",
                                             why_not_checkable="'it' in 'makes it the ...' refers to no one "
                                             "country's claim before it"))
                continue
            given, year = who.pop(), (years.pop() if len(years) == 1 else None)
        para = _para_mineral(sen, m.group("post"), m.start(), m.group("role")) if not (named or only or ctx) \
            else None
        if para:  # 'Tin is more spread out. China is still the largest miner': the paragraph's one mineral
            out += _claims(sen, m.start(), m.end(), start, [para], role, bound or n, "at most" if bound else "",
                           bool(m.group("one")) and not bound, reserves=reserves, subject=given)
            continue
        if not (named or only):
            f = pseudo_figure(n, "ordinal", "", text[start:m.end()], sen.i, start, m.end())
            out.append(clauses.claim_row(f, text, kind="rank_of_producer", rule="rank", unit="rank",
                                         why_not_checkable="a rank whose mineral is not clear" if sentence_minerals
                                         else "a rank that names no mineral"))
            continue
        out += _claims(sen, m.start(), m.end(), start, named or only[:1], role, bound or n,
                       "at most" if bound else "", bool(m.group("one")) and not bound, reserves=reserves,
                       subject=given, year=year)
    for m in SECOND_ONLY.finditer(text, s, e):
        rival = [c for c in sen.here if c.start == m.end() or c.start == m.end() + 4]
        if rival:
            # 'trails only China and India': two ahead, so third
            two = [c for c in sen.here if c.start > rival[0].end and
                   re.fullmatch(r"\s+and\s+(?:the\s+)?", text[rival[0].end:c.start])]
            n = 3 if two and m.group().lower().startswith("trail") else 2
            out += _claims(sen, m.start(), (two or rival)[0].end, m.start(), only[:1], "", n, "", False,
                           reserves=bool(clauses.RESERVES.search(text[s:e])))
    out += places(sen, got) + amount_ranks(sen, got) + most_of_all(sen, got)
    out += nexts(sen, list(got) + out)  # the leader may be a rank of this sentence
    return out + followers(sen, out)


def places(sen, got=()) -> list[dict]:
    """'Chile a close second', '... ranks third among cobalt miners', 'has climbed to second',
    'Myanmar, in third place,', 'Australia, still the leader,', and a second place after the first
    ('with Russia a close second and Tajikistan third'): a rank without 'largest', only in a
    sentence about producers (or reserves) and not about buyers, firms or prices."""
    text, s, e = sen.text, sen.s, sen.e
    found = [(m.start(), m.end(), m.start("ord"), ORDINALS[m.group("ord").lower()]) for m in PLACE.finditer(text, s, e)]
    found += [(m.start(), m.end(), m.start("w"), 1 if m.group("w").lower() == "leader" else 2)
              for m in LEADER.finditer(text, s, e)]
    out = []
    for start, end, at, n in sorted(found):
        out += _place(sen, start, end, at, n, got=got)
        nxt = [c for c in sen.here if c.start >= end and AND_NEXT.fullmatch(text, end, c.start)]
        m = NEXT_ORD.match(text, nxt[0].end, e) if nxt else None
        if m:
            out += _place(sen, m.start(), m.end(), m.start("ord"), ORDINALS[m.group("ord").lower()], nxt[0].name,
                          got)
    return out


def context(sen):
    """(commodity, stage, year, reserves) that every production (or reserves) claim of the sentence
    before shares, else None: what 'Tajikistan came a distant second' after a sentence on China's
    antimony output ranks."""
    keys = {(r["commodity"], r["stage"], r["year_or_period"], PRODUCTION_KINDS[r["kind"]])
            for r in sen.last if r["kind"] in PRODUCTION_KINDS and r["checkable"] == "yes"}
    # that sentence is in the same paragraph and names no other mineral
    if len(keys) != 1 or not sen.before or {m.name for m in names.minerals(sen.before)} - {next(iter(keys))[0]}:
        return None
    return next(iter(keys))


def own_text(text, s, e, keep) -> str:
    """The sentence with its relative clauses blanked (same offsets), except the one holding `keep`."""
    out = text[s:e]
    for m in RELATIVE.finditer(text, s, e):
        if not m.start() <= keep < m.end():
            out = out[:m.start() - s] + " " * (m.end() - m.start()) + out[m.end() - s:]
    return out


def _place(sen, start, end, at, n, subject=None, got=()) -> list[dict]:
    """One place: the mineral is named after it in its clause, or is the only one of its sentence
    (outside relative clauses), or (when the sentence names none) the one of the sentence before's
    production claims, with their stage and year; several and none named: not checkable."""
    text, s, e = sen.text, sen.s, sen.e
    rest = clauses.clause_after(text, end, e, [])
    if PLACE_NOT.search(text[s:e]) or RANK.search(rest):
        return []  # 'second-largest' and the like are RANK's; 'second among importers' is no rank of ours
    own = own_text(text, s, e, start)
    named = names.minerals(rest[:80])
    many = {x.name for x in names.minerals(own)}
    ctx = context(sen) if not many else None
    if ctx and not PLACE_ROLE.search(text[s:e]) and OTHER_CONTEST.match(rest):
        return []  # 'Germany came second in a ranking of magnet makers': another contest
    if REGIONAL.match(rest):
        return []  # 'second in the Americas', 'third outside China': not a world rank
    if not (PLACE_ROLE.search(text[s:e]) or ctx):
        return []
    end = end + len(rest.rstrip(" ,")) if named and not rest.startswith(",") else end  # not an appositive's verb
    if ctx:
        mineral = [names.Mention(at, end, "", ctx[0], "", ctx[1])]
        return _claims(sen, start, end, at, mineral, "", n, "", False, reserves=ctx[3], who=True,
                       subject=subject, year=ctx[2])
    para = _para_mineral(sen, "", at) if not (named or many) else None
    if not (named or len(many) == 1 or para):
        f = pseudo_figure(n, "ordinal", "", text[at:end], sen.i, at, end)
        why = (f"a rank whose mineral is not clear: its sentence names {len(many)} ({', '.join(sorted(many))})"
               if many else "a rank that names no mineral")
        return [clauses.claim_row(f, text, kind="rank_of_producer", rule="rank", unit="rank",
                                  why_not_checkable=why)]
    mineral = named[:1] or [x for x in names.minerals(own)][:1] or [para]
    # with no year of its own, the one its sentence's production claims of that mineral share ('China
    # mined 70% of the world's rare earths in 2024, while the U.S. came a distant second')
    years = {r["year_or_period"] for r in got if r["kind"] in PRODUCTION_KINDS and r["checkable"] == "yes"
             and r["commodity"] == mineral[0].name}
    return _claims(sen, start, end, at, mineral, _role(own, start - s), n, "", False,
                   reserves=bool(clauses.RESERVES.search(rest or own) and not re.search(r"\bproduc", rest)),
                   who=True, subject=subject, year=years.pop() if len(years) == 1 else None)


def amount_ranks(sen, got) -> list[dict]:
    """'... turned out 51,000 tonnes, the second-largest total': the rank of that amount's country
    among producers of its mineral, at its stage and year."""
    out = []
    for r in got:
        m = AMOUNT_RANK.match(sen.text, r["char_end"], sen.e)
        if r["kind"] != "amount_of_production" or r["checkable"] != "yes" or not m:
            continue
        n = ORDINALS.get((m.group("ord") or "").lower(), 1)
        at = m.start("ord") if m.group("ord") else m.start()
        f = pseudo_figure(n, "ordinal", "", sen.text[at:m.end()], sen.i, at, m.end())
        out.append(clauses.claim_row(f, sen.text, kind="rank_of_producer", rule="rank", commodity=r["commodity"],
                                     measure="production", stage=r["stage"], country=r["country"],
                                     year_or_period=r["year_or_period"], unit="rank", checkable="yes",
                                     mapped_table="world.csv"))
    return out


def place_before(sen, f):
    """The checkable place claim that 'with N tonnes' follows ('has climbed to second, with 44,000
    tonnes'), else None."""
    for r in places(sen):
        if r["checkable"] == "yes" and re.fullmatch(r"(?:\s+place)?\s*,?\s+with\s+(?:[a-z]+\s+){0,2}",
                                                    sen.text[r["char_end"]:f.char_start], re.I):
            return r
    return None


def _role(sentence: str, at: int) -> str:
    """The mine or refine role nearest the place: the last before it, else the first after it."""
    found = list(re.finditer(r"\b(min(?:er|ers|ing|ed|es)|refin(?:er|ers|ing|ed|es)|process(?:or|ors|ing|es|ed))\b",
                             sentence, re.I))
    if not found:
        return ""
    m = ([x for x in found if x.start() < at] or found)[-1 if any(x.start() < at for x in found) else 0]
    w = m.group(1).lower()
    return "miner" if w.startswith("min") else "refiner" if w.startswith("refin") else "processor"


# 'has overtaken Peru as the second-largest producer': Peru is not the one ranked
OVERTAKE = ("overtaken", "overtook", "overtakes", "overtaking", "surpassed", "surpasses", "outpaced", "outstripped",
            "displaced", "displacing", "passed", "dethroned", "unseated")


def _subject(sen, start, who):
    """The country a rank before `start` is about: the last one named before it, not after 'from'
    (nor, for a place, after 'behind' / 'after' / 'than': 'behind Australia, Chile ranks second'),
    not inside an institution's name, and not the one overtaken."""
    text = sen.text
    skip = ("from", "behind", "after", "than", "to", "only") if who else ("from",)
    ahead = [c for c in sen.here if c.end <= start and not clauses.after_word(text, c.start, skip)
             and not names.state_body_after(text, c.end)]
    while ahead and clauses.after_word(text, ahead[-1].start, OVERTAKE) \
            and re.fullmatch(r"\s+as\s+(?:the\s+)?", text[ahead[-1].end:start], re.I):
        ahead.pop()  # '... has overtaken Peru as the second-largest' (not '..., which fell to fourth')
    if ahead:
        return ahead[-1].name
    owners = [c for c in sen.here if not names.state_body_after(text, c.end)]
    return sen.ctx if not (who and owners) else None


def _claims(sen, start, end, fig_start, minerals, role, n, qualifier, unbounded, reserves, who=False,
            subject=None, year=None):
    text = sen.text
    f = pseudo_figure(n, "ordinal", "", text[fig_start:end].strip(), sen.i, fig_start, end)
    subject = subject or _subject(sen, start, who)
    when, _, why_when = clauses.year_of(sen, (start, end))
    if year and when == "latest" and not why_when:  # the context's year ('last year' in the sentence before)
        when = year
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


# ---- ranks that lean on another claim: 'makes it the top producer', 'followed by', 'came next' --
MAKES_IT = re.compile(r"\b(?:makes?|made|making|keeps?|kept|leaves?|left)\s+(?:it|the\s+country)\s+"
                      r"(?:(?:still|again)\s+)?(?:the\s+)?$", re.I)
# a non-mineral product between the paragraph's mineral and the rank: 'the largest miner' is not its
_PRODUCTS = re.compile(r"\b(?:steel|batter(?:y|ies)|magnets?|cars?|vehicles?|chips?|semiconductors?|panels?|"
                       r"turbines?|alloys?|cells?|coal|oil|gas|gold|silver|iron)\b", re.I)


def _para_mineral(sen, post, at, role=""):
    """The one mineral its paragraph has named before a rank whose sentence names none and has no
    'of ...' ('Tin is more spread out. China is still the largest miner'), with the role's stage;
    else None."""
    found = names.minerals(sen.para)
    if post or not sen.before or len({x.name for x in found}) != 1 or found[-1].refuse:
        return None
    if role.lower() in ("supplier", "source") or PLACE_NOT.search(sen.text[sen.s:sen.e]) \
            or _PRODUCTS.search(sen.para[found[-1].end:] + sen.text[sen.s:at]):
        return None
    return found[-1]


# after an exact rank: 'followed by Burma', ', and South Africa the runner-up', 'with Indonesia third'
FOLLOWED = re.compile(r"\s*,?\s+(?:closely\s+)?followed\s+by\s+", re.I)  # a country's 'the' is its name's
AND_ALSO = re.compile(r"\s*,?\s+(?:and|with)\s+", re.I)
ALSO_PLACE = re.compile(r"\s+(?:(?:is|was)\s+)?(?:(?P<ru>the\s+runner-up)|(?:in\s+)?(?:a\s+(?:close|distant)\s+)?"
                        + _ORD + r"(?:\s+place)?)(?=\s*[,.;—]|\s*$)", re.I)


def followers(sen, rows) -> list[dict]:
    """The places named right after an exact rank of the sentence, each one below the one before:
    'China is the largest miner, followed by Burma, with Indonesia third' (Burma 2, Indonesia 3);
    'Russia is the top producer, and South Africa the runner-up' (2). Same mineral, stage, year."""
    text, e, out = sen.text, sen.e, []
    for r in [r for r in rows if r["checkable"] == "yes" and r["rule"] == "rank" and not r["qualifier"]
              and not re.search(r"\b(?:supplier|source)s?\b", r["written"], re.I)]:  # not a trade rank
        pos, n = r["char_start"], int(r["figure"])
        m = FOLLOWED.search(text, pos, e) or AND_ALSO.search(text, pos, e)
        while m:
            gap = text[pos:m.start()]
            c = next((c for c in sen.here if c.start == m.end()), None)
            if c is None or ";" in gap or any(x.start >= pos and x.start < m.start() for x in sen.here) \
                    or any(pos <= g.char_start < m.start() and g.kind not in clauses.TIME_KINDS for g in sen.figs):
                break
            place = ALSO_PLACE.match(text, c.end, e)
            if m.re is FOLLOWED and not place:
                if re.match(r"\s*,?\s+(?:and|or)\s+|,\s*(?!with\b)", text[c.end:e]) and not ALSO_PLACE.search(
                        text[c.end:c.end + 80].split(";")[0]):
                    break  # 'followed by Vietnam and Russia': a group, in no stated order
                n += 1
            elif place:
                n = 2 if place.group("ru") else ORDINALS[place.group("ord").lower()]
            else:
                break
            end = place.end() if place else c.end
            f = pseudo_figure(n, "ordinal", "", text[m.start():end].strip(" ,"), sen.i, m.start(), end)
            out.append(clauses.claim_row(f, text, **{k: r[k] for k in (
                "kind", "rule", "commodity", "measure", "stage", "year_or_period", "unit", "checkable",
                "mapped_table")}, country=c.name, span=text[m.start():end].strip(" ,")))
            pos = end
            m = AND_ALSO.match(text, pos, e)
    return out


# 'holds a third of the world's reserves, more than anyone else': the top rank of that share
MOST = re.compile(r",\s+more\s+than\s+(?:anyone|anybody|any\s+other\s+(?:country|nation|producer|miner))"
                  r"(?:\s+else)?(?=\s*[,.;—]|\s*$)", re.I)
_SHARES = {"share_of_world_production": "rank_of_producer", "share_of_world_reserves": "rank_of_reserves"}


def most_of_all(sen, got) -> list[dict]:
    text, out = sen.text, []
    for r in got:
        m = MOST.search(text, r["char_end"], sen.e)
        if r["kind"] not in _SHARES or r["checkable"] != "yes" or not m:
            continue
        gap = text[r["char_end"]:m.start()]
        if re.search(r"[;—]", gap) or any(r["char_end"] <= c.start < m.start() for c in sen.here) \
                or any(r["char_end"] <= g.char_start < m.start() and g.kind not in clauses.TIME_KINDS
                       for g in sen.figs):
            continue
        f = pseudo_figure(1, "ordinal", "", m.group().strip(" ,"), sen.i, m.start() + 2, m.end())
        out.append(clauses.claim_row(f, text, kind=_SHARES[r["kind"]], rule="rank", unit="rank",
                                     **{k: r[k] for k in ("commodity", "form", "measure", "stage", "country",
                                                          "year_or_period", "checkable", "mapped_table")}))
    return out


# 'Turkey came next', 'Madagascar and Mozambique are next': the places after the leader just named
NEXT = re.compile(r"\b(?:came|comes|come|is|was|are|were|ranks?|ranked)\s+(?:a\s+(?:close|distant)\s+)?next\b"
                  r"(?![-\s]+(?:to|year|month|week|door|in\s+line|generation|step|decade|largest|biggest|time)\b)",
                  re.I)


def nexts(sen, got) -> list[dict]:
    """One country 'came next' after a leader (a rank claim, or a share over half) in its sentence
    or the sentence before: one place below it. Two ('A and B are next'): the two places below it,
    in that order, only after a leader named in the sentence before. Same mineral, stage, year."""
    text, s, e, out = sen.text, sen.s, sen.e, []
    for m in NEXT.finditer(text, s, e):
        last = [c for c in sen.here if c.end <= m.start() and not text[c.end:m.start()].strip()]
        if not last or PLACE_NOT.search(text[s:e]):
            continue
        pair = [c for c in sen.here if re.fullmatch(r"\s*,?\s+and\s+(?:the\s+)?", text[c.end:last[0].start])]
        who = pair[-1:] + last
        if any(re.fullmatch(r"\s*,\s*", text[c.end:who[0].start]) for c in sen.here):
            continue  # 'Brazil, Madagascar and Mozambique are next': three, not two
        f = pseudo_figure(2, "ordinal", "", m.group(), sen.i, m.start(), m.end())
        here = [r for r in got if r["char_start"] < who[0].start]
        lead, why = _leader(here if here and len(who) == 1 else sen.last, {c.name for c in who})
        if why:
            out.append(clauses.claim_row(f, text, kind="rank_of_producer", rule="rank", unit="rank",
                                         why_not_checkable=why))
            continue
        r, n = lead
        for k, c in enumerate(who):
            g = pseudo_figure(n + 1 + k, "ordinal", "", m.group(), sen.i, m.start(), m.end())
            out.append(clauses.claim_row(g, text, kind="rank_of_reserves" if r["measure"] == "reserves"
                                         else "rank_of_producer", rule="rank", unit="rank", country=c.name,
                                         **{k: r[k] for k in ("commodity", "form", "measure", "stage",
                                                              "year_or_period", "checkable", "mapped_table")}))
    return out


def _leader(rows, followers):
    """((claim, its rank), '') of the one leader the claims name: an exact rank, or a share of over
    half of world output or reserves (rank 1); else (None, why)."""
    rows = [r for r in rows if r["checkable"] == "yes" and r["kind"] in PRODUCTION_KINDS]
    keys = {(r["commodity"], r["stage"], r["measure"], r["year_or_period"]) for r in rows}
    who = {r["country"] for r in rows}
    if len(keys) != 1 or len(who) != 1 or who & followers:
        return None, "'next' after no single leader's claim (one country, one mineral): its place is not clear"
    ranked = [r for r in rows if r["kind"].startswith("rank_") and not r["qualifier"]]
    if ranked:
        return (ranked[-1], int(ranked[-1]["figure"])), ""
    share = [r for r in rows if r["kind"].startswith("share_") and (r["figure"] > 50 or r["figure"] == 50
                                                                   and r["qualifier"] == "more than")]
    if share:
        return (share[-1], 1), ""
    return None, "'next' after a claim that does not say who leads: its place is not clear"
