"""Every quantitative statement in an article's story, one row per figure.

Columns (FIGURE_COLUMNS):
  sentence_index  position of the sentence in the story (0-based; the navigation is not the story)
  char_start/end  offsets of the matched text in the text as given
  text            the matched text ('$25 million', 'five', '80%')
  number          the value as a float: money in currency units (25e6), masses in `unit`, percent as
                  0-100; years as the year; decades as the first year (2010 for '2010s');
                  dates as YYYYMMDD (year 0 / day 0 when not stated); times as HHMM
  number_high     upper end of a period or range ('between 2020 and 2023' -> 2020, 2023), else NaN
  kind            percent, fraction ('a third': number 33.3, unit percent), money, mass, count,
                  number, year, period, decade, date, time, duration, ordinal
  unit            percent, usd (eur, gbp, bdt ...), t/kg/kt/Mt/lb/oz, years/months/weeks/days/hours,
                  or '' (counts, years)
  counted         what the number counts: the short noun phrase after it ('tungsten mines'), or what
                  a percent is a share of ('rare earth compounds'); '' when none
  qualifier       'around', 'about', 'at least', 'more than', ... (or early/mid/late for decades); ''
  normalized      ISO text for dates/times ('2025-06-12', '--07-18', '18:21'), else ''
  snippet         about 8 words around the number, to find it again (never a whole sentence)
"""
from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd

from critmin.claims.article import Article, load_article

FIGURE_COLUMNS = ["sentence_index", "char_start", "char_end", "text", "number", "number_high",
                  "kind", "unit", "counted", "qualifier", "normalized", "snippet"]
SNIPPET_WORDS_BEFORE, SNIPPET_WORDS_AFTER = 3, 5

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_NUMBERS = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
ORDINAL_WORDS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
             "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10,
             "tenths": 10}
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "lakh": 1e5, "crore": 1e7, "cr": 1e7,
          "hundred": 1e2, "dozen": 12}
WORD_SCALES = ("hundred", "thousand", "million", "billion", "trillion", "dozen")  # spelled out
CURRENCY_PREFIX = {"us$": "usd", "$": "usd", "€": "eur", "£": "gbp", "tk": "bdt", "rs": "inr",
                   "¥": "jpy_or_cny"}
CURRENCY_WORDS = {"dollars": "usd", "dollar": "usd", "euros": "eur", "euro": "eur", "yuan": "cny",
                  "taka": "bdt", "rupees": "inr"}
MASS_UNITS = {"metric tons": "t", "metric tonnes": "t", "tonnes": "t", "tons": "t", "tonne": "t",
              "ton": "t", "t": "t", "kilograms": "kg", "kilogram": "kg", "kg": "kg", "kt": "kt",
              "mt": "Mt", "grams": "g", "g": "g", "pounds": "lb", "lb": "lb", "lbs": "lb",
              "ounces": "oz", "oz": "oz"}
DURATION_UNITS = {"year": "years", "years": "years", "yr": "years", "yrs": "years",
                  "month": "months", "months": "months", "week": "weeks", "weeks": "weeks",
                  "day": "days", "days": "days", "hour": "hours", "hours": "hours", "hr": "hours",
                  "hrs": "hours", "minute": "minutes", "minutes": "minutes", "mins": "minutes",
                  "decade": "decades", "decades": "decades", "century": "centuries",
                  "centuries": "centuries"}
PERCENT_WORDS = ("percentage points", "per cent", "percent", "pct", "pc", "pp", "%")
QUALIFIERS = ("more or less", "at least", "at most", "more than", "less than", "fewer than",
              "greater than", "up to", "as many as", "as much as", "as few as", "close to",
              "just over", "just under", "an estimated", "nearly", "almost", "about", "around",
              "approximately", "roughly", "some", "over", "under", "above", "below", "exactly",
              "estimated", "only")
STOP = frozenset(
    "a an the of and or but to in on at by for from with as is are was were be been being has have "
    "had it its it's that which who whom this these those their his her our your my into onto over "
    "under than then there here when where while after before since until during among between "
    "about around through per according said says will would could should may might can not no "
    "more most less least so such also all each every other them they us we you".split())
TIME_WORDS = frozenset("last next this year years month months week weeks day days today yesterday "
                       "ago now later earlier".split())
KEEP_IN_PHRASE = frozenset({"more", "other", "most", "less"})  # '5 more countries'
MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9}

# --- the token grammar ---------------------------------------------------------------------------
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_SPELLED_1_9 = "|".join(_UNITS[1:10])
_SPELLED = (r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + _SPELLED_1_9 + r"))?|"
            + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"|a)"
            + r"(?:[ -](?:" + "|".join(WORD_SCALES) + r"))?")
