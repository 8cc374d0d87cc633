"""data/processed is replaced as one set: a kill at any step leaves the whole old or the whole new
set and the next run removes what the killed one left; an OS error while writing (read-only or full
file system) gives one line naming the path and what to do, exit non-zero, nothing half-written."""
import builtins
import errno
import io
import os
import shutil
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from critmin import config
from critmin.ingest import pipeline
from critmin.io import replace_dir_atomically

NAMES = list(pipeline.TABLES)  # the six tables
KILL = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import pandas as pd
    from critmin import io
    dest, step, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    die = lambda: os.kill(os.getpid(), signal.SIGKILL)
    replaces, real = [], os.replace
    def replace(a, b):  # a swap done file by file is killed between two replaces
        replaces.append(b)
        if len(replaces) == 2:
            die()
        real(a, b)
    os.replace = replace
    io._step = lambda name: die() if name == step else None
    if mode == "fallback":  # a file system without RENAME_EXCHANGE
        io._exchange = lambda a, b: False
    io.replace_dir_atomically({n: pd.DataFrame({"v": ["new"]}) for n in sys.argv[4:]}, dest)
""")


def contents(dest):
    return {p.name: p.read_text() for p in dest.iterdir()} if dest.is_dir() else None


def leftovers(parent):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".")
                  and p.name != ".processed.lock")


@pytest.mark.parametrize("step, mode", [
    ("wrote net_import_reliance.csv", "exchange"), ("staged", "exchange"),
    ("exchanged", "exchange"), ("moved old aside", "fallback"),
])
def test_a_kill_leaves_one_whole_set_and_the_next_run_cleans_up(tmp_path, step, mode):
    dest = tmp_path / "processed"
    dest.mkdir()
    for n in NAMES:
        (dest / n).write_text("v\nold\n")
    (dest / "notes.txt").write_text("kept\n")  # not a table: carried over
    proc = subprocess.run([sys.executable, "-c", KILL, str(dest), step, mode, *NAMES],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr  # killed at the step
    seen = contents(dest)
    old = {n: "v\nold\n" for n in NAMES} | {"notes.txt": "kept\n"}
    new = {n: "v\nnew\n" for n in NAMES} | {"notes.txt": "kept\n"}
    if mode == "fallback":  # between the two renames there is no dest; never a mixed one
        assert seen is None
    else:
        assert seen in (old, new)
    assert leftovers(tmp_path)  # the killed run left its work behind

    replace_dir_atomically({"world.csv": pd.DataFrame({"v": ["next"]})}, dest)
    assert contents(dest) == old | {"world.csv": "v\nnext\n"} if seen in (old, None) else (
        new | {"world.csv": "v\nnext\n"})
    assert leftovers(tmp_path) == []


def test_a_failed_build_step_leaves_no_staging_directory(tmp_path):
    dest = tmp_path / "processed"
    replace_dir_atomically({"a.csv": pd.DataFrame({"x": [1]})}, dest)

    class Boom(pd.DataFrame):
        def to_csv(self, *a, **k):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        replace_dir_atomically({"a.csv": pd.DataFrame({"x": [2]}), "b.csv": Boom({"y": [1]})}, dest)
    assert contents(dest) == {"a.csv": "x\n1\n"} and leftovers(tmp_path) == []


@pytest.mark.parametrize("code, words, advice", [
    (errno.ENOSPC, "No space left on device", "free some space"),
    (errno.EROFS, "Read-only file system", "make it writable or pass --out DIR"),
])
def test_injected_os_error_gives_one_line_and_keeps_the_old_tables(tmp_path, monkeypatch, capsys,
                                                                   code, words, advice):
    out = tmp_path / "processed"
    out.mkdir()
    (out / "export_controls.csv").write_text("old\n")
    real_open = builtins.open

    def failing_open(file, mode="r", *a, **k):
        # the kernel reports ENOSPC at write or close, with no file name
        if "w" in mode and str(tmp_path) in str(file):
            raise OSError(code, os.strerror(code))
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(builtins, "open", failing_open)
    monkeypatch.setattr(io, "open", failing_open)
    rc = pipeline.main(["--out", str(out), "--only", "export_controls.csv"])
    err = capsys.readouterr().err
    assert rc != 0
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{out / 'export_controls.csv'}: {words}" in err and advice in err
    assert contents(out) == {"export_controls.csv": "old\n"} and leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"),
                    reason="needs root and unshare to mount a private tmpfs")
@pytest.mark.parametrize("setup, words", [
    ("mount -t tmpfs -o size=16k tmpfs \"$M\" && mkdir \"$M/processed\" && echo old > \"$M/processed/export_controls.csv\"",
     "No space left on device"),
    ("mount -t tmpfs -o size=1m tmpfs \"$M\" && mkdir \"$M/processed\" && echo old > \"$M/processed/export_controls.csv\""
     " && mount -o remount,ro \"$M\"", "Read-only file system"),
])
def test_real_full_or_read_only_tmpfs(tmp_path, setup, words):
    """A private 16 kB tmpfs (the 34 kB table does not fit) and a read-only one."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = (f"{setup} && {sys.executable} -m critmin.ingest.pipeline --out \"$M/processed\" "
              "--only export_controls.csv; rc=$?; cat \"$M/processed/export_controls.csv\"; "
              "ls -A \"$M\"; exit $rc")
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], env=dict(os.environ, M=str(mnt)),
                          cwd=config.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode not in (0, 1), proc.stderr  # 1 = sh could not set up the mount
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert words in proc.stderr and str(mnt) in proc.stderr
    listing = proc.stdout.split()
    assert listing[0] == "old"  # the old table, whole
    assert [n for n in listing[1:] if n not in (".processed.lock",)] == ["processed"]
