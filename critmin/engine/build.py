"""`make report`: validate the parameters, execute the notebooks, render REPORT_DIR (HTML + PDF).

    python -m critmin.engine.build --params params/default.yml --report-dir report

Steps, in order:
1. Parameters are validated (critmin.engine.params) before any kernel starts; a refusal is one line, exit 2.
2. If REPORT_DIR holds a build of exactly these inputs (stamp: hashes of the notebooks, the package
   code, the resolved parameters, the processed and reference data, the requirements) and its files
   are intact, nothing is done ("up to date").
3. Notebooks `NN_*.ipynb` are discovered in the notebook directory. `50_*` is the per-mineral
   template, run once per mineral (`minerals/<slug>.html`); numbers below 20 (data preparation) are
   shown under "Sources and method"; the others are the report's sections, in number order. Each
   run gets only the parameters its `parameters` cell declares and its code mentions (a changed
   parameter a notebook never reads reruns nothing), and a fresh kernel; runs execute
   concurrently (--jobs) and write chart data to REPORT_DIR/data/ through critmin.config.REPORT.
   Kernels are forked from a process (critmin.engine.kernels) started first thing, which has imported
   the libraries and read the processed tables; runs start longest first (the last build's
   timings, kept with the run cache).
4. Each notebook is rendered to an HTML fragment as soon as it has run, and its part of
   report.pdf is laid out then, in worker processes (critmin.engine.pdf); the PDF is joined from the
   parts once the last one is done.
5. Everything is built in a hidden sibling directory, which then replaces REPORT_DIR in one atomic
   rename: a failure or a kill leaves the last good report, and the next build cleans up after it.
   A failing notebook (the first to fail; runs cancelled because of it are not reported) is kept,
   executed up to the error, in build/failed/ for inspection. A full or read-only disk is said in
   one line naming the path (critmin.engine.oserrors)."""
from __future__ import annotations

import argparse
import ctypes
import dataclasses
import functools
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from critmin import config
from critmin.engine import oserrors, params as params_mod, pdf
from critmin.io import releases, sha256
from critmin.errors import ParamError

NOTEBOOK_NAME = re.compile(r"^(\d{2})_[A-Za-z0-9_-]+\.ipynb$")
PROFILE_NUMBER, APPENDIX_BELOW = 50, 20
FRONT_NUMBER = 15  # "At a glance": shown at the top of index.html and on the PDF's first page
STAMP = ".build-stamp.json"
FAILED_DEFAULT = config.ROOT / "build" / "failed"
CACHE_DEFAULT = config.ROOT / "build" / "cache" / "runs"
DEFAULT_JOBS = 2
TIMES: dict = {}  # phase -> time.monotonic() when it ended (printed at the end, read by bench)


def log(msg: str) -> None:
    print(msg, flush=True)


# --- what to run -----------------------------------------------------------------------------------

def discover(notebook_dir: Path) -> list[Path]:
    return sorted(p for p in Path(notebook_dir).glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))


def _number(path: Path) -> int:
    return int(path.name[:2])


def plan(notebooks: list[Path], resolved: dict, staging: Path):
    """One Run per notebook (per mineral for the template), each with only the parameters it
    declares and uses (`mineral` and `report_dir` are always passed when declared)."""
    from critmin.engine.execute import Run, RunError, declared_parameters, inject, load, used_parameters

    runs = []
    for path in notebooks:
        label = params_mod.show_path(path)
        template = load(path, label)
        declared = declared_parameters(template)
        used = used_parameters(template, declared)
        per_mineral = _number(path) == PROFILE_NUMBER
        if per_mineral and "mineral" not in declared:
            raise RunError(f"{label}: the per-mineral template must declare `mineral` in its "
                           "parameters cell")
        for mineral in resolved["minerals"] if per_mineral else [None]:
            name = f"{path.stem}-{mineral}" if mineral else path.stem
            out_dir = staging / ".runs" / name
            values = {k: resolved[k] for k in used if k in resolved}
            if mineral:
                values["mineral"] = mineral
            if "report_dir" in declared:
                values["report_dir"] = str(out_dir)
            values = {k: values[k] for k in declared if k in values}
            runs.append(Run(name, path, values, out_dir, inject(load(path, label), values)))
    return runs


