"""Shared by the report tests (not a test module): paths, running the build, session-wide builds.

Each report is built once per test session (once in all, with pytest-xdist workers) and reused
by test_report_html, test_report_pdf, test_browser, test_report_matches_committed and others:
- "fixture": the small notebooks and data of tests/fixtures/build/ (markup in data, headline,
  chart CSVs, a per-mineral template, a data-preparation notebook);
- "default": the real notebooks with params/default.yml and data/processed/, as `make report`.
Test builds never reuse executed notebooks (--no-cache): every notebook really runs."""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "build"
FIXTURE_NOTEBOOKS = FIXTURES / "notebooks"
FIXTURE_DATA = FIXTURES / "processed"
FIXTURE_PARAMS = FIXTURES / "params.yml"
KINDS = ("fixture", "default")


def build_env() -> dict:
    """The environment `make report` gives the build (the Makefile exports these)."""
    env = dict(os.environ)
    env.update({"SOURCE_DATE_EPOCH": "1796083200", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"})
    env.pop("REPORT_DIR", None)
    return env


def run_build(*args, timeout: float = 900, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "critmin.engine.build", *map(str, args)], cwd=ROOT,
                          env=build_env(), capture_output=True, text=True, timeout=timeout, **kw)


def fixture_args(report_dir: Path, failed_dir: Path, params: Path = FIXTURE_PARAMS,
                 notebooks: Path = FIXTURE_NOTEBOOKS) -> list:
    return ["--params", params, "--report-dir", report_dir, "--notebooks", notebooks,
            "--data-dir", FIXTURE_DATA, "--failed-dir", failed_dir, "--no-cache"]


_built: dict = {}


def session_report(kind: str, tmp_path_factory) -> Path:
    """Build the report of this kind once per session, whatever the number of pytest-xdist workers
    (the first worker to need it builds it under a file lock in the session's shared temporary
    folder; the others wait and read it); fail (with the build's stderr) if it fails."""
    if kind not in _built:
        shared = tmp_path_factory.getbasetemp()
        if os.environ.get("PYTEST_XDIST_WORKER"):
            shared = shared.parent  # one folder for every worker of this session
        base = shared / f"session-report-{kind}"
        with open(shared / f"session-report-{kind}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            done = base / "result.json"
            if not done.exists():
                base.mkdir(parents=True, exist_ok=True)
                proc = _build_kind(kind, base)
                done.write_text(json.dumps({"returncode": proc.returncode, "stdout": proc.stdout[-2000:],
                                            "stderr": proc.stderr[-4000:]}))
        _built[kind] = (base / "report", json.loads(done.read_text()))
    out, proc = _built[kind]
    assert proc["returncode"] == 0, f"{kind} build failed:\n{proc['stdout']}\n{proc['stderr']}"
    return out


def _build_kind(kind: str, base: Path) -> subprocess.CompletedProcess:
    out = base / "report"
    if kind == "fixture":
        return run_build(*fixture_args(out, base / "failed"))
    return run_build("--params", ROOT / "params" / "default.yml", "--report-dir", out,
                     "--failed-dir", base / "failed", "--no-cache")


def tree(folder: Path) -> dict:
    """Every file under folder: relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}
