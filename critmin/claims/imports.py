"""Where an import-share claim is looked up: the backends for an importer, from `backends_for`.

USGS import sources (import_sources.csv, one share per MCS edition) cover the United States only
and stay its primary source. CEPII BACI bilateral trade (baci_supply.csv, or the derived big table
for minerals and importers the aggregate leaves out) covers every importer BACI has and EU-27, by
value and by quantity; for the U.S. it is shown beside USGS. Two hooks: BACKENDS,
the sources with one figure per MCS edition (USGS), and BESIDE, edition-free sources shown beside
them (BACI by value and by quantity). A backend has `covers` (importer -> bool), `label` and
`lookup` (tables, edition, commodity, form, partner, period, importer -> the fields
check.import_share returns). A BACI period '2020-2023' sums the years' flows (the share of the
four years' total); 'latest' is BACI's last year."""
from __future__ import annotations

import csv
import math
from functools import lru_cache

import pandas as pd

from critmin import config
from critmin.analysis import tables as processed_tables
from critmin.claims.check import _name, _none, import_share
from critmin.errors import DataError
from critmin.ingest.periods import period_years
from critmin.ingest.sources import baci

US = "United States"
FORMS_CSV = "import_forms_baci.csv"


class UsgsImportSources:
    table = "import_sources.csv"
    label = "USGS import sources"
    basis = ""

    def covers(self, importer: str) -> bool:
        return importer == US

    def lookup(self, tables, edition, commodity, form, partner, period="", importer=US):
        return import_share(tables[self.table], edition, commodity, form, partner, period)


@lru_cache(maxsize=None)
def form_codes() -> dict:
    """(commodity, USGS form) -> (HS6 codes, why) from data/mappings/import_forms_baci.csv."""
    path = config.MAPPINGS / FORMS_CSV
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    known = baci.hs_map()
    out = {}
    for i, r in enumerate(rows, start=2):
        codes = r["hs6"].split()
        bad = [c for c in codes if known.get(c, {}).get("commodity") != r["commodity"]]
        if bad or not codes:
            raise DataError("HS6 codes not mapped to this commodity in hs_baci.csv",
                            file=f"data/mappings/{FORMS_CSV}", row=i, column="hs6", got=bad or r["hs6"])
        out[(r["commodity"], r["form"])] = (codes, r["reason"], r["not_by_quantity"], r["caveat"])
    return out


def hs_codes(commodity: str, form: str) -> list[str] | None:
    """The HS 1992 codes a claim's mineral (and form) is read on, from import_forms_baci.csv: a claim
    naming a form, that form's codes; a claim naming the mineral alone, every code its mineral page
    charts (by value only when they mix forms whose tonnes do not add up: not_by_quantity); None
    for a mineral or form the file does not list (nickel has only ore: a share of it would be a guess)."""
    got = form_codes().get((commodity, form or ""))
    return got[0] if got else None


def not_by_quantity(commodity: str, form: str) -> str:
    """Why BACI's tonnes of the claim's codes may not be summed ('' when they may)."""
    got = form_codes().get((commodity, form or ""))
    return got[2] if got else ""


def caveat(commodity: str, form: str) -> str:
    """What the BACI codes read for the claim leave out, in words ('' when they cover it all)."""
    got = form_codes().get((commodity, form or ""))
    return got[3] if got else ""


def _not_covered(commodity: str, form: str) -> str:
    have = [f"{k} ({(r['form'] or 'all').replace('-', ' ')})" for k, r in sorted(baci.hs_map().items())
            if r["commodity"] == commodity]
    return (f"BACI's HS 1992 codes for {_name(commodity, form)} ({', '.join(have) or 'none'}) do "
            f"not cover all its traded forms ({FORMS_CSV}), so no share of its imports is read from them")