# --- inputs, stamp --------------------------------------------------------------------------------

def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in Path(folder).glob(pattern) if p.is_file()) if Path(folder).is_dir() else []


def shown_inputs(data_dir: Path, resolved: dict) -> list[Path]:
    """The inputs whose checksums the report shows: data, references, registry, article."""
    files = _files(data_dir, "*.csv") + _files(config.REFERENCE, "**/*")
    files += [p for p in (config.SOURCES, config.CORRECTIONS) if p.is_file()]
    return files + [Path(resolved["article"])]


def input_hashes(notebook_dir: Path, data_dir: Path, resolved: dict) -> dict:
    """Everything a build depends on, by shown path -> sha256 (the stamp's key)."""
    pkg = Path(__file__).resolve().parents[1]  # the whole critmin package
    files = shown_inputs(data_dir, resolved) + discover(notebook_dir)
    files += sorted(p for p in pkg.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".css", ".json"})
    files += _files(config.MAPPINGS, "*.csv") + [config.ROOT / "requirements.txt"]
    out = {params_mod.show_path(p): sha256(p) for p in files if p.is_file()}
    out["(parameters)"] = hashlib.sha256(json.dumps(
        params_mod.for_display(resolved), sort_keys=True).encode()).hexdigest()
    return out


def report_files(report_dir: Path) -> dict:
    return {p.relative_to(report_dir).as_posix(): sha256(p)
            for p in sorted(Path(report_dir).rglob("*")) if p.is_file() and p.name != STAMP}


def up_to_date(report_dir: Path, inputs: dict) -> tuple[bool, str]:
    """(True, '') when REPORT_DIR was built from these inputs and is intact; else why not."""
    stamp = Path(report_dir) / STAMP
    if not stamp.is_file():
        return False, "no previous build"
    try:
        old = json.loads(stamp.read_text(encoding="utf-8"))
    except ValueError:
        return False, "the build stamp is unreadable"
    changed = sorted(k for k in set(inputs) | set(old.get("inputs", {}))
                     if inputs.get(k) != old.get("inputs", {}).get(k))
    if changed:
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        return False, "changed: " + ", ".join(changed[:3]) + more
    if report_files(report_dir) != old.get("outputs"):
        return False, f"files in {report_dir} differ from the last build"
    return True, ""


# --- atomic swap and recovery ------------------------------------------------------------------

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD = -100
    rc = fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def _temp_prefix(report_dir: Path) -> str:
    return f".{report_dir.name}.tmp-"


def swap_in(staging: Path, report_dir: Path) -> None:
    """Make staging the new report_dir in one rename; the old report goes, staging's name is freed."""
    if not report_dir.exists():
        os.rename(staging, report_dir)
        return
    if _exchange(staging, report_dir):
        shutil.rmtree(staging)
        return
    old = report_dir.with_name(f"{_temp_prefix(report_dir)}{os.getpid()}-old")
    os.rename(report_dir, old)
    try:
        os.rename(staging, report_dir)
    except OSError:
        os.rename(old, report_dir)  # the last good report back in place
        raise
    shutil.rmtree(old)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def refuse_target(report_dir: Path, notebook_dir: Path, data_dir: Path) -> str:
    """Why report_dir must not be replaced by a build ('' if it may): the swap replaces the whole
    directory, so it must be a report (or empty), never the project or anything holding it."""
    for keep in (config.ROOT, notebook_dir, data_dir):
        if report_dir == keep or report_dir in keep.parents:
            return f"it is or contains {params_mod.show_path(keep)}"
    if report_dir.is_dir():
        entries = {p.name for p in report_dir.iterdir()}
        if ".git" in entries:
            return "it holds a .git directory"
        ours = {"index.html", STAMP}
        if entries and not entries & ours and any(not e.startswith(".") for e in entries):
            return "it is not empty and holds no index.html or build stamp (not a report)"
    return ""


