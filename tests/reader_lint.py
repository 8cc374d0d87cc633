"""What a reader must never see in a rendered report (not a test module; used by test_reader_matrix).

Each check returns a list of findings, 'page: what (context)', so that one failing test names every
problem at once. Checked on the visible text: tags, <style> and link targets removed, file paths
and CSV names left out (a data file's name is a reference, not prose)."""
from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MISSING_WORDS = re.compile(r"(?<![\w-])(nan|NaN|None|NaT|<NA>)(?![\w-])")
# Words that belong to the code, not to the report.
PROGRAMMER_WORDS = re.compile(r"(?i)\b(this notebook|notebooks?|critmin|papermill|seed article|"
                              r"focus country|slugs?|make data|dataframe|kwargs?)\b")
PATHS = re.compile(r"[\w.\-/]*\.(csv|xlsx|xls|txt|json|html|pdf|yml|yaml|gz|zip|xml|whl)\b|"
                   r"(?<![\w/])(data|report|notebooks|\.\./shared)/[\w.\-/]+")
SEPARATED_YEAR = re.compile(r"(?i)\b(in|since|from|to|until|by|for|year|years|between|and|–)\s+"
                            r"(1,9\d\d|2,0\d\d|2,1\d\d)(?![\d,])")
YEAR_AS_FIGURE = re.compile(r"\b(1,9\d\d|2,0\d\d|\d{2},\d{3},\d{3})\s+(year|early|late|decade|date)\b")
MCS_EDITION = re.compile(r"\bMCS\s+(20\d\d)\b")
# One estimate marker ('69% e', critmin.present.format.ESTIMATE), never a word in brackets.
ESTIMATE_IN_WORDS = re.compile(r"\((estimated|a USGS estimate)\)")


