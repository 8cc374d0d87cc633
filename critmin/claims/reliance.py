"""U.S. net import reliance claims (rule 'import-reliance' of mapper.py), read against
net_import_reliance.csv:
  - a percent in a clause about relying / depending on imports or foreign sources ('relies on
    imports for 76% of its cobalt', 'net import reliance of 76% for cobalt');
  - a percent of what the country consumed, used or needed that was imported ('imported about
    95% of the rare-earth compounds it consumed', 'X% of its apparent consumption came from
    imports'), unless the clause names a supplier ('from China': that is an import share);
  - 'all of' instead of a figure is 100%: 'relies on imports for all of its X and Y', 'imported
    all of the natural graphite it used', and a list that continues a reliance clause ('for 95%
    of A, for all of its B, and for 57% of its C': three claims, each with its own figure and
    hedge; each item's minerals end where the next ', for' begins; 'at 92% for A and at about
    80% for B': each figure takes the mineral named after its own 'for'). When the figure's item
    names no mineral, the sentence's mineral is taken only when it names one.
The importer is the one whose consumption it is ('of U.S. apparent consumption', 'of China's
cobalt consumption'), else the country named before the figure, else the last country that opened
a sentence before it; USGS publishes net import reliance for the United States only."""
from __future__ import annotations

import re

from critmin.claims import names, production
from critmin.claims.clauses import (FOREIGN, RELIANCE, claim_row, clause_after, not_checkable,
                                    subject_of, year_of)
from critmin.claims.ranks import pseudo_figure

CONSUMED = re.compile(r"\b(?:it|they|the country|the nation|americans?)\s+(?:\w+\s+)?"
                      r"(?:used|uses|needed|needs)\b|\b(?:consumed|consumes|consumption|demand|requirements)\b",
                      re.I)
_ALL = r"(?P<all>all|the whole|the entirety)\s+of\s+"
ALL_OF = re.compile(r"\b(?:rel(?:y|ies|ied|ying)|depends?|depended|depending|dependent|reliant)\s+"
                    r"(?:entirely\s+)?on\s+"
                    r"(?:imports|foreign\s+(?:sources|suppliers|supplies)|other countries)\s+for\s+" + _ALL,
                    re.I)
LIST_ALL = re.compile(r"(?:,\s+(?:and\s+)?|\s+and\s+)for\s+" + _ALL, re.I)  # '(,) and for all of its B'
IMPORTED_ALL = re.compile(r"\bimport(?:s|ed)\s+(?P<all>all|the whole|the entirety)\s+(?:of\s+)?"
                          r"(?=the\s|its\s)", re.I)
NEXT_ITEM = re.compile(r",?\s+(?:and\s+)?for\s+|\b(?:it|they)\s+(?:\w+\s+)?(?:consumed|used|needed)\b", re.I)
OWN_USE = r"(?:['’]s)?\s+(?:[a-z-]+\s+){0,3}?(?:consumption|use|needs|consumes|consumed|uses|used)\b"


def is_reliance(sen, clause: str) -> bool:
    """A reliance clause, or a share of consumption that was imported (with no supplier named)."""
    if RELIANCE.search(clause) and FOREIGN.search(clause):
        return True
    return bool(FOREIGN.search(clause) and CONSUMED.search(clause) and not _names_supplier(clause))


def _names_supplier(clause: str) -> bool:
    return any(re.search(r"\bfrom\s+(?:the\s+)?$", clause[:c.start]) for c in names.countries(clause))


def reliance(sen, f, after, subject, common, why_when):
    text = sen.text
    item = _item(after)
    mins = names.minerals(item)
    if not mins and EACH.search(item):  # 'for 100 percent of its consumption of each'
        mins, why = _each(sen, f)
        if why:
            return not_checkable(f, text, why, "import-reliance")
    if not mins and not GENERIC_ITEM.match(item) and OTHER_ITEM.match(item):
        return not_checkable(f, text, f"import reliance for '{OTHER_ITEM.match(item).group(1)}', not a mineral "
                             "we can name", "import-reliance")  # 'for 25% of its oil'
    mins = mins or (_before_mineral(sen, f) if GENERIC_ITEM.match(item) else []) or _only_mineral(text[sen.s:sen.e])
    whose = [c for c in names.countries(item, f.char_end) if re.match(OWN_USE, text[c.end:c.end + 40])]
    subject = whose[0].name if whose else subject or sen.prev  # 'of China's cobalt consumption'
    if subject is None:
        return not_checkable(f, text, "import reliance with no importer named", "import-reliance")
    if subject != "United States":
        return not_checkable(f, text, "USGS publishes net import reliance for the United States only",
                             "import-reliance")
    return [claim_row(f, text, **common, kind="net_import_reliance", rule="import-reliance",
                      commodity=m.name, form=m.form, importer=subject, country=subject,
                      checkable="yes" if not why_when else "no", mapped_table="net_import_reliance.csv",
                      measure="net import reliance", why_not_checkable=why_when) for m in mins] \
        or not_checkable(f, text, "import reliance on no mineral we can name", "import-reliance")