def _unchanged(report_dir: Path) -> str:
    shown = params_mod.show_path(report_dir)
    return f"{shown} left unchanged" if report_dir.exists() else f"{shown} not created"


def _public_path(report_dir: Path, path: Path) -> Path:
    """A path in a build's hidden staging folder, as the path it has in the report."""
    for p in (path, *path.parents):
        if p.parent == report_dir.parent and p.name.startswith(_temp_prefix(report_dir)):
            return report_dir / path.relative_to(p)
    return path


def recover(report_dir: Path) -> list[str]:
    """Clean up after a build that was killed: restore the report if it was mid-swap, then remove
    leftover temporary directories of dead builds. Returns what was done."""
    done, prefix = [], _temp_prefix(report_dir)
    leftovers = sorted(report_dir.parent.glob(prefix + "*")) if report_dir.parent.is_dir() else []
    for tmp in leftovers:
        m = re.match(r"(\d+)-(.*)$", tmp.name[len(prefix):])
        if not m or _alive(int(m.group(1))) and int(m.group(1)) != os.getpid():
            continue
        if m.group(2) == "old" and not report_dir.exists():
            os.rename(tmp, report_dir)
            done.append(f"restored {report_dir} from an interrupted swap")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
            done.append(f"removed {tmp.name} left by an interrupted build")
    return done


def _merge(src: Path, dest: Path, owner: dict, run_name: str) -> None:
    """Move a run's files into the report; two runs writing different bytes to one path is an error."""
    from critmin.engine.execute import RunError

    for p in sorted(src.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(src)
        target = dest / rel
        if target.exists() and target.read_bytes() != p.read_bytes():
            raise RunError(f"{run_name} and {owner.get(rel)} both write {rel.as_posix()} with "
                           "different contents")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(p, target)
        owner.setdefault(rel, run_name)


# --- site metadata for the pages ---------------------------------------------------------------

def _mineral_names() -> dict:
    import csv

    path = config.MAPPINGS / "commodity_slugs.csv"
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["slug"]: r["name"] for r in csv.DictReader(fh)}


def site_info(resolved: dict, data_dir: Path, inputs: dict):
    """What the pages show besides the notebooks; the input checksums come from the build's
    input hashes (inputs: shown path -> sha256), so no file is hashed twice. Chart data files are
    known only once the notebooks have run: dataclasses.replace(site, chart_data=...)."""
    from critmin.engine.render import Site

    shown = params_mod.for_display(resolved)
    names = _mineral_names()
    focus, edition, year = resolved["focus_country"], resolved["edition"], resolved["year"]
    imp = resolved["importer"]
    # the importer's name as a title says it (EU-27 is a group: "the EU-27's")
    whose = "U.S." if imp == "United States" else ("the EU-27's" if imp == "EU-27" else
                                                    imp + ("'" if imp.endswith("s") else "'s"))
    title = f"Critical minerals: {focus}'s share of world supply and {whose} import dependence"
    subtitle = (f"USGS Mineral Commodity Summaries {edition}, data year {year}; country in focus: "
                f"{focus}; importing country: {resolved['importer']}; minerals profiled: "
                + ", ".join(names.get(m, m) for m in resolved["minerals"]))
    # readers see the article by its title, credit and date, the file only as a note
    shown = {**shown, "article": params_mod.article_label(Path(resolved["article"]))}
    rows = [{"name": k, "value": ", ".join(names.get(m, m) for m in v) if k == "minerals" else v,
             "doc": params_mod.SPEC[k].doc} for k, v in shown.items()]
    sums = [{"path": params_mod.show_path(p), "bytes": p.stat().st_size,
             "sha256": inputs.get(params_mod.show_path(p)) or sha256(p)}
            for p in shown_inputs(data_dir, resolved)]
    return Site(title, subtitle, rows, releases(), sums, [], names, _dated(edition, year),
                _citation(title, edition, year))


