"""U.S. net import reliance (net_import_reliance.csv) and import sources (import_sources.csv)
from every MCS edition, with their pandera schemas.

Sources, by edition: salient files (2022-2025) or the long file (2026) give NIR for five years;
Fig2 (2023-2026) gives the latest year's NIR and the major import sources.

Dedup rule: each (edition, commodity, form, year) appears once. The salient/long-file value is
kept; Fig2 only adds its import-source list to that row. A Fig2 commodity with no salient row for
that year (e.g. cesium, rubidium, cobalt in MCS 2024) is taken from Fig2, with source_file
pointing there. `fig2_disagreements()` lists the pairs where Fig2 and the kept value differ."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critmin.errors import DataError
from critmin.ingest.sources import mcs2026_nir, mcs_fig2, mcs_salient
from critmin.ingest.sources.names import commodity_slugs
from critmin.ingest.sources.nir_values import NIR_FLAGS

KEY = ["edition", "commodity", "form", "year"]
NIR_COLUMNS = KEY + ["nir_pct", "nir_flag", "raw_value", "raw_label", "major_import_sources",
                     "source_file", "source_row"]
IMPORT_KEY = ["edition", "commodity", "form", "period", "rank"]
IMPORT_COLUMNS = IMPORT_KEY + ["country", "share_pct", "share_flag", "raw_value",
                               "hong_kong_with_china", "note", "source_file", "source_row"]


def primary_nir(raw_dir: Path) -> pd.DataFrame:
    """NIR rows from the salient files and the MCS 2026 long file (no Fig2)."""
    df = pd.DataFrame(mcs_salient.read_all(raw_dir) + mcs2026_nir.read_nir(raw_dir))
    dup = df[df.duplicated(KEY, keep=False)]
    if len(dup):
        r = dup.iloc[0]
        raise DataError("two salient NIR values for one edition, commodity, form and year",
                        file=r.source_file, row=int(r.source_row), got=tuple(r[KEY]))
    return df


def fig2_nir(raw_dir: Path) -> pd.DataFrame:
    df = pd.DataFrame(mcs_fig2.read_all(raw_dir))
    dup = df[df.duplicated(KEY, keep=False)]
    if len(dup):
        r = dup.iloc[0]
        raise DataError("Fig2 lists one commodity and form twice", file=r.source_file,
                        row=int(r.source_row), got=tuple(r[KEY]))
    return df


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a.nir_flag == b.nir_flag) & ((a.nir_pct == b.nir_pct) | (a.nir_pct.isna() & b.nir_pct.isna()))


def fig2_disagreements(raw_dir: Path) -> pd.DataFrame:
    """Rows where Fig2 and the salient/long-file value for the same key differ."""
    both = primary_nir(raw_dir).merge(fig2_nir(raw_dir), on=KEY, suffixes=("", "_fig2"))
    fig = both[[c + "_fig2" for c in ("nir_pct", "nir_flag")]].set_axis(["nir_pct", "nir_flag"], axis=1)
    return both[~_same(both, fig)][KEY + ["raw_value", "raw_value_fig2", "source_file",
                                          "source_row", "source_file_fig2", "source_row_fig2"]]


def build_nir(raw_dir: Path) -> pd.DataFrame:
    primary = primary_nir(raw_dir)
    fig2 = fig2_nir(raw_dir)
    fig2["major_import_sources"] = fig2.sources.map("; ".join)
    lists = fig2[KEY + ["major_import_sources"]]
    df = primary.merge(lists, on=KEY, how="left")
    only_fig2 = fig2.merge(primary[KEY], on=KEY, how="left", indicator=True)
    only_fig2 = only_fig2[only_fig2._merge == "left_only"]
    df = pd.concat([df, only_fig2[NIR_COLUMNS]], ignore_index=True)
    df["major_import_sources"] = df.major_import_sources.fillna("")
    return df.sort_values(KEY, kind="stable").reset_index(drop=True)[NIR_COLUMNS]


def _fig2_import_rows(fig2: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in fig2.itertuples():
        for rank, name in enumerate(r.sources, start=1):
            rows.append(dict(edition=r.edition, commodity=r.commodity, form=r.form, period=r.period,
                             rank=rank, country=name, share_pct=float("nan"), share_flag="NA",
                             raw_value="", hong_kong_with_china=r.hong_kong_with_china and name == "China",
                             note=r.note, source_file=r.source_file, source_row=r.source_row))
    return pd.DataFrame(rows, columns=IMPORT_COLUMNS)


def build_import_sources(raw_dir: Path) -> pd.DataFrame:
    """Fig2 order-only lists for 2023-2025; MCS 2026 shares from the long file, plus Fig2 2026
    lists for any (commodity, form) the long file does not cover."""
    fig2 = _fig2_import_rows(fig2_nir(raw_dir))
    long = pd.DataFrame(mcs2026_nir.read_import_sources(raw_dir), columns=IMPORT_COLUMNS)
    covered = set(zip(long.commodity, long.form))
    keep = (fig2.edition < 2026) | ~pd.Series(list(zip(fig2.commodity, fig2.form)),
                                               index=fig2.index).isin(covered)
    df = pd.concat([fig2[keep], long], ignore_index=True)
    return df.sort_values(IMPORT_KEY, kind="stable").reset_index(drop=True)[IMPORT_COLUMNS]


def _slug_check():
    return pa.Check.isin(sorted(commodity_slugs()))


NIR_SCHEMA = pa.DataFrameSchema(
    {
        "edition": pa.Column(int, pa.Check.in_range(2022, 2026)),
        "commodity": pa.Column(str, _slug_check()),
        "form": pa.Column(str, pa.Check.str_matches(r"^([a-z0-9]+(-[a-z0-9]+)*)?$")),
        "year": pa.Column(int, pa.Check.in_range(2017, 2025)),
        "nir_pct": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "nir_flag": pa.Column(str, pa.Check.isin(NIR_FLAGS)),
        "raw_value": pa.Column(str),
        "raw_label": pa.Column(str),
        "major_import_sources": pa.Column(str),
        "source_file": pa.Column(str, pa.Check.str_startswith("usgs-mcs-")),
        "source_row": pa.Column(int, pa.Check.ge(2)),
    },
    checks=[
        # a number or a bound has a value; a token (E, NA, W, XX) never does (E is never 0)
        pa.Check(lambda d: d.nir_pct.notna() == d.nir_flag.isin(["", ">", "<"]),
                 error="nir_pct must be set exactly when nir_flag is '', '>' or '<'"),
        pa.Check(lambda d: d.year.between(d.edition - 5, d.edition - 1),
                 error="an edition reports the five years before it"),
    ],
    unique=KEY, strict=True, ordered=True, coerce=False,
)

IMPORT_SOURCES_SCHEMA = pa.DataFrameSchema(
    {
        "edition": pa.Column(int, pa.Check.in_range(2023, 2026)),
        "commodity": pa.Column(str, _slug_check()),
        "form": pa.Column(str, pa.Check.str_matches(r"^([a-z0-9]+(-[a-z0-9]+)*)?$")),
        "period": pa.Column(str, pa.Check.str_matches(r"^20\d\d-20\d\d$")),
        "rank": pa.Column(int, pa.Check.ge(1)),
        "country": pa.Column(str, pa.Check.str_length(min_value=2)),
        "share_pct": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "share_flag": pa.Column(str, pa.Check.isin(["", ">", "<", "NA"])),
        "raw_value": pa.Column(str),
        "hong_kong_with_china": pa.Column(bool),
        "note": pa.Column(str),
        "source_file": pa.Column(str, pa.Check.str_startswith("usgs-mcs-")),
        "source_row": pa.Column(int, pa.Check.ge(2)),
    },
    checks=[
        pa.Check(lambda d: d.share_pct.isna() == (d.share_flag == "NA"),
                 error="share_pct is empty exactly when the edition gives the order only"),
        pa.Check(lambda d: ~d.hong_kong_with_china | (d.country == "China"),
                 error="the Hong Kong note belongs on China's row"),
    ],
    unique=IMPORT_KEY, strict=True, ordered=True, coerce=False,
)