def _internal_names() -> set[str]:
    """Commodity, form and stage slugs with a hyphen, and processed-table column names."""
    names = set()
    with open(ROOT / "data" / "mappings" / "commodity_slugs.csv", encoding="utf-8") as fh:
        names |= {r["slug"] for r in csv.DictReader(fh) if "-" in r["slug"]}
    for table in ("world.csv", "net_import_reliance.csv", "import_sources.csv", "trade.csv"):
        with open(ROOT / "data" / "processed" / table, encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            names |= {c for c in reader.fieldnames if "_" in c}
            for row in reader:
                for col in ("form", "stage"):
                    if "-" in row.get(col, ""):
                        names.add(row[col])
    return names


def _display_names() -> list[str]:
    with open(ROOT / "data" / "mappings" / "commodity_slugs.csv", encoding="utf-8") as fh:
        return [r["name"] for r in csv.DictReader(fh) if r["name"] != r["name"].lower()]


# A mineral's display name mid-sentence, after a preposition: 'no HS code for Antimony' (it is
# lower case there: 'for antimony'); a name heading a table cell, chart label or list is fine.
CAPITAL_MID_SENTENCE = re.compile(r"\b(for|of|on|about|cover|covers)\s+(" + "|".join(
    sorted(map(re.escape, _display_names()), key=len, reverse=True)) + r")\b")

INTERNAL = _internal_names()
INTERNAL_RE = re.compile(r"(?<![\w/-])(" + "|".join(sorted(map(re.escape, INTERNAL), key=len, reverse=True))
                         + r")(?![\w/-])")


def visible_text(page: str) -> str:
    """The words a reader sees: no style, no tags, no link targets, entities decoded."""
    page = re.sub(r"(?is)<(style|script|title)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def _context(text: str, m: re.Match) -> str:
    return " ".join(text[max(0, m.start() - 50): m.end() + 50].split())


def text_findings(name: str, text: str) -> list[str]:
    text = PATHS.sub(" ", text)
    out = [f"{name}: missing value printed as {m.group(1)!r} ({_context(text, m)})"
           for m in MISSING_WORDS.finditer(text)]
    out += [f"{name}: internal name {m.group(1)!r} ({_context(text, m)})" for m in INTERNAL_RE.finditer(text)]
    out += [f"{name}: programmer's word {m.group(1)!r} ({_context(text, m)})"
            for m in PROGRAMMER_WORDS.finditer(text)]
    out += [f"{name}: year printed as a number {m.group(2)!r} ({_context(text, m)})"
            for m in SEPARATED_YEAR.finditer(text)]
    out += [f"{name}: year or date printed as a number {m.group(1)!r} ({_context(text, m)})"
            for m in YEAR_AS_FIGURE.finditer(text)]
    out += [f"{name}: estimate marked in words {m.group(0)!r}, not 'e' ({_context(text, m)})"
            for m in ESTIMATE_IN_WORDS.finditer(text)]
    out += [f"{name}: mineral capitalised mid-sentence {m.group(0)!r} ({_context(text, m)})"
            for m in CAPITAL_MID_SENTENCE.finditer(text)]
    return out


def table_findings(name: str, page: str) -> list[str]:
    """Every table has a body row; a column headed like a year holds years, not '2,025'."""
    out = []
    for m in re.finditer(r"(?is)<table\b.*?</table>", page):
        table = m.group(0)
        caption = re.search(r"(?is)<caption[^>]*>(.*?)</caption>", table)
        label = " ".join(visible_text(caption.group(1)).split()) if caption else table[:80]
        if not re.search(r"(?is)<tbody\b.*?<td\b", table) and not re.search(r"(?is)</tr>\s*<tr\b.*?<td\b", table):
            out.append(f"{name}: table with a header and no rows ({label})")
        heads = [" ".join(visible_text(h).split()).lower() for h in re.findall(r"(?is)<th\b[^>]*>(.*?)</th>", table.split("</thead>")[0])]
        year_cols = [i for i, h in enumerate(heads) if h in {"year", "data year", "edition", "period"} or h.endswith(" year")]
        for row in re.findall(r"(?is)<tr\b.*?</tr>", table):
            cells = [" ".join(visible_text(c).split()) for c in re.findall(r"(?is)<t[dh]\b[^>]*>(.*?)</t[dh]>", row)]
            for i in year_cols:
                if i < len(cells) and re.search(r"\d,\d{3}", cells[i]):
                    out.append(f"{name}: year column {heads[i]!r} holds {cells[i]!r} ({label})")
    return out


def edition_findings(name: str, text: str, edition: int) -> list[str]:
    return [f"{name}: names a later edition than {edition}: {m.group(0)!r} ({_context(text, m)})"
            for m in MCS_EDITION.finditer(text) if int(m.group(1)) > edition]


def chart_findings(report: Path, page_name: str, page: str, edition: int) -> list[str]:
    """Each chart's CSV has a row with a number in it, carries its provenance (source_file and
    source_row, or numerator_/denominator_ pairs for a share; a reference table's `source`), and
    no row from a later edition."""
    out = []
    base = (report / page_name).parent
    for href in re.findall(r'<a [^>]*class="chart-data[^"]*"[^>]*href="([^"]+\.csv)"', page) + \
            re.findall(r'<a [^>]*href="([^"]+\.csv)"[^>]*class="chart-data[^"]*"', page):
        path = (base / href).resolve()
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        if not rows:
            out.append(f"{page_name}: chart data {href} has no rows")
            continue
        numeric = any(re.fullmatch(r"-?\d+(\.\d+)?", v or "") for r in rows for k, v in r.items()
                      if k and k not in {"year", "edition", "rank", "source_row"})
        # a timeline draws dates, not numbers: a 'date' column of ISO dates is what it plots
        numeric = numeric or any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.get("date") or "") for r in rows)
        if not numeric:
            out.append(f"{page_name}: chart data {href} has no number to draw")
        cols = set(rows[0])
        traced = any(c == "source_file" or c.endswith("_source_file") for c in cols) or "source" in cols
        if not traced:
            out.append(f"{page_name}: chart data {href} does not say which raw file and row each number comes from")
        late = sorted({r["edition"] for r in rows if r.get("edition", "").isdigit() and int(r["edition"]) > edition})
        if late:
            out.append(f"{page_name}: chart data {href} has rows from edition(s) {', '.join(late)} > {edition}")
    return out


def lint_report(report: Path, edition: int) -> list[str]:
    """Every finding for every page of a rendered report."""
    findings = []
    for path in sorted(report.rglob("*.html")):
        name = path.relative_to(report).as_posix()
        page = path.read_text(encoding="utf-8")
        text = visible_text(page)
        findings += text_findings(name, text)
        findings += table_findings(name, page)
        # The sources appendix lists every registered release and file, later editions included.
        body = visible_text(page.split('id="sources-and-method"')[0])
        findings += edition_findings(name, PATHS.sub(" ", body), edition)
        findings += chart_findings(report, name, page, edition)
    return findings