_CUR = r"(?:US\$|\$|€|£|¥|Tk\.?|Rs\.?)"
_SCALE = r"(?:" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")"
TOKEN = re.compile(
    r"(?P<date_mdy>\b" + _MONTH + r"\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{4})\b)?)"
    r"|(?P<date_dmy>\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+(?P<y2>\d{4})\b)?)"
    r"|(?P<date_my>\b" + _MONTH + r",?\s+(?P<y3>\d{4})\b)"
    r"|(?P<date_iso>\b(?P<y4>\d{4})-(?P<m4>[01]\d)-(?P<d4>[0-3]\d)(?:\b|(?=T\d)))"
    # a dotted numeric date is day.month.year, as the countries that write it so read it: '18.09.2024'
    r"|(?P<date_dot>\b(?P<d5>0?[1-9]|[12]\d|3[01])\.(?P<m5>0?[1-9]|1[0-2])\.(?P<y5>(?:19|20)\d\d)\b(?!\.\d))"
    # a slashed numeric date: month/day/year or day/month/year; when both orders name a day, the
    # written text is kept as its normalized form (anchor.py reads it as an AmbiguousDate)
    r"|(?P<date_slash>\b(?P<a6>[0-3]?\d)/(?P<b6>[0-3]?\d)/(?P<y6>(?:19|20)\d\d)\b(?!/))"
    r"|(?P<time>\b(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)\b)"
    r"|(?P<decade>\b(?:(?P<dq>early|mid|late)[- ](?:the\s+)?)?(?P<dy>1[5-9]\d0|20\d0)s\b)"
    r"|(?P<period>\b(?:(?P<pw>between|from)\s+)?(?P<p1>1[5-9]\d\d|20\d\d)"
    # ('2020-23' abbreviates the second year only after a dash: '2010 and 60%' is no period)
    r"(?:\s*[-–—]\s*(?P<p2>1[5-9]\d\d|20\d\d|\d\d)|\s+(?:and|to|through)\s+(?P<p2w>1[5-9]\d\d|20\d\d))"
    r"\b(?!\s*(?:%|percent|per\s*cent)))"
    r"|(?P<money>(?P<cur>" + _CUR + r")\s?(?P<mnum>" + _NUM + r")(?:\s?[-–]\s?(?P<mnum2>" + _NUM
    + r"))?(?:\s?(?P<mscale>" + _SCALE + r")\b)?)"
    r"|(?P<ordnum>\b(?P<onum>\d+)(?:st|nd|rd|th)\b)"
    r"|(?P<numeric>(?P<num>" + _NUM + r")(?:\s?(?:-|–|to)\s?(?P<num2>" + _NUM + r"))?"
    r"(?:(?P<glued>[A-Za-z]{1,4})\b|\b|(?=%)))"
    r"|(?P<fraction>\b(?:(?P<fn>an|a|one|two|three|four|five|six|seven|eight|nine)[\s-])?(?P<fd>half|halves|thirds?|quarters?"
    r"|fifths?|sixths?|eighths?|tenths?)\b)"
    r"|(?P<spelled>\b(?P<sp>" + _SPELLED + r")(?:\s(?:to|or)\s(?P<sp2>" + _SPELLED + r"))?\b)"
    r"|(?P<ordword>\b(?P<ow>" + "|".join(ORDINAL_WORDS) + r")\b)",
    re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z’'\-]*|\S")


def extract_figures(source) -> pd.DataFrame:
    """Figures in an article: `source` is an Article, text (str), bytes, or a Path to a text file."""
    article = source if isinstance(source, Article) else load_article(source)
    rows = []
    for i, (start, end) in enumerate(article.sentences):
        rows += [dict(sentence_index=i, **f) for f in figures_in_sentence(article.text, start, end)]
    df = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    return df.astype({"sentence_index": "int64", "char_start": "int64", "char_end": "int64",
                      "number": "float64", "number_high": "float64"})


def figures_in_sentence(text: str, start: int, end: int) -> list[dict]:
    out, pos = [], start
    while (m := TOKEN.search(text, pos, end)) is not None:
        fig = _classify(m, text, start, end)
        # resume where the figure ends: a unit may extend it, a failed period ('2000 and 1999') ends early
        pos = fig["char_end"] if fig and "char_end" in fig else m.end()
        if fig is None:
            continue
        fig.setdefault("number_high", math.nan)
        fig.setdefault("normalized", "")
        fig.setdefault("qualifier", _qualifier(text[start: m.start()]))
        fig.setdefault("counted", "")
        fig.setdefault("char_end", m.end())
        fig.pop("_scale", None)
        fig.setdefault("char_start", m.start())
        fig.update(text=text[fig["char_start"]: fig["char_end"]],
                   snippet=_snippet(text, start, end, fig["char_start"], fig["char_end"]))
        out.append(fig)
    return out


def _classify(m: re.Match, text: str, s_start: int, s_end: int) -> dict | None:
    g = m.groupdict()
    after = text[m.end(): s_end]
    before = text[s_start: m.start()]
    if g["date_mdy"] or g["date_dmy"] or g["date_my"] or g["date_iso"] or g["date_dot"] or g["date_slash"]:
        return _date(m)
    if g["time"]:
        hh, mm = int(g["hh"]), int(g["mm"])
        return dict(number=float(hh * 100 + mm), kind="time", unit="", normalized=f"{hh:02d}:{mm:02d}")
    if g["decade"]:
        return dict(number=float(g["dy"]), kind="decade", unit="", qualifier=(g["dq"] or "").lower())
    if g["period"]:
        y1, y2 = int(g["p1"]), g["p2"] or g["p2w"]
        y2 = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
        if y2 <= y1:  # not a period: keep the first year, rescan the rest
            return dict(number=float(y1), kind="year", unit="", char_start=m.start("p1"),
                        char_end=m.start("p1") + 4, qualifier="")
        return dict(number=float(y1), number_high=float(y2), kind="period", unit="",
                    char_start=m.start("p1"), qualifier=(g["pw"] or "").lower())
    if g["money"]:
        if _glued_to_word(before) and not g["cur"].lower().startswith(("tk", "rs")):
            return None
        unit = CURRENCY_PREFIX[g["cur"].rstrip(".").lower()]
        fig = dict(number=_scaled(g["mnum"], g["mscale"]), kind="money", unit=unit,
                   counted=_noun_phrase(text[m.end(): s_end]))
        return _with_high(fig, _scaled(g["mnum2"], g["mscale"]) if g["mnum2"] else None)
    if g["ordnum"]:
        if _glued_to_word(before):
            return None
        return dict(number=float(g["onum"]), kind="ordinal", unit="",
                    counted=_noun_phrase(after))
    if g["fraction"]:
        # 'a third', 'two-thirds', 'half' are shares; 'the third plant' is an ordinal
        word = g["fd"].lower()
        den = FRACTIONS[word]
        num = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9}.get((g["fn"] or "").lower())  # 'nine-tenths'
        if num is not None and num >= den:  # 'eight quarters' is two years, not a share
            return None
        if num is None and den != 2:
            return _ordinal_word(word, before, after) if word in ORDINAL_WORDS else None
        return dict(number=100 * (num or 1) / den, kind="fraction", unit="percent",
                    counted=_of_phrase(after))
    if g["ordword"]:
        return _ordinal_word(g["ow"], before, after)
    if g["numeric"]:
        if _glued_to_word(before):  # 'COVID-19', 'G7', 'F-35' are names, not figures
            return None
        fig = _with_suffix(float(g["num"].replace(",", "")), (g["glued"] or "").lower(), m, text,
                           s_end, is_digits=True and not g["num2"])
        return _with_high(fig, float(g["num2"].replace(",", "")) if g["num2"] else None)
    if g["spelled"]:
        value = _spelled_value(g["sp"])
        if value is None:
            return None
        fig = _with_suffix(value, "", m, text, s_end, is_digits=False)
        if fig and g["sp"].lower() == "one" and not g["sp2"] and (
                fig["kind"] in ("number", "count") and _is_pronoun_one(before, after)):
            return None
        return _with_high(fig, _spelled_value(g["sp2"]) if g["sp2"] else None)
    return None


