"""Governance-weighted concentration: the WGI-weighted HHI and the GeoPolRisk supply-risk factor.

Both weigh each supplier's (or producer's) share by how unstable its governance is, using the World
Bank WGI Political Stability score scaled to g in [0, 1] (g = (2.5 - estimate) / 5 clipped; 0 most
stable, 1 least; data/processed/wgi.csv). Implemented from the published definitions:

* EU critical-raw-materials supply risk. The concentration term, set out by the Commission's Ad-hoc
  Working Group on defining critical raw materials (2010; as quoted by Ferro et al., Frattura ed
  Integrità Strutturale 51, 2020, doi:10.3221/IGF-ESIS.51.07), is the governance-weighted
  Herfindahl-Hirschman index

      HHI_WGI = sum_i  s_i^2 * WGI_i

  with s_i country i's share of supply and WGI_i its governance score scaled so that higher is
  worse (the Commission uses a 0-10 scale; we return it on our 0-1 scale of g: multiply by 10).
  The Commission's 2017 methodology (Blengini et al., "Assessment of the Methodology for
  Establishing the EU List of Critical Raw Materials", JRC, EUR 28654 EN, 2017, doi:10.2760/73303)
  builds its supply risk on this term, weighted by import reliance and reduced by recycling and
  substitution (its text was not at hand to check here); we compute the concentration term only,
  with Political Stability alone (what the database holds).
* GeoPolRisk (Gemechu, Helbig, Sonnemann, Thorenz and Tuma, "Import-based indicator for the
  geopolitical supply risk of raw materials in life cycle sustainability assessments", Journal of
  Industrial Ecology 20(1), 154-165; domestic production added by Helbig et al. 2016, J. Cleaner
  Production 137; as documented for geopolrisk-py, docs/background.rst, Equation 1): for
  material A and economic unit c,

      GeoPolRisk_Ac = HHI_A * sum_i ( g_i * f_Aic / (p_Ac + F_Ac) )

  with HHI_A the (fraction-scale, 0-1) HHI of world production, f_Aic the imports of c from i,
  F_Ac all imports of c and p_Ac the domestic production of c (0 when unknown or none).
  Checked against those definitions (issue 13); both formulas here are written from them, not
  from the package's code.

A share whose country has no WGI score is never weighted as 0 ("stable"): every index comes as
(low, high) with the unknown shares weighted 0 and 1, and the share without a score is reported."""
from __future__ import annotations

import math

import pandas as pd


def governance_for(wgi: pd.DataFrame, year: int) -> dict[str, float]:
    """Country -> g for `year`, or for the latest WGI year before it (WGI skips 1997, 1999, 2001)."""
    usable = wgi[wgi.year <= year]
    if usable.empty:
        return {}
    latest = usable.sort_values("year").groupby("country").tail(1)
    return dict(zip(latest.country, latest.normalized))


def _split(shares: dict[str, float], g: dict[str, float]):
    total = sum(shares.values())
    if total <= 0:
        raise ValueError("shares must add up to more than 0")
    frac = {k: v / total for k, v in shares.items() if v > 0}
    unknown = {k: s for k, s in frac.items() if k not in g or g[k] is None or math.isnan(g[k])}
    return frac, unknown


def wgi_weighted_hhi(shares: dict[str, float], g: dict[str, float]) -> dict:
    """sum_i s_i^2 * g_i on the 0-1 scale (s_i fractions of the given amounts; any unit)."""
    frac, unknown = _split(shares, g)
    known = sum(s * s * g[k] for k, s in frac.items() if k not in unknown)
    return {"low": known, "high": known + sum(s * s for s in unknown.values()),
            "hhi": sum(s * s for s in frac.values()), "unknown_share_pct": 100 * sum(unknown.values())}


def geopolrisk(production: dict[str, float], imports: dict[str, float], g: dict[str, float],
               domestic_production: float = 0.0) -> dict:
    """GeoPolRisk_c = HHI_production * sum_i g_i F_ic / (F_c + P_c) (amounts in one unit, e.g. t)."""
    prod = {k: v for k, v in production.items() if v > 0}
    total = sum(prod.values())
    hhi = sum((v / total) ** 2 for v in prod.values())
    f_total = sum(v for v in imports.values() if v > 0)
    denom = f_total + domestic_production
    if denom <= 0:
        raise ValueError("no imports and no production: the index is undefined")
    unknown = {k: v for k, v in imports.items() if v > 0 and (k not in g or math.isnan(g[k]))}
    known = sum(g[k] * v for k, v in imports.items() if v > 0 and k not in unknown) / denom
    return {"low": hhi * known, "high": hhi * (known + sum(unknown.values()) / denom),
            "hhi_production": hhi, "unknown_share_pct": 100 * sum(unknown.values()) / f_total if f_total else 0.0}
