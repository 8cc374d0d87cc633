"""One net-import-reliance cell -> (nir_pct, nir_flag). E (net exporter) stays a flag, never 0."""
from __future__ import annotations

from critmin.errors import DataError
from critmin.ingest.tokens import mcs_release, parse_value

NIR_FLAGS = ("", ">", "<", "E", "NA", "W", "XX")

# USGS prints "less than ½ unit" three ways in NIR cells: as words in the MCS 2023-2025 salient
# files and as the token `s` in MCS 2026 (its note reads "Less than ½ unit."). All mean < 0.5 %.
LESS_THAN_HALF = {"Less than ½ unit.", "Less than 1/2 unit.", "s"}


def parse_nir(raw: str, *, edition: int, file, row, column) -> tuple[float, str]:
    """(nir_pct, nir_flag) of a cell of an MCS edition; tokens as that edition documents them."""
    text = "" if raw is None else str(raw).replace("\xa0", " ").strip()
    if text in LESS_THAN_HALF:
        return 0.5, "<"
    if text == "":
        raise DataError("blank net import reliance cell", file=file, row=row, column=column,
                        expected="a percent, a bound like >95, or E, NA, W, XX")
    value, flag, _ = parse_value(text, release=mcs_release(edition), file=file, row=row,
                                 column=column)
    if flag not in NIR_FLAGS:
        raise DataError("net import reliance must be a percent, a bound or a token", file=file,
                        row=row, column=column, got=text, expected="0..100, >n, <n, E, NA, W, XX")
    if flag in ("", ">", "<") and not 0 <= value <= 100:
        raise DataError("net import reliance outside 0..100 percent", file=file, row=row,
                        column=column, got=text, expected="0..100")
    return value, flag
