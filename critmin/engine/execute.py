"""Executing notebooks in fresh kernels: parameter injection, a warm kernel pool, concurrent runs.

Parameters are injected the way papermill does it (a cell tagged `injected-parameters` right after
the cell tagged `parameters`), but only the names that cell declares (and other cells use), so papermill's unknown-name
warnings cannot arise and nothing is passed that a notebook does not read. Execution uses nbclient's
API in this process; every run gets a kernel of its own, started ahead of time ("warm": the heavy
libraries already imported, no user names defined) so that kernel start-up overlaps other runs."""
from __future__ import annotations

import ast
import asyncio
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from critmin import config

PARAMS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
CELL_TIMEOUT_S = 600

# Run silently in each new kernel, in a throw-away namespace: pre-imports the heavy libraries
# (a module cache, not notebook state) and fixes what makes figures differ between runs.
WARM_UP = '''exec("""
import numpy, pandas, matplotlib
matplotlib.rcParams["svg.hashsalt"] = "critmin"
matplotlib.rcParams["svg.fonttype"] = "path"
get_ipython().run_line_magic("matplotlib", "inline")
from matplotlib_inline.backend_inline import set_matplotlib_formats
set_matplotlib_formats("svg", bbox_inches="tight", metadata={"Date": None})
""", {"get_ipython": get_ipython})'''


class RunError(Exception):
    """A notebook failed; the message names the notebook, the cell and its failing source line."""

    def __init__(self, message: str, nb=None):
        super().__init__(message)
        self.nb = nb


@dataclass
class Run:
    """One execution: a notebook with the parameters it declares, writing into out_dir."""
    name: str                  # e.g. '20_import_dependence' or '50_mineral_profile-gallium'
    source: Path
    params: dict
    out_dir: Path              # REPORT_DIR seen by the kernel (chart CSVs go to out_dir/data)
    nb: object = field(default=None, repr=False)
    seconds: float = 0.0       # wall time of the run, kernel start excluded


def parameters_cell(nb) -> int | None:
    found = [i for i, c in enumerate(nb.cells) if PARAMS_TAG in c.get("metadata", {}).get("tags", [])]
    if len(found) > 1:
        raise RunError(f"{nb_label(nb)}: more than one cell is tagged '{PARAMS_TAG}'")
    return found[0] if found else None


def declared_parameters(nb) -> list[str]:
    """Names assigned at the top level of the cell tagged 'parameters', in order."""
    i = parameters_cell(nb)
    if i is None:
        return []
    try:
        tree = ast.parse(nb.cells[i].source)
    except SyntaxError as exc:
        raise RunError(f"{nb_label(nb)}: the parameters cell is not valid Python ({exc.msg})") from None
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and n.id not in names:
                    names.append(n.id)
    return names


_DYNAMIC = {"globals", "locals", "vars", "eval", "exec"}  # could read any name


def used_parameters(nb, names) -> list[str]:
    """The declared names that some other code cell uses. A cell that parses as Python uses the
    names that occur in it as names (f-string fields included; not a column called "minerals",
    not an attribute); a cell that does not parse (magics) uses every name it mentions as a whole
    word; a cell calling globals(), locals(), vars(), eval() or exec() uses them all. A name no
    cell uses cannot change the outputs, so it is not injected and does not key the run cache:
    changing it reruns nothing."""
    i = parameters_cell(nb)
    used: set = set()
    for j, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or j == i:
            continue
        try:
            found = {n.id for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Name)}
        except SyntaxError:
            found = {n for n in names if re.search(rf"(?<![\w.]){re.escape(n)}\b", cell.source)}
        if found & _DYNAMIC:
            return list(names)
        used |= found
    return [n for n in names if n in used]


def nb_label(nb) -> str:
    return nb.metadata.get("critmin", {}).get("source", "notebook")


def load(path: Path, label: str):
    nb = nbformat.read(str(path), as_version=4)
    nb.metadata["critmin"] = {"source": label}
    return nb


