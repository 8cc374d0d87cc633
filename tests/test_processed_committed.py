"""`make data` on a clean clone must rebuild exactly the committed data/processed/ tables, and the
tables git does not hold (pipeline.UNPUBLISHED) exactly the sha256 recorded in data/processed.sha256."""
import hashlib
import subprocess

import pytest

from critmin import config
from critmin.io import to_csv_bytes
from critmin.ingest.pipeline import TABLES, UNPUBLISHED, recorded_checksums, build_tables


@pytest.fixture(scope="session")
def rebuilt():
    return build_tables(config.RAW)


@pytest.mark.parametrize("name", sorted(set(TABLES) - set(UNPUBLISHED)))
def test_committed_table_is_rebuilt_byte_for_byte(rebuilt, name):
    committed = (config.PROCESSED / name).read_bytes()
    assert to_csv_bytes(rebuilt[name]) == committed, f"data/processed/{name} is stale: run `make data`"


@pytest.mark.parametrize("name", sorted(UNPUBLISHED))
def test_uncommitted_table_matches_its_recorded_checksum(rebuilt, name):
    recorded = recorded_checksums()
    assert name in recorded, f"data/processed.sha256 lacks {name}: run `make data`"
    digest = hashlib.sha256(to_csv_bytes(rebuilt[name])).hexdigest()
    assert digest == recorded[name], f"{name} differs from data/processed.sha256: run `make data`"
    assert (config.PROCESSED / name).read_bytes() == to_csv_bytes(rebuilt[name]), \
        f"the local data/processed/{name} is stale: run `make data`"


def test_a_stale_local_table_is_rebuilt_by_make(tmp_path):
    """`pipeline --missing` (make's rule for the local tables) rebuilds a table absent or whose bytes
    are not the recorded ones, as after a pull that changed how it is built."""
    from critmin.ingest.pipeline import _missing
    name = "baci_supply.csv"
    assert _missing(tmp_path / name)
    (tmp_path / name).write_bytes((config.PROCESSED / name).read_bytes())
    assert not _missing(tmp_path / name)
    (tmp_path / name).write_bytes((config.PROCESSED / name).read_bytes()[:-40])
    assert _missing(tmp_path / name)


def test_git_holds_only_the_publishable_tables():
    tracked = subprocess.run(["git", "ls-files", "data/processed"], cwd=config.ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    assert sorted(p.split("/")[-1] for p in tracked) == sorted(set(TABLES) - set(UNPUBLISHED))


def test_rebuilding_twice_is_deterministic(rebuilt):
    again = build_tables(config.RAW)
    for name in TABLES:
        assert to_csv_bytes(again[name]) == to_csv_bytes(rebuilt[name]), name