def _build_date() -> str:
    """The build's date from SOURCE_DATE_EPOCH (the Makefile sets it: reproducible builds carry no
    clock time), in words; empty when it is not set."""
    import datetime
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return ""
    if not epoch.isdigit():
        raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r}: expected whole seconds since 1970-01-01 UTC")
    d = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
    return f"{d.day} {d:%B} {d.year}"


def _dated(edition: int, year) -> str:
    built = _build_date()
    data = (f"Data cut-off: USGS Mineral Commodity Summaries {edition}, the newest edition used"
            + (f" (data year {year})" if year is not None else ""))
    return data + (f". Built {built}." if built else ". Build date not recorded (SOURCE_DATE_EPOCH unset).")


def _citation(title: str, edition: int, year) -> dict:
    """How to cite the report (CITATION.cff) and its licence (LICENSE), in words for the pages."""
    from critmin import yamlio as yaml

    path = config.ROOT / "CITATION.cff"
    if not path.is_file():
        return {}
    cff = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("title", "authors", "message"):
        if not cff.get(key):
            raise ValueError(f"{path}: field {key!r} is missing or empty")
    authors = ", ".join(a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
                        for a in cff["authors"])
    spdx = cff.get("license") or []
    spdx = [spdx] if isinstance(spdx, str) else list(spdx)
    if sorted(spdx) != ["CC-BY-4.0", "MIT"]:
        raise ValueError(f"{path}: license {spdx!r}: the pages state CC-BY-4.0 (text, charts) and MIT "
                         "(code), as LICENSE does; change both together")
    built = _build_date()
    text = (f"{authors}. {title}. Built {built + ' ' if built else ''}from USGS Mineral Commodity "
            f"Summaries {edition}" + (f", data year {year}" if year is not None else "") + ".")
    licence = ("Text and charts: Creative Commons Attribution 4.0 International (CC BY 4.0); code: MIT "
               "License (LICENSE). Figures taken from the sources stay under each source's terms, "
               "listed under Data sources.")
    return {"text": text, "licence": licence, "message": " ".join(str(cff["message"]).split())}


# --- the build ------------------------------------------------------------------------------------

def run_order(runs, durations: dict) -> list:
    """The order runs start in. Data preparation first (short runs whose PDF part, the appendix,
    is the longest to lay out), then the longest runs first, by how long each notebook took last
    time (a notebook not timed yet counts as longest), ties in notebook order: the last runs to
    finish are then short ones, and so are the PDF parts laid out after them."""
    def key(run):
        n = _number(run.source)
        known = durations.get(run.source.name)
        return (n >= APPENDIX_BELOW, known is not None, -(known or 0.0), n)

    return sorted(runs, key=key)


def _kind(n: int) -> str:
    """Where a notebook's fragment goes, by its number."""
    if n == FRONT_NUMBER:
        return "front"
    return "appendix" if n < APPENDIX_BELOW else "mineral" if n == PROFILE_NUMBER else "section"


