"""`make bench`: how long a build takes, against the floor and the naive baseline (issue 6).

On the same inputs (PARAMS, the notebooks, data/processed), each measured --runs times (median):
- cold:   full build into an empty REPORT_DIR with an empty run cache (all notebooks, HTML, PDF);
- noop:   the same build again (nothing changed);
- one_mineral: the same build with one mineral of the list swapped for another (run cache on);
- floor:  the notebooks' code cells executed one after the other in one plain Python process
          (same parameters, charts rendered and written: each chart drawn as SVG and as PDF, as
          the build draws it), no Jupyter, no HTML, no report.pdf;
- naive:  the same notebooks run one after the other with the `papermill` and
          `jupyter nbconvert --to html` command-line tools (no PDF);
- data:   `make data`'s BACI/WMD/WGI ingest against the plain sqlite3 + pandas read of the three
          databases into the tidy shape (config.DATA_BENCH, CPU seconds; --skip-data leaves it out).
Peak memory is the largest total resident memory of the measured process and its descendants.
The last lines are `data floor_s=… ours_s=… ratio=…` and
`ratio cold/floor=X.XX naive/cold=Y.YY noop_s=Z.ZZ one_mineral_s=W.WW`."""
from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from critmin import config
from critmin.engine import params as params_mod

PY = sys.executable


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1796083200")
    env["PYTHONHASHSEED"] = "0"
    env.pop("REPORT_DIR", None)
    return env


def measure(cmd: list, env: dict | None = None, cwd: Path = config.ROOT) -> tuple[float, float]:
    """(wall seconds, peak MB of the process tree); raises if the command fails."""
    import psutil

    start = time.monotonic()
    proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env or _env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, done = [0], threading.Event()

    def sample():
        try:
            root = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = 0
            try:
                family = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                break
            for p in family:
                try:
                    total += p.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            peak[0] = max(peak[0], total)
            done.wait(0.1)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    done.set()
    watcher.join()
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd[:4]))} ... failed:\n{out[-1500:]}\n{err[-3000:]}")
    return elapsed, peak[0] / 2**20


def _build_cmd(params_file: Path, report: Path, cache: Path | None) -> list:
    cmd = [PY, "-m", "critmin.engine.build", "--params", params_file, "--report-dir", report,
           "--failed-dir", report.parent / "failed"]
    return cmd + (["--cache-dir", cache] if cache else ["--no-cache"])


def one_mineral_params(params_file: Path, work: Path, i: int = 0) -> Path:
    """The same parameters with the last mineral swapped for the i-th one the data has and the
    list lacks (a new one each run, so no run finds the swapped build in the cache)."""
    import yaml

    resolved = params_mod.load(params_file)
    raw = yaml.safe_load(params_file.read_text(encoding="utf-8")) or {}
    choices = params_mod.DataIndex(config.PROCESSED).minerals(resolved["edition"])
    spares = [m for m in dict.fromkeys(("lithium", "cobalt", "nickel", *choices))
              if m in choices and m not in resolved["minerals"]]
    raw["minerals"] = resolved["minerals"][:-1] + [spares[i % len(spares)]]
    out = work / f"one_mineral_{i}.yml"
    out.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return out


def _runs(params_file: Path, work: Path) -> list[tuple[str, Path, dict]]:
    """(name, notebook, injected parameters) for every run of a build, as the build plans them."""
    from critmin.engine import build

    resolved = params_mod.load(params_file)
    staging = work / "floor-out"
    return [(r.name, r.source, {**r.params, **({"report_dir": str(staging)} if "report_dir" in r.params else {})})
            for r in build.plan(build.discover(config.NOTEBOOKS), resolved, staging)]


def floor_main(plan_file: Path) -> int:
    """Run inside the floor process: every notebook's code, in order, in this one interpreter."""
    import nbformat

    plan = json.loads(Path(plan_file).read_text())
    for name, source, values in plan:
        nb = nbformat.read(source, as_version=4)
        ns: dict = {"__name__": "__main__"}
        os.chdir(Path(source).parent)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if "parameters" in cell.metadata.get("tags", []):
                exec(compile(cell.source, f"{name}:parameters", "exec"), ns)
                ns.update(values)
                continue
            tree = ast.parse(cell.source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, name, "exec"), ns)
            if last is not None:  # what Jupyter would display: render it the same way
                value = eval(compile(ast.Expression(last.value), name, "eval"), ns)
                show = getattr(value, "_repr_mimebundle_", None) or getattr(value, "_repr_html_", None)
                if show is not None:
                    show()
    return 0


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def data_bench(runs: int) -> str:
    """The data module's last line (`data floor_s=… ours_s=… ratio=…`)."""
    out = subprocess.run([PY, "-m", config.DATA_BENCH, "--runs", str(runs)], cwd=config.ROOT, env=_env(),
                         capture_output=True, text=True, check=True).stdout
    return out.strip().splitlines()[-1]


