"""Any importer's dependence on a focus country, from CEPII BACI (HS 1992, 1995-2024).

For an importer (a BACI country or EU-27, whose intra-EU flows are excluded) and a commodity's HS6
codes: the focus country's share of the importer's imports by value and by quantity per year, its top
suppliers, the concentration (HHI) of its suppliers and the change since chosen base years.
NOTE: value is what BACI reconciles (FOB-like, thousands of current US$); quantity shares leave out
the flows BACI gives without a quantity (their count is kept), so the two shares cover slightly
different flows. Hong Kong and Macao are separate suppliers unless china_usgs=True (USGS counts
them with China)."""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis import tables
from critmin.ingest.sources import baci

YEARS = baci.YEARS
OTHERS = "Other suppliers"


def supply(importer: str, commodity: str, china_usgs: bool = False) -> pd.DataFrame:
    """Imports by year and supplier: the local aggregate where it covers the case, else the
    big table (data/raw/derived, rebuilt by `make data`). Same columns either way."""
    if not china_usgs and importer in baci.SUPPLY_IMPORTERS and commodity in baci.supply_minerals():
        return tables.load_where("baci_supply.csv", importer=importer, commodity=commodity).reset_index(drop=True)
    baci.importer_codes(importer)  # a clear error before the big table is read
    out = baci.supply(baci.load_trade(), importer, baci.codes_for(commodity), china_usgs=china_usgs)
    return out.assign(commodity=commodity)[baci.SUPPLY_COLUMNS]


def focus_shares(df: pd.DataFrame, focus: str) -> pd.DataFrame:
    """Per year: totals, the focus country's value and quantity and its shares in percent."""
    g = df.assign(is_focus=df.supplier == focus)
    rows = []
    for year, y in g.groupby("year", sort=True):
        f = y[y.is_focus]
        total_v, total_q = y.value_kusd.sum(), y.qty_t.sum()
        rows.append(dict(
            year=int(year), total_value_kusd=total_v, total_qty_t=total_q,
            focus_value_kusd=f.value_kusd.sum(), focus_qty_t=f.qty_t.sum(),
            share_value_pct=100 * f.value_kusd.sum() / total_v if total_v > 0 else math.nan,
            share_qty_pct=100 * f.qty_t.sum() / total_q if total_q > 0 else math.nan,
            n_suppliers=int((y.value_kusd > 0).sum()), n_flows_no_qty=int(y.n_flows_no_qty.sum())))
    return pd.DataFrame(rows)


def top_suppliers(df: pd.DataFrame, years, n: int = 5, by: str = "value_kusd") -> pd.DataFrame:
    """The n largest suppliers over `years` (one year or a range), then 'Other suppliers', so that
    the rows add up to the total; share_pct of the total in percent."""
    years = [years] if isinstance(years, int) else list(years)
    s = df[df.year.isin(years)].groupby("supplier")[by].sum().sort_values(ascending=False, kind="stable")
    total = s.sum()
    top = s.iloc[:n]
    out = pd.DataFrame({"supplier": top.index, by: top.values})
    rest = s.iloc[n:].sum()
    if len(s) > n:
        out = pd.concat([out, pd.DataFrame({"supplier": [OTHERS], by: [rest]})], ignore_index=True)
    out["share_pct"] = 100 * out[by] / total if total > 0 else math.nan
    return out


def hhi(shares_pct) -> float:
    """Herfindahl-Hirschman index of shares in percent (0-10,000)."""
    return float(sum(s * s for s in shares_pct))


def supplier_hhi(df: pd.DataFrame, by: str = "value_kusd") -> pd.DataFrame:
    """Per year, the HHI of the importer's suppliers by value (each supplier's share in percent)."""
    rows = []
    for year, y in df.groupby("year", sort=True):
        total = y[by].sum()
        if total > 0:
            rows.append(dict(year=int(year), hhi=hhi(100 * y[by] / total)))
    return pd.DataFrame(rows, columns=["year", "hhi"])


def change_since(series: pd.DataFrame, column: str, bases=(2010, 2020)) -> dict:
    """Percentage-point change of `column` from each base year to the latest year with a value."""
    s = series.dropna(subset=[column]).set_index("year")[column]
    if s.empty:
        return {}
    last = int(s.index.max())
    out = {"latest_year": last, "latest": float(s[last])}
    for base in bases:
        out[f"since_{base}"] = float(s[last] - s[base]) if base in s.index and base < last else math.nan
    return out
