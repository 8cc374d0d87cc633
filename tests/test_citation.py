"""CITATION.cff is valid Citation File Format 1.2.0 (the schema shipped in cffconvert's wheel, which
`make setup` fetches and checks by sha256) and says what the report's licences are."""
import json
import zipfile

import jsonschema
import yaml

from critmin import config

WHEEL = config.ROOT / ".venv" / "share" / "cff" / "cffconvert-2.0.0-py3-none-any.whl"


def test_citation_file_matches_the_cff_schema():
    assert WHEEL.is_file(), f"{WHEEL} is missing: run `make setup`"
    with zipfile.ZipFile(WHEEL) as whl:
        schema = json.loads(whl.read("cffconvert/schemas/1.2.0/schema.json"))
    cff = yaml.safe_load((config.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(cff)
    assert cff["license"] == ["MIT", "CC-BY-4.0"]


def test_schema_check_can_fail():
    with zipfile.ZipFile(WHEEL) as whl:
        schema = json.loads(whl.read("cffconvert/schemas/1.2.0/schema.json"))
    errors = list(jsonschema.Draft7Validator(schema).iter_errors({"cff-version": "1.2.0", "title": "x"}))
    assert any("authors" in e.message for e in errors)


def test_every_usgs_doi_of_the_registry_is_referenced():
    cff = yaml.safe_load((config.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    registry = yaml.safe_load((config.ROOT / "data" / "sources.yml").read_text(encoding="utf-8"))
    dois = {r["doi"] for r in registry["releases"] if r.get("doi")}
    assert dois and dois == {r["doi"] for r in cff["references"] if r.get("doi")}
