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


def _sections(page: str) -> list[tuple[int, str, str]]:
    """(level, heading, text up to the next heading) for every h1-h4 of a rendered page."""
    import html as html_mod
    import re

    page = re.sub(r"(?is)<(style|script|title)\b.*?</\1>", " ", page)
    marked = re.sub(r"(?i)<h([1-4])\b[^>]*>(.*?)</h\1>", lambda m: f"\x00{m.group(1)}\x01{m.group(2)}\x02", page)
    text = html_mod.unescape(re.sub(r"<[^>]+>", " ", marked))
    out = []
    for chunk in text.split("\x00")[1:]:
        level, rest = chunk.split("\x01", 1)
        head, _, body = rest.partition("\x02")
        out.append((int(level), " ".join(head.split()), " ".join(body.split())))
    return out


def test_us_only_sections_say_so_for_another_importer(tmp_path_factory):
    """For an importer other than the United States every section labelled U.S. net import
    reliance, U.S. import sources or U.S. imports says it covers only the United States (the
    snapshot, the NIR over time of the profiled minerals and of each mineral alike), instead of
    showing U.S. figures under another importer's report."""
    report = _report(ROOT / "params" / "examples" / "importer-japan.yml", tmp_path_factory)
    us_labelled = ("U.S. net import reliance", "Net import reliance", "U.S. import", "U.S. imports",
                   "Where U.S. imports")
    silent = []
    for path in [report / "index.html"] + sorted((report / "minerals").glob("*.html")):
        secs = _sections(path.read_text(encoding="utf-8"))
        for i, (level, head, body) in enumerate(secs):
            deeper_next = i + 1 < len(secs) and secs[i + 1][0] > level
            if head.startswith(us_labelled) and not deeper_next and "covers only the United States" not in body:
                silent.append(f"{path.name}: {head}")
    assert silent == []
