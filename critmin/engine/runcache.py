"""Executed notebooks kept between builds, keyed on exactly what a run depends on.

A run's key hashes its notebook file, the parameter values injected into it (the output location
aside) and every shared input of the build (package code, processed and reference data, registry,
article, requirements). A run is reused only when all of these are identical, so outputs made
with other parameters or other code are never reused; only the notebooks a change touches run
again. A run's rendered HTML fragment is kept with it (the key covers the render code and
templates), so a reused run is not rendered again either. `make report` keeps it in build/cache/runs/ (ignored by git, removed by `make clean`)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

# The cache is kept under this size; the least recently used entries go first, never those
# the last build used (a 34-mineral build's entries take ≈30 MB; the default report's ≈6 MB).
BUDGET_BYTES = 512 * 2**20
LOCATION_PARAMS = {"report_dir"}  # where outputs go, not what they are


def run_key(notebook_sha: str, params: dict, shared: dict) -> str:
    payload = {"notebook": notebook_sha, "shared": shared,
               "params": {k: v for k, v in params.items() if k not in LOCATION_PARAMS}}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class RunCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def durations(self) -> dict:
        """notebook file name -> seconds its last run took (to order the next build's runs)."""
        try:
            return json.loads((self.folder / "durations.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def record_durations(self, seconds: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        merged = {**self.durations(), **seconds}
        tmp = self.folder / ".durations.json.tmp"
        tmp.write_text(json.dumps(merged, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.folder / "durations.json")

    def has(self, key: str) -> bool:
        return (self.folder / key / "executed.ipynb").is_file()

    def restore(self, key: str, out_dir: Path):
        """The executed notebook for key, its files copied into out_dir; None if not cached."""
        import nbformat

        entry = self.folder / key
        if not (entry / "executed.ipynb").is_file():
            return None
        out_dir.mkdir(parents=True, exist_ok=True)
        if (entry / "out").is_dir():
            shutil.copytree(entry / "out", out_dir, dirs_exist_ok=True)
        os.utime(entry)  # used now: the cache evicts least recently used entries first
        return nbformat.read(str(entry / "executed.ipynb"), as_version=4)

    def store(self, key: str, nb, out_dir: Path) -> None:
        """Keep a successful run: written aside, then renamed into place (never half an entry)."""
        import nbformat

        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.folder))
        try:
            nbformat.write(nb, str(tmp / "executed.ipynb"))
            if out_dir.is_dir():
                shutil.copytree(out_dir, tmp / "out")
            shutil.rmtree(self.folder / key, ignore_errors=True)
            os.rename(tmp, self.folder / key)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def store_fragment(self, key: str, fields: dict) -> None:
        """Keep a stored run's rendered HTML fragment beside it (its key covers the render code)."""
        entry = self.folder / key
        if not entry.is_dir():
            return
        tmp = entry / ".fragment.json.tmp"
        tmp.write_text(json.dumps(fields, sort_keys=True), encoding="utf-8")
        os.replace(tmp, entry / "fragment.json")

    def restore_fragment(self, key: str) -> dict | None:
        path = self.folder / key / "fragment.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def prune(self, used: set | None = None, budget: int = BUDGET_BYTES) -> list[str]:
        """Evict least recently used entries (by the time they were last stored, restored or read)
        until the cache holds at most `budget` bytes; never an entry in `used`, the keys the
        build that just ended used (run entries and `pdf-` part entries): the next build most
        likely changes little, and must find them. `used` is recorded, so a prune without it
        keeps the last build's entries too. Stale temporary folders (a killed build) go.
        Returns the evicted keys, oldest first."""
        if not self.folder.is_dir():
            return []
        record = self.folder / "last-build.json"
        if used is None:
            try:
                used = set(json.loads(record.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                used = set()
        else:
            tmp = self.folder / ".last-build.json.tmp"
            tmp.write_text(json.dumps(sorted(used)), encoding="utf-8")
            os.replace(tmp, record)
        entries, total = [], 0
        for p in self.folder.iterdir():
            if not p.is_dir():
                continue
            age = time.time() - p.stat().st_mtime
            if p.name.startswith(".tmp-"):
                if age > 3600:
                    shutil.rmtree(p, ignore_errors=True)
                continue
            size = _size(p)
            total += size
            if p.name not in used:
                entries.append((p.stat().st_mtime_ns, p.name, size))
        evicted = []
        for _mtime, name, size in sorted(entries):  # least recently used first
            if total <= budget:
                break
            shutil.rmtree(self.folder / name, ignore_errors=True)
            total -= size
            evicted.append(name)
        return evicted


def _size(folder: Path) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)