def _early_parts(runs, site, renderer):
    """on_fragment(run, fragment): send PDF parts to the PDF workers as soon as what they show is
    known. A part is the one the whole report will cut out later, so the final PDF finds it done:
    - "Sources and method" and the colophon: from the parameters, at once;
    - an analysis section, an appendix or a mineral page: when its notebook is rendered;
    - the front matter (contents, headline findings): when every section and appendix is
      rendered (mineral pages add nothing to it)."""
    from critmin.engine import render
    from critmin.engine.render import Fragment

    minerals = [r.params["mineral"] for r in runs if _number(r.source) == PROFILE_NUMBER]
    stubs = [Fragment(m, m, m, "") for m in minerals]  # the mineral pages as the front sees them
    front_runs = [r.name for r in runs if _number(r.source) != PROFILE_NUMBER]
    done: dict = {}

    def send(page: str, section: str, charts=frozenset()) -> None:
        part = pdf.part_for(page, section, charts)
        if part is not None:
            renderer.submit(part)

    whole = render.index_html(site, [], [], stubs, print_version=True, link_minerals=minerals)
    send(whole, "sources-and-method")
    send(whole, "colophon")

    def on_fragment(run, frag) -> None:
        n = _number(run.source)
        kind = _kind(n)
        if kind != "front":  # the front matter is one part, sent below once all of it is known
            page = render.index_html(site, [frag] if kind == "section" else [],
                                     [frag] if kind == "appendix" else [],
                                     [frag] if kind == "mineral" else [],
                                     print_version=True, link_minerals=minerals)
            send(page, f"mineral-{frag.slug}" if kind == "mineral" else frag.slug,
                 frozenset(pdf.chart_pdfs(run.nb)))
        if kind != "mineral":
            done[run.name] = (n, frag, run)
            if len(done) == len(front_runs):
                ordered = [done[r] for r in front_runs]
                page = render.index_html(site, [f for n, f, _ in ordered if _kind(n) == "section"],
                                         [f for n, f, _ in ordered if _kind(n) == "appendix"], stubs,
                                         print_version=True, link_minerals=minerals,
                                         front=[f for n, f, _ in ordered if _kind(n) == "front"])
                send(page, "", frozenset(c for n, _, r in ordered if _kind(n) == "front"
                                         for c in pdf.chart_pdfs(r.nb)))

    return on_fragment


def _write(path: Path, text: str) -> None:
    with oserrors.writing(path):
        path.write_text(text, encoding="utf-8")


def _render_all(runs, site, staging: Path, fragments: dict, renderer) -> list[str]:
    from critmin.engine import render

    sections = [fragments[r.name] for r in runs if _kind(_number(r.source)) == "section"]
    appendix = [fragments[r.name] for r in runs if _kind(_number(r.source)) == "appendix"]
    front = [fragments[r.name] for r in runs if _kind(_number(r.source)) == "front"]
    minerals = [fragments[r.name] for r in runs if _number(r.source) == PROFILE_NUMBER]
    (staging / "data").mkdir(exist_ok=True)
    chart_data = [p.relative_to(staging).as_posix() for p in _files(staging / "data", "**/*")]
    site = dataclasses.replace(site, chart_data=chart_data)
    _write(staging / "index.html", render.index_html(site, sections, appendix, minerals, front=front))
    if minerals:
        (staging / "minerals").mkdir(exist_ok=True)
    slugs = [f.slug for f in minerals]
    for i, frag in enumerate(minerals):
        _write(staging / "minerals" / f"{frag.slug}.html",
               render.mineral_html(site, frag, slugs[i - 1] if i else None,
                                   slugs[i + 1] if i + 1 < len(slugs) else None))
    TIMES["pages"] = time.monotonic()
    if not renderer.enabled:
        return [w for f in fragments.values() for w in f.warnings]
    drawings = {}
    for run in runs:
        drawings.update(pdf.chart_pdfs(run.nb))
    with oserrors.writing(staging / "report.pdf"):
        pdf.write(render.index_html(site, sections, appendix, minerals, print_version=True, front=front),
                  staging / "report.pdf", site.title, render._css(), renderer, drawings)
    TIMES["pdf"] = time.monotonic()
    return [w for f in fragments.values() for w in f.warnings]


def build(params_file: Path | None, report_dir: Path, notebook_dir: Path = config.NOTEBOOKS,
          data_dir: Path = config.PROCESSED, jobs: int = DEFAULT_JOBS,
          failed_dir: Path = FAILED_DEFAULT, force: bool = False, fork: bool = True,
          cache_dir: Path | None = None, with_pdf: bool = True) -> int:
    """Build report_dir; returns the exit code. cache_dir: where executed runs are kept between
    builds (None: execute every notebook). with_pdf=False: HTML only, no report.pdf (for tests
    that read only the HTML)."""
    zygote = None
    if fork:  # started first thing: its imports (~1 s) overlap validation, planning and the cache
        from critmin.engine.execute import kernel_env
        from critmin.engine.kernels import Zygote

        zygote = Zygote(kernel_env(Path(os.path.abspath(data_dir)), with_pdf)).start()
    try:
        return _build(params_file, report_dir, notebook_dir, data_dir, jobs, failed_dir, force,
                      fork, cache_dir, zygote, with_pdf)
    finally:
        if zygote is not None:
            zygote.close()


