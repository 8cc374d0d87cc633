"""The report read as a reader would, for every parameter set in params/examples/ and the default.

Each example set is built once (HTML only, --no-pdf: the lint reads the pages, and the PDF is
tested on the default report; no run cache) and linted by tests/reader_lint.py: no
nan/None/NaT/<NA>, no slug or internal column name, no programmer's word, no header-only table, no
chart without a number, no figure or edition mention later than the chosen edition, years printed
as years. A new example parameter file is picked up by this test."""
from __future__ import annotations

from pathlib import Path

import pytest

from critmin.engine import params as params_mod
from reader_lint import lint_report
from report_support import ROOT, run_build, session_report

EXAMPLES = sorted((ROOT / "params" / "examples").glob("*.yml"))


def _edition(params_file: Path) -> int:
    return params_mod.load(params_file)["edition"]


_built: dict = {}


def _report(params_file: Path, tmp_path_factory) -> Path:
    if params_file not in _built:
        base = tmp_path_factory.mktemp(params_file.stem)
        proc = run_build("--params", params_file, "--report-dir", base / "report",
                         "--failed-dir", base / "failed", "--no-cache", "--no-pdf")
        _built[params_file] = (base / "report", proc)
    out, proc = _built[params_file]
    assert proc.returncode == 0, f"{params_file.name} build failed:\n{proc.stderr[-4000:]}"
    assert not (out / "report.pdf").exists(), "--no-pdf wrote a PDF"
    return out


def test_examples_exist():
    assert len(EXAMPLES) >= 6


def test_default_report_reads_clean(tmp_path_factory):
    report = session_report("default", tmp_path_factory)
    findings = lint_report(report, _edition(ROOT / "params" / "default.yml"))
    assert findings == [], "\n".join(findings)


@pytest.mark.parametrize("params_file", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_report_reads_clean(params_file, tmp_path_factory):
    report = _report(params_file, tmp_path_factory)
    findings = lint_report(report, _edition(params_file))
    assert findings == [], "\n".join(findings)
