"""Report parameters: declared once (type, default, allowed values), validated before any kernel starts.

A parameters file is YAML mapping names to values; every key is optional. Allowed editions, years,
minerals and countries come from the processed tables (read lazily, with the csv module so that a
no-op build stays fast). Every refusal is a ParamError whose message is one line naming the
parameter, the value and the valid choices. `python -m critmin.engine.params [FILE]` prints the declaration
table and the resolved values."""
from __future__ import annotations

import csv
import difflib
import hashlib
import os
import sys
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
                close = difflib.get_close_matches(str(item), [str(a) for a in allowed], n=3)
                if close:
                    problem += f" (did you mean {' or '.join(repr(c) for c in close)}?)"
                raise _fail(p.name, item, problem, allowed)
    return value


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


def read_file(path: Path) -> dict | None:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParamError(f"cannot read the parameters file {path}: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
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


def article_sha256(resolved: dict) -> str:
    return hashlib.sha256(Path(resolved["article"]).read_bytes()).hexdigest()


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    print("parameter       type        default / allowed")
    for p in SPEC.values():
        default = "(from data)" if callable(p.default) else (
            show_path(p.default) if p.kind == "path" else p.default)
        print(f"{p.name:<15} {p.kind:<11} {default}  — {p.doc}")
    try:
        resolved = load(Path(argv[0]) if argv else config.PARAMS_DEFAULT)
    except ParamError as exc:
        print(f"params: {exc}", file=sys.stderr)
        return 2
    print("\nresolved:", yaml.safe_dump(for_display(resolved), sort_keys=False), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
