"""Country and mineral names as articles write them, through our mappings.

Countries: every canonical name of data/mappings/countries_usgs.csv, plus the article spellings of
data/mappings/article_countries.csv ('the DRC', 'Congo', 'the U.S.'). Minerals: every commodity
slug read as words ('rare-earths' -> 'rare earths') plus data/mappings/article_minerals.csv
('natural graphite', 'rare earth compounds' with its import form, 'platinum' with its stage,
'lithium carbonate' with why its output is not in our tables). Matching is case-insensitive
on word boundaries, longest name first, so 'rare earth compounds' wins over 'rare earth'."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from critmin import config
from critmin.errors import DataError
from critmin.io import read_rows
from critmin.ingest import mappings

NOT_COUNTRIES = frozenset({"World", "Other countries", "United States and Canada"})
CASE_SENSITIVE = frozenset({"us"})  # 'US' is a country, 'us' a pronoun


@dataclass(frozen=True)
class Mention:
    start: int      # offsets in the text searched
    end: int
    text: str
    name: str       # canonical country, or commodity slug
    form: str = ""  # import form of a mineral ('compounds-and-metals'), else ''
    stage: str = ""  # the production stage the name fixes ('platinum' -> 'mine-platinum'), else ''
    refuse: str = ""  # why production figures for this name are not in our tables, else ''


def _rows(name: str) -> list[dict]:
    header, rows = read_rows(config.MAPPINGS / f"{name}.csv", encoding="utf-8")
    return [dict(zip(header, (c.strip() for c in cells))) for _, cells in rows]


@lru_cache(maxsize=None)
def _countries() -> dict[str, str]:
    names = {canon.lower(): canon for canon, _ in mappings.load("countries_usgs").values()
             if canon != mappings.DROP and canon not in NOT_COUNTRIES}
    return names | {r["raw_name"].lower(): r["canonical"] for r in _rows("article_countries")}


@lru_cache(maxsize=None)
def _minerals() -> dict[str, tuple[str, str, str, str]]:
    """name -> (commodity slug, import form, stage, reason production figures are refused)."""
    out = {}
    for r in _rows("commodity_slugs"):
        out[r["slug"].replace("-", " ")] = (r["slug"], "", "", "")
    return out | {r["raw_name"].lower(): (r["commodity"], r["form"], r["stage"], r["not_checkable"])
                  for r in _rows("article_minerals")}


def _pattern(keys) -> re.Pattern:
    alts = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(" + alts + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=None)
def _country_re():
    return _pattern(_countries())


@lru_cache(maxsize=None)
def _mineral_re():
    return _pattern(_minerals())


# A country's name inside the proper name of an agency, firm or publication is not the country as
# an actor ('the U.S. Geological Survey', 'China Nonferrous Metals Industry Association', 'Bank of
# China', 'Minerals Council South Africa'): never a claim's subject nor the antecedent of 'it'. The
# name runs on in capitalised words (and 'of', 'and', 'for', '&') to an organisation noun, or such a
# noun in capitals comes right before it ('Bank of', 'Council'). "China's Ministry of Commerce" (a
# possessive) stays the country's: its ministry speaks for it.
_ORG_NOUN = (r"(?:Survey|Surveys|Bureau|Department|Dept\.?|Agency|Administration|Association|Institute|Institution|"
             r"Commission|Council|Ministry|Office|Bank|Corporation|Corp\.?|Company|Co\.|Group|Society|Academy|"
             r"University|Service|Authority|Board|Federation|Chamber|Fund|Foundation|Exchange|Inc\.?|Ltd\.?|"
             r"Limited|Holdings|Summaries|Yearbook|Review|Journal|Times|Post|News|Daily|Embassy|Laboratory|"
             r"Laboratories|Center|Centre|Party|Customs|Mint|Representative)")
_ORG_AFTER = re.compile(r"\s+(?:[A-Z][\w&.-]*\s+(?:(?:of|and|for|the|&)\s+)?){0,5}?" + _ORG_NOUN + r"(?![\w-])")
_ORG_BEFORE = re.compile(r"(?<![\w-])" + _ORG_NOUN + r"(?:\s+of(?:\s+[A-Z][\w-]*)+)?(?:\s+of)?(?:\s+the)?\s+$")


def in_org_name(text: str, start: int, end: int) -> bool:
    """The name at text[start:end] is part of an organisation's or publication's proper name."""
    return bool(_ORG_AFTER.match(text, end) or _ORG_BEFORE.search(text[max(0, start - 60):start]))


# A state body right after a country, possessive or not ("China's Ministry of Commerce", 'the U.S.
# Government', 'Congress'): the country still speaks through it (in_org_name keeps it), but it is
# no producer, owner or ranked country of the sentence (ranks.py, production.py).
_STATE_BODY = re.compile(r"(?:['’]s)?\s+(?:Geological\s+Survey|Department|Government|Congress|Senate|Treasury|"
                         r"Embassy|Agency|Administration|Bureau|Commission|Ministry|Trade\s+Representative|"
                         r"Export-Import\s+Bank|Federal\s+Reserve)\b", re.I)


def possessive(text: str, m: Mention) -> bool:
    """The mention is a possessive ("Japan's", whether or not the mention holds the 's)."""
    return m.text.endswith(("'s", "’s")) or bool(re.match(r"['’]s\b", text[m.end:m.end + 2]))


def state_body_after(text: str, end: int) -> bool:
    """A state body's name follows the country that ends at text[end]."""
    return bool(_STATE_BODY.match(text, end))


def countries(text: str, offset: int = 0) -> list[Mention]:
    """Every country named in text, in order (offsets shifted by `offset`), with the countries an
    adjective ('Chinese suppliers') or a capital ('Beijing imposed') stands for (actors()); never
    one inside an organisation's name (in_org_name)."""
    out = []
    for m in _country_re().finditer(text):
        key = m.group(1).lower()
        if key in CASE_SENSITIVE and m.group(1) != m.group(1).upper():
            continue
        if in_org_name(text, m.start(1), m.end(1)):
            continue
        out.append(Mention(offset + m.start(1), offset + m.end(1), m.group(1), _countries()[key]))
    out += [a for a in actors(text, offset) if a.name != EU27]
    return sorted(out, key=lambda c: c.start)


EU27 = "EU-27"
# Who acts, named by an adjective: 'Chinese suppliers shipped', 'Congolese mines produced', 'Indonesian
# state-owned smelters'; not 'Chinese graphite' (a product) nor 'Chinese-made'. Only nouns of a place
# (mines, smelters, output) or of trade (suppliers, exporters): 'Chinese companies' or 'Chinese miners'
# may own mines abroad, and our tables count production where it happens. 'Chinese producers' is read
# as the country's output (trade usage: 'Chinese producers of gallium'), except in a sentence that
# speaks of ownership or of operations abroad (OWNED), where it may mean Chinese-owned mines elsewhere.
_ACTOR_NOUN = (r"(?=\s+(?:[\w-]+\s+){0,2}?(?:suppliers?|exporters?|sellers|shippers|mines|smelters?|"
               r"refiners?|refineries|plants|output|production|producers)\b)")
_PRODUCERS = re.compile(r"\s+(?:[\w-]+\s+){0,2}?producers\b", re.I)
OWNED = re.compile(r"\b(?:own|owns|owned|owning|owner|owners|ownership|stakes?|abroad|overseas|foreign-owned)\b",
                   re.I)
# A capital as the actor: before a verb or "'s" ('Beijing imposed', "Tokyo's imports"); never after a
# preposition ('in Washington, officials said'), never in capitals (a dateline: 'WASHINGTON —').
_AFTER_CAPITAL = (r"(?=['’]s\b|\s+(?:\w+ly\s+)?(?:is|was|has|had|have|will|would|could|can|must|bought|got|sold|"
                  r"took|made|held|kept|sent|cut|paid|built|sought|put|set|[a-z]+(?:es|ed|s))\b)")
_PREPOSITION = re.compile(r"\b(?:in|at|from|to|into|of|near|outside|via|through|between|for|by|on|and|or|"
                          r"with|across|around|toward|towards)\s+$", re.I)


def _named(name: str) -> dict[str, str]:
    """raw_name -> canonical of a mapping file whose canonical names must be countries we know
    (or the EU-27): an unknown one is refused, naming file and row, never left unmatched."""
    known = set(_countries().values()) | {EU27}
    out = {}
    for i, r in enumerate(_rows(name), start=2):
        if r["canonical"] not in known:
            raise DataError("canonical name is not a country of countries_usgs.csv or "
                            "article_countries.csv, nor EU-27", file=f"data/mappings/{name}.csv", row=i,
                            column="canonical", got=r["canonical"])
        out[r["raw_name"]] = r["canonical"]
    return out


@lru_cache(maxsize=None)
def _demonyms() -> dict[str, str]:
    return {k.lower(): v for k, v in _named("article_demonyms").items()}


@lru_cache(maxsize=None)
def _capitals() -> dict[str, str]:
    return _named("article_capitals")


@lru_cache(maxsize=None)
def _actor_res() -> tuple[re.Pattern, re.Pattern]:
    dem = "|".join(re.escape(k.title()) for k in sorted(_demonyms(), key=len, reverse=True))
    cap = "|".join(re.escape(k) for k in sorted(_capitals(), key=len, reverse=True))
    return (re.compile(r"(?<![\w-])(" + dem + r")(?![\w-])" + _ACTOR_NOUN),
            re.compile(r"(?<![\w-])(" + cap + r")(?![\w-])" + _AFTER_CAPITAL))


def actors(text: str, offset: int = 0) -> list[Mention]:
    """Countries (and the EU-27) named by an adjective before a producer or supplier noun, or by
    their capital as the actor (data/mappings/article_demonyms.csv, article_capitals.csv)."""
    dem, cap = _actor_res()
    out = [Mention(offset + m.start(1), offset + m.end(1), m.group(1), _demonyms()[m.group(1).lower()])
           for m in dem.finditer(text)
           if not (_PRODUCERS.match(text, m.end(1)) and OWNED.search(text)) and not in_org_name(text, m.start(1), m.end(1))]
    out += [Mention(offset + m.start(1), offset + m.end(1), m.group(1), _capitals()[m.group(1)])
            for m in cap.finditer(text) if not _PREPOSITION.search(text[max(0, m.start() - 12):m.start()])]
    return out


def minerals(text: str, offset: int = 0) -> list[Mention]:
    """Every mineral named in text, in order, one mention per name."""
    out = []
    for m in _mineral_re().finditer(text):
        slug, form, stage, refuse = _minerals()[m.group(1).lower()]
        out.append(Mention(offset + m.start(1), offset + m.end(1), m.group(1), slug, form, stage, refuse))
    return out


BLOC = "the bloc"  # an importer only when the EU was just named (import_shares.py)


@lru_cache(maxsize=None)
def _importers() -> dict[str, str]:
    """Importers that are not countries (data/mappings/article_importers.csv: the EU-27)."""
    return {r["raw_name"].lower(): r["canonical"] for r in _rows("article_importers")}


@lru_cache(maxsize=None)
def _importer_re():
    return _pattern(_importers())


# A buyer named by an adjective: 'South Korean battery makers', 'Japanese importers'. Only an
# importer (what the country's firms import is the country's imports), never a producer.
_BUYER_NOUN = (r"(?=\s+(?:[\w-]+\s+){0,2}?(?:makers|manufacturers|importers|buyers|purchasers|firms|companies|"
               r"automakers|carmakers|industry|industries|consumers)\b)")


@lru_cache(maxsize=None)
def _buyer_re() -> re.Pattern:
    dem = "|".join(re.escape(k.title()) for k in sorted(_demonyms(), key=len, reverse=True))
    return re.compile(r"(?<![\w-])(" + dem + r")(?![\w-])" + _BUYER_NOUN)


def importers(text: str, offset: int = 0) -> list[Mention]:
    """Every importer named in text, in order: countries and the EU-27 ('the bloc' included, with
    text 'the bloc', for the caller to resolve), and buyers named by an adjective (_BUYER_NOUN)."""
    out = countries(text, offset) + [a for a in actors(text, offset) if a.name == EU27]
    seen = {c.start for c in out}
    out += [Mention(offset + m.start(1), offset + m.end(1), m.group(1), _demonyms()[m.group(1).lower()])
            for m in _buyer_re().finditer(text) if offset + m.start(1) not in seen
            and not in_org_name(text, m.start(1), m.end(1))]
    for m in _importer_re().finditer(text):
        if m.group(1).lower() == "eu" and m.group(1) != "EU":
            continue
        name = _importers()[m.group(1).lower()]
        out.append(Mention(offset + m.start(1), offset + m.end(1), m.group(1), name))
    return sorted(out, key=lambda c: c.start)


# Where a text turns to the material a mineral comes from: 'almost all of it recovered as a
# by-product of alumina refineries', 'extracted from copper ores'. A mineral (or a mine / refine
# verb) from there on is the source, never the claim's own mineral or stage.
SOURCE = re.compile(r"\b(?:by-?products?|co-?products?)\s+(?:of|from|in)\b|\b(?:recovered|made|extracted|derived|"
                    r"obtained|separated|produced|refined|won)\s+(?:mostly\s+|mainly\s+|largely\s+|chiefly\s+)?"
                    r"(?:from|out\s+of)\b", re.I)


def before_source(text: str) -> str:
    """text up to where it turns to a mineral's source material (SOURCE), else all of it."""
    m = SOURCE.search(text)
    return text[:m.start()] if m else text


@lru_cache(maxsize=None)
def _predicate_re() -> re.Pattern:
    dem = "|".join(re.escape(k.title()) for k in sorted(_demonyms(), key=len, reverse=True))
    return re.compile(r"\s(?:were|was|are|is)\s+(?:\w+ly\s+|all\s+)?(" + dem + r")(?:\s+in\s+origin)?"
                      r"(?:\s+(?:that|this|last)\s+year|\s+in\s+(?:19|20)\d\d)?\s*[.,;:]?\s*$")


def predicate_supplier(text: str, offset: int = 0) -> Mention | None:
    """The supplier an adjective names at the end of a clause: '... of U.S. imports of X were
    Chinese' (China), else None."""
    m = _predicate_re().search(text)
    return Mention(offset + m.start(1), offset + m.end(1), m.group(1), _demonyms()[m.group(1).lower()]) \
        if m else None