def bench(params_file: Path, runs: int, skip_naive: bool = False, skip_data: bool = False) -> int:
    rows = {}
    work = Path(tempfile.mkdtemp(prefix="critmin-bench-"))
    try:
        def record(name, fn):
            times, mems = [], []
            for i in range(runs):
                t, m = fn(i)
                times.append(t)
                mems.append(m)
                print(f"  {name} run {i + 1}: {t:.2f} s, peak {m:.0f} MB", flush=True)
            rows[name] = (_median(times), max(mems), len(times))

        def cold(i):
            for d in ("report", "cache"):
                shutil.rmtree(work / d, ignore_errors=True)
            return measure(_build_cmd(params_file, work / "report", work / "cache"))

        record("cold", cold)
        def noop(i):  # an untimed build first: up to date even if an input changed meanwhile
            measure(_build_cmd(params_file, work / "report", work / "cache"))
            return measure(_build_cmd(params_file, work / "report", work / "cache"))

        record("noop", noop)
        def one_mineral(i):  # from the default build each time, then one mineral swapped
            swapped = one_mineral_params(params_file, work, i)
            measure(_build_cmd(params_file, work / "report", work / "cache"))
            return measure(_build_cmd(swapped, work / "report", work / "cache"))

        record("one_mineral", one_mineral)
        plan = work / "plan.json"
        plan.write_text(json.dumps([(n, str(s), v) for n, s, v in _runs(params_file, work)]))
        env = {**_env(), "REPORT_DIR": str(work / "floor-out"), "MPLBACKEND": "Agg",
               "CRITMIN_PROCESSED": str(config.PROCESSED)}
        record("floor", lambda i: measure([PY, "-m", "critmin.engine.bench", "--floor", plan], env=env))
        if not skip_naive:
            record("naive", lambda i: naive(params_file, work, i))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'measure':<14}{'median_s':>10}{'runs':>6}{'peak_MB':>9}")
    for name, (t, m, n) in rows.items():
        print(f"{name:<14}{t:>10.2f}{n:>6}{m:>9.0f}")
    if not skip_data:
        print(data_bench(runs))
    cold_s, floor_s = rows["cold"][0], rows["floor"][0]
    naive_s = rows["naive"][0] if "naive" in rows else float("nan")
    print(f"ratio cold/floor={cold_s / floor_s:.2f} naive/cold={naive_s / cold_s:.2f} "
          f"noop_s={rows['noop'][0]:.2f} one_mineral_s={rows['one_mineral'][0]:.2f}")
    return 0


def naive(params_file: Path, work: Path, i: int) -> tuple[float, float]:
    """papermill, then jupyter nbconvert, one notebook after the other, as one shell script."""
    import yaml

    out = work / f"naive-{i}"
    out.mkdir(parents=True, exist_ok=True)
    lines = ["set -e"]
    bin_dir = Path(PY).parent
    for name, source, values in _runs(params_file, work):
        values = {**values, **({"report_dir": str(out)} if "report_dir" in values else {})}
        pfile = out / f"{name}.yml"
        pfile.write_text(yaml.safe_dump(values))
        lines.append(f"{bin_dir}/papermill -f {pfile} --cwd {source.parent} {source} {out}/{name}.ipynb")
        lines.append(f"{bin_dir}/jupyter-nbconvert --to html --log-level WARN {out}/{name}.ipynb")
    script = out / "naive.sh"
    script.write_text("\n".join(lines) + "\n")
    env = {**_env(), "REPORT_DIR": str(out)}
    return measure(["bash", script], env=env)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--params", type=Path, default=Path(os.environ.get("PARAMS") or config.PARAMS_DEFAULT))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-naive", action="store_true", help="leave out the slow naive baseline")
    ap.add_argument("--skip-data", action="store_true", help="leave out the data floor and ingest timing")
    ap.add_argument("--data-only", action="store_true", help="time only the data floor and our ingest")
    ap.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # internal: the floor process
    args = ap.parse_args(argv)
    if args.floor:
        return floor_main(args.floor)
    if args.data_only:
        print(data_bench(max(1, args.runs)))
        return 0
    return bench(args.params.resolve(), max(1, args.runs), args.skip_naive, args.skip_data)


if __name__ == "__main__":
    sys.exit(main())
