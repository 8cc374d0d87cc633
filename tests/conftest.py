"""Test-session settings shared by every module.

`make test` runs the suite on two pytest-xdist workers. The session-wide default and fixture
reports are built once for both (report_support.session_report: a file lock in the session's
shared temporary folder). The longest tests (the example-report builds of test_reader_matrix, the
profile of every mineral, and the first readers of the session reports) are handed out first, so
that the workers finish together instead of one idling while the other runs a long build at the end."""
from __future__ import annotations

# (module, test) pairs that each take tens of seconds; a module name alone: all its tests
LONG = {("test_reader_matrix", "test_example_report_reads_clean"), ("test_profiles", "test_profile_runs_for_every_slug"),
        ("test_engine_faults", "test_report_pdf_bytes_do_not_depend_on_jobs"), ("test_browser", None)}


def _long(item) -> bool:
    module = item.module.__name__.rpartition(".")[2]
    return (module, item.originalname) in LONG or (module, None) in LONG


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda i: 0 if _long(i) else 1)  # stable: each group keeps its order
