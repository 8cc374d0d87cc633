"""The committed claims table (data/reference/article_claims.csv): read it strictly, and tie each
claim to the figure(s) the extractor finds in the article, so a claims table can never silently
drift from its article (or be run against another article)."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from critmin import config
from critmin.errors import DataError
from critmin.io import read_rows
from critmin.claims.check import LOOKUPS, QUALIFIERS

CLAIM_COLUMNS = ["claim_id", "claim", "figure", "figure_high", "unit", "qualifier", "kind",
                 "commodity", "measure", "stage", "form", "country", "year_or_period",
                 "attributed_to", "checkable", "mapped_table", "why_not_checkable", "see_also"]
CLAIM_KINDS = {  # claim kind -> the extractor kinds that state such a figure
    "share_of_world_production": {"percent"}, "us_import_share_from_china": {"percent"},
    "money": {"money"}, "count": {"count", "number"}, "year": {"year", "period"},
    "decade": {"decade"}, "duration": {"duration"}, "date": {"date"}, "ordinal": {"ordinal"},
    "mass": {"mass"}, "percent": {"percent"},
}
DECADE_QUALIFIERS = frozenset({"early", "mid", "late"})  # 'the early 2010s'; never checkable
# claims whose figure the article implies in words ('the only mine' = 1) rather than writes
IMPLIED_MARK = "implied by the wording"


def load_claims(path: Path = config.REFERENCE / "article_claims.csv") -> pd.DataFrame:
    """Read and validate a claims table; every problem names file, row and column."""
    path = Path(path)
    header, rows = read_rows(path, encoding="utf-8")
    rel = _rel(path)
    if header != CLAIM_COLUMNS:
        raise DataError("claims table header differs", file=rel, row=1,
                        expected=",".join(CLAIM_COLUMNS), got=",".join(header))
    slugs = commodity_slugs()
    seen, out = set(), []
    for line, cells in rows:
        r = dict(zip(header, (c.strip() for c in cells)))
        where = dict(file=rel, row=line)
        if not r["claim_id"] or r["claim_id"] in seen:
            raise DataError("claim_id missing or repeated", column="claim_id", got=r["claim_id"],
                            **where)
        seen.add(r["claim_id"])
        for col in ("figure", "figure_high"):
            if r[col] or col == "figure":
                try:
                    r[col] = float(r[col])
                except ValueError:
                    raise DataError("not a number", column=col, got=r[col], **where) from None
            else:
                r[col] = math.nan
        _one_of(r, "kind", CLAIM_KINDS, where)
        _one_of(r, "qualifier", QUALIFIERS | DECADE_QUALIFIERS, where)
        _one_of(r, "checkable", ("yes", "no"), where)
        if r["checkable"] == "yes":
            _one_of(r, "kind", LOOKUPS, where, why="a checkable claim needs a lookup")
            if r["mapped_table"] != LOOKUPS[r["kind"]]:
                raise DataError("mapped_table does not fit the claim kind", column="mapped_table",
                                expected=LOOKUPS[r["kind"]], got=r["mapped_table"], **where)
            for col in ("commodity", "country", "year_or_period"):
                if not r[col]:
                    raise DataError("a checkable claim needs this", column=col, **where)
        elif not r["why_not_checkable"]:
            raise DataError("a claim that is not checkable must say why",
                            column="why_not_checkable", **where)
        if r["commodity"] and r["commodity"] not in slugs:
            raise DataError("unknown commodity slug", column="commodity", got=r["commodity"],
                            expected="a slug from data/mappings/commodity_slugs.csv", **where)
        out.append(r)
    return pd.DataFrame(out, columns=CLAIM_COLUMNS)


def _one_of(r, col, allowed, where, why="unknown value"):
    if r[col] not in allowed:
        raise DataError(why, column=col, got=r[col], expected=f"one of {sorted(allowed)}", **where)


def commodity_slugs() -> set[str]:
    """The project's commodity slug vocabulary (data/mappings/commodity_slugs.csv)."""
    header, rows = read_rows(config.MAPPINGS / "commodity_slugs.csv")
    return {cells[header.index("slug")].strip() for _, cells in rows}


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)


def match_claims(figures: pd.DataFrame, claims: pd.DataFrame, source: str = "claims table"
                 ) -> pd.DataFrame:
    """The figure table with a `claim_ids` column: which claims each extracted figure states
    (';'-separated, '' for none). Raises DataError when a claim that states its figure as a number
    is not found in the article: the claims table belongs to another text, or is out of date."""
    ids = [[] for _ in range(len(figures))]
    missing = []
    for c in claims.itertuples(index=False):
        kinds = CLAIM_KINDS[c.kind]
        hit = [i for i, f in enumerate(figures.itertuples(index=False))
               if f.kind in kinds and (_close(f.number, c.figure) or
                                        f.kind == "period" and _close(f.number_high, c.figure))]
        if not hit and IMPLIED_MARK not in c.claim:
            missing.append(c.claim_id)
        for i in hit:
            ids[i].append(c.claim_id)
        # a claim's period ('2020-2023') is the figure that dates it
        for i, f in enumerate(figures.itertuples(index=False)):
            if f.kind == "period" and c.year_or_period == f"{f.number:.0f}-{f.number_high:.0f}":
                ids[i].append(c.claim_id)
    if missing:
        raise DataError(f"{len(missing)} of {len(claims)} claims are not in the article "
                        f"(wrong article, or the claims table needs updating)", file=source,
                        got=", ".join(missing))
    return figures.assign(claim_ids=[";".join(dict.fromkeys(x)) for x in ids])


def _close(a, b) -> bool:
    return not (pd.isna(a) or pd.isna(b)) and math.isclose(float(a), float(b), rel_tol=1e-9)
