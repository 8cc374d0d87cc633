"""Check an article: read it, find its figures, map them to claims by rule (mapper), apply a
reviewed claims table when one fits (the seed's data/reference/article_claims.csv), check every
claim against the editions compared (verify) and write claims_check.csv. Used by notebook 60
(through critmin.sections.claims) and by `python -m critmin.claims check`.

A reviewed (hand-made) table overrides the rules: each of its claims is tied to the figure(s) it
states; the rule's claim on the same figure and mineral is replaced by the reviewed one, and
`mapped_by` says 'rule, reviewed' (same mapping), 'hand, overrides the rule' (another mapping)
or 'hand' (no rule claim: a figure the article implies in words). Claims only the rules found
stay 'rule'."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from critmin import config
from critmin.analysis import tables as processed_tables
from critmin.claims import anchor, mapper, sources, verify
from critmin.claims.article import Article, read_article
from critmin.claims.check import Tolerance
from critmin.claims.extract import extract_figures
from critmin.claims.table import load_claims, match_claims
from critmin.errors import ParamError
from critmin.io import to_csv_bytes

SEED_CLAIMS = config.REFERENCE / "article_claims.csv"
CHECK_CSV, FIGURES_CSV = "claims_check.csv", "article_figures.csv"
SAME = ("commodity", "stage", "form", "country", "year_or_period", "qualifier")


@dataclass
class ClaimsCheck:
    article: Article
    figures: pd.DataFrame          # extracted figures, with the claim(s) each one states
    claims: pd.DataFrame           # every claim (mapper.MAPPED_COLUMNS)
    checks: pd.DataFrame           # one row per claim and edition (verify.VERIFY_COLUMNS)
    editions: list
    tolerance: Tolerance
    claims_source: str             # how the claims were mapped
    notes: list = field(default_factory=list)
    date: object = None            # the article's date (datetime.date or None)
    sources: pd.DataFrame = None   # the other sources' rows (claims.sources.SOURCE_COLUMNS)
    verdicts: pd.DataFrame = None  # one overall verdict per claim (verify.VERDICT_COLUMNS)


def resolve_path(value, default: Path, name: str) -> Path:
    """None -> default; a relative path starts at the project root (never at the cwd)."""
    if value is None:
        return Path(default)
    if not isinstance(value, (str, Path)) or not str(value).strip():
        raise ParamError(f"parameter '{name}': {value!r} is not a path")
    path = Path(value)
    return path if path.is_absolute() else config.ROOT / path


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rel(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(config.ROOT.resolve()).as_posix()
    except ValueError:
        return Path(path).name


def pick_claims(article_path: Path, claims_table) -> tuple[Path | None, str]:
    """(reviewed table or None, a sentence saying how the claims were mapped)."""
    if claims_table == "":
        return None, "claims mapped by rule (no reviewed table asked for)"
    if claims_table == "auto":
        seed = Path(config.SEED_ARTICLE)
        if seed.is_file() and _sha(seed) == _sha(article_path):
            return SEED_CLAIMS, (f"claims mapped by rule and reviewed by hand in {rel(SEED_CLAIMS)}, "
                                 "which was written for this article")
        return None, "claims mapped by rule (no reviewed table is kept for this article)"
    path = resolve_path(claims_table, SEED_CLAIMS, "claims_table")
    return path, f"claims mapped by rule and reviewed by hand in {rel(path)}"


def editions_for(editions, report_edition: int | None) -> tuple[list, list]:
    """(editions compared, notes): a report for edition N compares with editions <= N only."""
    eds = sorted(dict.fromkeys(editions))
    if report_edition is None:
        return eds, []
    later = [e for e in eds if e > report_edition]
    kept = sorted(set(e for e in eds if e <= report_edition) | {int(report_edition)})
    if not later:
        return kept, []
    return kept, [f"When the article was written the newest USGS Mineral Commodity Summaries was the "
                  f"{' and '.join(str(e) for e in later)} edition; this report is for MCS {report_edition} "
                  f"and uses no later edition, so each claim is compared with "
                  f"{' and '.join(f'MCS {e}' for e in kept)} only."]


def same_mapping(hand: dict, rule: dict) -> bool:
    kinds = {hand["kind"], rule["kind"]}
    if hand["checkable"] != rule["checkable"]:
        return False
    if hand["checkable"] != "yes":
        return True
    if kinds != {hand["kind"]} and kinds != {"us_import_share_from_china", "import_share"}:
        return False
    return all(str(hand[k]) == str(rule[k]) for k in SAME) and math.isclose(hand["figure"], rule["figure"])


def apply_reviewed(rules: pd.DataFrame, hand: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The reviewed claims (in their order) with the rules' spans, then the rules' other claims."""
    taken, rows = set(), []
    for h in hand.to_dict("records"):
        at = {int(f.char_start) for f in figures.itertuples() if h["claim_id"] in f.claim_ids.split(";")}
        cand = rules[rules["char_start"].isin(at) & ~rules.index.isin(taken)]
        if h["commodity"] and (cand["commodity"] == h["commodity"]).any():
            cand = cand[cand["commodity"] == h["commodity"]]
        if h["kind"] not in ("year", "period"):
            cand = cand[~cand["kind"].isin(["year", "period"])] if len(cand) > 1 else cand
        r = cand.iloc[0].to_dict() if len(cand) else None
        if r is not None:
            taken.add(cand.index[0])
        by = "hand" if r is None else ("rule, reviewed" if same_mapping(h, r) else "hand, overrides the rule")
        rows.append({**{k: "" for k in mapper.MAPPED_COLUMNS}, **(r or {}), **h,
                     "importer": "United States" if h["kind"] == "us_import_share_from_china" else
                     (r or {}).get("importer", ""), "mapped_by": by,
                     "rule": (r or {}).get("rule", "hand") if by == "rule, reviewed" else "hand"})
    rest = rules[~rules.index.isin(taken)].to_dict("records")
    return pd.DataFrame(rows + rest, columns=mapper.MAPPED_COLUMNS)