class BaciTrade:
    """CEPII BACI (HS 1992), by value (`basis='value'`) or by quantity (`basis='quantity'`)."""
    table = "baci_supply.csv"

    def __init__(self, basis: str):
        self.basis = basis
        self.label = f"BACI by {basis}"

    def covers(self, importer: str) -> bool:
        return importer in baci.importers()

    def supply(self, importer, commodity, form, processed=None) -> tuple[pd.DataFrame, str, str]:
        """(imports by year and supplier, source file, what rows) for the claim's HS codes."""
        codes = hs_codes(commodity, form)
        if (importer in baci.SUPPLY_IMPORTERS and commodity in baci.supply_minerals()
                and sorted(codes) == baci.codes_for(commodity)):
            df = processed_tables.load_where(self.table, processed, importer=importer, commodity=commodity)
            return df, f"data/processed/{self.table}", "rows"
        out = baci.supply(baci.load_trade(), importer, codes)
        return out, f"data/raw/{baci.DERIVED}", "aggregated from BACI flows"

    def lookup(self, tables, edition, commodity, form, partner, period="", importer=US, processed=None):
        codes = hs_codes(commodity, form)
        if codes is None:
            return _none(_not_covered(commodity, form))
        not_qty = not_by_quantity(commodity, form)
        if self.basis == "quantity" and not_qty:
            return _none(f"by value only: {not_qty}, so BACI's quantities are not summed over "
                         f"HS {', '.join(codes)}")
        df, file, how = self.supply(importer, commodity, form, processed)
        if df.empty:
            return _none(f"BACI has no {importer} imports of {_name(commodity, form)} "
                         f"(HS {', '.join(codes)})")
        years = period_years(period) or [int(df.year.max())]  # 'latest': BACI's last year
        sub = df[df.year.isin(years)]
        col = "value_kusd" if self.basis == "value" else "qty_t"
        total, own = sub[col].sum(), sub.loc[sub.supplier == partner, col].sum()
        got = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
        missing = sorted(set(years) - set(int(y) for y in sub.year))
        base = dict(period=got, compared=f"BACI imports {got} by {self.basis} (HS {' '.join(codes)})",
                    source_file=file, estimated=False,
                    source_rows=(_line_range(sub) if how == "rows" else f"{how} ({len(sub)} year-supplier rows)"))
        if missing or not total > 0:
            return _none(f"BACI has no {importer} imports of {_name(commodity, form)} in "
                         f"{', '.join(map(str, missing or years))}") | base
        pct = 100 * own / total
        unit = "thousand US$" if self.basis == "value" else "t"
        note = (f"; {int(sub.n_flows_no_qty.sum())} flows without a quantity left out"
                if self.basis == "quantity" and sub.n_flows_no_qty.sum() else "")
        return base | dict(public_detail=f"{partner} {own:,.0f} of {total:,.0f} {unit}{note}",
                           reason="", public_pct=pct, public_high_pct=math.nan, public_flag="")


def _line_range(sub: pd.DataFrame) -> str:
    """The file lines (header = line 1) of the rows used: the aggregate is sorted, so a range."""
    lines = sorted(int(i) + 2 for i in sub.index)
    if lines == list(range(lines[0], lines[-1] + 1)):
        return f"{lines[0]}-{lines[-1]}"
    return ";".join(map(str, lines))


class NoBilateralData:
    table = ""
    label = "bilateral trade"
    basis = ""

    def __init__(self, importer: str):
        self.importer = importer

    def covers(self, importer: str) -> bool:
        return importer == self.importer

    def lookup(self, tables, edition, commodity, form, partner, period="", importer=""):
        if self.importer in baci.importers():
            return _none(f"USGS import sources cover U.S. imports only; {self.importer}'s shares "
                         "come from BACI (by value and by quantity)")
        return _none(f"{self.importer} is not an importer in BACI (data/mappings/countries_baci.csv) "
                     "and USGS import sources cover the United States only")


BACKENDS = [UsgsImportSources()]  # the edition-by-edition sources: one figure per MCS edition
BESIDE = [BaciTrade("value"), BaciTrade("quantity")]  # edition-free, shown beside them


def backend_for(importer: str):
    """The edition-by-edition source for the importer (USGS for the U.S.)."""
    return next((b for b in BACKENDS if b.covers(importer)), NoBilateralData(importer))


def beside(importer: str) -> list:
    """The other sources for the importer (BACI by value and by quantity when BACI has it)."""
    return [b for b in BESIDE if b.covers(importer)]
