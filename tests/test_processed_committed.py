"""`make data` on a clean clone must rebuild exactly the committed data/processed/ tables."""
import pytest

from critmin import config
from critmin.io import to_csv_bytes
from critmin.ingest.pipeline import TABLES, build_tables


@pytest.fixture(scope="session")
def rebuilt():
    return build_tables(config.RAW)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_committed_table_is_rebuilt_byte_for_byte(rebuilt, name):
    committed = (config.PROCESSED / name).read_bytes()
    assert to_csv_bytes(rebuilt[name]) == committed, f"data/processed/{name} is stale: run `make data`"


def test_rebuilding_twice_is_deterministic(rebuilt):
    again = build_tables(config.RAW)
    for name in TABLES:
        assert to_csv_bytes(again[name]) == to_csv_bytes(rebuilt[name]), name