def run(article=None, claims_table="auto", editions=(2025, 2026), approximate_pp=5.0, exact_pp=1.0,
        processed=None, report_edition: int | None = None, date=None,
        approximate_rel=0.10, commodities=None) -> ClaimsCheck:
    """Check every figure of an article. `editions` may hold None for 'the edition out when the
    article was written' (from its date, anchor.py); none later than `report_edition` is used.
    commodities: check only the claims about these (a mineral page), not every claim."""
    article_path = resolve_path(article, config.SEED_ARTICLE, "article")
    tol = Tolerance(approximate_pp=approximate_pp, exact_pp=exact_pp, approximate_rel=approximate_rel)
    art = read_article(article_path)
    when = anchor.parse_date(date) or anchor.article_date(art)
    world = processed_tables.load("world.csv", processed)
    known = sorted(set(int(e) for e in world["edition"]))
    notes = []
    if isinstance(when, anchor.MonthDate):
        notes.append(f"The article gives its month ({when:%B %Y}) but not its day: it is taken as "
                     f"written on {when.day} {when:%B %Y}, for 'last year' and the edition out then.")
    if isinstance(when, anchor.AmbiguousDate):
        first, second = (anchor.edition_at(d, known) for d in (when, when.later))
        notes.append(f"The article's date {when.written} reads as {when.day} {when:%B} or {when.later.day} "
                     f"{when.later:%B %Y}, depending on the order of day and month; "
                     + ("either way the same edition was out." if first == second else
                        f"the edition out on the earlier reading (MCS {first}) is taken as out at writing; "
                        f"MCS {second} was out on the later one.") + " Pass --date to fix it.")
    eds = []
    for e in editions:
        if e is None:
            at = anchor.edition_at(when, known) if when else None
            if at is None:
                notes.append("The article gives no date, so the edition out when it was written is "
                             "unknown; claims are compared with the report's edition only.")
                continue
            e = at
        eds.append(int(e))
    if report_edition is not None and not eds:
        eds = [int(report_edition)]
    eds, more = editions_for(eds, report_edition)
    notes += more
    figures = extract_figures(art)
    rules = mapper.map_figures(art, figures, world, eds, when)
    hand_path, source = pick_claims(article_path, claims_table)
    if hand_path is not None:
        hand = load_claims(hand_path)
        figures = match_claims(figures, hand, source=rel(hand_path))
        claims = apply_reviewed(rules, hand, figures)
    else:
        claims = rules
        figures = figures.assign(claim_ids=[";".join(claims.loc[claims["char_start"] == s, "claim_id"])
                                            for s in figures["char_start"]])
    if commodities is not None:
        claims = claims[claims["commodity"].isin(list(commodities))].reset_index(drop=True)
    needed = sorted({verify.TABLES[k] for k in claims.loc[claims["checkable"] == "yes", "kind"]})
    data = {"world.csv": world} | {n: processed_tables.load(n, processed) for n in needed if n != "world.csv"}
    checks = verify.check_all(claims, data, eds, tol)
    if (claims["checkable"] == "yes").any() and (claims["kind"] == "share_of_world_production").any():
        # optional: a small test set of tables may leave them out (their rows then say so)
        data |= {n: processed_tables.load(n, processed) for n in sources.TABLES
                 if (Path(processed or config.PROCESSED) / n).exists()}
    # the claim as a whole is judged by the edition out when it was written, when the date says
    # which (a later revision is a caveat, not the verdict); otherwise by the newest compared
    at_writing = anchor.edition_at(when, known) if when else None
    index = pd.to_numeric(claims.get("sentence_index", pd.Series(dtype=float)), errors="coerce")
    said = {cid: art.sentence(int(i)) for cid, i in zip(claims["claim_id"], index)
            if pd.notna(i)}  # hand claims have no sentence of their own
    beside, verdicts = verify.check_sources(claims, checks, data, tol,
                                            at_writing if at_writing in eds else None, said)
    return ClaimsCheck(art, figures, claims, checks, eds, tol, source, notes, when, beside, verdicts)


