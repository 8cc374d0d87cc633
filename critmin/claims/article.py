"""An article's text: read it, refuse what is not English prose, cut the site navigation, split sentences.

Where the story ends (the rule, applied after the first prose line, whichever comes first):
  1. a line that is exactly a known navigation heading ('More News', 'Latest News', 'Most Read', ...);
  2. the first run of at least MIN_NAV_RUN consecutive headline-like lines (blank lines ignored):
     fewer than HEADLINE_MAX_WORDS words and not ending in sentence punctuation (. ! or a closing quote).
Story paragraphs end with punctuation; lists of links do not, and come in long runs. Single
unpunctuated lines inside the story (section subheads, the byline) are too few to form a run.
A "prose line" has at least PROSE_MIN_WORDS words and ends in sentence punctuation; nothing before
the first one is searched, so a title or site menu above the story can never cut it.

All positions are character offsets into the text as given, so a figure can be found again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from critmin.errors import DataError

NAV_HEADINGS = frozenset({
    "more news", "latest news", "most read", "most popular", "related news", "related stories",
    "related articles", "related", "read more", "also read", "top news", "top stories", "trending",
    "trending now", "popular", "you may also like", "recommended", "more from", "more stories",
    "editor's picks", "editor’s picks", "see also", "advertisement",
})
MIN_NAV_RUN = 6
HEADLINE_MAX_WORDS = 20
PROSE_MIN_WORDS = 12
TERMINAL = (".", "!", "”", '"')

# English check: function words make up well over a third of running English text (about 0.3
# even in this headline-heavy seed page); in French, Spanish or German text they are a few percent.
ENGLISH_WORDS = frozenset(
    "the of and to a in is that for it on with as was by at from has have are be said this which "
    "an but not they he she his her its their or were will would can been had who more than also "
    "after about over into there what when we you i our all one new".split())
MIN_ENGLISH_SHARE = 0.15
MIN_WORDS_FOR_LANGUAGE = 20
MIN_LATIN_SHARE = 0.9  # share of letters that are a-z/A-Z (accents and curly quotes aside)

# Abbreviations whose final dot does not end a sentence.
ABBREVIATIONS = frozenset(
    "co corp inc ltd mr mrs ms dr prof st jr sr no vs gen gov sen rep lt col sgt capt "
    "jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e approx est fig".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_BOUNDARY = re.compile(r"[.!?][”\"’')\]]*\s+(?=[“\"‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Article:
    text: str            # the whole text as given
    story_end: int       # offset where the story stops (len(text) when nothing was cut)
    sentences: tuple     # ((start, end), ...) offsets of each story sentence, in order
    source: str          # file path or '<text>'

    @property
    def story(self) -> str:
        return self.text[: self.story_end]

    def sentence(self, i: int) -> str:
        start, end = self.sentences[i]
        return self.text[start:end]


def read_article(path: Path) -> Article:
    """Read an article file (UTF-8). Binary or undecodable content is a DataError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise DataError("article file is missing", file=str(path), expected="a UTF-8 text file")
    return load_article(path.read_bytes(), source=str(path))


def load_article(content, source: str = "<text>") -> Article:
    """An Article from text (str), raw bytes, or a Path (read as a file)."""
    if isinstance(content, Path):
        return read_article(content)
    if isinstance(content, (bytes, bytearray)):
        content = _decode(bytes(content), source)
    if not isinstance(content, str):
        raise DataError("article must be text, bytes or a Path", file=source,
                        expected="str, bytes or pathlib.Path", got=type(content).__name__)
    check_english_text(content, source)
    end = story_end(content)
    return Article(content, end, tuple(split_sentences(content, end)), source)


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:4096]:
        raise DataError("article looks binary (NUL bytes)", file=source, expected="UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError("article is not UTF-8 text", file=source, row=line, expected="UTF-8 text",
                        got=data[exc.start: exc.start + 8]) from None


def check_english_text(text: str, source: str = "<text>") -> None:
    """Raise DataError for empty, binary-looking or non-English text."""
    if not text.strip():
        raise DataError("article text is empty", file=source, expected="English prose")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f\v")
    if controls > max(2, len(text) // 100):
        raise DataError("article looks binary (control characters)", file=source,
                        expected="English prose", got=f"{controls} control characters")
    letters = [c for c in text if c.isalpha()]
    if not letters:
        raise DataError("article has no words", file=source, expected="English prose")
    latin = sum(1 for c in letters if c.isascii()) / len(letters)
    if latin < MIN_LATIN_SHARE:
        raise DataError("article is not in English (mostly non-Latin script)", file=source,
                        expected="English prose", got=f"{latin:.0%} Latin letters")
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) >= MIN_WORDS_FOR_LANGUAGE:
        share = sum(w in ENGLISH_WORDS for w in words) / len(words)
        if share < MIN_ENGLISH_SHARE:
            raise DataError("article does not look like English", file=source,
                            expected=f"at least {MIN_ENGLISH_SHARE:.0%} common English words",
                            got=f"{share:.0%}")


def _lines(text: str):
    """(start, end, stripped_text) for every line."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        yield pos + lead, pos + len(body.rstrip()), body.strip()
        pos += len(raw)


def _n_words(line: str) -> int:
    return len(line.split())


def is_prose(line: str) -> bool:
    return _n_words(line) >= PROSE_MIN_WORDS and line.endswith(TERMINAL)


def is_headline_like(line: str) -> bool:
    return 0 < _n_words(line) < HEADLINE_MAX_WORDS and not line.endswith(TERMINAL)


def is_nav_heading(line: str) -> bool:
    return line.strip().rstrip(":").lower() in NAV_HEADINGS


def story_end(text: str) -> int:
    """Offset where the story stops, by the rule in the module docstring."""
    lines = [ln for ln in _lines(text) if ln[2]]
    first = next((i for i, ln in enumerate(lines) if is_prose(ln[2])), None)
    if first is None:
        return len(text)
    run_start, run = None, 0
    for start, _end, line in lines[first + 1:]:
        if is_nav_heading(line):
            return start
        if is_headline_like(line):
            run_start = start if run == 0 else run_start
            run += 1
            if run >= MIN_NAV_RUN:
                return run_start
        else:
            run = 0
    return len(text)


def split_sentences(text: str, end: int | None = None):
    """(start, end) of each sentence in text[:end]. Every line is at least one sentence; inside a line
    a sentence ends at . ! ? (plus closing quotes) before a capital, digit or opening quote, unless
    the dot closes a known abbreviation, an initial ('J.') or a dotted acronym ('U.S.')."""
    end = len(text) if end is None else end
    out = []
    for start, stop, line in _lines(text[:end]):
        if not line:
            continue
        cur = start
        for m in _BOUNDARY.finditer(text, start, stop):
            if _is_abbreviation(text[cur: m.start() + 1]):
                continue
            out.append((cur, m.start() + len(m.group().rstrip())))
            cur = m.end()
        out.append((cur, stop))
    return out


def _is_abbreviation(chunk: str) -> bool:
    if not chunk.endswith("."):
        return False
    last = chunk.split()[-1] if chunk.split() else ""
    word = last.rstrip(".").lstrip("(“\"‘").lower()
    return (word in ABBREVIATIONS or len(word) == 1 and word.isalpha()
            or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word)))
