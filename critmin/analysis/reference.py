"""The committed reference tables in data/reference/, checked strictly on every read.

- export_control_events.csv: China's export-control measures on critical minerals since 2010.
- new_capacity.csv: capacity being built outside China that the seed article names.
Both are hand-written from named public sources (no invented URLs: 'url' is empty where unknown);
a bad cell raises a DataError naming the row and column."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from critmin import config
from critmin.errors import DataError
from critmin.io import read_rows

EVENT_COLUMNS = ["event_id", "date", "date_precision", "country", "measure_type", "measure",
                 "short_label", "minerals", "applies_to", "status", "source", "source_detail", "url"]
CAPACITY_COLUMNS = ["project_id", "project", "operator_or_backer", "location", "country",
                    "minerals", "stage", "amount_usd", "amount_kind", "status_per_source",
                    "description", "source", "source_detail", "url"]
PRECISIONS = {"day", "month", "year"}
STATUSES = {"in force", "lifted", "suspended", "partly suspended"}
OPTIONAL = {"url", "location", "amount_usd", "source_detail"}


def slugs() -> set[str]:
    with open(config.MAPPINGS / "commodity_slugs.csv", encoding="utf-8", newline="") as fh:
        return {r["slug"] for r in csv.DictReader(fh)}


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    rel = path.relative_to(config.ROOT).as_posix() if path.is_relative_to(config.ROOT) else str(path)
    header, rows = read_rows(path, encoding="utf-8")
    if header != columns:
        raise DataError("unexpected header", file=rel, row=1, expected=",".join(columns),
                        got=",".join(header))
    known = slugs()
    for line, cells in rows:
        rec = dict(zip(columns, cells))
        for col, val in rec.items():
            if col not in OPTIONAL and not val.strip():
                raise DataError("blank required cell", file=rel, row=line, column=col)
        for slug in rec["minerals"].split(";"):
            if slug not in known:
                raise DataError("unknown commodity slug", file=rel, row=line, column="minerals",
                                got=slug, expected="a slug from data/mappings/commodity_slugs.csv")
        if rec["url"] and not rec["url"].startswith("https://"):
            raise DataError("url must be empty or an https address", file=rel, row=line,
                            column="url", got=rec["url"])
        if "date" in rec:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec["date"]):
                raise DataError("bad date", file=rel, row=line, column="date",
                                expected="YYYY-MM-DD", got=rec["date"])
            if rec["date_precision"] not in PRECISIONS:
                raise DataError("bad date precision", file=rel, row=line, column="date_precision",
                                expected=sorted(PRECISIONS), got=rec["date_precision"])
            if rec["status"] not in STATUSES:
                raise DataError("bad status", file=rel, row=line, column="status",
                                expected=sorted(STATUSES), got=rec["status"])
        if rec.get("amount_usd") and not re.fullmatch(r"\d+", rec["amount_usd"]):
            raise DataError("amount must be whole US dollars", file=rel, row=line,
                            column="amount_usd", got=rec["amount_usd"])
    return pd.DataFrame([c for _, c in rows], columns=columns)


def events(path: Path | None = None) -> pd.DataFrame:
    """Export-control events, oldest first; 'minerals' is a ';'-separated slug list."""
    df = _read(Path(path or config.REFERENCE / "export_control_events.csv"), EVENT_COLUMNS)
    return df.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def new_capacity(path: Path | None = None) -> pd.DataFrame:
    """New capacity outside China named in the seed article; amount_usd as float (NaN if none)."""
    df = _read(Path(path or config.REFERENCE / "new_capacity.csv"), CAPACITY_COLUMNS)
    df["amount_usd"] = pd.to_numeric(df["amount_usd"].replace("", None)).astype(float)
    return df


def by_mineral(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (row, mineral slug): explode the ';'-separated 'minerals' column."""
    out = df.assign(mineral=df["minerals"].str.split(";")).explode("mineral")
    return out.reset_index(drop=True)


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    """slug -> the commodity's display name (data/mappings/commodity_slugs.csv)."""
    with open(config.MAPPINGS / "commodity_slugs.csv", encoding="utf-8", newline="") as fh:
        return {r["slug"]: r["name"] for r in csv.DictReader(fh)}


def display_name(slug: str, form: str = "") -> str:
    """'Rare Earths (compounds and metals)': the commodity name plus the form, if any."""
    name = names().get(slug, slug)
    return f"{name} ({form.replace('-', ' ')})" if form else name


def article_claims(path: Path | None = None) -> pd.DataFrame:
    """The seed article's figures (data/reference/article_claims.csv, kept by the claims work).
    Read as text; an empty frame when the table is not there yet."""
    path = Path(path or config.REFERENCE / "article_claims.csv")
    if not path.exists():
        return pd.DataFrame(columns=["claim_id", "claim", "figure", "unit", "commodity"])
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
