"""MCS Fig2 'Net import reliance' files (MCS 2023-2026): for each commodity, the NIR of the latest
data year and USGS's list of major import sources over the previous four years, in descending
order of import share (order only, no shares)."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critmin.errors import DataError
from critmin.io import read_rows
from critmin.ingest.sources.names import clean_label, country, rel, slug_and_form
from critmin.ingest.sources.nir_values import parse_nir

MAPPING = "commodities_nir"

FIG2 = {
    2023: "usgs-mcs-2023/industry-trends/MCS2023_Fig2_Net_Import_Reliance.csv",
    2024: "usgs-mcs-2024/industry-trends/MCS2024_Fig2_Net_Import_Reliance.csv",
    2025: "usgs-mcs-2025/industry-trends/MCS2025_Fig2_Net_Import_Reliance.csv",
    2026: "usgs-mcs-2026/industry-trends/MCS2026_Fig2_Net_Import_Reliance.csv",
}
HONG_KONG = "Imports from Hong Kong are included with China"
_NIR_COL = re.compile(r"Net_Import_Reliance_pct_(\d{4})")
_SOURCES_COL = re.compile(r"Major_Import_Sources_(\d{4})_(\d{2}|\d{4})")


def _period(header_cell: str, file: str) -> str:
    m = _SOURCES_COL.fullmatch(header_cell)
    if not m:
        raise DataError("unknown import-sources header", file=file, row=1, column=5,
                        expected="Major_Import_Sources_<year>_<year>", got=header_cell)
    start, end = m.group(1), m.group(2)
    return f"{start}-{start[:2] + end if len(end) == 2 else end}"


def _check_header(header: list[str], edition: int, file: str) -> tuple[int, str]:
    """Return (NIR year, import-source period) after checking every column name."""
    base = ["Source", "Import_Share_Rank" if edition == 2023 else "Import_Share_Order", "Commodity"]
    tail = [] if edition == 2023 else ["Notes"]
    if header[:3] != base or header[5:] != tail or len(header) != 5 + len(tail):
        raise DataError("unknown or missing Fig2 header", file=file, row=1,
                        expected=base + ["Net_Import_Reliance_pct_<year>",
                                         "Major_Import_Sources_<years>"] + tail, got=header)
    m = _NIR_COL.fullmatch(header[3])
    if not m or int(m.group(1)) != edition - 1:
        raise DataError("unknown NIR header", file=file, row=1, column=4,
                        expected=f"Net_Import_Reliance_pct_{edition - 1}", got=header[3])
    return int(m.group(1)), _period(header[4], file)


def _countries(text: str, *, file, row) -> list[str]:
    """USGS's comma-separated list -> canonical names in USGS order ('NA' = none listed)."""
    if text.strip() in ("", "NA"):
        return []
    names = [country(part, file=file, row=row, column="Major_Import_Sources")
             for part in text.split(",") if part.strip()]
    return [n for n in names if n is not None]


def read_edition(raw_dir: Path, edition: int) -> list[dict]:
    path = Path(raw_dir) / FIG2[edition]
    file = rel(path, raw_dir)
    header, rows = read_rows(path)
    year, period = _check_header(header, edition, file)
    out = []
    for line_no, cells in rows:
        if cells[0].strip() != f"MCS{edition}":
            raise DataError("row belongs to another edition", file=file, row=line_no,
                            column="Source", expected=f"MCS{edition}", got=cells[0])
        label = clean_label(cells[2])
        mapped = slug_and_form(MAPPING, label, file=file, row=line_no, column="Commodity")
        if mapped is None:
            continue
        value, flag = parse_nir(cells[3], edition=edition, file=file, row=line_no, column=header[3])
        note = cells[5].strip() if len(cells) > 5 else ""
        out.append(dict(edition=edition, commodity=mapped[0], form=mapped[1], year=year,
                        nir_pct=value, nir_flag=flag, raw_value=cells[3].strip(), raw_label=label,
                        source_file=file, source_row=line_no, period=period,
                        sources=_countries(cells[4], file=file, row=line_no), note=note,
                        hong_kong_with_china=HONG_KONG.lower() in note.lower()))
    return out


def read_all(raw_dir: Path) -> list[dict]:
    return [r for edition in sorted(FIG2) for r in read_edition(raw_dir, edition)]


# One row per item of Figure 2 as USGS lists it, in USGS's order (data/processed/nir_figure2.csv).
# NOTE: kept apart from net_import_reliance.csv, which folds Fig2 into the long-file series and so
# cannot tell which series are Figure 2 items (xenon, krypton and neon have no source list).
ITEM_COLUMNS = ["edition", "order", "commodity", "form", "year", "nir_pct", "nir_flag", "raw_value",
                "raw_label", "major_import_sources", "period", "source_file", "source_row"]


def build_items(raw_dir: Path) -> pd.DataFrame:
    rows = []
    for edition in sorted(FIG2):
        for order, r in enumerate(read_edition(raw_dir, edition), start=1):
            rows.append({**r, "order": order, "major_import_sources": "; ".join(r["sources"])})
    return pd.DataFrame(rows)[ITEM_COLUMNS]


ITEM_SCHEMA = pa.DataFrameSchema(
    {
        "edition": pa.Column(int, pa.Check.isin(sorted(FIG2))),
        "order": pa.Column(int, pa.Check.ge(1)),
        "commodity": pa.Column(str),
        "form": pa.Column(str, pa.Check.str_matches(r"^([a-z0-9]+(-[a-z0-9]+)*)?$")),
        "year": pa.Column(int, pa.Check(lambda y: y.between(2017, 2025))),
        "nir_pct": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "nir_flag": pa.Column(str, pa.Check.isin(["", ">", "<", "E", "NA", "W", "XX"])),
        "raw_value": pa.Column(str),
        "raw_label": pa.Column(str),
        "major_import_sources": pa.Column(str),
        "period": pa.Column(str),
        "source_file": pa.Column(str, pa.Check.str_startswith("usgs-mcs-")),
        "source_row": pa.Column(int, pa.Check.ge(2)),
    },
    checks=[pa.Check(lambda d: d.nir_pct.notna() == d.nir_flag.isin(["", ">", "<"]),
                     error="nir_pct must be set exactly when nir_flag is '', '>' or '<'")],
    unique=["edition", "order"], strict=True, ordered=True, coerce=False,
)
