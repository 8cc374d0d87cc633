"""Where an import-share claim is looked up: a backend per importer, chosen by `backend_for`.

USGS import sources (import_sources.csv) cover the United States only. Claims about any other
importer need bilateral trade data (CEPII BACI), which is not in our processed tables yet: for
them `backend_for` returns a backend that answers 'not checkable' with that reason, never a guess.
A BACI backend plugs in by adding an object with the same two methods to BACKENDS: `covers`
(importer -> bool) and `lookup` (tables, edition, commodity, form, partner, period, basis ->
the fields check.import_share returns). `basis` is 'value' or 'quantity' for bilateral data;
USGS import sources give one share per source, so it is ignored there."""
from __future__ import annotations

from critmin.claims.check import _none, import_share

US = "United States"


class UsgsImportSources:
    table = "import_sources.csv"

    def covers(self, importer: str) -> bool:
        return importer == US

    def lookup(self, tables, edition, commodity, form, partner, period="", basis=""):
        return import_share(tables[self.table], edition, commodity, form, partner, period)


class NoBilateralData:
    table = ""

    def __init__(self, importer: str):
        self.importer = importer

    def covers(self, importer: str) -> bool:
        return importer == self.importer

    def lookup(self, tables, edition, commodity, form, partner, period="", basis=""):
        return _none(f"bilateral trade data for {self.importer} is not in our tables yet")


BACKENDS = [UsgsImportSources()]


def backend_for(importer: str):
    return next((b for b in BACKENDS if b.covers(importer)), NoBilateralData(importer))
