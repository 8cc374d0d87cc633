"""What the cleaning step did, in tables a reader can follow (used by notebooks/10_cleaning)."""
from __future__ import annotations

import pandas as pd

from critmin.ingest import corrections
from critmin.analysis import tables
from critmin.ingest.fetch import load_registry
from critmin.ingest.pipeline import TABLES
from critmin.ingest.tokens import parse_value

# One example cell per trap the cleaners handle (all taken from the raw files, see MANIFEST.md).
TRAP_EXAMPLES = [
    ("quoted thousands separator", "7,900"),
    ("withheld (company data)", "W"),
    ("not available", "NA"),
    ("not applicable", "XX"),
    ("net exporter (NIR columns)", "E"),
    ("lower bound", ">95"),
    ("upper bound with separator", "<1,000"),
    ("range (MCS 2026)", "50–300"),
    ("em dash for zero (MCS 2026)", "—"),
    ("no-break space after a number", "68\xa0"),
]


def sources() -> pd.DataFrame:
    """One row per release: who published it, DOI or landing page, licence, number of files."""
    reg = load_registry()
    counts = pd.Series([f["release"] for f in reg["files"]]).value_counts()
    return pd.DataFrame([{
        "release": r["id"], "publisher": r["publisher"], "title": r["title"],
        "doi": r["doi"] or "", "landing page": r["landing_page"], "licence": r["licence"],
        "files": int(counts.get(r["id"], 0)),
    } for r in reg["releases"]])


def table_sizes() -> pd.DataFrame:
    """Rows and columns of every processed table and the builder that makes it."""
    rows = []
    for name, (builder, _schema) in TABLES.items():
        df = tables.load(name)
        rows.append({"table": name, "rows": len(df), "columns": df.shape[1], "made by": builder})
    return pd.DataFrame(rows)


def token_examples() -> pd.DataFrame:
    """How each known token is read: value and flag (never a silent 0 or blank)."""
    out = []
    for trap, raw in TRAP_EXAMPLES:
        value, flag, high = parse_value(raw, release="usgs-mcs-2026")  # the dash example is MCS 2026's
        out.append({"trap": trap, "cell as published": raw, "value": value,
                    "value_high": high, "flag": flag or "(number)"})
    return pd.DataFrame(out)


def flag_counts(world: pd.DataFrame) -> pd.DataFrame:
    """How many world.csv cells carry each flag, per edition (withheld stays withheld)."""
    flags = world["value_flag"].fillna("").replace("", "(number)")
    return (pd.crosstab(flags, world["edition"]).rename_axis(index="value_flag", columns="edition")
            .reset_index())


def corrections_table() -> pd.DataFrame:
    """The declared corrections, as applied."""
    return pd.DataFrame(corrections.load())


def relabelled(world: pd.DataFrame, limit: int = 12) -> pd.DataFrame:
    """Raw country labels that the mapping changed (footnote digits, spaces, synonyms)."""
    changed = world[world["raw_country"].str.strip() != world["country"]]
    return (changed.groupby(["raw_country", "country"]).size().rename("rows").reset_index()
            .sort_values(["rows", "raw_country"], ascending=[False, True]).head(limit))
