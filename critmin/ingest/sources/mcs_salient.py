"""Net import reliance from the per-commodity salient files of MCS 2022-2025 (one wide CSV per
commodity, one row per year, NIR in one or more columns whose names vary by file and edition).

Each (commodity label, NIR column) pair is mapped to a slug and a form in
data/mappings/commodities_nir.csv, e.g. 'Rare Earths|NIR_Compounds-Metals_t' -> rare-earths,
compounds-and-metals (the 2022/2024/2025 '_t' suffix is a USGS typo: the values are percents)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from critmin.errors import DataError
from critmin.io import read_rows, read_text
from critmin.ingest.sources.names import clean_label, rel, slug_and_form
from critmin.ingest.sources.nir_values import parse_nir

MAPPING = "commodities_nir"

# edition -> (glob under data/raw, number of files the release holds)
SALIENT = {
    2022: ("usgs-mcs-2022/*_salient.csv", 12),
    2023: ("usgs-mcs-2023/salient/*_salient.csv", 83),
    2024: ("usgs-mcs-2024/salient/*_salient.csv", 85),
    2025: ("usgs-mcs-2025/salient/*_salient.csv", 85),
}
# MCS 2023 published quartz and dimension stone salient data as .xlsx only; they are not read
# (no Excel reader in the pinned environment). Dimension stone NIR 2022 comes from Fig2.

# Files named *_salient.csv that hold a world production table instead (as published in the
# MCS 2024 release): they carry no NIR. Cobalt's 2023 NIR then comes from MCS 2024 Fig2.
NOT_SALIENT = {
    "usgs-mcs-2024/salient/mcs2024-cobal_salient.csv": "holds the cobalt world mine production table",
    "usgs-mcs-2024/salient/mcs2024-gypsu_salient.csv": "holds the gypsum world mine production table",
    "usgs-mcs-2024/salient/mcs2024-kyani_salient.csv": "holds the kyanite world production table",
}

# Two MCS 2024 files have rows one or two cells longer than the header (a stray blank cell
# after the year or mid-row, and for fluorspar one header name too few). Their NIR columns are
# the last ones of both header and row, so NIR cells are read right-aligned. Checked against
# MCS 2024 Fig2 (feldspar 12, fluorspar 100 for 2023) and against MCS 2023/2025 for 2019-2022.
RIGHT_ALIGNED = {
    "usgs-mcs-2024/salient/mcs2024-felds_salient.csv",
    "usgs-mcs-2024/salient/mcs2024-fluor_salient.csv",
}

_NIR_COLUMN = re.compile(r"NIR", re.IGNORECASE)


def _right_aligned_rows(path: Path, file: str):
    """Header and rows where each row's trailing cells line up with the header's last columns."""
    text = read_text(path, "utf-8-sig")
    if not text.endswith(("\n", "\r")):
        raise DataError("file does not end with a newline (truncated?)", file=file,
                        expected="a complete last line")
    reader = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in reader[0]]
    while header and not header[-1]:
        header.pop()
    rows = []
    for line_no, cells in enumerate(reader[1:], start=2):
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            continue
        if len(cells) < len(header):
            raise DataError("row has fewer cells than the header (truncated file?)", file=file,
                            row=line_no, expected=f"{len(header)} cells", got=len(cells))
        # keep the 3 key cells, then right-align the rest on the header
        rows.append((line_no, cells[:3] + cells[len(cells) - (len(header) - 3):]))
    return header, rows


def read_file(path: Path, edition: int, raw_dir: Path) -> list[dict]:
    """NIR records of one salient file (empty list for a file listed in NOT_SALIENT)."""
    file = rel(path, raw_dir)
    if file in NOT_SALIENT:
        return []
    if file in RIGHT_ALIGNED:
        header, rows = _right_aligned_rows(path, file)
    else:
        header, rows = read_rows(path)
    if header[:3] not in (["DataSource", "Commodity", "Year"], ["Source", "Commodity", "Year"]):
        raise DataError("unknown salient header", file=file, row=1,
                        expected="DataSource (or Source), Commodity, Year", got=header[:3])
    nir_cols = [(i, h) for i, h in enumerate(header) if _NIR_COLUMN.search(h)]
    if not nir_cols:
        raise DataError("salient file has no net import reliance column", file=file, row=1,
                        expected="a header containing 'NIR'")
    out = []
    for line_no, cells in rows:
        if cells[0].strip() != f"MCS{edition}":
            raise DataError("row belongs to another edition", file=file, row=line_no, column=header[0],
                            expected=f"MCS{edition}", got=cells[0])
        year_text = cells[2].strip()
        if not re.fullmatch(r"\d{4}", year_text):
            raise DataError("year is not a 4-digit year", file=file, row=line_no, column="Year",
                            got=year_text)
        label = clean_label(cells[1])
        for i, col in nir_cols:
            mapped = slug_and_form(MAPPING, f"{label}|{col}", file=file, row=line_no, column=col)
            if mapped is None:
                continue
            value, flag = parse_nir(cells[i], edition=edition, file=file, row=line_no, column=col)
            out.append(dict(edition=edition, commodity=mapped[0], form=mapped[1],
                            year=int(year_text), nir_pct=value, nir_flag=flag,
                            raw_value=cells[i].strip(), raw_label=col,
                            source_file=file, source_row=line_no))
    return out


def read_edition(raw_dir: Path, edition: int) -> list[dict]:
    pattern, expected = SALIENT[edition]
    files = sorted(Path(raw_dir).glob(pattern))
    if len(files) != expected:
        raise DataError(f"expected {expected} salient files for MCS {edition}", file=pattern,
                        got=len(files), expected=f"{expected} files (run `make data`)")
    out = []
    for path in files:
        out.extend(read_file(path, edition, Path(raw_dir)))
    return out


def read_all(raw_dir: Path) -> list[dict]:
    return [r for edition in sorted(SALIENT) for r in read_edition(raw_dir, edition)]
