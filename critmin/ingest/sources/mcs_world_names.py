"""Raw USGS commodity and country labels -> project vocabulary, through committed mapping tables.

data/mappings/commodities_usgs.csv maps MCS 2022-2024 file codes ('raree'), MCS 2025 COMMODITY
names ('Rare earths') and MCS 2026 chapter titles ('RARE EARTHS') to slugs.
data/mappings/countries_usgs.csv maps country labels (after clean_label) to canonical names;
'World' and 'Other countries' are the two aggregates. An unmapped label is a DataError; DROP
rows say why a label is left out.
"""
from __future__ import annotations

import csv
from functools import lru_cache

from critmin import config
from critmin.ingest import mappings
from critmin.errors import DataError

COMMODITIES = "commodities_usgs"
COUNTRIES = "countries_usgs"
# Reason prefix marking labels whose last letter is USGS's footnote 'e' (estimated) glued on.
GLUED_E = "glued footnote 'e'"


@lru_cache(maxsize=None)
def slugs() -> frozenset[str]:
    with open(config.MAPPINGS / "commodity_slugs.csv", encoding="utf-8", newline="") as fh:
        return frozenset(r["slug"] for r in csv.DictReader(fh))


def commodity_slug(raw: str, *, file=None, row=None, column=None) -> str | None:
    """Slug for a raw commodity label, None when it is dropped on purpose."""
    slug = mappings.lookup(COMMODITIES, raw, file=file, row=row, column=column)
    if slug == mappings.DROP:
        return None
    if slug not in slugs():
        raise DataError(f"data/mappings/{COMMODITIES}.csv maps to a slug missing from "
                        "commodity_slugs.csv", file=file, row=row, column=column, got=slug)
    return slug


def country_name(raw: str, *, file=None, row=None, column=None) -> tuple[str | None, bool]:
    """(canonical country, label carries a glued estimate mark); (None, False) when dropped."""
    name = mappings.lookup(COUNTRIES, raw, file=file, row=row, column=column)
    if name == mappings.DROP:
        return None, False
    return name, mappings.load(COUNTRIES)[raw][1].startswith(GLUED_E)


@lru_cache(maxsize=None)
def canonical_countries() -> frozenset[str]:
    return frozenset(c for c, _ in mappings.load(COUNTRIES).values() if c != mappings.DROP)