def _build(params_file, report_dir, notebook_dir, data_dir, jobs, failed_dir, force, fork,
           cache_dir, zygote, with_pdf=True) -> int:
    started = time.monotonic()
    # the report directory itself, symlinks resolved (the swap renames it); inputs as given, so a
    # symlinked folder is shown by the path the project uses
    report_dir = Path(report_dir).resolve()
    notebook_dir, data_dir = (Path(os.path.abspath(p)) for p in (notebook_dir, data_dir))
    try:
        resolved = params_mod.load(params_file, data_dir)
    except ParamError as exc:
        print(f"params: {exc}", file=sys.stderr)
        return 2
    why_not = refuse_target(report_dir, notebook_dir, data_dir)
    if why_not:
        print(f"build: refusing to replace {report_dir} with the report: {why_not}", file=sys.stderr)
        return 2
    for note in recover(report_dir):
        log(f"build: {note}")
    inputs = input_hashes(notebook_dir, data_dir, resolved)
    fresh, why = up_to_date(report_dir, inputs)
    if fresh and not force:
        log(f"report up to date: {params_mod.show_path(report_dir)} (nothing changed; "
            f"{time.monotonic() - started:.2f} s)")
        return 0
    notebooks = discover(notebook_dir)
    if not notebooks:
        print(f"build: no notebooks NN_*.ipynb in {params_mod.show_path(notebook_dir)}", file=sys.stderr)
        return 1
    log(f"build: {why or 'forced'}; building {params_mod.show_path(report_dir)}")
    staging = None
    try:
        report_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{_temp_prefix(report_dir)}{os.getpid()}-",
                                        dir=report_dir.parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the report is for reading
        from critmin.engine.runcache import RunCache

        cache = RunCache(Path(cache_dir)) if cache_dir else None
        code = _build_into(staging, report_dir, resolved, inputs, notebook_dir, data_dir, jobs,
                           Path(failed_dir), fork, cache, zygote, with_pdf)
    except OSError as exc:  # a full or read-only disk: one line, the last good report stays
        options = [(report_dir, "--report-dir"), (Path(os.path.abspath(failed_dir)), "--failed-dir")]
        if cache_dir:
            options.append((Path(os.path.abspath(cache_dir)), "--cache-dir, or --no-cache"))
        public = functools.partial(_public_path, report_dir)
        print(f"build failed: {oserrors.describe(exc, public, options, params_mod.show_path)}; "
              f"{_unchanged(report_dir)}", file=sys.stderr)
        return 1
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    if code == 0:
        TIMES["done"] = time.monotonic()
        marks, last, parts = ("planned", "executed", "rendered", "pages", "pdf", "done"), started, []
        for mark in marks:
            if mark in TIMES:
                parts.append(f"{mark} +{TIMES[mark] - last:.1f}")
                last = TIMES[mark]
        log(f"build: done in {time.monotonic() - started:.1f} s -> {params_mod.show_path(report_dir)} "
            f"({', '.join(parts)} s)")
    return code


