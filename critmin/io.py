"""Reading raw CSVs strictly and writing processed tables deterministically and atomically."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from critmin import config
from critmin.errors import DataError


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def display_path(path) -> str:
    """A raw file's path as people know it: relative to data/raw when it lives there."""
    path = Path(path)
    for base in (config.RAW, config.ROOT):
        try:
            return str(path.resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)


def read_text(path: Path, encoding: str) -> str:
    """Decode a raw file, naming the file and the byte offset when the encoding is wrong."""
    path = Path(path)
    if not path.exists():
        raise DataError("raw file is missing (run `make data`)", file=display_path(path))
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"cannot decode as {encoding}", file=display_path(path), row=line,
                        expected=f"{encoding} text", got=data[exc.start: exc.start + 8]) from None


def read_rows(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",", ragged: bool = False):
    """Return (header, rows) where rows are (line_number, list_of_cells); header is line 1.

    Trailing empty header columns are dropped; entirely empty rows are skipped; a row whose
    quoting is broken (truncated file) raises with its line number. Values past the last header
    column are an error, unless ragged=True: then rows keep all their cells for the caller to check."""
    text = read_text(path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError("file is empty", file=display_path(path), expected="a header row") from None
    except csv.Error as exc:
        raise DataError(f"malformed CSV ({exc})", file=display_path(path), row=1) from None
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    header = [h.strip() for h in header[:width]]
    rows = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) < width:
                raise DataError("row has fewer cells than the header (truncated file?)",
                                file=display_path(path), row=reader.line_num,
                                expected=f"{width} cells", got=len(cells))
            if ragged:
                rows.append((reader.line_num, cells))
                continue
            if any(c.strip() for c in cells[width:]):
                raise DataError("row has values beyond the last header column", file=display_path(path),
                                row=reader.line_num, expected=f"{width} cells")
            rows.append((reader.line_num, cells[:width]))
    except csv.Error as exc:
        raise DataError(f"malformed CSV ({exc}; truncated file?)", file=display_path(path),
                        row=reader.line_num) from None
    if text and not text.endswith(("\n", "\r")):
        raise DataError("file does not end with a newline (truncated?)", file=display_path(path),
                        row=reader.line_num, expected="a complete last line")
    return header, rows


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Deterministic CSV: fixed column order, '\\n' line ends, shortest round-trip floats."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", float_format=None)
    return buf.getvalue().encode("utf-8")


def replace_dir_atomically(tables: dict[str, pd.DataFrame], dest: Path) -> None:
    """Write every table to a temporary sibling directory, then swap files in with os.replace.

    If anything fails before the swap, dest is untouched. Files in dest not in tables are kept."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=dest.parent))
    try:
        for name, df in tables.items():
            (tmp / name).write_bytes(to_csv_bytes(df))
        for name in tables:
            os.replace(tmp / name, dest / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
