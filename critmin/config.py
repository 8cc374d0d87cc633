"""Every path the project uses, anchored on the project root (never on the working directory)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = Path(os.environ.get("CRITMIN_RAW", DATA / "raw"))
PROCESSED = Path(os.environ.get("CRITMIN_PROCESSED", DATA / "processed"))
REFERENCE = DATA / "reference"
MAPPINGS = DATA / "mappings"
SOURCES = DATA / "sources.yml"
CORRECTIONS = DATA / "corrections.yml"
NOTEBOOKS = ROOT / "notebooks"
PARAMS_DEFAULT = ROOT / "params" / "default.yml"
MIRROR_DEFAULT = ROOT.parent / "shared" / "data" / "raw"
SEED_ARTICLE = ROOT.parent / "shared" / "seeds" / "000_575a29df86457ad5.txt"


def __getattr__(name: str):
    """config.REPORT follows REPORT_DIR when read, not when imported: notebook kernels are forked
    from a process that imported this package once, and each run sets REPORT_DIR for itself."""
    if name == "REPORT":
        return Path(os.environ.get("REPORT_DIR", ROOT / "report"))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# The kernel zygote (critmin.engine.kernels) imports these and calls the warm-up before forking
# notebook kernels; named here so that the engine imports no domain module.
KERNEL_PRELOAD = ("critmin.present.charts", "critmin.present.format", "critmin.sections.cleaning",
                  "critmin.sections.claims", "critmin.sections.nir", "critmin.sections.imports",
                  "critmin.sections.supply", "critmin.sections.trends", "critmin.sections.concentration",
                  "critmin.sections.controls", "critmin.sections.view",
                  *(f"critmin.analysis.{m}" for m in ("concentration", "controls", "editions", "imports",
                                                      "profile", "reference", "reserves", "shares", "tables")))
KERNEL_WARM_UP = "critmin.sections.warmup:warm_up"
# `make bench` runs this module (`python -m`) for the data floor and our ingest time; its last line
# is `data floor_s=X ours_s=Y ratio=Z` (named here so that the engine imports no domain module).
DATA_BENCH = "critmin.ingest.bench_data"

# A chart's PDF drawing in a notebook output (written by present.charts, placed by engine.pdf).
CHART_PDF_MIME = "application/vnd.critmin.chart+pdf"
# set to "0" in the kernels of an HTML-only build (--no-pdf): charts skip their PDF drawing
CHART_PDF_ENV = "CRITMIN_CHART_PDF"