def _build_into(staging, report_dir, resolved, inputs, notebook_dir, data_dir, jobs, failed_dir,
                fork, cache, zygote=None, with_pdf=True) -> int:
    from critmin.engine.execute import RunError
    from critmin.engine.runcache import run_key

    try:
        runs = plan(discover(notebook_dir), resolved, staging)
    except RunError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    TIMES["planned"] = time.monotonic()
    shared = {k: v for k, v in inputs.items() if k != "(parameters)" and not k.endswith(".ipynb")}
    if not with_pdf:  # its runs hold no chart PDFs: never reused by a build that lays out report.pdf
        shared["(charts)"] = "html only"
    keys = {}
    if cache is not None:
        keys = {run.name: run_key(sha256(run.source), run.params, shared) for run in runs}
    if zygote is not None and all(cache and cache.has(keys[r.name]) for r in runs):
        zygote.close()  # every run is in the cache: free the cores for the PDF
        zygote = None
    return _run_and_render(staging, report_dir, resolved, inputs, data_dir, jobs, failed_dir,
                           fork, cache, runs, keys, zygote, with_pdf)


def _run_and_render(staging, report_dir, resolved, inputs, data_dir, jobs, failed_dir, fork, cache,
                    runs, keys, zygote, with_pdf=True) -> int:
    # PDF workers start now: their imports, and the PDF parts of the sections already rendered,
    # overlap the notebook runs
    renderer = (pdf.Renderer(workers=jobs, cache_dir=cache.folder if cache is not None else None)
                if with_pdf else pdf.NoRenderer())
    try:  # on any failure too (a full disk): no worker left behind
        return _execute_and_render(staging, report_dir, resolved, inputs, data_dir, jobs,
                                   failed_dir, fork, cache, runs, keys, zygote, renderer)
    finally:
        renderer.close()


def _execute_and_render(staging, report_dir, resolved, inputs, data_dir, jobs, failed_dir, fork,
                        cache, runs, keys, zygote, renderer) -> int:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from critmin.engine.execute import RunError, execute_all, kernel_env
    from critmin.engine.render import Fragment

    fragments, pending, reused = {}, [], []
    site = site_info(resolved, data_dir, inputs)
    early = _early_parts(runs, site, renderer) if renderer.enabled else (lambda run, frag: None)

    def rendered(run):
        from critmin.engine.render import fragment

        slug = run.params.get("mineral") if _number(run.source) == PROFILE_NUMBER else None
        fragments[run.name] = fragment(run.nb, run.name, params_mod.show_path(run.source), slug)
        early(run, fragments[run.name])

    def on_done(run):
        log(f"  ran {run.name} ({run.seconds:.1f} s)")
        pending.append(pool.submit(rendered, run))

    todo = []
    if cache is not None:
        for run in runs:
            nb = cache.restore(keys[run.name], run.out_dir)
            if nb is None:
                todo.append(run)
            else:
                run.nb = nb
                log(f"  reused {run.name} (same notebook, parameters and inputs as before)")
                frag = cache.restore_fragment(keys[run.name])
                if frag is None:
                    reused.append(run)
                else:
                    fragments[run.name] = Fragment(**frag)
                    early(run, fragments[run.name])
    else:
        todo = runs
    if todo:
        # imported here, before the render thread starts: importing jupyter_client from two
        # threads at once can fail ("partially initialized module")
        import nbclient  # noqa: F401
    # One worker thread renders each notebook as soon as it has run (nbconvert is imported there
    # first, while the kernels start), overlapping rendering with execution.
    pool = ThreadPoolExecutor(max_workers=1)
    pool.submit(_warm_imports)
    pending.extend(pool.submit(rendered, run) for run in reused)

    def finished(run):  # in the event loop: nothing here may take long
        renderer.open()
        on_done(run)
        if cache is not None:
            pending.append(pool.submit(cache.store, keys[run.name], run.nb, run.out_dir))

    try:
        order = run_order(todo, cache.durations() if cache is not None else {})
        asyncio.run(execute_all(order, kernel_env(data_dir, renderer.enabled), jobs=jobs, on_done=finished,
                                fork=fork, zygote=zygote))
        if cache is not None and todo:
            cache.record_durations({r.source.name: round(r.seconds, 2) for r in todo})
        TIMES["executed"] = time.monotonic()
        for fut in pending:
            fut.result()
        TIMES["rendered"] = time.monotonic()
        if cache is not None:
            for run in reused + todo:
                cache.store_fragment(keys[run.name], dataclasses.asdict(fragments[run.name]))
        pool.shutdown(wait=True)
        owner = {}
        for run in runs:
            _merge(run.out_dir, staging, owner, run.name)
        shutil.rmtree(staging / ".runs", ignore_errors=True)
        warnings = _render_all(runs, site, staging, fragments, renderer)
    except RunError as exc:
        print(f"build failed: {exc}{_keep_failed(exc, runs, failed_dir)}; "
              f"{_unchanged(report_dir)}", file=sys.stderr)
        return 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for warning in warnings:
        log(f"  warning: {warning}")
    stamp = {"inputs": inputs, "outputs": report_files(staging)}
    _write(staging / STAMP, json.dumps(stamp, indent=1, sort_keys=True) + "\n")
    swap_in(staging, report_dir)
    if cache is not None:  # what this build used stays: the next build is likely to need it
        cache.prune(used=set(keys.values()) | {f"pdf-{k}" for k in renderer.futures})
    return 0


