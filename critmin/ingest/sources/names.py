"""Shared helpers for the NIR, import-source, trade, BGS and export-control cleaners: footnote
stripping, the commodity slug vocabulary, mapping files that carry a `form` column, and paths
relative to data/raw for error messages and the source_file column."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from critmin import config
from critmin.ingest import mappings
from critmin.errors import DataError

# USGS glues footnote digits to labels ("China3", "New Caledonia11", "... metals)9").
_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\s*\d{1,2}$")


def clean_label(text: str) -> str:
    """Country/commodity label: no-break spaces, outer and repeated spaces, and trailing footnote
    digits ('World total (rounded)10', 'World total (rounded) 10', 'Germany6') removed. One
    function for every source (the world files and the NIR files once had a version each)."""
    text = re.sub(r"\s+", " ", str(text).replace("\xa0", " ")).strip()
    return _FOOTNOTE.sub("", text).strip()


def rel(path: Path, raw_dir: Path) -> str:
    """Path relative to data/raw with forward slashes (what source_file and errors show)."""
    try:
        return Path(path).relative_to(raw_dir).as_posix()
    except ValueError:
        return Path(path).as_posix()


@lru_cache(maxsize=None)
def commodity_slugs() -> dict[str, str]:
    """slug -> USGS chapter title, from the shared vocabulary data/mappings/commodity_slugs.csv."""
    with open(config.MAPPINGS / "commodity_slugs.csv", encoding="utf-8", newline="") as fh:
        return {r["slug"]: r["usgs_chapter"] for r in csv.DictReader(fh)}


@lru_cache(maxsize=None)
def slug_for_chapter() -> dict[str, str]:
    """USGS chapter title (as MCS 2026 prints it in `MCS chapter`) -> slug."""
    return {chapter: slug for slug, chapter in commodity_slugs().items()}


@lru_cache(maxsize=None)
def _forms(name: str) -> dict[str, str]:
    with open(config.MAPPINGS / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return {r["raw_name"]: r.get("form", "") for r in csv.DictReader(fh)}


def slug_and_form(name: str, raw: str, *, file=None, row=None, column=None):
    """(slug, form) for a raw commodity label in mapping `name`, or None when it is dropped on
    purpose. An unmapped label, or a slug outside the shared vocabulary, is a DataError."""
    slug = mappings.lookup(name, raw, file=file, row=row, column=column)
    if slug == mappings.DROP:
        return None
    if slug not in commodity_slugs():
        raise DataError(f"data/mappings/{name}.csv maps to a slug missing from commodity_slugs.csv",
                        file=file, row=row, column=column, got=slug)
    return slug, _forms(name)[raw]


def country(raw: str, mapping: str = "countries_usgs_trade", *, file=None, row=None, column=None):
    """Canonical country name for a raw spelling (footnotes stripped), or None when dropped."""
    name = mappings.lookup(mapping, clean_label(raw), file=file, row=row, column=column)
    return None if name == mappings.DROP else name


def expect_header(header: list[str], expected: list[str], *, file) -> None:
    """Stop on any header that differs from the one the cleaner was written for."""
    if header != expected:
        bad = next((i for i, (h, e) in enumerate(zip(header, expected)) if h != e),
                   min(len(header), len(expected)))
        got = header[bad] if bad < len(header) else "(missing)"
        raise DataError("unknown or missing header", file=file, row=1, column=bad + 1,
                        expected=f"{expected}", got=got)
