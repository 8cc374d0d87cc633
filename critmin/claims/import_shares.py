"""Import-share claims (rule 'import-share' of mapper.py): the share of an importer's imports of a
mineral that came from one supplier. USGS import sources answer for the United States, BACI for
any importer (imports.py picks the backend from the claim's `importer`); `country` is the supplier.

  '<importer> imports / bought / gets X% of its <mineral> (imports) from <supplier>'
  'X% of <importer>'s <mineral> imports came from <supplier>'
  '<supplier> supplied / provided / accounted for X% of <importer>'s <mineral> imports'
  '<importer> relied / depended on <supplier> for X% of its <mineral> imports' (with 'imports':
      an import share, never U.S. net import reliance; without it, a share of use that our
      tables do not hold: not checkable, and why)
  'X% of the <mineral> (that) <importer> imported / bought [in <year>] came from <supplier>' and
  '<supplier> shipped / supplied X% of the <mineral> <importer> imported': the importer is the
      relative clause's subject, the supplier the clause's subject (or 'from <country>')
  '<supplier> supplied X% of A, and Y% of B': the second figure keeps the supply verb's subject
A country in ', with <country> supplying the rest' is never the figure's supplier (the text from
', with' on is not read for one). 'extra-EU' and 'from outside the bloc' are the EU-27's imports
from outside it, which is what BACI's EU-27 flows are.
Importers are countries and the EU-27 ('the EU', 'the European Union', data/mappings/
article_importers.csv); 'the bloc' is the EU-27 only when this sentence, before it, or the
sentence before names the EU.

The source or measure the article names for the figure goes into `attributed_to` (named_source;
sources.overall judges the claim by it): 'USGS', 'CEPII BACI', 'by quantity', 'by value'."""
from __future__ import annotations

import re

from critmin.claims import hedges, names
from critmin.claims.clauses import claim_row, clause_after, clause_before, not_checkable

US = "United States"
ON_SUPPLIER = re.compile(r"\b(?:rel(?:y|ies|ied)|depends?|depended|dependent|reliant)\s+"
                         r"(?:heavily\s+|mostly\s+)?on\s+(?P<who>[^,;]{2,40}?)\s+for\s+[^,;]*$", re.I)
SUPPLIED = re.compile(r"\b(supplied|supplies|provided|provides|accounted for|accounts for|made up|"
                      r"makes up|shipped|ships|sold|sells|sent|sends|delivered|delivers)\b", re.I)


def _importer(sen, m: names.Mention) -> str | None:
    """The canonical importer of a mention; 'the bloc' only after the EU was named."""
    if m.text.lower() != names.BLOC:
        return m.name
    seen = names.importers(sen.before) + names.importers(sen.text[sen.s:m.start], sen.s)
    return "EU-27" if any(c.name == "EU-27" and c.text.lower() != names.BLOC for c in seen) else None


def _importer_before(sen, pos) -> names.Mention | None:
    got = [c for c in names.importers(sen.text[sen.s:pos], sen.s)
           if not re.search(r"\b(?:from|to|of|outside)\s+(?:the\s+)?$", sen.text[sen.s:c.start])]
    return got[-1] if got else None


# the clause's subject is the country 'It' / 'The country' of the sentence before (sen.ctx)
PRONOUN_BUYER = re.compile(r"\s*(?:It|The\s+country|The\s+nation)\s+(?:\w+ly\s+)?(?:imported|imports|bought|buys|"
                           r"sourced|sources|gets|got|purchased|took|takes|drew|draws)\b")
# ', with Bolivia supplying most of the rest': never the figure's own supplier
WITH_REST = re.compile(r",\s+with\s+", re.I)
# 'the antimony ore (that) the EU-27 imported': the importer of a relative clause
REL_VERB = re.compile(r"\s+(?:that\s+|which\s+)?(?:\w+ly\s+)?(?:imported|imports|bought|buys|purchased|"
                      r"took in|received|brought in|sourced)\b", re.I)
