"""Parameter validation: every refusal is one line naming the parameter, the value and the choices,
and it happens before any kernel starts."""
import os
import subprocess
import sys

import pytest
import yaml

from critmin.engine import build, params
from critmin import config
from critmin.errors import ParamError
from report_support import FIXTURE_DATA, ROOT, run_build

SMALL = {"minerals": ["gallium", "tungsten"]}


def refuse(raw, data_dir=FIXTURE_DATA) -> str:
    with pytest.raises(ParamError) as info:
        params.validate(raw, data_dir)
    msg = str(info.value)
    assert "\n" not in msg
    return msg


def test_defaults_come_from_the_data():
    got = params.validate(SMALL, FIXTURE_DATA)
    # editions with both world and NIR data: 2025 and 2026 -> newest; its newest data year
    assert got["edition"] == 2026 and got["year"] == 2025
    assert got["focus_country"] == "China" and got["importer"] == "United States"
    assert got["nir_threshold"] == 50 and got["top_n"] == 10
    assert got["article"] == os.path.abspath(config.SEED_ARTICLE)
    assert params.for_display(got)["article"] == "../shared/seeds/000_575a29df86457ad5.txt"
    assert list(got) == list(params.SPEC)


def test_explicit_values_are_kept():
    got = params.validate({**SMALL, "edition": 2025, "year": 2023, "nir_threshold": 75.5,
                           "focus_country": "Russia"}, FIXTURE_DATA)
    assert (got["edition"], got["year"], got["nir_threshold"], got["focus_country"]) == (2025, 2023, 75.5, "Russia")


def test_unknown_key():
    msg = refuse({**SMALL, "mineral_list": ["gallium"]})
    assert msg.startswith("parameter 'mineral_list': ['gallium'] is not a known parameter")
    assert "valid choices: edition, year, minerals, focus_country" in msg


@pytest.mark.parametrize("key,value,expected", [
    ("year", "2025", "expected an integer"),
    ("edition", 2026.0, "expected an integer"),
    ("minerals", "gallium", "expected a list of slugs"),
    ("minerals", [], "with at least one item"),
    ("minerals", ["gallium", 3], "expected a list of slugs"),
    ("nir_threshold", True, "expected a number"),
    ("nir_threshold", "50", "expected a number"),
    ("focus_country", ["China"], "expected a string"),
    ("article", None, "expected a file path"),
])
def test_wrong_type(key, value, expected):
    msg = refuse({**SMALL, key: value})
    assert msg.startswith(f"parameter '{key}': {value!r} has the wrong type") and expected in msg


def test_unknown_mineral_lists_the_minerals_of_the_edition():
    msg = refuse({"minerals": ["gallium", "unobtainium"]})
    assert msg == ("parameter 'minerals': 'unobtainium' is not in the processed data in edition "
                   "2026; valid choices: antimony, gallium, tungsten")


def test_mineral_missing_from_an_older_edition():
    msg = refuse({"minerals": ["antimony"], "edition": 2025})
    assert "'antimony' is not in the processed data in edition 2025; valid choices: gallium, tungsten" in msg


def test_duplicate_mineral():
    assert "parameter 'minerals': 'gallium' is listed twice" in refuse({"minerals": ["gallium", "gallium"]})


def test_unknown_country():
    msg = refuse({**SMALL, "focus_country": "Atlantis"})
    assert msg.startswith("parameter 'focus_country': 'Atlantis' is not in the processed data")
    assert msg.endswith("in edition 2026; valid choices: Australia, China")  # Russia: 2025 only
    assert "World" not in msg.split("choices:")[1].split(", ")  # aggregates are not countries


def test_importer_is_any_baci_country_or_eu27():
    from critmin.engine.params import validate
    for name in ("Japan", "South Korea", "Germany", "India", "EU-27", "Hong Kong"):
        assert validate({**SMALL, "importer": name}, FIXTURE_DATA)["importer"] == name


