"""What a notebook kernel would do first, done once in the kernel zygote before it forks
(named in config.KERNEL_WARM_UP, so the engine never imports a domain module)."""
from __future__ import annotations

import io

from critmin import config, io as critmin_io


def warm_up() -> None:
    """Read the processed tables (cached per file path and modification time and handed out as
    copies, so a kernel sees exactly what it would have read itself) and the small lookup files,
    and draw one chart. A failure here is left to the notebook that meets it, which reports it
    with its own message."""
    from critmin.analysis import imports, reference, tables

    for path in sorted(config.PROCESSED.glob("*.csv")):
        try:
            tables.load(path.name)
        except Exception:  # noqa: BLE001 (see the docstring)
            pass
    for warm in (reference.names, imports.hs_codes, critmin_io.releases, _draw_once):
        try:
            warm()
        except Exception:  # noqa: BLE001
            pass


def _draw_once() -> None:
    """One small figure saved as SVG and PDF: loads the fonts and matplotlib's lazy state, as
    every notebook's first chart would (outputs do not depend on it: figures are drawn afresh)."""
    import matplotlib.pyplot as plt

    from critmin.present.charts import STYLE

    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.barh([0, 1], [1, 2], hatch="//")
        ax.set_title("Warm-up 0123456789 %")
        for fmt in ("svg", "pdf"):
            fig.savefig(io.BytesIO(), format=fmt)
        plt.close(fig)