# the figure's item names none, but refers to the minerals listed before it
EACH = re.compile(r"\b(?:each|all\s+(?:three|four|five|of\s+them)|both|either)\b", re.I)


# an item that names nothing else: 'of what it uses', 'of its consumption', nothing ('at 70 percent.')
GENERIC_ITEM = re.compile(r"^\s*(?:(?:in|for|during)\s+\d{4}\s*)?(?:$|[.,;:]|(?:of|for)\s+(?:what\b|it\b|them\b|"
                          r"(?:(?:its|their|the\s+country['’]s|U\.S\.|American|domestic|national)\s+)?"
                          r"(?:(?:apparent|domestic|total|annual)\s+)?(?:consumption|needs|use|usage|supply|supplies|"
                          r"requirements|demand)\b))", re.I)


OTHER_ITEM = re.compile(r"^\s*(?:of|for)\s+(?:its|their|the\s+country['’]s|U\.S\.|American)\s+([a-z][a-z-]+)\b(?!\s+of\b)",
                        re.I)


def _part_before(sen, f) -> str:
    """The sentence before the figure, back to the figure before it or a semicolon."""
    start = max([g.char_end for g in sen.figs if g.char_end <= f.char_start and g.kind in ("percent", "fraction",
                                                                                            "mass")]
                + [sen.s])
    part = sen.text[start:f.char_start]
    return part[part.rfind(";") + 1:]


def _before_mineral(sen, f) -> list:
    """The one mineral (and form) named before the figure in its part of the sentence ('has no
    manganese mine of its own and relies on imports for 100 percent of what it uses'; 'for chromium,
    the survey puts U.S. net import reliance at 70 percent'); else none."""
    return _only_mineral(_part_before(sen, f))


def _each(sen, f):
    """(the minerals of the one list before the figure, '') for 'of each' / 'of all three'; else
    ([], why): 'Graphite, gallium and indium all share the same figure: ... 100 percent of ... each'."""
    found = names.minerals(_part_before(sen, f))
    listed = production.listed(sen.text, names.minerals(_part_before(sen, f), f.char_start
                                                         - len(_part_before(sen, f))))
    if len(found) < 2 or len(listed) != len(found):
        return [], ("'each' refers to the minerals named before it, which are "
                    f"{'not one list' if len(found) > 1 else 'fewer than two'}: which ones is not clear")
    return listed, ""


def _item(after: str) -> str:
    """The figure's own item: up to the next ', for' ('at 80% for antimony' keeps its own 'for')."""
    own = re.match(r"\s*(?:of\s+|for\s+)", after, re.I)
    m = NEXT_ITEM.search(after, own.end() if own else 0)
    return after[: m.start()] if m else after


def _only_mineral(sentence: str) -> list:
    found = names.minerals(sentence)
    return found[:1] if len({(m.name, m.form) for m in found}) == 1 else []


def all_of(sen) -> list[dict]:
    """'all of' as 100% net import reliance, one claim per mineral (the module docstring)."""
    text, out = sen.text, []
    found = list(ALL_OF.finditer(text, sen.s, sen.e)) + list(IMPORTED_ALL.finditer(text, sen.s, sen.e))
    found += [m for m in LIST_ALL.finditer(text, sen.s, sen.e) if is_reliance(sen, text[sen.s:m.start()])]
    for m in found:
        f = pseudo_figure(100.0, "percent", "percent", text[m.start("all"):m.end("all")],
                                sen.i, m.start("all"), m.end("all"))
        after = clause_after(text, m.end(), sen.e, sen.figs)
        if m.re is IMPORTED_ALL and not CONSUMED.search(after):
            continue  # 'imported all of its cobalt from Norway' is not reliance
        when, dates, why_when = year_of(sen, (m.start(), m.end()))
        subject = subject_of(text, sen.s, m.start(), sen.here, sen.ctx) or sen.prev
        got = reliance(sen, f, after, subject, dict(qualifier="", year_or_period=when, _dates=dates),
                       why_when)
        item = _item(after)
        out += [r | dict(span=text[m.start("all"):m.end()] + item.strip().rstrip(",."))
                for r in got]
    return out
