"""Build faults of issue 10: the failing notebook named (not one cancelled because of it), report.pdf
independent of --jobs, a full or read-only disk under REPORT_DIR said in one line, and a run cache
that evicts least recently used entries by size, never those the last build used."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from critmin.engine.runcache import RunCache
from report_support import (FIXTURE_NOTEBOOKS, ROOT, build_env, fixture_args, run_build,
                            session_report, tree)
from test_build import notebook


def leftovers(report: Path) -> list:
    return sorted(p.name for p in report.parent.glob(f".{report.name}.tmp-*"))


def one_line_error(proc) -> str:
    """The build's stderr must be exactly one line, no traceback; returns it."""
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


# --- 1. the first failure in time is the one reported ------------------------------------------

def test_failing_notebook_is_named_not_the_one_cancelled_because_of_it(tmp_path):
    """Cold run cache, two jobs: 20_overview is still running (sleeping) when the per-mineral
    template 50_profile fails for gallium; 20's cancelled kernel must not take the blame."""
    nb_dir = tmp_path / "nb"
    shutil.copytree(FIXTURE_NOTEBOOKS, nb_dir)
    overview = nbformat.read(str(nb_dir / "20_overview.ipynb"), as_version=4)
    overview.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(60)"))
    nbformat.write(overview, str(nb_dir / "20_overview.ipynb"))
    profile = nbformat.read(str(nb_dir / "50_profile.ipynb"), as_version=4)
    code = [c for c in profile.cells if c.cell_type == "code"
            and "parameters" not in c.metadata.get("tags", [])]
    code[0].source += '\nraise ValueError("boom")'
    broken_line = len(code[0].source.splitlines())
    nbformat.write(profile, str(nb_dir / "50_profile.ipynb"))
    failed, report = tmp_path / "failed", tmp_path / "report"
    started = time.monotonic()
    proc = run_build(*fixture_args(report, failed, notebooks=nb_dir)[:-1],
                     "--cache-dir", tmp_path / "cache", "--jobs", 2)
    assert time.monotonic() - started < 45, "the sleeping run was not cancelled"
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert "50_profile.ipynb, cell " in line and f", line {broken_line}: " in line, line
    assert '`raise ValueError("boom")` -> ValueError: boom' in line, line
    assert "20_overview" not in line and "DeadKernelError" not in line, line
    assert sorted(p.name for p in failed.iterdir()) == ["50_profile-gallium.ipynb"]
    kept = nbformat.read(str(failed / "50_profile-gallium.ipynb"), as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert [(e.ename, e.evalue) for e in errors] == [("ValueError", "boom")]
    assert not report.exists() and leftovers(report) == []


# --- 4. report.pdf does not depend on --jobs ---------------------------------------------------

def test_report_pdf_bytes_do_not_depend_on_jobs(tmp_path, tmp_path_factory):
    """The real default report: --jobs 1 gives the PDF of the session build (--jobs 2)."""
    two = session_report("default", tmp_path_factory)
    proc = run_build("--params", ROOT / "params" / "default.yml", "--report-dir", tmp_path / "one",
                     "--failed-dir", tmp_path / "failed", "--no-cache", "--jobs", 1)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "one" / "report.pdf").read_bytes() == (two / "report.pdf").read_bytes()


# --- 5. a full or read-only disk under REPORT_DIR: one line, nothing half-written ----------------

