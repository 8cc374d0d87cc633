"""What the cleaning step did, in tables a reader can follow (used by notebooks/10_cleaning)."""
from __future__ import annotations

import re

import pandas as pd

from critmin.ingest import corrections
from critmin.analysis import tables
from critmin.ingest.fetch import load_registry
from critmin.ingest.pipeline import TABLES
from critmin.ingest.tokens import parse_value
from critmin.present import format as fmt
from critmin.sections.view import Table

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


# NOTE: what each processed table holds, as the README's column dictionaries title them.
TABLE_WORDS = {
    "world.csv": "world production, capacity and reserves by country (USGS MCS 2022–2026)",
    "net_import_reliance.csv": "U.S. net import reliance (USGS MCS)",
    "nir_figure2.csv": "the items of the net-import-reliance figure, as USGS lists them (USGS MCS 2023–2026)",
    "import_sources.csv": "U.S. import sources (USGS MCS)",
    "trade.csv": "U.S. and Chinese trade by partner (UN Comtrade)",
    "bgs_production.csv": "production by country 1970–2021 (BGS World Mineral Statistics)",
    "export_controls.csv": "country export controls (USGS MCS 2026, Table 4)",
    "wmd_production.csv": "production by country 2018–2024 (World Mining Data)",
    "wgi.csv": "political stability by economy 1996–2024 (World Bank WGI)",
    "baci_supply.csv": "imports of seven importers by supplier 1995–2024 (CEPII BACI)",
}


def table_sizes() -> pd.DataFrame:
    """Rows and columns of every processed table and what it holds."""
    rows = []
    for name in TABLES:
        df = tables.load(name)
        rows.append({"table": name, "holds": TABLE_WORDS[name], "rows": len(df), "columns": df.shape[1]})
    return pd.DataFrame(rows)


def token_examples() -> pd.DataFrame:
    """How each known token is read: value and flag (never a silent 0 or blank)."""
    out = []
    for trap, raw in TRAP_EXAMPLES:
        value, flag, high = parse_value(raw, release="usgs-mcs-2026")  # the dash example is MCS 2026's
        out.append({"trap": trap, "cell as published": raw, "value read": value,
                    "high end of range": high, "flag": flag or "(number)"})
    return pd.DataFrame(out)


def flag_counts(world: pd.DataFrame, edition: int | None = None) -> pd.DataFrame:
    """How many world.csv cells carry each flag, per edition up to `edition` (withheld stays
    withheld)."""
    if edition is not None:
        world = world[world["edition"] <= edition]
    flags = world["value_flag"].fillna("").replace("", "(number)")
    return (pd.crosstab(flags, world["edition"]).rename_axis(index="flag", columns="MCS edition")
            .reset_index())


def corrections_table() -> pd.DataFrame:
    """The declared corrections, as applied; column names in the reasons read as words."""
    df = pd.DataFrame(corrections.load())
    names = re.compile(r"\b(" + "|".join(k for k in fmt.COLUMNS if "_" in k) + r")\b")
    return df.assign(column=[fmt.column(c) for c in df["column"]],
                     expected_old=[_number(v) for v in df["expected_old"]],
                     value=[_number(v) for v in df["value"]],
                     reason=[names.sub(lambda m: f"the {fmt.column(m.group(1))}", r) for r in df["reason"]])


def _number(v) -> str:
    """A correction's old or new value for reading: '21,000,000'; empty when there is none."""
    try:
        return fmt.number(float(v))
    except (TypeError, ValueError):
        return "" if v is None or v != v else str(v)


def relabelled(world: pd.DataFrame, limit: int = 12) -> pd.DataFrame:
    """Raw country labels that the mapping changed (footnote digits, spaces, synonyms)."""
    changed = world[world["raw_country"].str.strip() != world["country"]]
    return (changed.groupby(["raw_country", "country"]).size().rename("rows").reset_index()
            .sort_values(["rows", "raw_country"], ascending=[False, True]).head(limit)
            .rename(columns={"raw_country": fmt.column("raw_country")}))


def corrections_view() -> Table:
    """The declared corrections, with readers' column names."""
    cols = {"id": "correction", "table": "table", "column": "column", "expected_old": "value before",
            "value": "value after", "status": "status", "reason": "reason"}
    return Table(corrections_table(), cols, "Declared corrections (status 'pending' = recorded, not applied)")


CORRECTED_COLUMNS = ["edition", "commodity", "measure", "country", "year", "raw_value", "value",
                     "value_flag", "correction_id", "source_file", "source_row"]


def corrected_rows(world: pd.DataFrame, edition: int, commodity: str) -> Table:
    """The rows of one commodity and edition that a correction changed, or why there are none."""
    rows = world[(world["edition"] == edition) & (world["commodity"] == commodity)
                 & (world["correction_id"].fillna("") != "")]
    rows = rows.assign(commodity=[fmt.commodity(c) for c in rows["commodity"]],
                       edition=[fmt.year(e) for e in rows["edition"]],
                       year=[fmt.year(y) for y in rows["year"]])
    name = fmt.commodity(commodity)
    return Table(rows, {c: fmt.column(c) for c in CORRECTED_COLUMNS},
                 f"Corrected rows, {name}, MCS {edition}",
                 empty=f"No declared correction changes a {name} row of MCS {edition}.")
