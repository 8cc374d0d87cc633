"""Test-session settings shared by every module.

`make test` runs the suite on two workers (pytest-xdist, --dist loadgroup). The tests that read the
session-wide default and fixture reports (report_support.session_report) are kept on one worker,
so each report is built once per session rather than once per worker. The longest tests (those
groups and the example-report builds of test_reader_matrix) are handed out first, so that the
workers finish together instead of one idling while the other runs a long build at the end."""
from __future__ import annotations

import pytest

# modules whose every test reads a session report, and single tests elsewhere that do
REPORT_MODULES = {"test_browser", "test_phone", "test_print", "test_report_html", "test_report_pdf",
                  "test_report_matches_committed"}
REPORT_TESTS = {("test_reader_matrix", "test_default_report_reads_clean"),
                ("test_engine_faults", "test_report_pdf_bytes_do_not_depend_on_jobs")}
GROUP = "session-reports"
# tests that build a whole report of their own (tens of seconds each)
LONG = {("test_reader_matrix", "test_example_report_reads_clean"), ("test_profiles", "test_profile_runs_for_every_slug")}


def pytest_collection_modifyitems(config, items):
    def key(item):
        module = item.module.__name__.rpartition(".")[2]
        return module, item.originalname

    for item in items:
        module, name = key(item)
        if module in REPORT_MODULES or (module, name) in REPORT_TESTS:
            item.add_marker(pytest.mark.xdist_group(GROUP))
    # stable sort: the session-report group, then the long builds, then the rest, each in its order
    items.sort(key=lambda i: 0 if i.get_closest_marker("xdist_group") else 1 if key(i) in LONG else 2)