def _keep_failed(exc, runs, failed_dir: Path) -> str:
    """Keep the failing notebook, executed up to its error, in failed_dir; says where (or why not:
    a full disk must not hide why the notebook failed)."""
    import nbformat

    if exc.nb is None:
        return ""
    name = next((r.name for r in runs if r.nb is exc.nb), None) or "notebook"
    copy = failed_dir / f"{name}.ipynb"
    try:
        failed_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(exc.nb, str(copy))
    except OSError as err:
        try:
            copy.unlink(missing_ok=True)  # not half a copy
        except OSError:
            pass
        return (f"; the executed copy could not be kept in {params_mod.show_path(failed_dir)} "
                f"({err.strerror or err})")
    return f"; executed copy kept at {params_mod.show_path(copy)}"


def _warm_imports() -> None:
    """While the kernels start: import nbconvert and compile our templates (≈1 s the first time a
    notebook is rendered), and import pikepdf (joins the PDF parts)."""
    import threading

    import nbformat
    import pikepdf  # noqa: F401

    from critmin.engine import render

    try:  # this thread (rendering, cache writes) yields to the kernels; Linux threads have a nice
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 5)
    except (AttributeError, OSError):
        pass

    cell = nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": "<p>warm</p>", "text/plain": "warm"})])
    render.fragment(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Warm"), cell]),
                    "00_warm", "warm-up")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--params", type=Path, default=None,
                    help="YAML parameters file (default: every parameter at its default)")
    ap.add_argument("--report-dir", type=Path, default=config.REPORT)
    ap.add_argument("--notebooks", type=Path, default=config.NOTEBOOKS,
                    help="directory holding the NN_*.ipynb notebooks")
    ap.add_argument("--data-dir", type=Path, default=config.PROCESSED,
                    help="processed tables (for allowed values and for the notebooks)")
    ap.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="notebooks run at once")
    ap.add_argument("--failed-dir", type=Path, default=FAILED_DEFAULT,
                    help="where a failing notebook is kept, executed up to its error")
    ap.add_argument("--force", action="store_true", help="rebuild even if up to date")
    ap.add_argument("--kernels", choices=["fork", "spawn"], default="fork",
                    help="fork fresh kernels from a pre-loaded zygote (fast) or spawn each one")
    ap.add_argument("--cache-dir", type=Path, default=CACHE_DEFAULT,
                    help="executed runs kept between builds, reused only for identical notebook, "
                         "parameters and inputs")
    ap.add_argument("--no-cache", action="store_true", help="execute every notebook")
    ap.add_argument("--no-pdf", action="store_true",
                    help="write the HTML pages only: the report directory gets no report.pdf")
    args = ap.parse_args(argv)
    return build(args.params, args.report_dir, args.notebooks, args.data_dir, max(1, args.jobs),
                 args.failed_dir, args.force, args.kernels == "fork",
                 None if args.no_cache else args.cache_dir, with_pdf=not args.no_pdf)


if __name__ == "__main__":
    sys.exit(main())