# 'China, counting Hong Kong, supplied': a parenthesis between the supplier and its verb
ASIDE = re.compile(r",\s*(?:counting|including|excluding|together with|along with|plus)\s+[^,]{2,30},", re.I)


def _relative_importer(sen, f, after) -> tuple[names.Mention, int] | None:
    """('of the cobalt Japan imported ...': the importer, the offset in `after` where its verb
    ends) when the figure's 'of' phrase is a mineral that a relative clause says was imported."""
    if not re.match(r"\s*of\s+(?:the|all\s+the)\s", after, re.I):
        return None
    for c in names.importers(after, 0):
        v = REL_VERB.match(after, c.end)
        head = after[:c.start]
        if v and names.minerals(head) and not re.search(r"\b(?:from|to|of|outside|by)\s+(?:the\s+)?$", head):
            return names.Mention(f.char_end + c.start, f.char_end + c.end, c.text, c.name), v.end()
        if v is None:
            return None  # another country comes first: not a relative clause about its imports
    return None


NEXT_TO = re.compile(r"\s*(?:(?:about|around|roughly|nearly|almost|some|just|over|under|more|less|than|at|"
                     r"least|most|close|to)\s+)*", re.I)


def _supplier_subject(sen, pos) -> str | None:
    """The subject of the supply verb before the figure: the last country before the verb that
    is not after 'from'/'to'/'of' (a ', counting Hong Kong,' aside is skipped), unless a country
    after the verb stands right before the figure ('and Japan about 30%'); with none, the country
    'It' refers to."""
    lead = sen.text[sen.s:pos]
    verbs = list(SUPPLIED.finditer(lead))
    if not verbs:
        return None
    after_verb = names.countries(lead[verbs[-1].end():], sen.s + verbs[-1].end())
    if after_verb and NEXT_TO.fullmatch(sen.text[after_verb[-1].end:pos]) and not re.search(
            r"\b(?:from|to|of|for|outside)\s+(?:the\s+)?$", sen.text[sen.s:after_verb[-1].start]):
        return after_verb[-1].name  # ', and Japan about 30% of ...': the elided verb's own subject
    head = ASIDE.sub(lambda m: " " * len(m.group()), lead[:verbs[-1].start()])
    got = [c for c in names.countries(head, sen.s)
           if not re.search(r"\b(?:from|to|of|outside)\s+(?:the\s+)?$", head[:c.start - sen.s])]
    return got[-1].name if got else sen.ctx


def relied_on(sen, f, lead, after, common, why_when):
    """'<importer> relied on <supplier> for X% of its <mineral> imports', else None."""
    m = ON_SUPPLIER.search(lead)
    who = names.countries(m.group("who")) if m else []
    if not who:
        return None
    if not re.search(r"\bimports\b", after[:60], re.I):
        return not_checkable(f, sen.text, "reliance on one supplier for a share of use: our tables hold "
                                          "shares of imports, not of consumption", "import-share")
    pos = sen.text.rfind(m.group(0), sen.s, f.char_start + 1)
    imp = _importer_before(sen, pos if pos >= 0 else f.char_start)
    return _claim(sen, f, after, imp, who[0].name, common, why_when)


