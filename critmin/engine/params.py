"""Report parameters: declared once (type, default, allowed values), validated before any kernel starts.

A parameters file is YAML mapping names to values; every key is optional. Allowed editions, years,
minerals and countries come from the processed tables (read lazily, with the csv module so that a
no-op build stays fast). Every refusal is a ParamError whose message is one line naming the
parameter, the value and the valid choices (and, for a name, the close matches: "did you mean").
A key given twice in the file is refused with its line; the article must be a non-empty UTF-8 text
file. `python -m critmin.engine.params [FILE]` prints every parameter with its type, default and
allowed values, then what FILE resolves to; `--help` prints the same list."""
from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import os
import re
import sys
import textwrap
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from critmin import yamlio as yaml

from critmin import config
from critmin.errors import ParamError

DEFAULT_MINERALS = ["rare-earths", "tungsten", "gallium", "germanium", "antimony", "graphite"]
AGGREGATE_COUNTRIES = {"World", "Other countries"}
NIR_IMPORTER = "United States"
NIR_REASON = ("the USGS net-import-reliance and import-source data cover only the United States, "
              "so no other importer can be profiled")
EU27 = "EU-27"
IMPORTER_REASON = ("importers come from CEPII BACI (any country it has, or EU-27); USGS net import "
                   "reliance is shown for the United States only")


class DataIndex:
    """The values the processed tables allow, read on first use from data_dir."""

    def __init__(self, data_dir: Path = config.PROCESSED):
        self.data_dir = Path(data_dir)

    def _read(self, name: str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
        path = self.data_dir / name
        if not path.exists():
            raise ParamError(f"cannot list the allowed values: {show_path(path)} is missing "
                             "(run `make data`)")
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            missing = [c for c in columns if c not in header]
            if missing:
                raise ParamError(f"cannot list the allowed values: {show_path(path)} has no "
                                 f"column(s) {', '.join(missing)}")
            idx = [header.index(c) for c in columns]
            return list({tuple(row[i] for i in idx) for row in reader if row})

    @cached_property
    def world(self) -> list[tuple[int, str, str, int]]:
        rows = self._read("world.csv", ("edition", "commodity", "country", "year"))
        return [(int(e), c, k, int(y)) for e, c, k, y in rows]

    @cached_property
    def nir(self) -> list[tuple[int, str]]:
        return [(int(e), c) for e, c in self._read("net_import_reliance.csv", ("edition", "commodity"))]

    def editions(self) -> list[int]:
        """Editions with both world supply data and U.S. net import reliance."""
        return sorted({r[0] for r in self.world} & {r[0] for r in self.nir})

    def years(self, edition: int) -> list[int]:
        return sorted({r[3] for r in self.world if r[0] == edition})

    def minerals(self, edition: int) -> list[str]:
        """Commodities with any data (world supply or NIR) in the edition."""
        return sorted({r[1] for r in self.world if r[0] == edition}
                      | {c for e, c in self.nir if e == edition})

    def importers(self) -> list[str]:
        """Every country BACI has trade rows for (data/mappings/countries_baci.csv), plus EU-27."""
        with open(config.MAPPINGS / "countries_baci.csv", encoding="utf-8", newline="") as fh:
            names = {r["canonical"] for r in csv.DictReader(fh) if r["in_baci_trade"] == "yes"}
        return sorted(names) + [EU27]

    def countries(self, edition: int) -> list[str]:
        return sorted({r[2] for r in self.world if r[0] == edition} - AGGREGATE_COUNTRIES)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str                     # str | int | number | slug_list | path
    doc: str
    default: Any                  # a value, or a function (resolved, data) -> value
    choices: Callable[[dict, DataIndex], list] | None = None
    bounds: tuple[float, float] | None = None
    reason: str = ""              # why the choices are limited (said in the error)


# Order matters: a parameter's default or choices may use the ones resolved before it.
SPEC: dict[str, Param] = {p.name: p for p in [
    Param("edition", "int", "USGS Mineral Commodity Summaries edition (default: the newest)",
          lambda r, d: d.editions()[-1], lambda r, d: d.editions()),
    Param("year", "int", "data year shown for snapshots (default: the newest year of the edition)",
          lambda r, d: d.years(r["edition"])[-1], lambda r, d: d.years(r["edition"])),
    Param("minerals", "slug_list", "commodity slugs to profile, one page each",
          DEFAULT_MINERALS, lambda r, d: d.minerals(r["edition"])),
    Param("focus_country", "str", "country whose share of world supply is tracked",
          "China", lambda r, d: d.countries(r["edition"])),
    Param("importer", "str", "importing country (or EU-27) whose dependence is measured (BACI)",
          NIR_IMPORTER, lambda r, d: d.importers(), reason=IMPORTER_REASON),
    Param("nir_threshold", "number", "net import reliance (%) from which a mineral counts as dependent",
          50, bounds=(0, 100)),
    Param("top_n", "int", "number of countries listed in rankings", 10, bounds=(1, 50)),
    Param("article", "path", "text of the news article whose figures are checked",
          str(config.SEED_ARTICLE)),
]}

_KIND_TEXT = {"str": "a string", "int": "an integer", "number": "a number",
              "slug_list": "a list of slugs (strings)", "path": "a file path (string)"}


def show_path(path: Path) -> str:
    """A path as shown to people and in the report: relative to the project root, never absolute."""
    # abspath, not resolve: a symlinked ../shared must still show as ../shared
    return Path(os.path.relpath(os.path.abspath(path), config.ROOT)).as_posix()


def _one_line(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _fail(name: str, value: Any, problem: str, choices: list | None = None) -> ParamError:
    msg = f"parameter '{name}': {_one_line(value)} {problem}"
    if choices is not None:
        msg += f"; valid choices: {', '.join(str(c) for c in choices) or '(none in the data)'}"
    return ParamError(msg)


def _check_type(p: Param, value: Any) -> None:
    ok = {
        "str": isinstance(value, str) and value.strip() != "",
        "path": isinstance(value, str) and value.strip() != "",
        "int": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool) and value == value,
        "slug_list": isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value),
    }[p.kind]
    if not ok:
        raise _fail(p.name, value, f"has the wrong type: expected {_KIND_TEXT[p.kind]}"
                    + (" with at least one item" if p.kind == "slug_list" else ""))


