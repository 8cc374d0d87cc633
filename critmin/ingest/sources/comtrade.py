"""UN Comtrade extracts (7 CSVs, annual 2020-2024) -> trade.csv.

Codes, not descriptions: the description columns are mostly empty in these extracts. Reporter and
partner codes map through data/mappings/comtrade_partners.csv, HS codes through
data/mappings/hs_codes.csv (which says how broad each code is: 811292 is not gallium alone).
Rows broken down by mode of transport (motCode != 0, lithium and nickel files) are sub-totals of
the motCode 0 row and are left out; every one must have its total row."""
from __future__ import annotations

import csv
import math
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critmin import config
from critmin.errors import DataError
from critmin.io import read_rows
from critmin.ingest.sources.names import commodity_slugs, country, expect_header, rel

FOLDER = "un-comtrade-us-china-2020-2024"
FILES = {  # file -> commodity slug of the extract
    "cobalt_trade_data.csv": "cobalt",
    "copper_trade_data.csv": "copper",
    "gallium_trade_data.csv": "gallium",
    "graphite_trade_data.csv": "graphite",
    "light_ree_trade_data.csv": "rare-earths",
    "lithium_trade_data.csv": "lithium",
    "nickel_trade_data.csv": "nickel",
}
HEADER = [
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode",
    "reporterISO", "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO",
    "partnerDesc", "partner2Code", "partner2ISO", "partner2Desc", "classificationCode",
    "classificationSearchCode", "isOriginalClassification", "cmdCode", "cmdDesc", "aggrLevel",
    "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc", "qtyUnitCode",
    "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty",
    "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated",
    "cifvalue", "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
    "commodity_name", "hs_code", "query_year",
]
COL = {name: i for i, name in enumerate(HEADER)}
# Cells that must hold these values: annual goods data, no second partner, all customs procedures.
FIXED = {"typeCode": "C", "freqCode": "A", "partner2Code": "0", "customsCode": "C00", "mosCode": "0"}
FLOWS = {"M": "import", "X": "export"}
QTY_UNITS = {"8": "kg", "-1": ""}  # Comtrade quantity unit codes: 8 = kilograms, -1 = no quantity
ALL_MODES = "0"
KEY = ["reporter", "partner", "flow", "hs_code", "year"]
COLUMNS = KEY[:4] + ["hs_revision", "commodity", "year", "value_usd", "net_weight_kg", "qty",
                     "qty_unit", "is_estimated", "source_file", "source_row"]


@lru_cache(maxsize=None)
def hs_codes() -> dict[str, dict]:
    with open(config.MAPPINGS / "hs_codes.csv", encoding="utf-8", newline="") as fh:
        return {r["hs_code"]: r for r in csv.DictReader(fh)}


def _bool(text: str, *, file, row, column) -> bool:
    if text not in ("True", "False"):
        raise DataError("expected a boolean", file=file, row=row, column=column,
                        expected="True or False", got=text)
    return text == "True"


def _number(text: str, *, file, row, column) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError("not a number", file=file, row=row, column=column, got=text) from None
    if math.isnan(value) or value < 0:
        raise DataError("negative or NaN amount", file=file, row=row, column=column, got=text)
    return value