def import_share(sen, f, after, subject, common, why_when):
    text = sen.text
    if (w := WITH_REST.search(after)) is not None:
        after = after[: w.start()]  # ', with Bolivia supplying the rest' names no supplier of X%
    rel = _relative_importer(sen, f, after)
    tail = after[rel[1]:] if rel else after
    sub = re.match(r"\s+from\s+(?!outside\b)", tail, re.I) if rel else None
    if sub and names.countries(tail[sub.end():][:40]):
        # 'half of the graphite Japan imported from China was natural': a share of those imports
        return not_checkable(f, text, "a share of what the importer bought from one supplier, not the "
                                      "supplier's share of its imports", "import-share")
    frm = re.search((r"\b(?:came|come|comes|arrived|arrives|originated)\s+from\s+" if rel else
                     r"\b(?:came\s+|come\s+|comes\s+)?from\s+(?!outside\b)"), tail, re.I)
    window = tail[frm.end():frm.end() + 60] if frm else ""
    partner = names.countries(window)
    # (', and Canada in 2024' after one supplier is kept as round two's tests read it)
    if len(partner) > 1 and re.fullmatch(r"\s*(?:,|\s+(?:and|or|plus))\s+(?:the\s+)?",
                                         window[partner[0].end:partner[1].start]):
        # 'came from Finland and Canada': a combined share, not one supplier's
        return not_checkable(f, text, "a combined share of several suppliers: our tables give one "
                                      "supplier's share at a time", "import-share")
    pred = names.predicate_supplier(tail) if not partner and not frm else None
    if pred:  # '... of U.S. imports of X were Chinese': the adjective names the supplier
        partner, after = [pred], after[:len(after) - len(tail) + pred.start]
    importer = rel[0] if rel else _importer_before(sen, f.char_start)
    if importer is None and sen.ctx and PRONOUN_BUYER.match(clause_before(text, sen.s, f.char_start)):
        importer = names.Mention(0, 0, sen.ctx, sen.ctx)  # 'It sourced 90% of its graphite imports from China'
    own = [c for c in names.importers(after, f.char_end)
           if re.match(r"\s*(?:['’]s)?\s+(?:(?:[a-z -]+|(?:19|20)\d\d)\s+)?imports", text[c.end:c.end + 40], re.I)]
    if not own and not rel and (buyer := supplied_to(sen, f, after)):
        own = [buyer]  # "South Africa shipped more than half of Korea's manganese ore"
    if own and not rel:  # 'X% of Japan's cobalt imports came from ...'
        importer = own[0]
    elif not rel and THE_COUNTRY.match(after) and (back := _last_importer(sen)):
        importer = own_country = names.Mention(0, 0, back, back)  # "... of the country's cobalt imports"
        own = [own_country]
    if not partner and (own or rel) and (who := _supplier_subject(sen, f.char_start)):
        partner = [names.Mention(0, 0, who, who)]  # '<partner> supplied X% of U.S. imports'
    product = after[: rel[0].start - f.char_end] if rel else after[: frm.start()] if frm else after
    if not partner and not rel and (got := _share_of(sen, f)):
        partner, importer, product = got  # "China's share of EU cobalt imports was under a fifth"
    return _claim(sen, f, product, importer, partner[0].name if partner else None, common, why_when)


def supplied_to(sen, f, after) -> names.Mention | None:
    """The importer of "<supplier> shipped / supplied X% of <importer>'s <mineral>": a supply verb
    before the figure in its clause and an importer's possessive right after 'of'; else None."""
    if not SUPPLIED.search(clause_before(sen.text, sen.s, f.char_start)):
        return None
    m = re.match(r"\s*of\s+(?:the\s+)?", after, re.I)
    if not m:
        return None
    got = [c for c in names.importers(after, f.char_end) if c.start == f.char_end + m.end()]
    return got[0] if got and names.possessive(sen.text, got[0]) and names.minerals(after[:80]) else None


# "X% of the country's cobalt imports": the importer of the import claims just before
THE_COUNTRY = re.compile(r"\s*of\s+(?:the\s+)?(?:country|nation)['’]s\s+(?:[\w-]+\s+){0,3}imports\b", re.I)


def _last_importer(sen) -> str | None:
    """The one importer of the sentence before's import claims, else the country 'It' means."""
    got = {r["importer"] for r in sen.last if r["kind"] == "import_share" and r["checkable"] == "yes"}
    return got.pop() if len(got) == 1 else sen.ctx


# "<supplier>'s share of <importer>('s) <mineral> imports (was|stood at|fell to ...) X"
SHARE_OF = re.compile(r"['’]s\s+share\s+of\s+(?:the\s+)?(?P<what>[^,;]{2,60}?\bimports)\b"
                      r"(?P<rest>[^,;]{0,40})$", re.I)