def _check_value(p: Param, value: Any, resolved: dict, data: DataIndex) -> Any:
    if p.bounds and not p.bounds[0] <= value <= p.bounds[1]:
        raise _fail(p.name, value, f"is out of range: expected {p.bounds[0]} to {p.bounds[1]}")
    if p.kind == "path":
        path = Path(value) if Path(value).is_absolute() else config.ROOT / value
        if not path.is_file():
            raise _fail(p.name, value, "is not a readable file (relative paths start at the "
                        "project root)")
        _check_text_file(p.name, value, path)
        return os.path.abspath(path)
    if p.kind == "slug_list":
        dupes = sorted({v for v in value if value.count(v) > 1})
        if dupes:
            raise _fail(p.name, dupes[0], "is listed twice")
    if p.choices is not None:
        allowed = p.choices(resolved, data)
        for item in value if p.kind == "slug_list" else [value]:
            if item not in allowed:
                where = f" in edition {resolved['edition']}" if "edition" in resolved else ""
                problem = (f"is not supported: {p.reason}" if p.reason
                           else f"is not in the processed data{where}")
                if isinstance(item, str):
                    problem += did_you_mean(item, [str(a) for a in allowed])
                raise _fail(p.name, item, problem, allowed)
    return value


def _check_text_file(name: str, value: Any, path: Path) -> None:
    """The article is read only in the last notebook: refuse now what it would refuse then."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(name, value, f"cannot be read ({exc.strerror})") from None
    if b"\x00" in data:
        raise _fail(name, value, "is a binary file (NUL bytes): expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(name, value, f"is not UTF-8 text (line {line}): expected UTF-8 text") from None
    if not text.strip():
        raise _fail(name, value, "is empty: expected the article's text")


def did_you_mean(value: str, allowed: list[str]) -> str:
    """'; did you mean 'China'?' for a case-insensitive match or close spellings, else ''."""
    by_lower = {a.lower(): a for a in allowed}
    if value.lower() in by_lower:
        hits = [by_lower[value.lower()]]
    else:
        hits = [by_lower[m] for m in difflib.get_close_matches(value.lower(), list(by_lower), n=3,
                                                               cutoff=0.75)]
    return f"; did you mean {' or '.join(repr(h) for h in hits)}?" if hits else ""


def validate(raw: dict | None, data_dir: Path = config.PROCESSED) -> dict:
    """Resolve defaults and check every value; return the parameters in declaration order."""
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ParamError(f"parameters must be a YAML mapping of names to values, got {type(raw).__name__}")
    for key, value in raw.items():
        if key not in SPEC:
            raise _fail(str(key), value, "is not a known parameter", list(SPEC))
    for key, value in raw.items():
        _check_type(SPEC[key], value)
    data, resolved = DataIndex(data_dir), {}
    for name, p in SPEC.items():
        if name in raw:
            value = raw[name]
        else:
            value = p.default(resolved, data) if callable(p.default) else p.default
        resolved[name] = _check_value(p, value, resolved, data)
    return resolved


class _UniqueKeyLoader(yaml.Loader):
    """The safe loader, refusing a key given twice in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise ParamError(f"parameter {key!r} is given twice in {self.name}, at lines "
                                 f"{seen[key]} and {line}; keep one")
            seen[key] = line
        return super().construct_mapping(node, deep)


