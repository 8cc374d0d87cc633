"""Parse one USGS value cell into (value, flag). Every token is known or it is an error.

Flags: '' plain number; 'W' withheld; 'NA' not available; 'XX' not applicable; 'E' net exporter;
'>' / '<' bounds (value holds the bound); 'range' (value holds the low end, value_high the high end);
'qual' a qualitative word USGS prints instead of a number (Large, Small, Moderate...).
"""
from __future__ import annotations

import math
import re

from critmin.errors import DataError

TOKENS = {"W": "W", "NA": "NA", "XX": "XX", "E": "E", "--": "NA"}
# Tokens that stand for zero, per release (ids of data/sources.yml), only where the release itself
# says so: MCS 2026 prints the em dash for zero (MANIFEST 4b). No other release documents a dash,
# so there a dash is an unknown token, never a silent 0.
ZERO_BY_RELEASE = {"usgs-mcs-2026": frozenset({"—"})}
QUALITATIVE = {"large", "small", "very small", "moderate", "moderate to large"}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_NUM_RE = re.compile(rf"^(?:{_NUM})$")
_BOUND_RE = re.compile(rf"^([<>])\s*({_NUM})\s*%?$")
_RANGE_RE = re.compile(rf"^({_NUM})\s*[–—-]\s*({_NUM})$")

FLAGS = ("", "W", "NA", "XX", "E", ">", "<", "range", "qual")
# What a flag that stands for no number means, in words (the code in brackets is USGS's).
MISSING_FLAGS = {
    "W": "withheld (W)",
    "NA": "not available (NA)",
    "XX": "not applicable (XX)",
    "qual": "given only in words",
    "E": "a net exporter (E)",
}


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def mcs_release(edition: int) -> str:
    """The registry id of an MCS data release (data/sources.yml)."""
    return f"usgs-mcs-{int(edition)}"


def parse_value(raw, *, release=None, file=None, row=None, column=None, allow_qualitative=False):
    """Return (value, flag, value_high). Blank cells raise unless the caller treats them; this keeps
    'missing' explicit. release (a data/sources.yml id) selects the tokens that release documents;
    None means only the tokens every release shares."""
    text = "" if raw is None else str(raw).replace("\xa0", " ").strip()
    if text == "":
        raise DataError("blank value cell", file=file, row=row, column=column,
                        expected="a number or a known token (W, NA, XX, E, >n, <n)")
    if _NUM_RE.match(text):
        return _num(text), "", math.nan
    if text in TOKENS:
        return math.nan, TOKENS[text], math.nan
    if text in ZERO_BY_RELEASE.get(release, ()):
        return 0.0, "", math.nan
    m = _BOUND_RE.match(text)
    if m:
        return _num(m.group(2)), m.group(1), math.nan
    m = _RANGE_RE.match(text)
    if m:
        return _num(m.group(1)), "range", _num(m.group(2))
    if allow_qualitative and (text.lower() in QUALITATIVE or text.lower().startswith("variable")):
        return math.nan, "qual", math.nan
    zero = "".join(f", {t} (zero in {release})" for t in sorted(ZERO_BY_RELEASE.get(release, ())))
    raise DataError("unknown token in value column", file=file, row=row, column=column, got=text,
                    expected=f"a number, W, NA, XX, E{zero}, a bound like >95 or <1,000, "
                             "or a range like 50–300")
