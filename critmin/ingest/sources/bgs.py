"""BGS World Mineral Statistics production by country, 1970-2021 (a third party's scrape of the
WMS web tables) -> bgs_production.csv.

gzip, ';'-separated, 6 columns. Values are tonnes. A blank value means BGS shows no figure: it is
kept as value_flag 'NA' (never 0). Series stay apart: rare earth minerals (119, gross weight of
concentrates) and rare earth oxides (736, REO content) overlap and must not be added; sub-commodities
(Monazite, Bastnaesite, lithium mineral types, manganese grades...) are kept as published.
Commodity codes map through data/mappings/commodities_bgs.csv (energy series are dropped there),
country names through data/mappings/countries_bgs.csv."""
from __future__ import annotations

import csv
import gzip
import io
import math
import re
import zlib
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critmin import config
from critmin.ingest import mappings
from critmin.errors import DataError
from critmin.io import read_raw_bytes
from critmin.ingest.sources.names import commodity_slugs, country, expect_header, rel

FILE = "bgs-wms-1970-2021-scrape/df_ukgs.csv.gz"
HEADER = ["Country", "commodity_code", "commodity_desc", "Sub-commodity", "year", "value"]
KEY = ["country", "bgs_code", "sub_commodity", "year"]
COLUMNS = ["country", "commodity", "bgs_code", "bgs_series", "sub_commodity", "year", "value_t",
           "value_flag", "source_file", "source_row"]
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


@lru_cache(maxsize=None)
def series_table() -> dict[str, dict]:
    with open(config.MAPPINGS / "commodities_bgs.csv", encoding="utf-8", newline="") as fh:
        return {r["raw_name"]: r for r in csv.DictReader(fh)}


def _text(path: Path, file: str) -> str:
    if not path.exists():
        raise DataError("raw file is missing (run `make data`)", file=file)
    packed = read_raw_bytes(path)
    try:
        data = gzip.decompress(packed)
    except (EOFError, OSError, zlib.error) as exc:
        raise DataError(f"cannot decompress ({exc}); truncated or not gzip", file=file,
                        expected="a complete gzip file") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError("cannot decode as utf-8", file=file, row=line) from None


def _rows(path: Path, file: str):
    text = _text(path, file)
    if text and not text.endswith("\n"):
        raise DataError("file does not end with a newline (truncated?)", file=file,
                        row=text.count("\n") + 1, expected="a complete last line")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    header = next(reader, None)
    expect_header(header or [], HEADER, file=file)
    for cells in reader:
        if len(cells) != len(HEADER):
            raise DataError("row does not have 6 cells (truncated file?)", file=file,
                            row=reader.line_num, expected="6 cells", got=len(cells))
        yield reader.line_num, cells


def _series(code: str, desc: str, *, file, row):
    entry = series_table().get(code)
    if entry is None:
        raise DataError("BGS commodity code not in data/mappings/commodities_bgs.csv", file=file,
                        row=row, column="commodity_code", got=code)
    if entry["bgs_desc"] != desc:
        raise DataError("BGS commodity description differs from the mapping", file=file, row=row,
                        column="commodity_desc", expected=entry["bgs_desc"], got=desc)
    slug = entry["canonical"]
    if slug != mappings.DROP and slug not in commodity_slugs():
        raise DataError("commodities_bgs.csv maps to an unknown slug", file=file, row=row, got=slug)
    return None if slug == mappings.DROP else slug


def build(raw_dir: Path) -> pd.DataFrame:
    path = Path(raw_dir) / FILE
    file = rel(path, Path(raw_dir))
    out = []
    for line_no, (name, code, desc, sub, year, value) in _rows(path, file):
        slug = _series(code.strip(), desc.strip(), file=file, row=line_no)
        if slug is None:
            continue
        if not re.fullmatch(r"(19|20)\d\d", year.strip()):
            raise DataError("year is not a year", file=file, row=line_no, column="year", got=year)
        value = value.strip()
        if value == "":
            number, flag = math.nan, "NA"  # BGS shows no figure
        elif _NUMBER.match(value):
            number, flag = float(value), ""
        else:
            raise DataError("unknown token in value column", file=file, row=line_no, column="value",
                            got=value, expected="a number of tonnes or a blank cell")
        out.append(dict(country=country(name, "countries_bgs", file=file, row=line_no, column="Country"),
                        commodity=slug, bgs_code=int(code), bgs_series=desc.strip(),
                        sub_commodity=sub.strip(), year=int(year), value_t=number, value_flag=flag,
                        source_file=file, source_row=line_no))
    df = pd.DataFrame(out, columns=COLUMNS)
    return _merge_renamed(df).sort_values(KEY, kind="stable").reset_index(drop=True)


def _merge_renamed(df: pd.DataFrame) -> pd.DataFrame:
    """BGS lists a renamed country under both names (Rhodesia and Zimbabwe, 1970-81), one of the
    two cells blank each year. Once both map to one canonical name, keep the row with a value (or
    the first blank one); two values for one key is an error."""
    dup = df.duplicated(KEY, keep=False)
    if not dup.any():
        return df
    groups = df[dup].sort_values("source_row").groupby(KEY, sort=False)
    drop = []
    for _, g in groups:
        filled = g[g.value_flag == ""]
        if len(filled) > 1:
            raise DataError("two values for one country, series and year after merging names",
                            file=FILE, row=int(filled.source_row.iloc[1]), column="Country")
        keep = filled.index[0] if len(filled) else g.index[0]
        drop.extend(i for i in g.index if i != keep)
    return df.drop(index=drop)


SCHEMA = pa.DataFrameSchema(
    {
        "country": pa.Column(str, pa.Check.str_length(min_value=2)),
        "commodity": pa.Column(str, pa.Check.isin(sorted(commodity_slugs()))),
        "bgs_code": pa.Column(int, pa.Check.gt(0)),
        "bgs_series": pa.Column(str),
        "sub_commodity": pa.Column(str),
        "year": pa.Column(int, pa.Check.in_range(1970, 2021)),
        "value_t": pa.Column(float, pa.Check.ge(0), nullable=True),
        "value_flag": pa.Column(str, pa.Check.isin(["", "NA"])),
        "source_file": pa.Column(str, pa.Check.eq(FILE)),
        "source_row": pa.Column(int, pa.Check.ge(2)),
    },
    checks=[pa.Check(lambda d: d.value_t.isna() == (d.value_flag == "NA"),
                     error="value_t is empty exactly when value_flag is NA")],
    unique=KEY, strict=True, ordered=True, coerce=False,
)
