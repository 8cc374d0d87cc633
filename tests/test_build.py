"""The build on the fixture notebooks: smoke build, parameters per notebook, determinism, no-op
rebuilds, and behaviour under faults (failing cell, kill mid-build, interrupted swap)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from critmin.engine import build, execute, params
from report_support import (FIXTURE_DATA, FIXTURE_NOTEBOOKS, FIXTURE_PARAMS, ROOT, build_env,
                            fixture_args, run_build, session_report, tree)


def notebook(folder: Path, name: str, *cells, parameters: str | None = None) -> Path:
    """Write a small notebook: a title, an optional parameters cell, then code cells."""
    body = [new_markdown_cell(f"# {name}")]
    if parameters is not None:
        body.append(new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    body += [new_code_cell(c) for c in cells]
    nb = new_notebook(cells=body, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A fast, valid notebook set and a report built from it (module-wide, copied per test)."""
    base = tmp_path_factory.mktemp("good")
    notebook(base / "nb", "20_fast", 'print("fast section")', parameters="year = 2000")
    proc = run_build(*fixture_args(base / "report", base / "failed", notebooks=base / "nb"))
    assert proc.returncode == 0, proc.stderr
    return base


def copy_report(good: Path, dest: Path) -> Path:
    import shutil

    shutil.copytree(good / "report", dest / "report")
    return dest / "report"


def leftovers(report: Path) -> list:
    return sorted(p.name for p in report.parent.glob(f".{report.name}.tmp-*"))


# --- smoke build, parameters ----------------------------------------------------------------------

def test_fixture_build_produces_the_report(tmp_path_factory):
    out = session_report("fixture", tmp_path_factory)
    files = set(tree(out))
    assert {"index.html", "report.pdf", "minerals/gallium.html", "minerals/tungsten.html",
            "data/overview_share.csv", "data/profile_gallium.csv", "data/profile_tungsten.csv",
            ".build-stamp.json"} == files
    assert leftovers(out) == []
    # chart data is what the notebook computed from the fixture data (China 740 of 750 t; 67/79 kt)
    assert (out / "data/overview_share.csv").read_text() == \
        "commodity,share_pct\ngallium,98.7\ntungsten,84.8\n"


def test_each_notebook_gets_only_the_parameters_it_declares(tmp_path):
    resolved = params.load(FIXTURE_PARAMS, FIXTURE_DATA)
    runs = {r.name: r for r in build.plan(build.discover(FIXTURE_NOTEBOOKS), resolved, tmp_path)}
    assert list(runs) == ["10_data", "20_overview", "50_profile-gallium", "50_profile-tungsten",
                          "60_checks"]
    assert runs["10_data"].params == {}
    # 20_overview declares `minerals` but never reads it: not injected, so a new list reruns nothing
    assert runs["20_overview"].params == {"edition": 2026, "year": 2025, "focus_country": "China"}
    assert runs["50_profile-tungsten"].params == {"mineral": "tungsten", "edition": 2026}
    assert runs["60_checks"].params == {"nir_threshold": 50}
    # the injected cell follows the parameters cell and holds exactly those names
    cells = runs["20_overview"].nb.cells
    assert "parameters" in cells[1].metadata.tags and "injected-parameters" in cells[2].metadata.tags
    assert cells[2].source.splitlines()[1:] == [
        "edition = 2026", "year = 2025", "focus_country = 'China'"]


def test_used_parameters_are_the_declared_names_other_code_cells_mention():
    nb = new_notebook(cells=[
        new_code_cell("a = 1\nab = 2\nb = 3\nc = 4\nd = 5", metadata={"tags": ["parameters"]}),
        new_markdown_cell("c is only mentioned in prose"),
        new_code_cell("print(f'{a}')\nx.b = 1  # an attribute, not the name\n%time d")])
    assert execute.used_parameters(nb, ["a", "ab", "b", "c", "d"]) == ["a", "d"]


def test_a_column_named_like_a_parameter_is_not_a_use():
    """`events["minerals"]` is a column, not the parameter: changing `minerals` must not rerun
    the notebook. Python cells are read as Python; dynamic access counts every name as used."""
    params = new_code_cell("minerals = []\nyear = 2025", metadata={"tags": ["parameters"]})
    plain = new_notebook(cells=[params, new_code_cell('x = events["minerals"]\nprint(f"{year}")')])
    assert execute.used_parameters(plain, ["minerals", "year"]) == ["year"]
    dynamic = new_notebook(cells=[params, new_code_cell('print(globals()["minerals"])')])
    assert execute.used_parameters(dynamic, ["minerals", "year"]) == ["minerals", "year"]


def test_declared_parameters_reads_assignments_only():
    nb = new_notebook(cells=[new_code_cell("a = 1\nb: int = 2\nc, d = 3, 4\nimport os\nprint(a)\n"
                                           "if a:\n    e = 5", metadata={"tags": ["parameters"]})])
    assert execute.declared_parameters(nb) == ["a", "b", "c", "d"]


