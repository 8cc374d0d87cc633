"""Bad input anywhere in the world build stops `python -m critmin.ingest.pipeline` with a non-zero exit
and a message naming file, row and column, and leaves data/processed/ exactly as it was."""
import shutil
import tempfile
from pathlib import Path

import pytest

from critmin import config
from critmin.ingest.pipeline import main
from critmin.ingest.sources import mcs_world
from raw_support import register

FILE_2024 = "usgs-mcs-2024/world/mcs2024-tungs_world.csv"


@pytest.fixture(scope="module")
def pristine_raw(tmp_path_factory):
    """A copy of the raw files the world build reads."""
    root = tmp_path_factory.mktemp("raw")
    paths = [p for _, p in mcs_world.world_files(config.RAW)]
    paths += [config.RAW / mcs_world.FILE_2025, config.RAW / mcs_world.FILE_2026]
    for src in paths:
        dest = root / src.relative_to(config.RAW)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    return root


@pytest.fixture
def setup(tmp_path, pristine_raw):
    raw = tmp_path / "raw"
    shutil.copytree(pristine_raw, raw)
    out = tmp_path / "processed"
    out.mkdir()
    (out / "world.csv").write_bytes(b"old world table\n")
    (out / "trade.csv").write_bytes(b"another helper's table\n")
    return raw, out


def snapshot(out):
    return {p.name: p.read_bytes() for p in sorted(out.parent.rglob("*")) if p.is_file()
            and out in p.parents} | {"_dirs": sorted(p.name for p in out.parent.iterdir())}


def run(raw, out, registered=True):
    """The pipeline on the copy; registered: the copy, edits included, is its own registry (these
    tests exercise the parsers; the registry check itself is tested in test_raw_verified.py)."""
    registry = Path(tempfile.mkdtemp()) / "registry.yml"  # outside the snapshot the tests compare
    extra = ["--registry", str(register(raw, registry))] if registered else []
    return main(["--raw", str(raw), "--out", str(out), "--only", "world.csv", *extra])


def replace_in(path, old, new, encoding="utf-8-sig"):
    text = path.read_text(encoding=encoding)
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding=encoding)


def test_unknown_token_fails_and_leaves_processed_untouched(setup, capsys):
    raw, out = setup
    before = snapshot(out)
    replace_in(raw / FILE_2024, "63000", "63k")
    assert run(raw, out) == 2
    err = capsys.readouterr().err
    assert FILE_2024 in err and "row" in err and "Prod_t_est_2023" in err and "63k" in err
    assert snapshot(out) == before


def test_truncated_file_fails(setup, capsys):
    raw, out = setup
    before = snapshot(out)
    p = raw / mcs_world.FILE_2026
    p.write_bytes(p.read_bytes()[:-5000])
    assert run(raw, out) == 2
    assert mcs_world.FILE_2026 in capsys.readouterr().err
    assert snapshot(out) == before


def test_missing_raw_file_fails(setup, capsys):
    raw, out = setup
    before = snapshot(out)
    (raw / mcs_world.FILE_2025).unlink()
    assert run(raw, out, registered=False) == 2
    err = capsys.readouterr().err
    assert "missing" in err and "MCS2025_World_Data.csv" in err
    assert snapshot(out) == before


def test_stale_correction_fails(setup, tmp_path, monkeypatch, capsys):
    raw, out = setup
    text = config.CORRECTIONS.read_text(encoding="utf-8")
    stale = tmp_path / "corrections.yml"
    stale.write_text(text.replace("expected_old: 21000000", "expected_old: 20000000"),
                     encoding="utf-8")
    before = snapshot(out)
    monkeypatch.setattr(config, "CORRECTIONS", stale)
    assert run(raw, out) == 2
    assert "mcs2026-ree-reserves-brazil" in capsys.readouterr().err
    assert snapshot(out) == before


def test_schema_violation_fails(setup, monkeypatch, capsys):
    raw, out = setup
    before = snapshot(out)
    real = mcs_world.build

    def broken(raw_dir):
        df = real(raw_dir)
        df.loc[0, "value"] = -1.0
        return df

    monkeypatch.setattr(mcs_world, "build", broken)
    assert run(raw, out) == 2
    assert "validation" in capsys.readouterr().err
    assert snapshot(out) == before


def test_success_replaces_world_and_keeps_other_tables(setup):
    raw, out = setup
    assert run(raw, out) == 0
    assert (out / "world.csv").read_bytes() == (config.PROCESSED / "world.csv").read_bytes()
    assert (out / "trade.csv").read_bytes() == b"another helper's table\n"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".tmp-")]


def test_a_dash_in_a_non_2026_world_file_is_refused_not_zero(setup, capsys):
    """Only MCS 2026 documents the em dash as zero (MANIFEST 4b); in MCS 2024 it is unknown."""
    raw, out = setup
    before = snapshot(out)
    replace_in(raw / FILE_2024, "63000", "—")
    assert run(raw, out) == 2
    err = capsys.readouterr().err
    assert f"file {FILE_2024}, row 6, column Prod_t_est_2023: unknown token" in err and "'—'" in err
    assert snapshot(out) == before
