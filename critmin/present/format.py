"""How numbers, flags and names read for people: one place for every label a reader sees.

Nothing internal reaches a reader: years print as years (never "2,025"), money as "$780 million",
masses with their unit, percents with their flag (bound, range, estimate, withheld), counts with
their grammar, and every commodity, form, stage, measure and basis by its display name. A value
these functions cannot word is an error, never a "nan" or "None" in the report."""
from __future__ import annotations

import csv
import datetime as dt
import math
import re
from functools import lru_cache

from critmin import config
from critmin.ingest.tokens import MISSING_FLAGS

UNIT_WORDS = {"t": "t", "kt": "thousand t", "Mt": "million t", "kg": "kg", "Mct": "million carats",
              "kct": "thousand carats", "Mm3": "million m³", "ML": "million litres"}
MEASURES = {"production": "production", "capacity": "capacity", "reserves": "reserves"}
# NOTE: the stage slugs are ours (data/mappings/stages.csv); these are the words USGS uses for them.
STAGES = {
    "mine": "mine production", "refinery": "refinery production", "smelter": "smelter production",
    "plant": "plant production", "primary": "primary production",
    "low-purity-primary": "low-purity primary production", "sponge": "sponge metal",
    "pigment": "pigment", "all-forms": "all forms", "natural-and-synthetic": "natural and synthetic",
    "synthetic": "synthetic", "mine-natural": "mine production (natural)",
    "mine-scrap-flake": "mine production (scrap and flake)", "mine-sheet": "mine production (sheet)",
    "raw-steel": "raw steel", "pig-iron": "pig iron", "iron-slag": "iron slag",
    "steel-slag": "steel slag",
}
FLAG_SHORT = {"W": "withheld", "NA": "not available", "XX": "not applicable", "E": "net exporter",
              "qual": "given in words only"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SMALL = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


# NOTE: one marker for a USGS estimate everywhere a reader sees a figure (charts, tables,
# sentences): 'e' after the figure, as USGS prints it; explained once, where it first appears.
ESTIMATE = "e"
ESTIMATE_KEY = "e: estimated by USGS"               # in a chart's subtitle or a table's caption
ESTIMATE_LEGEND = "A figure followed by e is a USGS estimate."
_MARKED = re.compile(r"\d%? e(?=[\s;,.)]|$)")


def estimate(text: str, estimated: bool) -> str:
    """'69%' -> '69% e' for a USGS estimate; unchanged otherwise."""
    return f"{text} {ESTIMATE}" if estimated else text


def marks_estimate(*texts) -> bool:
    """Whether any of these texts shows the estimate marker (so its legend must be given)."""
    return any(_MARKED.search(str(t)) for t in texts)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in {"", "nan", "<NA>", "NaT", "None"}


def year(value) -> str:
    """2025 -> '2025' (also from 2025.0 or '2025'); a year is never printed with a separator."""
    if _missing(value):
        raise ValueError("year: no year to print")
    y = float(value)
    if y != int(y) or not 1800 <= y <= 2200:
        raise ValueError(f"year: {value!r} is not a year")
    return str(int(y))


def years(first, last) -> str:
    """'2021–2024', or '2024' when both are the same year."""
    a, b = year(first), year(last)
    return a if a == b else f"{a}–{b}"


def date(value) -> str:
    """'2025-06-12' (or a date) -> '12 June 2025'."""
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def number(value, digits: int | None = None) -> str:
    """Thousands separated, as precise as published: 270000 -> '270,000', 0.5 -> '0.5'."""
    if _missing(value):
        raise ValueError("number: no number to print")
    v = float(value)
    if digits is None:
        digits = 0 if v == int(v) or abs(v) >= 100 else (1 if abs(v) >= 10 else 2)
    text = f"{v:,.{digits}f}"
    if "." in text and digits and digits > 0 and value == value and float(text.replace(",", "")) == v:
        text = text.rstrip("0").rstrip(".")
    return text


def mass(value, unit: str, estimated: bool = False) -> str:
    """'270,000 t', '900,000 kg', '1,200 thousand t'; '270,000 t e' for a USGS estimate."""
    if unit not in UNIT_WORDS:
        raise ValueError(f"mass: unknown unit {unit!r} (expected one of {sorted(UNIT_WORDS)})")
    return estimate(f"{number(value)} {UNIT_WORDS[unit]}", estimated)


def money(usd) -> str:
    """780000000 -> '$780 million'; 1.2e9 -> '$1.2 billion'; 45000 -> '$45,000'."""
    if _missing(usd):
        raise ValueError("money: no amount to print")
    v = float(usd)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(v) >= size:
            return f"${number(v / size, digits=None if (v / size) >= 100 else 1)} {word}".replace(".0 ", " ")
    return f"${number(v, digits=0)}"


def pct(value, flag: str = "", high=math.nan, estimated: bool = False, digits: int = 0) -> str:
    """A published or computed percent with its flag: '69%', '>95%', '40–45%', '79% e',
    'withheld (W)', 'net exporter (E)'."""
    if flag in FLAG_SHORT:
        return f"{FLAG_SHORT[flag]} ({flag})" if flag != "qual" else FLAG_SHORT[flag]
    if _missing(value):
        raise ValueError(f"pct: no value and no flag to word (flag {flag!r})")
    f = f"{{:.{digits}f}}"
    if flag == ">":
        text = f">{f.format(value)}%"
    elif flag == "<":
        text = f"<{f.format(value)}%"
    elif flag == "range":
        text = f"{f.format(value)}–{f.format(high)}%"
    elif flag in ("", "none"):
        text = f"{f.format(value)}%"
    else:
        raise ValueError(f"pct: unknown flag {flag!r}")
    return estimate(text, estimated)


def share_label(pct, flag, high=math.nan, reason="", digits=0) -> str:
    """The text a reader sees for a computed share: '69%', '>95%', '40–45%', or 'W withheld'."""
    if flag == "none" or pct is None or (isinstance(pct, float) and math.isnan(pct)):
        for code, words in MISSING_FLAGS.items():
            if f"({code})" in reason:
                return f"{code} {words.split(' (')[0]}"
        if "not listed" in reason:
            return "not listed by USGS"
        if "no world total" in reason:
            return "no world total"
        return "not computed"
    fmt = f"{{:.{digits}f}}"
    if flag == ">":
        return f">{fmt.format(pct)}%"
    if flag == "<":
        return f"<{fmt.format(pct)}%"
    if flag == "range":
        return f"{fmt.format(pct)}–{fmt.format(high)}%"
    return f"{fmt.format(pct)}%"


def spelled(n: int) -> str:
    """Small counts in words, as a newspaper would: 3 -> 'three', 12 -> '12'."""
    return SMALL[n] if 0 <= n < len(SMALL) else f"{n:,}"


def plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def count(n: int, noun: str) -> str:
    """'1 mineral', '6 minerals', 'no minerals'."""
    return f"{spelled(n)} {plural(noun, n)}"


def of(k: int, n: int, noun: str) -> str:
    """'3 of the 6 minerals', 'the one mineral', 'both minerals', 'none of the 6 minerals',
    'all 6 minerals'; never 'none of the 1 minerals'."""
    if n == 0:
        return f"no {plural(noun, 0)}"
    if n == 1:
        return f"the one {noun}" if k == 1 else f"not the one {noun}"
    if k == n:
        return f"both {plural(noun, 2)}" if n == 2 else f"all {spelled(n)} {plural(noun, n)}"
    if k == 0:
        return f"neither {noun}" if n == 2 else f"none of the {spelled(n)} {plural(noun, n)}"
    return f"{spelled(k)} of the {spelled(n)} {plural(noun, n)}"


def join(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if not items:
        raise ValueError("join: nothing to list")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    with open(config.MAPPINGS / "commodity_slugs.csv", encoding="utf-8", newline="") as fh:
        return {r["slug"]: r["name"] for r in csv.DictReader(fh)}


def commodity(slug: str, form: str = "") -> str:
    """A label (table cell, chart series, heading): 'Rare Earths', 'Rare Earths: compounds and
    metals', 'Tungsten: metal, powders and scrap' (never nested brackets: 'Graphite (natural)')."""
    names = _names()
    if slug not in names:
        raise ValueError(f"commodity: unknown slug {slug!r} (data/mappings/commodity_slugs.csv)")
    return f"{names[slug]}: {form_name(form, slug)}" if form else names[slug]


def in_text(slug: str, form: str = "") -> str:
    """The commodity mid-sentence: lower case, its form in brackets ('imports of antimony (ore
    and concentrates)'), or after a comma when the name has brackets of its own."""
    name = commodity(slug).lower()
    if not form:
        return name
    return f"{name}, {form_name(form, slug)}" if "(" in name else f"{name} ({form_name(form, slug)})"


@lru_cache(maxsize=1)
def _form_labels() -> dict[tuple[str, str], str]:
    with open(config.MAPPINGS / "form_labels.csv", encoding="utf-8", newline="") as fh:
        return {(r["commodity"], r["form"]): r["label"] for r in csv.DictReader(fh)}


def form_name(form: str, slug: str = "") -> str:
    """A form's words: its label in data/mappings/form_labels.csv ('metal-powders-scrap' of
    tungsten -> 'metal, powders and scrap'), else the slug's words ('ore-and-concentrates' ->
    'ore and concentrates')."""
    return _form_labels().get((slug, form)) or form.replace("-", " ")


def stage(slug: str) -> str:
    """'low-purity-primary' -> 'low-purity primary production'; 'mine-ilmenite' -> 'mine
    production (ilmenite)'."""
    if slug in STAGES:
        return STAGES[slug]
    head, _, rest = slug.partition("-")
    if head in STAGES and rest:
        return f"{STAGES[head]} ({rest.replace('-', ' ')})"
    return slug.replace("-", " ")


def measure(name: str) -> str:
    if name not in MEASURES:
        raise ValueError(f"measure: unknown measure {name!r}")
    return MEASURES[name]


def unit(u: str) -> str:
    if u not in UNIT_WORDS:
        raise ValueError(f"unit: unknown unit {u!r}")
    return UNIT_WORDS[u]


# ---- sections-text helper: claim kinds, figure units, column and commodity-list names --------

CLAIM_KINDS = {
    "share_of_world_production": "share of world production",
    "us_import_share_from_china": "share of U.S. imports",
    "percent": "percent", "money": "money", "count": "count", "year": "year", "decade": "decade",
    "period": "period", "date": "date", "time": "time of day", "duration": "duration",
    "ordinal": "ordinal (first, second…)",
}
FIGURE_UNITS = {"": "", "percent": "%", "percentage_points": "percentage points", "usd": "US dollars",
                "months": "months", "years": "years", "days": "days", "weeks": "weeks"}
# NOTE: readers' names for the processed tables' columns (README column dictionaries).
COLUMNS = {
    "edition": "MCS edition", "commodity": "mineral", "measure": "measure", "stage": "stage",
    "country": "country", "year": "data year", "value": "value read", "value_high": "high end of range",
    "value_flag": "flag", "raw_value": "cell as published", "raw_country": "country as printed",
    "correction_id": "correction", "source_file": "raw file", "source_row": "row in file",
    "unit": "unit", "basis": "content basis", "estimated": "USGS estimate",
}


def claim_kind(kind: str) -> str:
    """'share_of_world_production' -> 'share of world production'."""
    if kind not in CLAIM_KINDS:
        raise ValueError(f"claim_kind: unknown kind {kind!r} (expected one of {sorted(CLAIM_KINDS)})")
    return CLAIM_KINDS[kind]


def figure_unit(u: str) -> str:
    """A figure's unit as the claims tables name it: 'usd' -> 'US dollars'."""
    if u not in FIGURE_UNITS:
        raise ValueError(f"figure_unit: unknown unit {u!r} (expected one of {sorted(FIGURE_UNITS)})")
    return FIGURE_UNITS[u]


def column(name: str) -> str:
    """A processed table's column as a table header for readers: 'raw_value' -> 'cell as published'."""
    if name not in COLUMNS:
        raise ValueError(f"column: no reader's name for column {name!r}")
    return COLUMNS[name]


def commodities(slugs) -> str:
    """'gallium;germanium;antimony' (or a list) -> 'Gallium, Germanium and Antimony'."""
    items = [s.strip() for s in (slugs.split(";") if isinstance(slugs, str) else slugs) if s.strip()]
    return join(commodity(s) for s in items)


def figure_value(value, kind: str, unit: str = "", high=None, normalized: str = "") -> str:
    """An article's figure as a reader reads it: years as years, dates as dates, money as money,
    percents with their sign; 'normalized' (an ISO date or a time) wins when given."""
    if normalized:
        return date(normalized) if len(normalized) == 10 and normalized[4] == "-" else normalized
    has_high = not _missing(high)
    if kind in ("year", "period"):
        return years(value, high) if has_high else year(value)
    if kind == "decade":
        return f"{year(value)}s"
    if kind == "date":
        n = str(int(float(value)))
        return date(f"{n[:4]}-{n[4:6]}-{n[6:]}")
    if kind == "money" or unit == "usd":
        return money(value)
    text = number(value) + (f"–{number(high)}" if has_high else "")
    if unit == "percent" or kind.startswith(("share_", "us_import_")):
        return text + "%"
    return text + (f" {figure_unit(unit)}" if figure_unit(unit) else "")

# --- sections-supply: shares, series names and reserves as a reader sees them --------------------

NO_SHARE = (("(W)", "W withheld"), ("(NA)", "NA not available"), ("(XX)", "XX not applicable"),
            ("(E)", "E net exporter"), ("only in words", "given only in words"),
            ("not listed", "not listed by USGS"), ("lists no country", "no country breakdown"),
            ("no world total", "no world total"), ("zero", "world total is zero"))


def share_text(value, flag, high=math.nan, *, reason: str = "", estimated: bool = False,
               approx: bool = False, digits: int = 0) -> str:
    """A computed share as every chart, table and sentence shows it: '69% e' (e: USGS estimate),
    '>95%', '<52%', '40–45%', 'about 99% e' (of the listed countries' sum, the rounded world
    total being smaller), 'under 0.5% e' (too small to round to 1%), or what stops it: 'W withheld', 'not listed by USGS', 'no country
    breakdown', 'not computed'."""
    if flag == "none" or _missing(value):
        return next((label for key, label in NO_SHARE if key in reason), "not computed")
    f = f"{{:.{digits}f}}"
    if flag in ("", "none") and 0 < float(value) < 0.5 * 10 ** -digits:
        # a producer too small to show at this precision: never 'about 0%'
        return estimate(f"under {0.5 * 10 ** -digits:g}%", estimated)
    text = {">": f">{f.format(value)}%", "<": f"<{f.format(value)}%",
            "range": f"{f.format(value)}–{f.format(high)}%"}.get(flag, f"{f.format(value)}%")
    # 'about' (a share of the listed countries' sum) says nothing about a zero
    return estimate(("about " if approx and float(value) != 0 else "") + text, estimated)


def series_name(slug: str, stage_slug: str = "", basis: str = "", *, with_commodity: bool = True) -> str:
    """'Gallium, low-purity primary production'; the stage alone without the commodity; a basis
    (USGS's words, 'Cr2O3 content') is added after the stage when given."""
    parts = [commodity(slug)] if with_commodity else []
    if stage_slug:
        parts.append(stage(stage_slug))
    text = ", ".join(parts) or "all stages"
    return f"{text} ({basis})" if basis else text


def years_listed(values) -> str:
    """'2025', '2024 and 2025', '2021–2025' (three or more consecutive years)."""
    ys = sorted({int(float(v)) for v in values if not _missing(v)})
    if not ys:
        raise ValueError("years_listed: no year to print")
    if len(ys) >= 3 and ys[-1] - ys[0] == len(ys) - 1:
        return years(ys[0], ys[-1])
    return join([year(y) for y in ys])


# ---- claims-mapper helper (issue 14): kinds of rule-mapped claims, how a claim was mapped -------

CLAIM_KINDS |= {
    "amount_of_production": "amount produced", "rank_of_producer": "rank among producers",
    "share_of_world_reserves": "share of world reserves", "rank_of_reserves": "rank by reserves",
    "import_share": "share of an importer's imports", "net_import_reliance": "U.S. net import reliance",
    "number": "number", "mass": "mass", "fraction": "fraction",
}
MAPPED_BY = {"rule": "mapped by rule", "rule, reviewed": "mapped by rule and reviewed by hand",
             "hand, overrides the rule": "mapped by hand (overriding the rule)", "hand": "mapped by hand"}
RULE_WORDS = {"world-share": "share of world production", "amount": "amount produced",
              "rank": "rank", "import-share": "import share",
              "import-reliance": "import reliance", "none": "no rule fits", "hand": ""}


def mapped_by(how: str, rule: str) -> str:
    """('rule', 'world-share') -> 'mapped by rule (share of world production)'."""
    if how not in MAPPED_BY or rule not in RULE_WORDS | {"": ""}:
        raise ValueError(f"mapped_by: unknown mapping {how!r} / rule {rule!r}")
    words = RULE_WORDS.get(rule, "")
    return MAPPED_BY[how] + (f" ({words})" if words and how.startswith("rule") else "")
