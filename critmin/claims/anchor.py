"""Time anchoring: the article's date, what 'last year' / 'this year' mean, and which USGS
Mineral Commodity Summaries (MCS) edition was out when it was written.

The date is the first full date (day, month and year) in the article's header, the lines before
its first prose line (the seed: 'Publish: 18:21, 12 Jun, 2025'; 'Published September 18, 2024';
'By Jane Doe | 12 Feb 2025'), unless given as a parameter. With no full date there, a month and
year on a short header line of its own ('Policy Brief No. 14 | June 2025') dates the article to
that month: a MonthDate, the first of the month, whose day is unknown (enough for 'last year' and,
outside February, for the edition; the check says so). A short date line right after the first
prose line counts too (a standfirst or byline sentence above 'Published September 18, 2024').
A date inside a sentence never counts. A slashed date ('12/09/2024') whose day and month could be
read either way is an AmbiguousDate: the year is known, the earlier reading fixes the edition.

Which edition was out (an approximation, said as such in the report): USGS releases MCS edition N
once a year, in late January or early February of year N. Only one release date is in our sources:
MCS 2026, published 2026-02-06 (data/raw/MANIFEST.md, section 4b). For every other edition we take
1 February of year N; MCS 2025's files carry timestamps up to 2025-01-30 (MANIFEST 4a), which fits.
So an article dated within a few days of 1 February may be given the edition one earlier or later
than the one its author could read.
"""
from __future__ import annotations

import datetime as dt
import re

from critmin.claims.article import Article, _lines, is_prose
from critmin.claims.extract import figures_in_sentence, slashed_readings
from critmin.errors import ParamError

KNOWN_RELEASES = {2026: dt.date(2026, 2, 6)}  # MANIFEST.md 4b: 'published 2026-02-06'
APPROXIMATE_RELEASE = (2, 1)                  # month, day of the approximation
RELEASE_RULE = ("each year's edition of the Mineral Commodity Summaries counts as out from 1 February "
                "of that year, an approximation: USGS releases it in late January or early February, "
                "and the only release date in our sources is 6 February 2026, which is used for "
                "that year's edition")
RELATIVE_YEARS = {"last year": -1, "past year": -1, "this year": 0, "the previous year": -1,
                  "a year earlier": -1, "the year before": -1}
# A dateline: up to 90 characters before the last dash (em, en or a spaced hyphen) that opens the
# story's first line: 'LONDON (Agency) — March 3, 2025 — ...', '4 November 2025 - ...'.
DATELINE = re.compile(r".{0,90}\s[—–-]\s|.{0,90}[—–]")
_RELATIVE = re.compile(r"\b(" + "|".join(sorted(RELATIVE_YEARS, key=len, reverse=True)) + r")\b",
                       re.IGNORECASE)


BYLINE = re.compile(r"By\s+[A-Z]")  # a byline of any length, in the deck after a standfirst
MONTH_LINE_MAX_WORDS = 8  # a header line this short holds a month date of its own, not a headline's


class MonthDate(dt.date):
    """An article date known to the month only (the day is shown as unknown)."""
    day_known = False

    def describe(self) -> str:
        return self.strftime("%B %Y") + " (day not given)"


class AmbiguousDate(dt.date):
    """A numeric date whose day and month may be read either way ('12/09/2024': 9 December in the
    U.S. order, 12 September in the European one). It stands for the earlier reading, so the
    edition taken as out at writing was out on either reading; `later` is the other one."""
    later: dt.date
    written: str

    def describe(self) -> str:
        return (f"{self.written} ({self.day} {self:%B} or {self.later.day} {self.later:%B %Y}: "
                "the order of day and month is not given)")


def ambiguous(written: str, a: dt.date, b: dt.date) -> AmbiguousDate:
    first, second = sorted((a, b))
    out = AmbiguousDate(first.year, first.month, first.day)
    out.later, out.written = second, written
    return out