def test_importer_baci_lacks_is_refused_with_a_did_you_mean():
    msg = refuse({**SMALL, "importer": "Japn"})
    assert msg.startswith("parameter 'importer': 'Japn' is not supported: importers come from CEPII BACI")
    assert "did you mean 'Japan'" in msg and "EU-27" in msg.split("choices:")[1]
    assert "did you mean 'EU-27'" in refuse({**SMALL, "importer": "EU27"})


def test_edition_not_in_data():
    msg = refuse({**SMALL, "edition": 2019})
    assert msg == "parameter 'edition': 2019 is not in the processed data; valid choices: 2025, 2026"


def test_year_not_in_edition():
    msg = refuse({**SMALL, "edition": 2026, "year": 2010})
    assert msg == ("parameter 'year': 2010 is not in the processed data in edition 2026; "
                   "valid choices: 2024, 2025")


@pytest.mark.parametrize("value", [-1, 100.5, 1e9])
def test_threshold_out_of_range(value):
    assert "is out of range: expected 0 to 100" in refuse({**SMALL, "nir_threshold": value})


def test_article_must_exist():
    msg = refuse({**SMALL, "article": "no/such/article.txt"})
    assert msg.startswith("parameter 'article': 'no/such/article.txt' is not a readable file")


def test_article_relative_to_project_root():
    got = params.validate({**SMALL, "article": "params/default.yml"}, FIXTURE_DATA)
    assert got["article"] == str(ROOT / "params" / "default.yml")
    assert params.for_display(got)["article"] == "params/default.yml"


def test_missing_processed_data_says_what_to_do(tmp_path):
    msg = refuse(SMALL, tmp_path)
    assert "world.csv is missing (run `make data`)" in msg


def test_not_a_mapping(tmp_path):
    bad = tmp_path / "p.yml"
    bad.write_text("- gallium\n- tungsten\n")
    with pytest.raises(ParamError, match="must be a YAML mapping"):
        params.load(bad, FIXTURE_DATA)


def test_invalid_yaml_names_the_line(tmp_path):
    bad = tmp_path / "p.yml"
    bad.write_text("minerals: [gallium\nyear: 2025\n")
    with pytest.raises(ParamError, match=r"is not valid YAML at line \d"):
        params.load(bad, FIXTURE_DATA)


def test_cli_refuses_before_any_kernel_starts(tmp_path):
    """Exit code 2, one line on stderr, no report directory and no temporary build directory."""
    bad = tmp_path / "p.yml"
    bad.write_text(yaml.safe_dump({"minerals": ["gallium"], "importer": "Atlantis"}))
    out = tmp_path / "report"
    proc = run_build("--params", bad, "--report-dir", out, "--data-dir", FIXTURE_DATA)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("params: parameter 'importer': 'Atlantis'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yml"]


def test_build_validates_before_executing(tmp_path, monkeypatch):
    """In-process: a refusal returns 2 without discovering or executing any notebook."""
    def boom(*a, **k):
        raise AssertionError("the build went past parameter validation")

    monkeypatch.setattr(build, "discover", boom)
    monkeypatch.setattr(build, "plan", boom)
    bad = tmp_path / "p.yml"
    bad.write_text("minerals: [gallium]\nyear: '2025'\n")
    assert build.build(bad, tmp_path / "report", data_dir=FIXTURE_DATA) == 2