def test_template_without_mineral_parameter_is_refused(tmp_path):
    notebook(tmp_path / "nb", "50_bad_profile", "print(1)", parameters="commodity = 'gallium'")
    proc = run_build(*fixture_args(tmp_path / "report", tmp_path / "failed", notebooks=tmp_path / "nb"))
    assert proc.returncode == 1
    assert "50_bad_profile.ipynb: the per-mineral template must declare `mineral`" in proc.stderr


# --- determinism and no-op -----------------------------------------------------------------------

def test_same_inputs_give_byte_identical_reports(tmp_path, tmp_path_factory):
    first = session_report("fixture", tmp_path_factory)
    proc = run_build(*fixture_args(tmp_path / "report", tmp_path / "failed"))
    assert proc.returncode == 0, proc.stderr
    a, b = tree(first), tree(tmp_path / "report")
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []


def test_forked_and_spawned_kernels_give_the_same_report(tmp_path, tmp_path_factory):
    """Kernels forked from the pre-loaded zygote behave as cold-started ones: same bytes."""
    proc = run_build(*fixture_args(tmp_path / "report", tmp_path / "failed"), "--kernels", "spawn")
    assert proc.returncode == 0, proc.stderr
    assert tree(tmp_path / "report") == tree(session_report("fixture", tmp_path_factory))


def test_noop_rebuild_does_no_work(tmp_path, good):
    report = copy_report(good, tmp_path)
    before = tree(report)
    args = fixture_args(report, tmp_path / "failed", notebooks=good / "nb")
    started = time.monotonic()
    proc = run_build(*args)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0 and proc.stdout.startswith("report up to date"), proc.stdout + proc.stderr
    assert elapsed < 3.0, f"no-op rebuild took {elapsed:.2f} s"
    assert tree(report) == before


def test_changed_parameter_rebuilds(tmp_path, good):
    report = copy_report(good, tmp_path)
    other = tmp_path / "p.yml"
    other.write_text(FIXTURE_PARAMS.read_text() + "top_n: 5\n")
    proc = run_build(*fixture_args(report, tmp_path / "failed", params=other, notebooks=good / "nb"))
    assert proc.returncode == 0, proc.stderr
    assert "changed: (parameters)" in proc.stdout
    stamp = json.loads((report / ".build-stamp.json").read_text())
    assert "top_n" in (report / "index.html").read_text() and stamp["inputs"]["(parameters)"]
    assert "<td>Countries listed</td><td>5</td>" in (report / "index.html").read_text()


def test_changed_notebook_or_data_or_tampered_output_rebuilds(tmp_path, good):
    report = copy_report(good, tmp_path)
    args = fixture_args(report, tmp_path / "failed", notebooks=good / "nb")
    assert run_build(*args).returncode == 0  # up to date now, even if the package just changed
    (report / "index.html").write_text("tampered")
    proc = run_build(*args)
    assert proc.returncode == 0 and "differ from the last build" in proc.stdout, proc.stdout
    assert (report / "index.html").read_text() != "tampered"
    nb_dir = tmp_path / "nb"
    notebook(nb_dir, "20_fast", 'print("fast section, edited")', parameters="year = 2000")
    proc = run_build(*fixture_args(report, tmp_path / "failed", notebooks=nb_dir))
    assert proc.returncode == 0 and "changed: " in proc.stdout and "20_fast.ipynb" in proc.stdout
    assert "fast section, edited" in (report / "index.html").read_text()


def test_run_cache_reuses_only_runs_with_identical_parameters(tmp_path, tmp_path_factory):
    """Changing a parameter that one notebook declares re-executes that notebook only; the
    result is byte-identical to a build without the cache."""
    cache = ["--cache-dir", tmp_path / "cache"]
    first = run_build(*fixture_args(tmp_path / "a", tmp_path / "failed")[:-1], *cache)
    assert first.returncode == 0 and "reused" not in first.stdout, first.stderr
    other = tmp_path / "p.yml"
    other.write_text(FIXTURE_PARAMS.read_text().replace("nir_threshold: 50", "nir_threshold: 60"))
    second = run_build(*fixture_args(tmp_path / "a", tmp_path / "failed", params=other)[:-1], *cache)
    assert second.returncode == 0, second.stderr
    ran = sorted(l.split()[1] for l in second.stdout.splitlines() if l.startswith("  ran "))
    reused = sorted(l.split()[1] for l in second.stdout.splitlines() if l.startswith("  reused "))
    assert ran == ["60_checks"]  # the only notebook declaring nir_threshold
    assert reused == ["10_data", "20_overview", "50_profile-gallium", "50_profile-tungsten"]
    fresh = run_build(*fixture_args(tmp_path / "b", tmp_path / "failed", params=other))
    assert fresh.returncode == 0, fresh.stderr
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert "60%" in (tmp_path / "a" / "index.html").read_text()
    # back to the first parameters: every run is reused, nothing executes, same bytes as before
    third = run_build(*fixture_args(tmp_path / "c", tmp_path / "failed")[:-1], *cache)
    assert third.returncode == 0, third.stderr
    assert " ran " not in third.stdout and third.stdout.count("  reused ") == 5
    assert tree(tmp_path / "c") == tree(session_report("fixture", tmp_path_factory))