def read_file(path: Path) -> dict | None:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParamError(f"cannot read the parameters file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ParamError(f"the parameters file {path} is not UTF-8 text") from None
    try:
        loader = _UniqueKeyLoader(text)
        loader.name = str(path)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ParamError(f"the parameters file {path} is not valid YAML{where}") from None


def load(path: Path | None = None, data_dir: Path = config.PROCESSED) -> dict:
    """Read and validate a parameters file (None: all defaults)."""
    return validate(None if path is None else read_file(path), data_dir)


def for_display(resolved: dict) -> dict:
    """The resolved values as shown in the report and hashed in the build stamp (no machine paths)."""
    out = dict(resolved)
    out["article"] = show_path(Path(resolved["article"]))
    return out


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_SOURCE = re.compile(r"^\s*Source:\s*(.{1,60}?)\s*$", re.M)


def article_label(path: Path) -> str:
    """How the report names the article checked: its title, who it credits and its date, read
    from the file's header ('Publish: 18:21, 12 Jun, 2025', the title line, a 'Source: AP' line),
    then the file name as a source note. What the header does not give is left out, never guessed."""
    lines = [ln.strip() for ln in Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[:12]
             if ln.strip()]
    when, title = "", ""
    for ln in lines:
        m = _DAY_MONTH_YEAR.search(ln)
        if m and not when and m.group(2)[:3].lower() in _MONTHS:
            when = f"{int(m.group(1))} {MONTH_NAMES[_MONTHS.index(m.group(2)[:3].lower())]} {m.group(3)}"
        elif not title and len(ln.split()) >= 4 and not ln.endswith((".", "!", "?", ")")):
            title = ln
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    source = _SOURCE.search(text)
    facts = ", ".join(x for x in (source.group(1) if source else "", when) if x)
    head = f"‘{title}’" + (f" ({facts})" if facts else "") if title else (facts or "an article")
    return f"{head}; file {Path(path).name}"


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def article_sha256(resolved: dict) -> str:
    return hashlib.sha256(Path(resolved["article"]).read_bytes()).hexdigest()


def _allowed_text(p: Param, resolved: dict, data: DataIndex) -> str:
    if p.bounds:
        return f"{p.bounds[0]} to {p.bounds[1]}"
    if p.kind == "path":
        return "a non-empty UTF-8 text file (relative paths start at the project root)"
    if p.choices is None:
        return "any"
    if p.name == "importer":  # ~240 names: say where they come from instead of listing them
        n = len(data.importers()) - 1
        return f"any of the {n} countries in data/mappings/countries_baci.csv, or EU-27; {p.reason}"
    try:
        allowed = ", ".join(str(c) for c in p.choices(resolved, data))
    except ParamError as exc:
        return f"(from the processed data: {exc})"
    where = (f" (edition {resolved['edition']})"
             if "edition" in resolved and p.name != "edition" and not p.reason else "")
    return allowed + where + (f"; {p.reason}" if p.reason else "")


def describe(data_dir: Path = config.PROCESSED) -> str:
    """Every parameter: type, default, allowed values (those that depend on another parameter are
    given for that parameter's default), one block each."""
    data, resolved, out = DataIndex(data_dir), {}, []
    for p in SPEC.values():
        try:
            value = p.default(resolved, data) if callable(p.default) else p.default
        except (ParamError, IndexError) as exc:
            value = f"(from the processed data: {exc or 'none'})"
        resolved[p.name] = value
        shown = show_path(value) if p.kind == "path" else value
        if callable(p.default):
            shown = f"{shown} ({p.doc.split('(default: ')[-1].rstrip(')')})"
        allowed = textwrap.fill(_allowed_text(p, resolved, data), 100, initial_indent="    allowed: ",
                                subsequent_indent="      ", break_on_hyphens=False)
        out.append(f"{p.name} ({_KIND_TEXT[p.kind]}): {p.doc.split(' (default')[0]}\n"
                   f"    default: {shown}\n{allowed}")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m critmin.engine.params", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Check a report parameters file and show what it resolves to. Every key is "
                    "optional; a bad value stops with one line naming it and the valid choices.")
    ap.add_argument("file", nargs="?", default=config.PARAMS_DEFAULT,
                    help="parameters YAML file (default: params/default.yml)")
    if argv is None:
        argv = sys.argv[1:]
    if "-h" in argv or "--help" in argv:  # read the data only when the list is asked for
        ap.epilog = "parameters:\n" + describe()
    args = ap.parse_args(argv)
    print(describe())
    try:
        resolved = load(Path(args.file))
    except ParamError as exc:
        print(f"params: {exc}", file=sys.stderr)
        return 2
    print("\nresolved:", yaml.safe_dump(for_display(resolved), sort_keys=False), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