@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A one-notebook project, a good report built from it (copied per test) and its run cache
    (the builds below reuse the run: no kernel starts, they take about a second)."""
    base = tmp_path_factory.mktemp("small")
    notebook(base / "nb", "20_fast", 'print("fast section")', parameters="year = 2000")
    proc = run_build(*small_args(base, base / "report", base / "failed"))
    assert proc.returncode == 0, proc.stderr
    return base


def small_args(small: Path, report: Path, failed: Path, cache: Path | None = None) -> list:
    return [str(a) for a in fixture_args(report, failed, notebooks=small / "nb")[:-1]] + [
        "--cache-dir", str(cache or small / "cache")]


def build_with_fault(small: Path, tmp_path: Path, fault: str):
    """Rebuild a copy of the small report (--force) in a process where `fault` (Python) has
    patched the file system calls; returns (process, report dir, its files before)."""
    report = tmp_path / "report"
    shutil.copytree(small / "report", report)
    args = small_args(small, report, tmp_path / "failed")
    code = ("import errno, os, pathlib, sys\nfrom critmin.engine import build\n"
            + textwrap.dedent(fault) + "\nsys.exit(build.main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", code, *args, "--force"], cwd=ROOT, env=build_env(),
                          capture_output=True, text=True, timeout=300)
    return proc, report


def test_read_only_report_folder_is_one_line(small, tmp_path):
    """What a read-only file system does: the hidden staging folder cannot be made."""
    before = tree(small / "report")
    proc, report = build_with_fault(small, tmp_path, """
        real_mkdir = os.mkdir
        def mkdir(path, *a, **k):
            if os.path.basename(path).startswith(".report.tmp-"):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
            return real_mkdir(path, *a, **k)
        os.mkdir = mkdir
    """)
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert line.startswith("build failed: cannot write ") and "Read-only file system [EROFS]" in line
    assert "make that location writable (or choose another --report-dir)" in line, line
    assert tree(report) == before and leftovers(report) == []


def test_full_disk_while_writing_the_pdf_names_the_file(small, tmp_path):
    """ENOSPC from write() carries no file name: the message must still say which file; the
    half-written PDF and the staging folder go, the last good report stays."""
    before = tree(small / "report")
    proc, report = build_with_fault(small, tmp_path, """
        real = pathlib.Path.write_bytes
        def write_bytes(self, data):
            if self.name == "report.pdf":
                real(self, data[: len(data) // 2])
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(self, data)
        pathlib.Path.write_bytes = write_bytes
    """)
    assert proc.returncode == 1
    line = one_line_error(proc)
    shown = os.path.relpath(report / "report.pdf", ROOT)
    assert f"cannot write {shown}: No space left on device [ENOSPC]; free space" in line, line
    assert line.endswith("left unchanged")
    assert tree(report) == before and leftovers(report) == []


def test_failed_swap_puts_the_last_good_report_back(small, tmp_path):
    """Where the atomic exchange is unsupported the swap is two renames; if the second fails,
    the old report is renamed back."""
    before = tree(small / "report")
    proc, report = build_with_fault(small, tmp_path, """
        build._exchange = lambda a, b: False
        real_rename = os.rename
        def rename(src, dst, *a, **k):
            if os.path.basename(src).startswith(".report.tmp-") and not str(src).endswith("-old"):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), src, None, dst)
            return real_rename(src, dst, *a, **k)
        os.rename = rename
    """)
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert f"cannot write {os.path.relpath(report, ROOT)}: Read-only file system" in line, line
    assert tree(report) == before and leftovers(report) == []


def _in_mount_namespace(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "-m", "sh", "-ec", script], cwd=ROOT, env=build_env(),
                          capture_output=True, text=True, timeout=300)


def test_real_full_and_read_only_tmpfs(small, tmp_path):
    """A small tmpfs mounted in a private mount namespace (root only): full, then read-only."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) to mount a private tmpfs; the injected OSError "
                    "tests above cover the same code")
    probe = _in_mount_namespace(f"mount -t tmpfs -o size=64k tmpfs {tmp_path}")
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in a private mount namespace: {probe.stderr.strip()}")
    build_cmd = " ".join(f"'{a}'" for a in [sys.executable, "-m", "critmin.engine.build",
                                            *small_args(small, tmp_path / "mnt" / "report",
                                                        tmp_path / "failed")])
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    # full: 40 kB free, less than the report needs
    full = _in_mount_namespace(f"mount -t tmpfs -o size=256k tmpfs {mnt}\n"
                               f"head -c 200000 /dev/zero > {mnt}/filler\n"
                               f"{build_cmd} && exit 9 || rc=$?; echo LEFT; ls -A {mnt}; exit $rc")
    assert full.returncode == 1, full.stdout + full.stderr
    line = one_line_error(full)
    assert "No space left on device [ENOSPC]; free space on that file system" in line, line
    assert "report" in line.split(": ")[1], line
    assert full.stdout.split("LEFT\n")[1].split() == ["filler"], full.stdout  # nothing else left
    # read-only, over a good report: refused in one line, the report stays as it was
    ro = _in_mount_namespace(f"mount -t tmpfs -o size=16m tmpfs {mnt}\n"
                             f"cp -a {small}/report {mnt}/report\n"
                             f"mount -o remount,ro {mnt}\n"
                             f"{build_cmd} --force && exit 9 || rc=$?\n"
                             f"cd {mnt} && find . -type f | sort | xargs sha256sum; exit $rc")
    assert ro.returncode == 1, ro.stdout + ro.stderr
    line = one_line_error(ro)
    assert "Read-only file system [EROFS]; make that location writable" in line, line
    expected = sorted(f"{hashlib.sha256(b).hexdigest()}  ./report/{k}"
                      for k, b in tree(small / "report").items())
    assert sorted(ro.stdout.split("\n")[-len(expected) - 1:-1]) == expected, ro.stdout