def test_params_cli_lists_declarations():
    proc = subprocess.run([sys.executable, "-m", "critmin.engine.params", "tests/fixtures/build/params.yml"],
                          cwd=ROOT, capture_output=True, text=True,
                          env={"CRITMIN_PROCESSED": str(FIXTURE_DATA), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    for name in params.SPEC:
        assert name in proc.stdout
    assert "edition: 2026" in proc.stdout


def test_default_parameters_are_valid_for_the_committed_data():
    """params/default.yml against data/processed: the committed report's parameters must resolve."""
    got = params.load(ROOT / "params" / "default.yml")
    assert got["minerals"] == params.DEFAULT_MINERALS
    assert got["focus_country"] == "China" and got["importer"] == "United States"
    assert got["edition"] == 2026


# --- issue 10: checked early and strictly -------------------------------------------------------

@pytest.mark.parametrize("content, problem", [
    (b"", "is empty"), (b"  \n\n", "is empty"),
    (b"PK\x03\x04\x00\x00binary", "is a binary file (NUL bytes)"),
    ("Caf\u00e9 au lait\n".encode("cp1252"), "is not UTF-8 text (line 1)"),
])
def test_article_must_be_non_empty_utf8_text(tmp_path, content, problem):
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    msg = refuse({**SMALL, "article": str(article)})
    assert msg.startswith(f"parameter 'article': {str(article)!r} {problem}")


def test_article_that_is_a_directory_is_refused():
    assert "is not a readable file" in refuse({**SMALL, "article": "params"})


def test_a_bad_article_stops_the_build_before_any_notebook(tmp_path, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("the build went past parameter validation")

    monkeypatch.setattr(build, "discover", boom)
    monkeypatch.setattr(build, "plan", boom)
    (tmp_path / "empty.txt").write_bytes(b"")
    bad = tmp_path / "p.yml"
    bad.write_text(f"minerals: [gallium]\narticle: {tmp_path / 'empty.txt'}\n")
    assert build.build(bad, tmp_path / "report", data_dir=FIXTURE_DATA) == 2


def test_a_key_given_twice_is_refused_with_its_lines(tmp_path):
    bad = tmp_path / "p.yml"
    bad.write_text("minerals: [gallium]\ntop_n: 5\n# again\nminerals: [tungsten]\n")
    with pytest.raises(ParamError) as info:
        params.load(bad, FIXTURE_DATA)
    assert str(info.value) == (f"parameter 'minerals' is given twice in {bad}, at lines 1 and 4; "
                               "keep one")


@pytest.mark.parametrize("raw, hint", [
    ({"focus_country": "china"}, "did you mean 'China'?"),
    ({"focus_country": "Chnia"}, "did you mean 'China'?"),
    ({"importer": "united states"}, "did you mean 'United States'?"),
    ({"minerals": ["Gallium"]}, "did you mean 'gallium'?"),
    ({"minerals": ["tungstn"]}, "did you mean 'tungsten'?"),
])
def test_names_get_a_did_you_mean(raw, hint):
    msg = refuse({**SMALL, **raw})
    assert hint in msg and "valid choices:" in msg


def test_no_did_you_mean_without_a_close_name():
    assert "did you mean" not in refuse({**SMALL, "focus_country": "Atlantis"})


def test_params_help_lists_every_parameter_with_type_default_and_allowed_values():
    proc = subprocess.run([sys.executable, "-m", "critmin.engine.params", "--help"],
                          cwd=ROOT, capture_output=True, text=True,
                          env={"CRITMIN_PROCESSED": str(FIXTURE_DATA), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0 and proc.stderr == ""
    out = proc.stdout
    assert out.startswith("usage: python -m critmin.engine.params [-h] [file]")
    for name, p in params.SPEC.items():
        assert f"\n{name} ({params._KIND_TEXT[p.kind]}): " in out
    block = lambda name: out.split(f"\n{name} (")[1].split("\n", 3)[:3]
    assert block("edition")[1:] == ["    default: 2026 (the newest)", "    allowed: 2025, 2026"]
    assert block("focus_country")[1:] == ["    default: China",
                                          "    allowed: Australia, China (edition 2026)"]
    assert block("nir_threshold")[2] == "    allowed: 0 to 100"
    assert "allowed: any of the 233 countries in data/mappings/countries_baci.csv, or EU-27" in out
    assert "USGS net import reliance is shown for the" in out


def test_article_is_shown_by_title_credit_and_date(tmp_path):
    """Readers see the article checked by what its header says, the file name only as a note
    (issue 12: the parameter was shown as a file path); nothing is guessed when it says less."""
    from critmin import config
    from critmin.engine import params as pm
    label = pm.article_label(config.SEED_ARTICLE)
    assert label == ("‘Critical minerals give China an edge in trade negotiations’ (AP, 12 June 2025); "
                     "file 000_575a29df86457ad5.txt")
    bare = tmp_path / "note.txt"
    bare.write_text("China mined most of the world's tungsten last year, the survey said.\n", encoding="utf-8")
    assert pm.article_label(bare) == "an article; file note.txt"
