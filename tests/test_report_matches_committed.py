"""The committed report/ is exactly what a fresh build makes: every file, byte for byte.

The fresh build (params/default.yml into a temporary REPORT_DIR) is the session's "default"
report, shared with the HTML, PDF and browser tests. Owned by the lead from integration on."""
from report_support import ROOT, session_report, tree


def test_committed_report_matches_a_fresh_build(tmp_path_factory):
    fresh = tree(session_report("default", tmp_path_factory))
    committed = tree(ROOT / "report")
    missing = sorted(set(fresh) - set(committed))
    extra = sorted(set(committed) - set(fresh))
    assert (missing, extra) == ([], []), "run `make report` and commit report/"
    differ = sorted(k for k in fresh if fresh[k] != committed[k])
    assert differ == [], "run `make report` and commit report/"
