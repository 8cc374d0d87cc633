"""Hedge words and the one tolerance rule every claim kind shares.

Every claim has an exact width e (what its rounding allows) and an approximate width a:
  shares (percent)   e = exact_pp (1 pp: a whole-number percent), a = approximate_pp (5 pp), but
                     never more than a quarter of the claimed share (at least e): 'roughly 3%' is
                     2-4%, not 0-8%; 'roughly 12%' is 9-15%; from 20% up, the full 5 pp
  fractions          read as the percent they name ('a third' = 33.3%); with no hedge of their own
                     they count as 'about' (nobody writes 'a third' for exactly 33.3%), so
                     'half' fits 45-55% and 'more than half' needs at least 49%
  amounts            e = half the claim's own rounding unit (88,000 t -> 500 t; 1.27 million t ->
                     5,000 t), a = approximate_rel of the claim (10%), at least e
  ranks              exact: no width
The hedge then shapes the band the same way for every kind (c = the claimed figure):
  none, 'exactly', 'only'                        [c - e, c + e]
  'about', 'around', 'roughly', 'some' ...       [c - a, c + a]
  'nearly', 'almost', 'just under'               [c - a, c + e]   (just below the figure)
  'just over'                                    [c - e, c + a]
  'more than', 'at least', 'over', 'above' ...   [c - e, no limit)
  'no more than', 'up to', 'at most', 'less than', 'under', 'below' ...   (no limit, c + e]
Verdict: the published figure (an interval when USGS prints a bound or range) lies inside the
band -> consistent; wholly below -> overstates; wholly above -> understates; a published interval
that straddles an edge -> not checkable (and why); sources or measures that disagree across the
band (USGS, World Mining Data, BGS; BACI by value vs by quantity) -> depends on source/measure
(sources.py). Band edges count as inside; values are
rounded to 9 decimals first so float noise never flips a verdict.
"""
from __future__ import annotations

import math
import re

from critmin.errors import ParamError

APPROXIMATE = ("approximately", "an estimated", "more or less", "estimated", "roughly", "around",
               "about", "close to", "some")
JUST_BELOW = ("nearly", "almost", "just under", "just below", "just shy of")
JUST_ABOVE = ("just over", "just above", "slightly more than", "a little over")
LOWER = ("more than", "at least", "no less than", "no fewer than", "not less than", "greater than",
         "in excess of", "upwards of", "over", "above")
UPPER = ("no more than", "not more than", "at most", "up to", "as much as", "as many as",
         "less than", "fewer than", "under", "below")
EXACT = ("exactly", "only", "precisely")
SHAPES = {**{h: "exact" for h in EXACT}, **{h: "approximate" for h in APPROXIMATE},
          **{h: "just below" for h in JUST_BELOW}, **{h: "just above" for h in JUST_ABOVE},
          **{h: "lower bound" for h in LOWER}, **{h: "upper bound" for h in UPPER}, "": "exact"}
# any run of hedge words before a figure ('roughly', 'just over', 'more than'), for rules that must
# see past them ('provided roughly a quarter', 'reserves, roughly 12%')
# (re.escape writes a space as a backslash and a space)
RUN = r"(?:(?:" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(SHAPES, key=len, reverse=True)
                          if h) + r")\s+)*"
VERDICTS = ("consistent", "overstates", "understates", "depends on source/measure", "not checkable")
_DIGITS = 9
_HEDGE = re.compile(r"(?:^|[^\w-])(" + "|".join(re.escape(h) for h in sorted(SHAPES, key=len, reverse=True)
                                            if h) + r")\s*(?:\$|us\$)?$", re.IGNORECASE)


def hedge_before(text: str) -> str:
    """The hedge that ends right before a figure ('' when none): longest phrase first, so
    'no more than' is never read as 'more than'. An article ('a', 'the') between is skipped."""
    text = re.sub(r"\s+(?:a|an|the)$", "", text.rstrip(), flags=re.IGNORECASE)
    m = _HEDGE.search(text)
    return m.group(1).lower() if m else ""


def shape(hedge: str) -> str:
    h = (hedge or "").strip().lower()
    if h not in SHAPES:
        raise ParamError(f"unknown qualifier (hedge) {hedge!r}; known: {sorted(SHAPES)}")
    return SHAPES[h]


def rounding_unit(text: str) -> float:
    """The unit a written number is rounded to: '88,000' -> 1000, '1.27 million' -> 10,000,
    '300' -> 100, '45,500' -> 100, '7' -> 1."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if not m:
        raise ParamError(f"no number in {text!r}")
    digits = m.group().replace(",", "")
    scale = 1.0
    for word, factor in (("thousand", 1e3), ("million", 1e6), ("billion", 1e9)):
        if re.search(r"\b" + word + r"\b", text[m.end():], re.IGNORECASE):
            scale = factor
            break
    if "." in digits:
        return scale * 10 ** -len(digits.split(".")[1])
    zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
    return scale * 10 ** zeros


def share_width(claimed: float, approximate_pp: float, exact_pp: float) -> float:
    """The approximate width of a share: approximate_pp, at most a quarter of the claim, at least exact_pp."""
    return max(exact_pp, min(approximate_pp, abs(claimed) / 4))


def band(claimed: float, hedge: str, exact: float, approximate: float) -> tuple[float, float]:
    """The published values a claim fits, by its hedge's shape (module docstring)."""
    a = max(approximate, exact)
    s = shape(hedge)
    return {"exact": (claimed - exact, claimed + exact),
            "approximate": (claimed - a, claimed + a),
            "just below": (claimed - a, claimed + exact),
            "just above": (claimed - exact, claimed + a),
            "lower bound": (claimed - exact, math.inf),
            "upper bound": (-math.inf, claimed + exact)}[s]


def compare(lo: float, hi: float, p_lo: float, p_hi: float) -> tuple[str, str]:
    """(verdict, reason) of a published interval [p_lo, p_hi] against the band [lo, hi]."""
    p_lo, p_hi, lo, hi = (round(v, _DIGITS) if math.isfinite(v) else v for v in (p_lo, p_hi, lo, hi))
    if lo <= p_lo and p_hi <= hi:
        return "consistent", "published figure within the tolerance band"
    if p_hi < lo:
        return "overstates", "published figure below the tolerance band"
    if p_lo > hi:
        return "understates", "published figure above the tolerance band"
    return "not checkable", "USGS gives only a bound or range, which straddles the tolerance band"


def describe(exact_pp: float, approximate_pp: float, approximate_rel: float) -> str:
    return (f"shares: no hedge ± {exact_pp:g} pp, 'about' etc. ± {approximate_pp:g} pp (at most a quarter of "
            f"the claimed share); "
            f"fractions count as 'about'; amounts: no hedge ± half the claim's rounding unit, "
            f"'about' etc. ± {approximate_rel:.0%}; 'nearly'/'almost': up to the approximate width "
            f"below and the exact width above; 'more than'/'at least': published ≥ claimed − exact "
            f"width; 'no more than'/'up to': published ≤ claimed + exact width; ranks exact")
