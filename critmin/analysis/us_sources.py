"""The focus country's share of U.S. imports of one mineral in three sources over USGS's period:
USGS import sources (MCS), our UN Comtrade extract (U.S.-reported, HS 2017/2022) and CEPII BACI
(both partners reconciled, HS 1992), with the numbers that explain their gaps, all computed here:
the years each covers, BACI's share with Hong Kong and Macao counted with China (as USGS counts
them), BACI's total value as a percent of Comtrade's (FOB against CIF, and different codes), and
the focus country's reported exports against the U.S.-reported imports (mirror flows)."""
from __future__ import annotations

import math

import pandas as pd

from critmin.analysis import bilateral, tables
from critmin.ingest.periods import period_years
from critmin.ingest.sources import baci, comtrade

US = "United States"
REVISIONS = {"H4": "HS 2012", "H5": "HS 2017", "H6": "HS 2022"}
USGS_CHINA = ("Hong Kong", "Macao")  # what USGS counts with China


def usgs_rows(mineral: str, focus: str, edition: int) -> pd.DataFrame:
    s = tables.load("import_sources.csv")
    s = s[(s.edition == int(edition)) & (s.commodity == mineral)]
    out = []
    for form, g in s.groupby(s.form.fillna(""), sort=True):
        f = g[g.country == focus]
        out.append(dict(form=form, period=g.period.iloc[0], rank=f["rank"].iloc[0] if len(f) else math.nan,
                        share_pct=f.share_pct.iloc[0] if len(f) else math.nan,
                        hong_kong_with_china=bool(g.hong_kong_with_china.any()),
                        # the focus country's row, else the form's rows (it is not listed)
                        source_file=g.source_file.iloc[0],
                        source_rows=", ".join(str(int(r)) for r in (f if len(f) else g).source_row)))
    return pd.DataFrame(out)


def _share(num: float, den: float) -> float:
    return 100 * num / den if den > 0 else math.nan


def comtrade_share(mineral: str, focus: str, years: list[int]) -> dict | None:
    t = tables.load("trade.csv")
    own = sorted(c for c, r in comtrade.hs_codes().items() if r["commodity"] == mineral)
    imp = t[(t.reporter == US) & (t.flow == "import") & t.hs_code.astype(str).isin(own) & t.year.isin(years)]
    if imp.empty:
        return None
    partners = sorted(set(imp.partner) - {"World"})
    if focus not in partners:  # our extract holds a few partners only: no row is not 0
        return dict(codes=own, years=sorted(int(y) for y in imp.year.unique()), partners=partners,
                    revisions=sorted({REVISIONS.get(r, r) for r in imp.hs_revision}), missing_partner=True)
    world, part = imp[imp.partner == "World"], imp[imp.partner == focus]
    used = pd.concat([world, part])
    mirror = t[(t.reporter == focus) & (t.partner == US) & (t.flow == "export") & t.hs_code.astype(str).isin(own)
               & t.year.isin(years)]
    return dict(codes=own, years=sorted(int(y) for y in imp.year.unique()),
                revisions=sorted({REVISIONS.get(r, r) for r in imp.hs_revision}),
                share_value_pct=_share(part.value_usd.sum(), world.value_usd.sum()),
                share_weight_pct=_share(part.net_weight_kg.sum(), world.net_weight_kg.sum())
                if world.net_weight_kg.notna().any() and world.net_weight_kg.sum() > 0 else math.nan,
                world_value_usd=float(world.value_usd.sum()), partner_value_usd=float(part.value_usd.sum()),
                mirror_value_usd=float(mirror.value_usd.sum()) if len(mirror) else math.nan,
                source_file="; ".join(sorted(set(used.source_file))),
                source_rows=", ".join(str(int(r)) for r in sorted(used.source_row)),
                missing_partner=False)


def baci_share(mineral: str, focus: str, years: list[int]) -> dict | None:
    if not any(r["commodity"] == mineral for r in baci.hs_map().values()):
        return None
    df = bilateral.supply(US, mineral)
    d = df[df.year.isin(years)]
    if d.empty:
        return None
    f = d[d.supplier == focus]
    with_hk = d[d.supplier.isin((focus,) + (USGS_CHINA if focus == baci.CHINA else ()))]
    return dict(codes=baci.codes_for(mineral), years=sorted(int(y) for y in d.year.unique()),
                share_value_pct=_share(f.value_kusd.sum(), d.value_kusd.sum()),
                share_qty_pct=_share(f.qty_t.sum(), d.qty_t.sum()),
                share_value_with_hk_pct=_share(with_hk.value_kusd.sum(), d.value_kusd.sum()),
                world_value_usd=1000 * float(d.value_kusd.sum()))


def compare(mineral: str, focus: str, edition: int) -> dict:
    """USGS rows per form, Comtrade's and BACI's shares over USGS's period, and the gaps."""
    u = usgs_rows(mineral, focus, edition)
    years = period_years(u.period.iloc[0]) if len(u) else list(range(2020, 2025))
    c, b = comtrade_share(mineral, focus, years), baci_share(mineral, focus, years)
    gaps = {}
    if c and c["missing_partner"]:
        return dict(usgs=u, years=years, comtrade=c, baci=b, gaps=gaps)
    if c and b:
        gaps["baci_over_comtrade_value_pct"] = 100 * b["world_value_usd"] / c["world_value_usd"] \
            if c["world_value_usd"] > 0 else math.nan
    if c and not math.isnan(c["mirror_value_usd"]):
        gaps["mirror_over_reported_pct"] = _share(c["mirror_value_usd"], c["partner_value_usd"])
    return dict(usgs=u, years=years, comtrade=c, baci=b, gaps=gaps)