def _ordinal_word(word: str, before: str, after: str) -> dict | None:
    """'first' is mostly an adverb ('first came'); count an ordinal only after a determiner."""
    if not re.search(r"(?:\b(?:the|a|an|his|her|its|their|our|my|your|this|that)|['’]s)\s+$",
                     before, re.IGNORECASE):
        return None
    return dict(number=float(ORDINAL_WORDS[word.lower()]), kind="ordinal", unit="",
                counted=_noun_phrase(after))


def _with_suffix(value: float, glued: str, m: re.Match, text: str, s_end: int, is_digits: bool):
    """Classify a bare number by what follows it: scale, percent, currency, unit, duration, noun.
    The scale applied ('million' -> 1e6) is kept under '_scale' for the upper end of a range."""
    pos = m.end()
    if glued in ("st", "nd", "rd", "th"):
        return dict(number=value, kind="ordinal", unit="", counted=_noun_phrase(text[pos: s_end]))
    scale = glued if glued in SCALES else ""
    if not scale:
        sm = re.match(r"\s?(" + _SCALE + r")\b", text[pos: s_end], re.IGNORECASE)
        if sm and sm.group(1).lower() in WORD_SCALES + ("bn", "mn", "cr", "crore", "lakh"):
            scale, pos = sm.group(1).lower(), pos + sm.end()
    if glued and not scale and glued not in MASS_UNITS and glued not in DURATION_UNITS \
            and glued not in ("pc", "pct"):
        return dict(number=value, kind="number", unit=glued)  # '1GB': unit as printed
    factor = SCALES[scale] if scale else 1.0
    fig = _by_unit(value * factor, "" if scale else glued, text, pos, s_end)
    if fig is None and is_digits and not scale and 1500 <= value <= 2100 \
            and re.fullmatch(r"\d{4}", m.group("num") or ""):
        fig = dict(number=value, kind="year", unit="")
    if fig is None:
        counted = _noun_phrase(text[pos: s_end])
        fig = dict(number=value * factor, kind="count" if counted else "number", unit="",
                   counted=counted, char_end=pos)
    fig["_scale"] = factor
    return fig