def _record(cells, line_no, file, slug) -> dict:
    get = lambda name: cells[COL[name]].strip()  # noqa: E731
    for name, want in FIXED.items():
        if get(name) != want:
            raise DataError("unexpected breakdown in a Comtrade row", file=file, row=line_no,
                            column=name, expected=want, got=get(name))
    code = get("cmdCode")
    if code not in hs_codes() or get("hs_code") != code:
        raise DataError("HS code not in data/mappings/hs_codes.csv (or differs from hs_code)",
                        file=file, row=line_no, column="cmdCode", got=code)
    if hs_codes()[code]["commodity"] != slug:
        raise DataError("HS code belongs to another commodity's extract", file=file, row=line_no,
                        column="cmdCode", got=code, expected=slug)
    if get("flowCode") not in FLOWS:
        raise DataError("unknown flow", file=file, row=line_no, column="flowCode",
                        expected="M or X", got=get("flowCode"))
    if get("refYear") != get("query_year") or not get("refYear").isdigit():
        raise DataError("refYear differs from query_year", file=file, row=line_no, column="refYear",
                        got=get("refYear"), expected=get("query_year"))
    unit = get("qtyUnitCode")
    if unit not in QTY_UNITS or get("qtyUnitAbbr") not in ("", QTY_UNITS[unit]):
        raise DataError("unknown quantity unit", file=file, row=line_no, column="qtyUnitCode",
                        expected=f"one of {sorted(QTY_UNITS)}", got=unit)
    value = _number(get("primaryValue"), file=file, row=line_no, column="primaryValue")
    weight = get("netWgt")
    weight = math.nan if weight == "" else _number(weight, file=file, row=line_no, column="netWgt")
    if weight == 0 and value > 0:
        weight = math.nan  # a traded value with zero weight means "weight not reported", not 0 kg
    qty = math.nan if unit == "-1" else _number(get("qty"), file=file, row=line_no, column="qty")
    est = [_bool(get(c), file=file, row=line_no, column=c) for c in ("isQtyEstimated", "isNetWgtEstimated")]
    return dict(
        reporter=country(get("reporterCode"), "comtrade_partners", file=file, row=line_no, column="reporterCode"),
        partner=country(get("partnerCode"), "comtrade_partners", file=file, row=line_no, column="partnerCode"),
        flow=FLOWS[get("flowCode")], hs_code=code, hs_revision=get("classificationCode"),
        commodity=slug, year=int(get("refYear")), value_usd=value, net_weight_kg=weight, qty=qty,
        qty_unit=QTY_UNITS[unit], is_estimated=any(est), source_file=file, source_row=line_no,
        mot=get("motCode"))


def read_file(path: Path, raw_dir: Path, slug: str) -> pd.DataFrame:
    file = rel(path, raw_dir)
    header, rows = read_rows(path)
    expect_header(header, HEADER, file=file)
    df = pd.DataFrame([_record(cells, line_no, file, slug) for line_no, cells in rows])
    totals = df[df.mot == ALL_MODES]
    parts = df[df.mot != ALL_MODES].merge(totals[KEY], on=KEY, how="left", indicator=True)
    orphan = parts[parts._merge == "left_only"]
    if len(orphan):
        raise DataError("transport-mode row without its all-modes (motCode 0) total", file=file,
                        row=int(orphan.source_row.iloc[0]), column="motCode")
    dup = totals[totals.duplicated(KEY, keep=False)]
    if len(dup):
        raise DataError("two all-modes rows for one reporter, partner, flow, code and year",
                        file=file, row=int(dup.source_row.iloc[1]), got=tuple(dup[KEY].iloc[0]))
    return totals.drop(columns="mot")


def build(raw_dir: Path) -> pd.DataFrame:
    frames = [read_file(Path(raw_dir) / FOLDER / name, Path(raw_dir), slug) for name, slug in FILES.items()]
    df = pd.concat(frames, ignore_index=True)
    return df.sort_values(KEY, kind="stable").reset_index(drop=True)[COLUMNS]


SCHEMA = pa.DataFrameSchema(
    {
        "reporter": pa.Column(str, pa.Check.isin(["United States", "China", "Australia", "Indonesia",
                                                   "Congo (Kinshasa)"])),
        "partner": pa.Column(str, pa.Check.isin(["World", "United States", "China"])),
        "flow": pa.Column(str, pa.Check.isin(list(FLOWS.values()))),
        "hs_code": pa.Column(str, pa.Check.str_matches(r"^\d{4}(\d{2})?$")),
        "hs_revision": pa.Column(str, pa.Check.isin(["H4", "H5", "H6"])),
        "commodity": pa.Column(str, pa.Check.isin(sorted(commodity_slugs()))),
        "year": pa.Column(int, pa.Check.in_range(2020, 2024)),
        "value_usd": pa.Column(float, pa.Check.ge(0)),
        "net_weight_kg": pa.Column(float, pa.Check.ge(0), nullable=True),
        "qty": pa.Column(float, pa.Check.ge(0), nullable=True),
        "qty_unit": pa.Column(str, pa.Check.isin(["kg", ""])),
        "is_estimated": pa.Column(bool),
        "source_file": pa.Column(str, pa.Check.str_startswith(FOLDER + "/")),
        "source_row": pa.Column(int, pa.Check.ge(2)),
    },
    checks=[pa.Check(lambda d: d.qty.isna() == (d.qty_unit == ""),
                     error="qty is empty exactly when Comtrade gives no quantity unit")],
    unique=KEY, strict=True, ordered=True, coerce=False,
)
