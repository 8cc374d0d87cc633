"""Shared by the claim-parsing tests (not a test module): map one story's figures by rule."""
from __future__ import annotations

import datetime as dt

import pytest

from critmin.analysis import tables
from critmin.claims import mapper
from critmin.claims.article import load_article
from critmin.claims.extract import extract_figures


@pytest.fixture(scope="module")
def world():
    return tables.load("world.csv")


def mapped(world, text: str, fill: str, date=dt.date(2025, 6, 12)):
    """The claims the rules map from `text` (+ `fill`, so the story is long enough to be read as
    prose), compared with MCS 2025 and 2026, dates and years left out."""
    art = load_article(text + fill + "\n")
    got = mapper.map_figures(art, extract_figures(art), world, [2025, 2026], date)
    return got[~got["kind"].isin(["date", "year", "period"])].reset_index(drop=True)