def _by_unit(value: float, glued: str, text: str, pos: int, s_end: int) -> dict | None:
    """A percent, money, mass or duration when its unit follows the number (or is glued to it)."""
    after = text[pos: s_end]
    pm = "%" if glued in ("pc", "pct") else ("" if glued else _starts_with(after, PERCENT_WORDS))
    if pm:
        end = pos if glued else pos + re.match(r"\s?", after).end() + len(pm)
        unit = "percentage_points" if pm in ("percentage points", "pp") else "percent"
        return dict(number=value, kind="percent", unit=unit, char_end=end,
                    counted=_share_of(text[end: s_end]))
    for table, kind in ((CURRENCY_WORDS, "money"), (MASS_UNITS, "mass"), (DURATION_UNITS, "duration")):
        key = glued if glued in table else ("" if glued else
                                            _starts_with(after, tuple(table), sep=r"[\s-]?"))
        if key:
            end = pos if glued else pos + re.match(r"[\s-]?", after).end() + len(key)
            rest = text[end: s_end]
            counted = {"mass": _of_phrase(rest), "money": _noun_phrase(rest)}.get(kind, "")
            return dict(number=value, kind=kind, unit=table[key], char_end=end, counted=counted)
    return None


def _with_high(fig: dict | None, high: float | None) -> dict | None:
    """A range ('3-4 weeks', 'two to three months'): the upper end, scaled like the lower end."""
    if fig is not None and high is not None:
        fig["number_high"] = high * fig.get("_scale", 1.0)
    return fig


def _starts_with(after: str, options, sep=r"\s?") -> str:
    low = after.lower()
    for opt in sorted(options, key=len, reverse=True):
        mm = re.match(sep + re.escape(opt.lower()) + (r"(?![a-z])" if opt[-1].isalpha() else ""), low)
        if mm:
            return opt.lower()
    return ""


def _scaled(num: str, scale: str | None) -> float:
    value = float(num.replace(",", ""))
    return value * SCALES[scale.lower()] if scale else value


def _spelled_value(words: str) -> float | None:
    parts = re.split(r"[ -]", words.lower())
    if parts[0] == "a":
        if len(parts) == 1:
            return None
        parts[0] = "one"
    total = 0.0
    for p in parts:
        if p in WORD_NUMBERS:
            total += WORD_NUMBERS[p]
        elif p in SCALES:
            total = (total or 1) * SCALES[p]
    return total


def _is_pronoun_one(before: str, after: str) -> bool:
    """'one of the', 'no one', 'the one', 'one another': 'one' is not a count."""
    nxt = after.lstrip().split(" ", 1)[0].lower().strip(",.;:") if after.strip() else ""
    prev = before.rstrip().rsplit(" ", 1)[-1].lower() if before.strip() else ""
    return nxt in ("of", "another", "") or nxt in STOP or prev in ("no", "the", "any", "every",
                                                                   "each", "which", "this", "that")


def _glued_to_word(before: str) -> bool:
    return bool(re.search(r"[A-Za-z]-?$", before))