def inject(nb, values: dict):
    """Insert the injected-parameters cell after the parameters cell (first, when there is none)."""
    lines = ["# Parameters injected by critmin.engine.build"] + [f"{k} = {v!r}" for k, v in values.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = [INJECTED_TAG]
    i = parameters_cell(nb)
    nb.cells.insert(0 if i is None else i + 1, cell)
    return nb


def normalize(nb):
    """Stable cell ids and no execution timing, so the executed copy is byte-stable."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    for key in ("papermill", "widgets"):
        nb.metadata.pop(key, None)
    return nb


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def describe_failure(nb, index: int, traceback: str, ename: str, evalue: str) -> str:
    """'notebooks/x.ipynb, cell 7, line 3: `y = 1/0` -> ZeroDivisionError: division by zero'."""
    cell = nb.cells[index]
    shift = sum(1 for c in nb.cells[:index] if INJECTED_TAG in c.metadata.get("tags", []))
    src = cell.source.splitlines()
    lines = re.findall(r"Cell In\[\d+\], line (\d+)", _ANSI.sub("", traceback or ""))
    n = int(lines[-1]) if lines else 0
    if not 1 <= n <= len(src):
        n = next((k + 1 for k, s in enumerate(src) if s.strip()), 1)
    text = src[n - 1].strip() if src else ""
    return (f"{nb_label(nb)}, cell {index - shift + 1}, line {n}: `{text}` -> "
            f"{ename}: {_ANSI.sub('', evalue or '').strip()}")


def _quiet(msg) -> None:
    """Output hook for set-up code: its messages are not for the terminal (errors are raised)."""


class KernelPool:
    """Starts fresh kernels ahead of need; each kernel serves exactly one run, then is killed.

    fork=True: kernels are forked from a zygote that has imported the heavy libraries once
    (critmin.engine.kernels); fork=False: each kernel is a new process started by jupyter_client."""

    def __init__(self, env: dict, total: int, ahead: int, fork: bool = True, zygote=None):
        from critmin.engine.kernels import Zygote

        self.env, self.left, self.ahead = env, total, ahead
        self.queue: list[asyncio.Task] = []
        self.live: list = []
        # IPC sockets (local only, no TCP ports, no plain-TCP warning); each kernel needs its own
        # socket path prefix, kept short (Unix socket paths are limited to ~107 bytes).
        self.sockets = tempfile.mkdtemp(prefix="critmin-k")
        self.started = 0
        self.zygote = (zygote or Zygote(env)) if fork else None

    def _top_up(self):
        while self.left > 0 and len(self.queue) < self.ahead:
            self.left -= 1
            self.queue.append(asyncio.ensure_future(self._start()))

    async def _launch(self, ip: str):
        if self.zygote is None:
            from jupyter_client.manager import AsyncKernelManager

            km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=ip)
            self.live.append(km)
            await km.start_kernel(env=self.env)
            return km, km.client()
        from jupyter_client.asynchronous import AsyncKernelClient
        from jupyter_client.connect import write_connection_file

        from critmin.engine.kernels import ForkedKernel

        cf, _ = write_connection_file(fname=ip + ".json", ip=ip, transport="ipc",
                                      key=secrets.token_hex(32).encode(), kernel_name="python3")
        km = ForkedKernel(await self.zygote.fork(cf, self.sockets, {}), cf)
        self.live.append(km)
        kc = AsyncKernelClient()
        kc.load_connection_file(cf)
        return km, kc

    async def _start(self):
        self.started += 1
        km, kc = await self._launch(os.path.join(self.sockets, f"k{self.started}"))
        kc.start_channels()
        await kc.wait_for_ready(timeout=120)
        reply = await kc.execute_interactive(WARM_UP, silent=True, store_history=False, timeout=300,
                                             output_hook=_quiet)
        if reply["content"]["status"] != "ok":
            raise RunError(f"kernel warm-up failed: {reply['content'].get('evalue')}")
        return km, kc

    async def take(self):
        self._top_up()
        task = self.queue.pop(0)
        self._top_up()
        return await task

    async def release(self, km, kc):
        kc.stop_channels()
        try:
            await km.shutdown_kernel(now=True)
        finally:
            if km in self.live:
                self.live.remove(km)

    async def close(self, failed: bool = False):
        """failed: runs were cancelled, so kernels may still be starting: the zygote is waited
        for (it kills what it forked) before their socket folder goes, or they would fail on it."""
        for task in self.queue:
            task.cancel()
        await asyncio.gather(*self.queue, return_exceptions=True)
        for km in list(self.live):
            try:
                await km.shutdown_kernel(now=True)
            except Exception:  # already gone: nothing left to clean
                pass
        self.live.clear()
        if self.zygote is not None:
            self.zygote.close(wait=failed)
        shutil.rmtree(self.sockets, ignore_errors=True)


async def _execute(run: Run, pool: KernelPool):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    km, kc = await pool.take()
    started = time.monotonic()
    try:
        run.out_dir.mkdir(parents=True, exist_ok=True)
        code = (f"import os\nos.environ['REPORT_DIR'] = {str(run.out_dir)!r}\n"
                f"os.chdir({str(run.source.parent)!r})")
        reply = await kc.execute_interactive(f"exec({code!r}, {{}})", silent=True,
                                             store_history=False, timeout=60, output_hook=_quiet)
        if reply["content"]["status"] != "ok":
            raise RunError(f"{nb_label(run.nb)}: kernel set-up failed: {reply['content'].get('evalue')}")
        failed = []
        client = NotebookClient(run.nb, km=km, kernel_name="python3", timeout=CELL_TIMEOUT_S,
                                record_timing=False, allow_errors=False,
                                on_cell_error=lambda cell, cell_index, **_: failed.append(cell_index))
        client.kc = kc
        try:
            await client.async_execute()
        except CellExecutionError as exc:
            index = failed[-1] if failed else 0
            raise RunError(describe_failure(run.nb, index, exc.traceback, exc.ename, exc.evalue),
                           normalize(run.nb)) from None
        except Exception as exc:  # dead kernel, timeout: still say which notebook
            raise RunError(f"{nb_label(run.nb)}: {type(exc).__name__}: {exc}",
                           normalize(run.nb)) from None
        return normalize(run.nb)
    finally:
        run.seconds = time.monotonic() - started
        await pool.release(km, kc)


async def execute_all(runs: list[Run], env: dict, jobs: int = 2, on_done=None, fork=True,
                      zygote=None) -> None:
    """Execute every run (at most `jobs` at once); the first failure cancels the others and is
    the one raised. Only the first in time is the cause: a run cancelled because of it ends with
    an error of its own (nbclient turns a cancelled cell into DeadKernelError), which is ignored."""
    if not runs:
        return
    pool = KernelPool(env, total=len(runs), ahead=jobs, fork=fork, zygote=zygote)
    slots = asyncio.Semaphore(jobs)
    failures: list = []  # in the order they happened

    async def one(run):
        try:
            async with slots:
                run.nb = await _execute(run, pool)
        except Exception as exc:
            failures.append(exc)
            raise
        if on_done:
            on_done(run)

    tasks = [asyncio.ensure_future(one(r)) for r in runs]
    try:
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for t in pending:
            t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        # every exception retrieved (asyncio would log the others as never retrieved); one
        # raised by on_done is not a run's failure, but still stops the build
        errors = [t.exception() for t in done if not t.cancelled() and t.exception()]
        if failures or errors:
            raise (failures or errors)[0]
    finally:
        await pool.close(failed=bool(failures) or any(t.cancelled() for t in tasks))


def kernel_env(data_dir: Path, with_pdf: bool = True) -> dict:
    """Environment for every kernel: deterministic hashing and dates, inline figures, our data;
    with_pdf=False: charts draw no PDF (an HTML-only build)."""
    env = dict(os.environ)
    env[config.CHART_PDF_ENV] = "1" if with_pdf else "0"
    env.update({
        "PYTHONHASHSEED": "0",
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1796083200"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "CRITMIN_PROCESSED": str(Path(data_dir).resolve()),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
        # one BLAS thread per kernel: kernels already run side by side, and forking is safe
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    })
    return env