def _share_of(sen, f):
    """([supplier], importer, product text) when the figure's clause is "<supplier>'s share of
    <importer>'s <mineral> imports was X", else None."""
    text = sen.text
    lead = clause_before(text, sen.s, f.char_start)
    m = SHARE_OF.search(lead)
    if not m or re.search(r"\d", m.group("rest")):
        return None
    base = f.char_start - len(lead)
    who = [c for c in names.countries(lead[:m.start()], base) if c.end in (base + m.start(), base + m.start() + 2)]
    buyer = names.importers(m.group("what"), base + m.start("what"))
    if not who or not buyer:
        return None
    return who[-1:], buyer[0], m.group("what")


def _claim(sen, f, product_text, importer, partner, common, why_when):
    text = sen.text
    name = _importer(sen, importer) if importer else None
    if importer is not None and name is None:
        return not_checkable(f, text, "'the bloc' with no EU named before it: which importer is meant is not "
                             "clear", "import-share")
    if partner and name == partner:
        name = None
    product = names.minerals(product_text)
    lead = {m.name: m for m in names.minerals(text[sen.s:f.char_start])}
    if not product and len(lead) == 1 and len({m.name for m in names.minerals(text[sen.s:sen.e])}) == 1:
        product = list(lead.values())  # 'On platinum-group metals, around 70% of Japan's imports ...'
    if not partner or name is None or not product:
        missing = "partner ('from <country>')" if not partner else "importer" if name is None else "mineral"
        return not_checkable(f, text, f"an import share with no {missing} named", "import-share")
    m = product[0]
    return [claim_row(f, text, **common, kind="import_share", rule="import-share", commodity=m.name,
                      form=m.form, importer=name, country=partner, checkable="yes" if not why_when else "no",
                      attributed_to=named_source(sen, f),
                      mapped_table="import_sources.csv",  # the kind's table; imports.py picks the backend
                      why_not_checkable=why_when)]


# The source or measure an article names for an import figure (sources.overall judges by it)
SOURCE_NAMES = {"USGS": re.compile(r"\bUSGS\b|\bGeological\s+Survey\b|\bMineral\s+Commodity\s+Summar", re.I),
                "CEPII BACI": re.compile(r"\bCEPII\b|\bBACI\b|\bComtrade\b")}
_QTY = r"weight|volume|tonnage|mass|quantity"
MEASURE_NAMES = {
    "by quantity": re.compile(rf"\b(?:by|in)\s+(?:{_QTY})\b|\bin\s+(?:{_QTY})\s+terms\b", re.I),
    "by value": re.compile(r"\bby\s+value\b|\bin\s+(?:value|dollar)\s+terms\b|\bmeasured\s+in\s+dollars\b", re.I)}
# a measure that frames what follows: 'Measured by weight, ...', '; by value ...', 'By value, ...'
FRAMING = re.compile(r"(?:^|[.;:]\s+)(?:measured\s+)?(?:by|in)\s+(?:\w+\s+)?(?:terms\s+)?\w+", re.I)
# 'trade figures come from ...', 'all import data below are by weight': a rule for every trade figure
TRADE_RULE = re.compile(r"\b(?:trade|import)(?:[\s-]\w+)?\s+(?:figures|data|statistics|shares|numbers)\b"
                        r"(?P<rest>[^.;]*)", re.I)


# a measure set off by commas right after the figure's clause: ', by value,' / ', measured by weight.'
MEASURE_ASIDE = re.compile(r"[^,;]*,\s*((?:measured\s+)?(?:by|in)\s+(?:\w+\s+){0,2}?\w+)\s*(?:[,;.]|$)", re.I)


# ... and only a statement about every trade figure ('all', 'below', 'here', 'Trade data: ...'), not
# 'CEPII trade data show Japan's exposure' about one paragraph's figures
SCOPE = re.compile(r"\b(?:all|every|below|here|throughout|in\s+this\s+(?:note|article|report|story|briefing))\b",
                   re.I)