def describe(date: dt.date) -> str:
    """'2025-06-12', 'June 2025 (day not given)', or the two readings of '12/09/2024'."""
    return date.describe() if isinstance(date, (MonthDate, AmbiguousDate)) else date.isoformat()


def release_date(edition: int) -> dt.date:
    return KNOWN_RELEASES.get(edition, dt.date(edition, *APPROXIMATE_RELEASE))


def parse_date(value) -> dt.date | None:
    """A date parameter: None, a datetime.date, or 'YYYY-MM-DD'."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ParamError(f"article date must be YYYY-MM-DD, got {value!r}") from None


def article_date(article: Article) -> dt.date | None:
    """The first full date in the article's header (lines before its first prose line), else in
    the dateline that opens the first prose line ('WASHINGTON, Nov. 4, 2025 — ...')."""
    month, deck = None, False
    for start, end, line in _lines(article.text):
        if not line:
            continue
        short = len(line.split()) <= MONTH_LINE_MAX_WORDS
        if deck:  # short lines right after the first prose line (a byline, a date line), then the story
            if BYLINE.match(line) and not is_prose(line):
                # 'By Helena Marsh, Senior Fellow, Atlantic Resource Security Program': a long byline
                found = _full_date(article.text, start, end)
                if found:
                    return found
                continue
            if is_prose(line) or not short:
                return month
            found = _full_date(article.text, start, end) or month or _month_date(article.text, start, end)
            if found:
                return found
            continue
        if is_prose(line):
            head = DATELINE.match(article.text, start, end)
            found = _full_date(article.text, start, head.end(), dateline=True) if head else None
            if found:
                return found
            deck = True  # a standfirst or byline sentence may come before the date line
            continue
        if (found := _full_date(article.text, start, end)) is not None:
            return found
        if month is None and short:
            month = _month_date(article.text, start, end)
    return month


def _month_date(text: str, start: int, end: int) -> MonthDate | None:
    """'June 2025' on a header line: the month's first day, marked as day unknown."""
    for f in figures_in_sentence(text, start, end):
        if f["kind"] == "date" and re.fullmatch(r"\d{4}-\d\d", f["normalized"]):
            y, m = map(int, f["normalized"].split("-"))
            return MonthDate(y, m, 1)
    return None


def _full_date(text: str, start: int, end: int, dateline: bool = False) -> dt.date | None:
    """The first full date in text[start:end]; for a dateline, only one with nothing but a place
    and an agency before it ('WASHINGTON,', 'LONDON (Agency) —'), never one inside a sentence."""
    for f in figures_in_sentence(text, start, end):
        full = re.fullmatch(r"\d{4}-\d\d-\d\d", f["normalized"])
        if f["kind"] != "date" or not (full or "/" in f["normalized"]):
            continue
        lead = re.sub(r"\([^)]*\)", "", text[start:f["char_start"]])
        if dateline and re.search(r"\b[a-z]{2,}", lead):
            return None
        if not full:  # a slashed date the extractor could not fix to one day: both readings, or none
            days = slashed_readings(f["normalized"])
            if len(days) == 2:
                return ambiguous(f["normalized"], *days)
            continue
        try:
            return dt.date.fromisoformat(f["normalized"])
        except ValueError:  # '31.02.2024' names no day of the calendar: not the article's date
            continue
    return None


def edition_at(date: dt.date, editions) -> int | None:
    """The newest of `editions` already released on `date` (None when none was)."""
    out = [e for e in sorted(editions) if release_date(e) <= date]
    return out[-1] if out else None


def relative_year(text: str, year: int | None) -> tuple[int | None, str]:
    """('last year' in text, article year 2025) -> (2024, 'last year'); (None, '') when the text
    has no relative year; (None, phrase) when it has one but the article has no date."""
    m = _RELATIVE.search(text)
    if not m:
        return None, ""
    return (None if year is None else year + RELATIVE_YEARS[m.group(1).lower()]), m.group(1).lower()
