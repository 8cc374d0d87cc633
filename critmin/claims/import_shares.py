"""Import-share claims (rule 'import-share' of mapper.py): the share of an importer's imports of a
mineral that came from one supplier. USGS import sources answer for the United States, BACI for
any importer (imports.py picks the backend from the claim's `importer`); `country` is the supplier.

  '<importer> imports / bought / gets X% of its <mineral> (imports) from <supplier>'
  'X% of <importer>'s <mineral> imports came from <supplier>'
  '<supplier> supplied / provided / accounted for X% of <importer>'s <mineral> imports'
  '<importer> relied / depended on <supplier> for X% of its <mineral> imports' (with 'imports':
      an import share, never U.S. net import reliance; without it, a share of use that our
      tables do not hold: not checkable, and why)
Importers are countries and the EU-27 ('the EU', 'the European Union', data/mappings/
article_importers.csv); 'the bloc' is the EU-27 only when this sentence, before it, or the
sentence before names the EU."""
from __future__ import annotations

import re

from critmin.claims import names
from critmin.claims.clauses import claim_row, not_checkable

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
           if not re.search(r"\b(?:from|to|of)\s+(?:the\s+)?$", sen.text[sen.s:c.start])]
    return got[-1] if got else None


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
    frm = re.search(r"\b(?:came\s+|come\s+|comes\s+)?from\s+", after, re.I)
    partner = names.countries(after[frm.end():frm.end() + 60]) if frm else []
    importer = _importer_before(sen, f.char_start)
    own = [c for c in names.importers(after, f.char_end)
           if re.match(r"\s*(?:['’]s)?\s+(?:[a-z -]+\s+)?imports", text[c.end:c.end + 40], re.I)]
    if own:  # 'X% of Japan's cobalt imports came from ...'
        importer = own[0]
    if not partner and subject and own and SUPPLIED.search(text[sen.s:f.char_start]):
        partner = [names.Mention(0, 0, subject, subject)]  # '<partner> supplied X% of U.S. imports'
    return _claim(sen, f, after[: frm.start()] if frm else after, importer,
                  partner[0].name if partner else None, common, why_when)


def _claim(sen, f, product_text, importer, partner, common, why_when):
    text = sen.text
    name = _importer(sen, importer) if importer else None
    if importer is not None and name is None:
        return not_checkable(f, text, "'the bloc' with no EU named before it: which importer is meant is not "
                             "clear", "import-share")
    if partner and name == partner:
        name = None
    product = names.minerals(product_text)
    if not partner or name is None or not product:
        missing = "partner ('from <country>')" if not partner else "importer" if name is None else "mineral"
        return not_checkable(f, text, f"an import share with no {missing} named", "import-share")
    m = product[0]
    return [claim_row(f, text, **common, kind="import_share", rule="import-share", commodity=m.name,
                      form=m.form, importer=name, country=partner, checkable="yes" if not why_when else "no",
                      mapped_table="import_sources.csv",  # the kind's table; imports.py picks the backend
                      why_not_checkable=why_when)]
