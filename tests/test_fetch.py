"""critmin.ingest.fetch (`make data`, step one) on tmp dirs with a tiny fake registry: a missing file
or a checksum mismatch stops with the file's name and what to do; main() exits non-zero."""
import hashlib

import pytest

from critmin.ingest import fetch
from critmin.errors import DataError

CONTENT = b"Source,Country,v\nMCS2026,China,1\n"


def registry(path="usgs-mcs-2026/tiny.csv", content=CONTENT, url=None):
    return {"files": [{"path": path, "release": "tiny", "bytes": len(content),
                       "sha256": hashlib.sha256(content).hexdigest(), "url": url}]}


@pytest.fixture
def dirs(tmp_path):
    mirror, raw = tmp_path / "mirror", tmp_path / "raw"
    (mirror / "usgs-mcs-2026").mkdir(parents=True)
    return mirror, raw


def test_copies_and_verifies(dirs):
    mirror, raw = dirs
    (mirror / "usgs-mcs-2026/tiny.csv").write_bytes(CONTENT)
    assert fetch.fetch_all(mirror, raw, registry()) == ["usgs-mcs-2026/tiny.csv"]
    assert (raw / "usgs-mcs-2026/tiny.csv").read_bytes() == CONTENT
    assert fetch.fetch_all(mirror, raw, registry()) == []  # already verified: nothing copied


def test_missing_file_names_it_and_says_what_to_do(dirs):
    mirror, raw = dirs
    with pytest.raises(DataError) as exc:
        fetch.fetch_all(mirror, raw, registry())
    msg = str(exc.value)
    assert "usgs-mcs-2026/tiny.csv" in msg and "not found in the mirror" in msg
    assert "DATA_MIRROR" in msg
    assert not (raw / "usgs-mcs-2026/tiny.csv").exists()


def test_checksum_mismatch_names_file_and_both_hashes(dirs):
    mirror, raw = dirs
    (mirror / "usgs-mcs-2026/tiny.csv").write_bytes(CONTENT.replace(b"1", b"2"))
    with pytest.raises(DataError) as exc:
        fetch.fetch_all(mirror, raw, registry())
    msg = str(exc.value)
    assert "usgs-mcs-2026/tiny.csv" in msg and "checksum mismatch" in msg
    assert hashlib.sha256(CONTENT).hexdigest() in msg
    assert "raw data is never edited" in msg
    assert not (raw / "usgs-mcs-2026/tiny.csv").exists()  # nothing half-copied


def test_stale_copy_in_raw_is_replaced_from_the_mirror(dirs):
    mirror, raw = dirs
    (mirror / "usgs-mcs-2026/tiny.csv").write_bytes(CONTENT)
    (raw / "usgs-mcs-2026").mkdir(parents=True)
    (raw / "usgs-mcs-2026/tiny.csv").write_bytes(b"edited by hand\n")
    assert fetch.fetch_all(mirror, raw, registry()) == ["usgs-mcs-2026/tiny.csv"]
    assert (raw / "usgs-mcs-2026/tiny.csv").read_bytes() == CONTENT


@pytest.mark.parametrize("mirror_content, message", [
    (None, "not found in the mirror"),
    (b"tampered\n", "checksum mismatch"),
])
def test_main_exits_non_zero_with_the_file_name(dirs, monkeypatch, capsys, mirror_content, message):
    mirror, raw = dirs
    if mirror_content is not None:
        (mirror / "usgs-mcs-2026/tiny.csv").write_bytes(mirror_content)
    monkeypatch.setattr(fetch, "load_registry", lambda *a, **k: registry())
    code = fetch.main(["--mirror", str(mirror), "--raw", str(raw)])
    err = capsys.readouterr().err
    assert code != 0
    assert "usgs-mcs-2026/tiny.csv" in err and message in err


def test_main_succeeds_on_a_good_mirror(dirs, monkeypatch, capsys):
    mirror, raw = dirs
    (mirror / "usgs-mcs-2026/tiny.csv").write_bytes(CONTENT)
    monkeypatch.setattr(fetch, "load_registry", lambda *a, **k: registry())
    assert fetch.main(["--mirror", str(mirror), "--raw", str(raw)]) == 0
    assert "1 files verified (1 copied)" in capsys.readouterr().out
