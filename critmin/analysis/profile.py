"""Everything the per-mineral page shows, for one commodity slug.

profile() never raises because a mineral has little data: every section is a (possibly empty)
frame, and `missing` lists in plain words what is absent and why, so the page can say so.
It does raise when a processed table itself is missing (that is a broken build, not a gap)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from critmin.analysis import concentration, editions, imports, reference, reserves, shares, tables

SERIES_KEYS = ["commodity", "measure", "stage", "basis", "unit", "year"]


@dataclass
class Profile:
    slug: str
    name: str
    focus_country: str
    importer: str
    edition: int
    year: int | None
    producers: pd.DataFrame            # newest year, per stage: countries ranked, with shares
    focus_snapshot: pd.DataFrame       # focus share per measure/stage, snapshot year
    focus_over_time: pd.DataFrame      # focus share of production, editions chained
    bgs: pd.DataFrame                  # focus share in BGS series (1970-2021), if BGS covers it
    reserves: pd.DataFrame             # reserves share and R/P years (focus and world)
    concentration: pd.DataFrame        # HHI / top-3 per stage, snapshot year
    nir: pd.DataFrame                  # U.S. NIR per form and year, editions chained
    import_sources: pd.DataFrame       # U.S. import sources in the edition, all forms
    trade: pd.DataFrame                # Comtrade U.S. imports, China's share by value/weight
    controls: pd.DataFrame             # export-control events naming this mineral
    controls_t4: pd.DataFrame          # USGS MCS 2026 T4 rows naming this mineral
    new_capacity: pd.DataFrame         # projects outside China named in the article
    claims: pd.DataFrame               # the article's figures about this mineral
    claim_checks: pd.DataFrame         # checkable claims vs MCS 2025 (the article's) and `edition`
    missing: list[str] = field(default_factory=list)

    @property
    def has_world_data(self) -> bool:
        return not self.producers.empty


def producers(world: pd.DataFrame, *, top_n: int = 10) -> pd.DataFrame:
    """Per production/capacity series of one edition at its chosen year: the listed countries
    ranked by value (numbers first, then W/NA), each with its share of the world total
    (shares.country_shares: numerator and denominator rows, the rounded-world rule)."""
    listed = shares.country_shares(world)
    if listed.empty:
        return listed
    listed = listed.assign(_has=listed["value"].notna())
    listed = listed.sort_values(["measure", "stage", "basis", "unit", "year", "_has", "value", "country"],
                                ascending=[True] * 5 + [False, False, True], kind="stable")
    listed = listed.groupby(["measure", "stage", "basis", "unit", "year"], sort=True).head(top_n)
    return listed.drop(columns="_has").reset_index(drop=True)


def profile(slug: str, *, focus_country: str = "China", importer: str = "United States",
            edition: int | None = None, year: int | None = None, top_n: int = 10,
            nir_threshold: float = 50) -> Profile:
    missing: list[str] = []
    names = reference.names()
    name = names.get(slug, slug)
    # NOTE: `name` heads the page; mid-sentence a mineral is lower case ("no HS code for antimony")
    said = name.lower()
    world = tables.load("world.csv")
    world = world[world["commodity"] == slug]
    edition = int(edition if edition is not None else tables.load("world.csv")["edition"].max())
    w_ed = world[world["edition"] == edition]
    snap = shares.snapshot(w_ed, year)

    # production and capacity by country, snapshot year
    prod = producers(snap[snap["measure"].isin(["production", "capacity"])], top_n=top_n)
    world_only = snap[snap["measure"].isin(["production", "capacity"])]
    if prod.empty and not world_only.empty and (world_only["country"] == "World").all():
        missing.append(f"MCS {edition} publishes no world production table by country for {said}, "
                       "only a world total")
    elif prod.empty:
        gives = sorted(w_ed["measure"].unique())
        other = sorted(world.loc[(world["edition"] <= edition)
                                 & world["measure"].isin(["production", "capacity"]), "edition"].unique())
        missing.append(f"MCS {edition} publishes no world production or capacity table for {said}"
                       + (f"; it gives {' and '.join(gives)} only" if gives else
                          f" (MCS {', '.join(str(int(e)) for e in other)} had one)" if other else ""))
    if not prod.empty and (prod["measure"] == "capacity").sum() == 0:
        missing.append(f"USGS publishes no capacity table for {said} in MCS {edition}")
    fsnap = shares.focus_shares(snap, focus_country, rounded_world=True) if not snap.empty else shares.focus_shares(w_ed, focus_country, rounded_world=True)
    for r in fsnap.itertuples(index=False):
        if r.share_flag == "none":
            stage = r.stage.replace("-", " ") if r.stage else "all stages"
            missing.append(f"{focus_country}'s share of world {r.measure} ({stage}, {int(r.year)}) "
                           f"cannot be computed: {r.reason}")
    if year is not None and not snap.empty and (snap["year"] < year).any():
        older = sorted(snap.loc[snap["year"] < year, "year"].unique())
        missing.append(f"No {year} figures in MCS {edition} for some series; shown for "
                       f"{', '.join(map(str, older))} instead")

    # focus share over time (production), chained across editions
    # NOTE: a report for edition N uses editions <= N only, and years up to `year`.
    upto = world[(world["measure"] == "production") & (world["edition"] <= edition)]
    fs_all = shares.focus_shares(upto[upto["year"] <= year] if year is not None else upto, focus_country, rounded_world=True)
    over_time = editions.chain(fs_all, SERIES_KEYS, value="share_pct", flag="share_flag",
                               shown=None) if not fs_all.empty else fs_all

    # BGS long series
    bgs_all = tables.load("bgs_production.csv")
    bgs_m = bgs_all[bgs_all["commodity"] == slug]
    bgs = shares.bgs_shares(bgs_m, focus_country) if not bgs_m.empty else bgs_m
    if bgs_m.empty:
        missing.append(f"BGS World Mineral Statistics (1970–2021) in our extract do not cover {said}")

    # reserves
    res = reserves.reserves_table(w_ed, focus_country, year)
    if res.empty and (w_ed["measure"] == "reserves").any():
        missing.append(f"MCS {edition} gives reserves for {said} without a world total, so no share")
    elif res.empty:
        missing.append(f"MCS {edition} gives no reserves for {said}")

    # concentration
    conc = concentration.concentration(snap[snap["measure"] == "production"]) if not snap.empty \
        else concentration.concentration(w_ed)

    # U.S. net import reliance, chained, and import sources
    nir_all = tables.load("net_import_reliance.csv")
    # editions <= the report's only: a later edition's figure never reaches an earlier report
    nir_m = nir_all[(nir_all["commodity"] == slug) & (nir_all["edition"] <= edition)]
    nir = editions.chain(nir_m, ["commodity", "form", "year"], value="nir_pct", flag="nir_flag") \
        if not nir_m.empty else nir_m
    if nir_m.empty:
        missing.append(f"USGS publishes no net import reliance for {said} in any edition we hold")
    elif nir_m[nir_m["edition"] == edition].empty:
        missing.append(f"MCS {edition} gives no net import reliance for {said}")
    if not nir.empty:
        nir = nir.assign(label=[imports.nir_label(p, f) for p, f in zip(nir["nir_pct"], nir["nir_flag"])],
                         dependent=pd.array([imports.dependent(p, f, nir_threshold) for p, f in
                                             zip(nir["nir_pct"], nir["nir_flag"])], dtype="boolean"))
    src_all = tables.load("import_sources.csv")
    src = src_all[(src_all["commodity"] == slug) & (src_all["edition"] == edition)]
    if (src_all["edition"] == edition).sum() == 0:
        missing.append(f"Our extract of MCS {edition} holds no U.S. import-source lists")
    elif src.empty:
        missing.append(f"The MCS {edition} data release names no U.S. import sources for {said}")

    # trade (Comtrade)
    trade_all = tables.load("trade.csv")
    tr = trade_all[trade_all["commodity"] == slug]
    trade = imports.trade_shares(tr, reporter=importer, partner=focus_country) if not tr.empty else tr
    if not imports.hs_codes_naming(slug, name):
        missing.append(f"Our UN Comtrade extract holds no HS code for {said}")

    # export controls and new capacity (reference tables) and USGS T4
    ev = reference.by_mineral(reference.events())
    ev = ev[ev["mineral"] == slug].drop(columns="mineral").reset_index(drop=True)
    t4 = tables.load("export_controls.csv")
    t4 = t4[t4["commodity"] == slug].reset_index(drop=True) if "commodity" in t4 else t4.iloc[0:0]
    if ev.empty and t4.empty:
        missing.append(f"No export-control measure on {said} in our reference table or in USGS MCS 2026 Table 4")
    cap = reference.by_mineral(reference.new_capacity())
    cap = cap[cap["mineral"] == slug].drop(columns="mineral").reset_index(drop=True)
    claims = reference.article_claims()
    claims = claims[claims["commodity"] == slug].reset_index(drop=True) if not claims.empty else claims
    checks = article_checks(slug, edition)
    if claims.empty:
        missing.append(f"The article states no figure about {said}")

    return Profile(slug=slug, name=name, focus_country=focus_country, importer=importer,
                   edition=edition, year=year, producers=prod, focus_snapshot=fsnap,
                   focus_over_time=over_time, bgs=bgs, reserves=res, concentration=conc, nir=nir,
                   import_sources=src.reset_index(drop=True), trade=trade, controls=ev,
                   controls_t4=t4, new_capacity=cap, claims=claims, claim_checks=checks,
                   missing=missing)


ARTICLE_EDITION = 2025  # the newest MCS edition when the article appeared (12 June 2025)


def article_checks(slug: str, edition: int) -> pd.DataFrame:
    """The claims-check verdicts (critmin.claims) for this mineral's checkable claims, against
    the edition the article could use and the report's edition."""
    from critmin.claims.check import check_claims
    from critmin.claims.table import load_claims

    claims = load_claims()
    claims = claims[(claims["commodity"] == slug) & (claims["checkable"] == "yes")]
    if claims.empty:
        return pd.DataFrame()
    data = {"world.csv": tables.load("world.csv"), "import_sources.csv": tables.load("import_sources.csv")}
    return check_claims(claims, data, sorted({ARTICLE_EDITION, int(edition)}))