def csv_rows(result: ClaimsCheck) -> pd.DataFrame:
    """claims_check.csv: per claim its USGS rows (one per edition) then the other sources' rows,
    each with the verdict as read ('(different period)'), and the claim's overall verdict, what it
    depends on and its caveats."""
    usgs = result.checks.assign(source=["" if pd.isna(e) else
                                        ("USGS import sources" if k in verify.IMPORT_KINDS else "USGS MCS")
                                        for e, k in zip(result.checks["edition"], result.checks["kind"])])
    period = dict(zip(result.claims["claim_id"], result.claims["year_or_period"]))
    usgs["reads"] = [sources.reads(v, period.get(i, ""), p) for v, i, p in
                     zip(usgs["verdict"], usgs["claim_id"], usgs["period"])]
    head = usgs.drop_duplicates("claim_id").set_index("claim_id")
    other = result.sources.assign(**{k: result.sources["claim_id"].map(head[k]) for k in
                                     ("claim", "kind", "commodity", "country", "claimed", "qualifier",
                                      "span", "rule", "mapped_by")})
    rows = pd.concat([usgs, other], ignore_index=True) if len(other) else usgs
    order = {c: i for i, c in enumerate(result.claims["claim_id"])}
    rows = rows.assign(_o=rows["claim_id"].map(order), _s=rows["edition"].isna() & (rows["source"] != ""))
    rows = rows.sort_values(["_o", "_s"], kind="stable").drop(columns=["_o", "_s"])
    rows = rows.merge(result.verdicts, on="claim_id", how="left")
    rows["edition"] = rows["edition"].astype("Int64")
    return rows[list(result.checks.columns) + ["source", "reads"]
                + list(result.verdicts.columns[1:])].reset_index(drop=True)


def write_csvs(result: ClaimsCheck, report_dir=None) -> list[Path]:
    """<report_dir>/data/claims_check.csv (the verdicts, with the tolerance rule) and
    article_figures.csv (every extracted figure), as deterministic bytes."""
    out = resolve_path(report_dir, config.REPORT, "report_dir") / "data"
    out.mkdir(parents=True, exist_ok=True)
    checks = csv_rows(result).assign(tolerance=result.tolerance.describe())
    (out / CHECK_CSV).write_bytes(to_csv_bytes(checks))
    (out / FIGURES_CSV).write_bytes(to_csv_bytes(result.figures))
    return [out / CHECK_CSV, out / FIGURES_CSV]