def _qualifier(before: str) -> str:
    low = before.lower().rstrip()
    low = re.sub(r"\$$|us\$$", "", low).rstrip()
    for q in QUALIFIERS:
        if re.search(r"(?:^|\W)" + re.escape(q) + r"$", low):
            return q
    return ""


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _noun_phrase(after: str, max_words: int = 3) -> str:
    """The words right after a number that name what it counts: up to 3 words, stopping at a
    function word, a time word or punctuation; then cut after the last plural-looking word
    ('tungsten mines have' -> 'tungsten mines'), else before a likely verb ('mine closed' -> 'mine')."""
    words = []
    for w in _words(after):
        low = w.lower()
        if not w[0].isalpha() or low in (STOP | TIME_WORDS) - KEEP_IN_PHRASE or len(words) == max_words:
            break
        words.append(w)
    plural = [i for i, w in enumerate(words) if w.lower().endswith("s") and len(w) > 3]
    if plural:
        return " ".join(words[: plural[-1] + 1])
    verb = next((i for i, w in enumerate(words) if i and w.lower().endswith("ed")), len(words))
    return " ".join(words[:verb])


def _of_phrase(after: str) -> str:
    """For a mass: the noun phrase after 'of' ('1.2 million tons of graphite' -> 'graphite')."""
    m = re.match(r"\s*of\s+(?:the\s+)?", after, re.IGNORECASE)
    return _noun_phrase(after[m.end():]) if m else ""


_SHARE_STOP = frozenset("it that which who from in on by for with was were is are has have had to "
                        "since according between during among all used".split())


def _share_of(after: str, max_words: int = 8) -> str:
    """What a percent or mass is of: the phrase after 'of' ('of the world's tungsten, gallium and
    antimony'), up to the next number, clause word or dash; '' when no 'of' follows."""
    m = re.match(r"\s*of\s+(?:the\s+)?", after, re.IGNORECASE)
    if not m:
        return ""
    out = []
    for tok in re.findall(r"[A-Za-z][A-Za-z’'\-]*|\d+|[^\sA-Za-z\d]", after[m.end():]):
        if tok[0].isdigit() or tok in (".", ";", ":", "—", "–", "-", "(", "“", '"') \
                or tok.lower() in _SHARE_STOP or len(out) >= max_words:
            break
        out.append(tok)
    while out and (out[-1] in (",",) or out[-1].lower() in ("and", "or", "the")):
        out.pop()
    return re.sub(r"\s+,", ",", " ".join(out))


def slashed_readings(written: str) -> list[dt.date]:
    """The calendar days a slashed date 'a/b/yyyy' can be, month/day (U.S.) or day/month, in order:
    one, two ('12/09/2024') or none ('40/40/2024')."""
    a, b, y = map(int, written.split("/"))
    out = set()
    for month, day in ((a, b), (b, a)):
        try:
            out.add(dt.date(y, month, day))
        except ValueError:
            continue
    return sorted(out)


def _date(m: re.Match) -> dict:
    g = m.groupdict()
    if g["date_slash"]:
        days = slashed_readings(m.group())
        if len(days) != 1:  # '12/09/2024': either order; '40/40/2024': neither
            return dict(number=float(int(g["y6"]) * 10000), kind="date", unit="", normalized=m.group())
        y, mo, d = days[0].year, days[0].month, days[0].day
    elif g["date_iso"]:
        y, mo, d = int(g["y4"]), int(g["m4"]), int(g["d4"])
    elif g["date_dot"]:
        y, mo, d = int(g["y5"]), int(g["m5"]), int(g["d5"])
    else:
        month_text = re.search(_MONTH, m.group(), re.IGNORECASE).group().rstrip(".").lower()
        mo = MONTHS[month_text if month_text in MONTHS else month_text[:3]]
        d = int(g["d1"] or g["d2"] or 0)
        y = int(g["y1"] or g["y2"] or g["y3"] or 0)
    iso = (f"{y:04d}" if y else "-") + f"-{mo:02d}" + (f"-{d:02d}" if d else "")
    return dict(number=float(y * 10000 + mo * 100 + d), kind="date", unit="", normalized=iso)


def _snippet(text: str, s_start: int, s_end: int, start: int, end: int) -> str:
    before = text[s_start:start].split()[-SNIPPET_WORDS_BEFORE:]
    after = text[end:s_end].split()[:SNIPPET_WORDS_AFTER]
    lead = "…" if len(text[s_start:start].split()) > SNIPPET_WORDS_BEFORE else ""
    tail = "…" if len(text[end:s_end].split()) > SNIPPET_WORDS_AFTER else ""
    core = text[start:end]
    glue_b = " " if before and text[start - 1: start].isspace() else ""
    glue_a = " " if after and text[end: end + 1].isspace() else ""
    return (lead + " ".join(before) + glue_b + core + glue_a + " ".join(after) + tail).strip()
