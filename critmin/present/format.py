"""How numbers and flags read for people: one place for every label a reader sees."""
from __future__ import annotations

import math

from critmin.ingest.tokens import MISSING_FLAGS


def share_label(pct, flag, high=math.nan, reason="", digits=0) -> str:
    """The text a reader sees: '69%', '>95%', '40–45%', or 'W withheld'."""
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