def _one(names_re: dict, text: str) -> tuple[str | None, bool]:
    """(the one name text names, whether it names any): two different names are no choice."""
    got = {k for k, r in names_re.items() if r.search(text)}
    return (next(iter(got)) if len(got) == 1 else None), bool(got)


def named_source(sen, f) -> str:
    """The source and/or measure named for the figure, nearest first: its own clause (a measure
    before the figure or right after its noun phrase, up to a comma; a source anywhere in the
    clause); else earlier in its paragraph (a source, or a measure opening a sentence or clause);
    else an earlier statement for every trade figure ('trade figures come from ...'). At each
    level two different names are no choice, and the search stops. '' when none is named."""
    text = sen.text
    lead = clause_before(text, sen.s, f.char_start)
    after = clause_after(text, f.char_end, sen.e, sen.figs)
    para = sen.para + text[sen.s:f.char_start - len(lead)]
    frames = " ".join(m.group() for m in FRAMING.finditer(para))
    rules = " ".join(m.group("rest") for m in TRADE_RULE.finditer(text, 0, sen.s - len(sen.para))
                     if SCOPE.search(m.group()) or m.group("rest").lstrip().startswith(":"))
    aside = MEASURE_ASIDE.match(after)  # '... from China in 2024, by value, with Japan ...'
    levels = ((lead + after, lead + after.split(",")[0] + (" " + aside.group(1) if aside else "")),
              (para, frames), (rules, rules))
    source = measure = None
    for where_source, where_measure in levels:
        if source is None:
            source, said = _one(SOURCE_NAMES, where_source)
            source = source or ("" if said else None)
        if measure is None:
            measure, said = _one(MEASURE_NAMES, where_measure)
            measure = measure or ("" if said else None)
    return ", ".join(x for x in (source, measure) if x)


# '<supplier>, long its other main supplier, provided roughly a quarter.' / ', with Japan, which
# supplied almost a quarter,': a supply verb right before the figure, and no 'of ...' after it
ELIDED = re.compile(r"\b(?:supplied|supplies|provided|provides|shipped|ships|sent|sends|accounted\s+for|"
                    r"made\s+up|delivered)\s+(?:another\s+|a\s+further\s+)?" + hedges.RUN + "$", re.I)
ELIDED_AFTER = re.compile(r"^\s*(?:$|[,;.)—]|(?:in|by|during)\b(?!\s+(?:the\s+)?(?:world|global)))", re.I)


def elided(sen, f, lead, after, earlier, common, why_when):
    """A second supplier's share of the imports an import share just before it is about (the
    claims before it in its sentence, else the sentence before's): same importer, mineral and
    year, this clause's supplier; None when the figure is not such an elided share."""
    if not (ELIDED.search(lead) and ELIDED_AFTER.match(after)):
        return None
    ref = [r for r in earlier if r["kind"] == "import_share" and r["checkable"] == "yes"] or \
          [r for r in sen.last if r["kind"] == "import_share" and r["checkable"] == "yes"]
    if not ref:
        return None
    keys = {(r["importer"], r["commodity"], r["form"], r["year_or_period"]) for r in ref}
    who = _supplier_subject(sen, f.char_start)
    if len(keys) != 1:
        return not_checkable(f, sen.text, "a share with no 'of ...' after it, after several import "
                                          "shares: which imports it is a share of is not clear", "elided-share")
    r = ref[-1]
    if who is None or who in (r["importer"], *(x["country"] for x in ref)):
        return not_checkable(f, sen.text, "a share with no 'of ...' after it and no new supplier named",
                             "elided-share")
    when = common["year_or_period"] if common["year_or_period"] != "latest" else r["year_or_period"]
    return [claim_row(f, sen.text, **(common | dict(year_or_period=when)), kind="import_share",
                      rule="elided-share", commodity=r["commodity"], form=r["form"], importer=r["importer"],
                      country=who, checkable="yes" if not why_when else "no",
                      attributed_to=named_source(sen, f) or r["attributed_to"],
                      mapped_table="import_sources.csv", why_not_checkable=why_when)]
