"""Tests that feed the parsers an edited raw copy must get past the registry check first: they
record the copy as if its publisher had re-issued it (a registry of their own, never data/sources.yml)."""
import hashlib
from pathlib import Path

from critmin import yamlio


def register(raw: Path, dest: Path) -> Path:
    """Write a registry of every file under raw to dest; return dest."""
    files = [{"path": p.relative_to(raw).as_posix(), "bytes": p.stat().st_size,
              "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
             for p in sorted(Path(raw).rglob("*")) if p.is_file()]
    dest.write_text(yamlio.safe_dump({"files": files}), encoding="utf-8")
    return dest
