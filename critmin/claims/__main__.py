"""Check an article's figures from the command line:

    python -m critmin.claims check PATH [--date YYYY-MM-DD] [--edition N] [--report-dir DIR]
                                        [--claims-table auto|PATH|'']

prints one line per claim and edition (verdict, the article's figure, the published one, why) and
writes DIR/data/claims_check.csv and article_figures.csv, the files notebook 60 writes (DIR
defaults to build/check). Exit status 2 on bad input, with the file/parameter named."""
from __future__ import annotations

import argparse
import sys

from critmin import config
from critmin.claims import anchor
from critmin.claims.check import share_text
from critmin.claims.run import run, write_csvs
from critmin.errors import DataError, ParamError


def _fmt(r) -> str:
    if r.public_flag == "none":
        pub = "no figure"
    elif isinstance(r.public_unit, str) and r.public_unit == "rank":
        pub = f"rank {r.public_value:g}"
    elif isinstance(r.public_unit, str) and r.public_unit:
        pub = f"{r.public_value:,.0f} {r.public_unit}"
    else:
        pub = share_text(r.public_pct, r.public_high_pct, r.public_flag)
    ed = "" if r.edition is None or str(r.edition) == "<NA>" else f"MCS {r.edition}"
    return f"{r.claim_id:4} {ed:8} {r.verdict:14} {r.claim} | published: {pub} | {r.mapped_by} | {r.reason}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m critmin.claims")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check an article's figures against the processed tables")
    c.add_argument("path")
    c.add_argument("--date", default=None, help="the article's date (default: its dateline)")
    c.add_argument("--edition", type=int, default=None,
                   help="the report's MCS edition: none later is used (default: the newest)")
    c.add_argument("--report-dir", default=str(config.ROOT / "build" / "check"))
    c.add_argument("--claims-table", default="auto")
    a = p.parse_args(argv)
    try:
        from critmin.analysis import tables
        newest = int(tables.load("world.csv")["edition"].max())
        edition = a.edition or newest
        result = run(a.path, a.claims_table, [None, edition], report_edition=edition, date=a.date)
        saved = write_csvs(result, a.report_dir)
    except (DataError, ParamError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    when = anchor.describe(result.date) if result.date else "no date"
    print(f"{result.article.source}: {len(result.figures)} figures, {len(result.claims)} claims, "
          f"article dated {when}, compared with {', '.join(f'MCS {e}' for e in result.editions)}; "
          f"{result.claims_source}")
    for note in result.notes:
        print(note)
    for r in result.checks.itertuples(index=False):
        print(_fmt(r) + (f" | {r.revision}" if r.revision else ""))
    for r in result.sources.itertuples(index=False):
        pub = "no figure" if r.verdict == "not checkable" else f"{r.public_pct:.1f}% ({r.period})"
        print(f"{r.claim_id:4} {r.source:28} {r.reads:14} published: {pub} | {r.reason}")
    for v in result.verdicts[result.verdicts["overall_verdict"] != "not checkable"].itertuples(index=False):
        print(f"{v.claim_id:4} verdict: {v.overall_verdict}" + (f" ({v.depends_on})" if v.depends_on else "")
              + (f" | caveats: {v.caveats}" if v.caveats else ""))
    print(f"wrote {saved[0]} and {saved[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