# --- 8. the run cache evicts least recently used entries, never the last build's -----------------

def _entry(cache: Path, name: str, size: int, age_s: float) -> None:
    (cache / name).mkdir(parents=True)
    (cache / name / "executed.ipynb").write_bytes(b"x" * size)
    stamp = time.time() - age_s
    os.utime(cache / name, (stamp, stamp))


def test_run_cache_evicts_least_recently_used_by_size_never_the_last_builds(tmp_path):
    cache = tmp_path / "runs"
    # the last build's entries, some of them old (reused runs are touched; a part need not be)
    used = {f"run{i}" for i in range(5)} | {"pdf-a", "pdf-b"}
    for i, name in enumerate(sorted(used)):
        _entry(cache, name, 1000, age_s=10_000 + i)
    # older builds' entries, least recently used first: old0 is the oldest
    for i in range(10):
        _entry(cache, f"old{i}", 1000, age_s=5000 - i * 100)
    evicted = RunCache(cache).prune(used=used, budget=10_500)
    assert evicted == [f"old{i}" for i in range(7)]  # 17 kB down to 10 kB, oldest first
    left = sorted(p.name for p in cache.iterdir() if p.is_dir())
    assert left == sorted(used | {"old7", "old8", "old9"})
    # a prune without `used` keeps the recorded last build's entries, even over budget
    assert RunCache(cache).prune(budget=0) == ["old7", "old8", "old9"]
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == sorted(used)


def test_build_keeps_every_entry_it_used_when_the_cache_overflows(small, tmp_path):
    """After a build, older entries push the cache past its budget: pruning evicts them only."""
    cache = tmp_path / "cache"
    shutil.copytree(small / "cache", cache)
    (cache / "last-build.json").unlink()
    proc = run_build(*small_args(small, tmp_path / "report", tmp_path / "failed", cache))
    assert proc.returncode == 0, proc.stderr
    mine = sorted(p.name for p in cache.iterdir() if p.is_dir())
    recorded = sorted(json.loads((cache / "last-build.json").read_text()))
    assert recorded == mine and any(n.startswith("pdf-") for n in mine) and len(mine) >= 3
    for name in mine:  # the build's entries made to look older than the others
        os.utime(cache / name, (1e9, 1e9))
    for i in range(20):
        _entry(cache, f"{i:064x}", 100_000, age_s=60 + i)
    RunCache(cache).prune(budget=500_000)
    assert set(mine) <= {p.name for p in cache.iterdir()}
    proc = run_build(*small_args(small, tmp_path / "again", tmp_path / "failed", cache))
    assert proc.returncode == 0 and "  ran " not in proc.stdout, proc.stdout
