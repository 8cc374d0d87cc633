"""One reading of a period as our tables and articles write it ('2024', '2020-2023', '2020–2023'):
the years it covers. Import-source periods (ingest), the mineral pages' USGS rows (analysis) and a
claim's years (claims) all go through it, so a period means the same years everywhere."""
from __future__ import annotations

import math
import re

_PERIOD = re.compile(r"^\s*((?:19|20)\d\d)\s*(?:[-–—]\s*((?:19|20)\d\d)\s*)?$")


def period_years(period) -> list[int] | None:
    """'2024' -> [2024]; '2020-2023' (hyphen or en dash) -> [2020, ..., 2023]; '', 'latest' or
    missing -> None. Anything else is refused, naming the text (never read as no period)."""
    if period is None or (isinstance(period, float) and math.isnan(period)):
        return None
    text = str(period)
    if text.strip() in ("", "latest"):
        return None
    m = _PERIOD.match(text)
    if not m or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        raise ValueError(f"period {text!r} is not a year or a range of years such as '2020-2023'")
    lo = int(m.group(1))
    return list(range(lo, int(m.group(2) or lo) + 1))
