"""Shared by the report tests (not a test module): paths, running the build, session-wide builds.

Each report is built once per test session and reused by test_report_html, test_report_pdf,
test_browser and test_report_matches_committed:
- "fixture": the small notebooks and data of tests/fixtures/build/ (markup in data, headline,
  chart CSVs, a per-mineral template, a data-preparation notebook);
- "default": the real notebooks with params/default.yml and data/processed/, as `make report`.
Test builds never reuse executed notebooks (--no-cache): every notebook really runs."""
from __future__ import annotations

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
    """Build the report of this kind once per session; fail (with the build's stderr) if it fails."""
    if kind not in _built:
        base = tmp_path_factory.mktemp(f"report-{kind}")
        out = base / "report"
        if kind == "fixture":
            proc = run_build(*fixture_args(out, base / "failed"))
        else:
            proc = run_build("--params", ROOT / "params" / "default.yml", "--report-dir", out,
                             "--failed-dir", base / "failed", "--no-cache")
        _built[kind] = (out, proc)
    out, proc = _built[kind]
    assert proc.returncode == 0, f"{kind} build failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return out


def tree(folder: Path) -> dict:
    """Every file under folder: relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}
