"""Reading raw CSVs strictly and writing processed tables deterministically and atomically."""
from __future__ import annotations

import csv
import errno
import fcntl
import hashlib
import io
import os
import shutil
from contextlib import contextmanager
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


# While the pipeline builds, the raw files it verified against the registry (resolved paths, by
# raw root); a builder reading any other file under that root is a bug in the table's declaration.
_VERIFIED: dict[Path, frozenset[Path]] = {}


@contextmanager
def verified_reads(raw: Path, files):
    """Within the block, reading a file under raw that is not in files raises DataError."""
    root = Path(raw).resolve()
    _VERIFIED[root] = frozenset(Path(f).resolve() for f in files)
    try:
        yield
    finally:
        _VERIFIED.pop(root, None)


def read_raw_bytes(path: Path) -> bytes:
    """A raw file's bytes; refused if the pipeline is running and did not verify this file."""
    path = Path(path)
    if not path.exists():
        raise DataError("raw file is missing (run `make data`)", file=display_path(path))
    real = path.resolve()
    for root, files in _VERIFIED.items():
        if root in real.parents and real not in files:
            raise DataError("the pipeline read a raw file its table does not declare, so it was "
                            "not verified; add it to the table's raw files in "
                            "critmin/ingest/pipeline.py", file=display_path(path))
    return path.read_bytes()


def read_text(path: Path, encoding: str) -> str:
    """Decode a raw file, naming the file and the byte offset when the encoding is wrong."""
    path = Path(path)
    data = read_raw_bytes(path)
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


# --- the processed tables, swapped as one set -------------------------------------------------
# dest stays a plain directory (git tracks its files). The new set is written, fsynced, into a
# sibling `.<name>.new-<pid>` and exchanged with dest in one renameat2(RENAME_EXCHANGE): readers see
# the whole old set or the whole new set, never a mix. Where the kernel or file system cannot
# exchange, two renames are used instead (dest -> `.<name>.old-<pid>`, new -> dest); a kill between
# them leaves no dest, never a mixed one, and the next run puts the old set back. Every run first
# removes what a killed run left (under a lock, so never a running pipeline's files).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _step(name: str) -> None:
    """Called between the steps of a swap; tests replace it to kill the process there."""


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories; False if this system cannot (caller falls back)."""
    import ctypes

    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    """Write and fsync one file; an OSError always names the file (ENOSPC on close does not)."""
    try:
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None


@contextmanager
def _locked(path: Path):
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def recover_dir(dest: Path) -> list[str]:
    """Undo what a killed swap left next to dest; return the names removed or restored.
    Call with the lock held."""
    dest, done = Path(dest), []
    olds = sorted(dest.parent.glob(f".{dest.name}.old-*"))
    if not dest.exists() and olds:
        os.rename(olds[-1], dest)  # killed between the two fallback renames: old set back
        done.append(f"restored {olds[-1].name}")
    for p in [*dest.parent.glob(f".{dest.name}.new-*"), *dest.parent.glob(f".{dest.name}.old-*"),
              *dest.parent.glob(".tmp-*")]:  # .tmp-*: left by the earlier one-file-at-a-time swap
        if p.is_dir():
            shutil.rmtree(p)
            done.append(p.name)
    return done


def replace_dir_atomically(tables: dict[str, pd.DataFrame], dest: Path) -> None:
    """Make dest hold the files of dest with every table of tables written over them, as one set.

    A failure or kill at any moment leaves dest with the whole old set or the whole new set;
    files in dest not in tables are carried over unchanged."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _locked(dest.parent / f".{dest.name}.lock"):
        recover_dir(dest)
        new = dest.parent / f".{dest.name}.new-{os.getpid()}"
        new.mkdir()
        try:
            if dest.is_dir():
                for p in sorted(dest.iterdir()):
                    if p.name not in tables:
                        (shutil.copytree if p.is_dir() else shutil.copy2)(p, new / p.name)
            for name, df in tables.items():
                try:
                    _write_synced(new / name, to_csv_bytes(df))
                except OSError as exc:  # name the table people know, not the staging copy
                    raise OSError(exc.errno, exc.strerror, str(dest / name)) from None
                _step(f"wrote {name}")
            _fsync_dir(new)
            _step("staged")
            if not dest.exists():
                os.rename(new, dest)
            elif _exchange(new, dest):
                _step("exchanged")
            else:
                old = dest.parent / f".{dest.name}.old-{os.getpid()}"
                os.rename(dest, old)
                _step("moved old aside")
                os.rename(new, dest)
                new = old
            _fsync_dir(dest.parent)
        finally:
            if new.exists():
                shutil.rmtree(new)  # the unused new set, or the old set after the swap