# --- faults --------------------------------------------------------------------------------------

def test_failing_cell_keeps_report_and_names_notebook_and_line(tmp_path, good):
    report = copy_report(good, tmp_path)
    before = tree(report)
    nb_dir = tmp_path / "nb"
    notebook(nb_dir, "20_fast", 'print("fast")')
    notebook(nb_dir, "30_broken", "x = 1", "total = 10\nshare = total / (x - 1)\nprint(share)",
             parameters="year = 2000")
    failed = tmp_path / "failed"
    proc = run_build(*fixture_args(report, failed, notebooks=nb_dir))
    assert proc.returncode == 1
    msg = proc.stderr.strip().splitlines()[-1]
    assert "30_broken.ipynb, cell 4, line 2: `share = total / (x - 1)`" in msg
    assert "ZeroDivisionError: division by zero" in msg
    assert "executed copy kept at" in msg and "left unchanged" in msg
    kept = nbformat.read(str(failed / "30_broken.ipynb"), as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "ZeroDivisionError"
    assert tree(report) == before
    assert leftovers(report) == []


def test_kill_mid_build_leaves_last_good_report_and_next_build_recovers(tmp_path, good):
    report = copy_report(good, tmp_path)
    before = tree(report)
    nb_dir = tmp_path / "nb"
    marker = tmp_path / "running"
    notebook(nb_dir, "20_slow", f"open({str(marker)!r}, 'w').close()\nimport time\ntime.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-m", "critmin.engine.build",
                             *map(str, fixture_args(report, tmp_path / "failed", notebooks=nb_dir))],
                            cwd=ROOT, env=build_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the slow notebook never started"
            time.sleep(0.1)
        assert leftovers(report), "the build should be working in a temporary directory"
        family = [proc.pid] + [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    # the zygote notices its parent is gone and takes its kernels with it
    deadline = time.monotonic() + 15
    while any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
              for p in family[1:]) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in family[1:]:  # anything left is ours: end it by id
        if psutil.pid_exists(pid):
            os.kill(pid, signal.SIGKILL)
    assert tree(report) == before
    assert leftovers(report)  # the dead build's temporary directory is still there ...
    proc = run_build(*fixture_args(report, tmp_path / "failed", notebooks=good / "nb"))
    assert proc.returncode == 0, proc.stderr
    assert "left by an interrupted build" in proc.stdout
    assert leftovers(report) == []  # ... until the next build cleans it up


def test_recover_restores_a_report_caught_mid_swap(tmp_path):
    report = tmp_path / "report"
    old = tmp_path / ".report.tmp-999999999-old"  # a pid that cannot be alive
    old.mkdir()
    (old / "index.html").write_text("last good")
    notes = build.recover(report)
    assert notes == [f"restored {report} from an interrupted swap"]
    assert (report / "index.html").read_text() == "last good" and not old.exists()


def test_refuses_to_replace_a_directory_that_is_not_a_report(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    for target in (tmp_path, ROOT, ROOT.parent):
        proc = run_build(*fixture_args(target, tmp_path / "failed"))
        assert proc.returncode == 2 and "refusing to replace" in proc.stderr, (target, proc.stderr)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_swap_replaces_the_whole_directory(tmp_path):
    report, staging = tmp_path / "report", tmp_path / ".report.tmp-1-x"
    report.mkdir()
    (report / "stale.html").write_text("old")
    staging.mkdir()
    (staging / "index.html").write_text("new")
    build.swap_in(staging, report)
    assert sorted(p.name for p in report.iterdir()) == ["index.html"] and not staging.exists()


def test_two_runs_writing_different_bytes_to_one_file_fail(tmp_path):
    nb_dir = tmp_path / "nb"
    for name, text in (("20_a", "a"), ("30_b", "b")):
        notebook(nb_dir, name, "from critmin import config\n(config.REPORT / 'data').mkdir(parents=True, exist_ok=True)\n"
                 f"(config.REPORT / 'data' / 'same.csv').write_text({text!r})")
    proc = run_build(*fixture_args(tmp_path / "report", tmp_path / "failed", notebooks=nb_dir))
    assert proc.returncode == 1
    assert "both write data/same.csv with different contents" in proc.stderr
    assert not (tmp_path / "report").exists()
