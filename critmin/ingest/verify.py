"""Every pipeline run checks the raw files it reads against the registry, data/sources.yml.

A table declares the raw files it reads as globs over registry paths (critmin.ingest.pipeline). Each
registered file they match must exist with the recorded size and sha256, and no unregistered file
may match them (a builder that globs would read it). Size and sha256 are both checked every run,
without an mtime cache: hashing all 906 files (15 MB) takes ≈0.03 s with a warm page cache, and an
edit that keeps the mtime must still be caught. critmin.io.verified_reads then refuses any read of
a raw file the run did not verify, so a declaration cannot silently miss a file."""
from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

from critmin import config
from critmin.errors import DataError
from critmin.io import sha256


def _restore_hint(raw: Path) -> str:
    if Path(raw).resolve() == Path(config.RAW).resolve():
        return "run `make data` to restore it from the mirror (raw files are never edited)"
    return (f"restore it from the mirror with `python -m critmin.ingest.fetch --raw {raw}` "
            "(raw files are never edited)")


def _problem(path: Path, entry: dict) -> tuple[str, str, str] | None:
    """(what is wrong, expected, got) for one registered file, or None if it matches."""
    if not path.is_file():
        return "registered raw file is missing", "the file", "nothing"
    size = path.stat().st_size
    if size != entry["bytes"]:
        return ("raw copy differs from data/sources.yml (size)", f"{entry['bytes']} bytes",
                f"{size} bytes")
    got = sha256(path)
    if got != entry["sha256"]:
        return ("raw copy differs from data/sources.yml (content)", f"sha256 {entry['sha256']}",
                f"sha256 {got}")
    return None


def verify(raw: Path, patterns: list[str], registry: dict) -> list[Path]:
    """The registered files matching patterns, each verified; DataError on the first mismatch
    (its message also counts the others)."""
    raw = Path(raw)
    entries = [e for e in registry["files"] if any(fnmatchcase(e["path"], g) for g in patterns)]
    bad = [(e["path"], p) for e in entries if (p := _problem(raw / e["path"], e))]
    known = {e["path"] for e in entries}
    for glob in patterns:
        for path in sorted(raw.glob(glob)):
            rel = path.relative_to(raw).as_posix()
            if rel not in known:
                bad.append((rel, ("raw file is not in the registry data/sources.yml",
                                  "only registered files", "an unregistered file")))
    if bad:
        rel, (what, expected, got) = bad[0]
        more = f" ({len(bad) - 1} more files also fail)" if len(bad) > 1 else ""
        hint = ("remove it, or record its release in data/sources.yml" if "not in the registry" in what
                else _restore_hint(raw))
        raise DataError(f"{what}; {hint}{more}", file=rel, expected=expected, got=got)
    return [raw / e["path"] for e in entries]
