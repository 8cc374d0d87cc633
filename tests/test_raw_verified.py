"""Every pipeline run checks the raw files it reads against data/sources.yml (size + sha256), and
`make data` restores a missing or changed copy from the mirror by itself. All on temporary copies
of data/raw (CRITMIN_RAW / --raw); the real data/raw and the mirror are only read."""
import csv
import os
import shutil
import subprocess
import sys

import pytest

from critmin import config
from critmin.ingest import fetch, pipeline
from critmin.ingest.sources import comtrade

MIRROR = config.MIRROR_DEFAULT
FILE = f"{comtrade.FOLDER}/gallium_trade_data.csv"


def edit_number_keep_size_and_mtime(path):
    """Change one digit of the first primaryValue, same length, mtime put back."""
    st = os.stat(path)
    lines = path.read_bytes().split(b"\n")
    header = lines[0].decode().split(",")
    row = next(csv.reader([lines[1].decode()]))
    value = row[header.index("primaryValue")]
    digit = "1" if value[0] != "1" else "2"
    lines[1] = lines[1].replace(value.encode(), (digit + value[1:]).encode(), 1)
    path.write_bytes(b"\n".join(lines))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def truncate_at_line_boundary(path):
    data = path.read_bytes()
    cut = data.rindex(b"\n", 0, len(data) // 2) + 1  # a complete file, to the parsers
    path.write_bytes(data[:cut])


DAMAGE = {"edited": edit_number_keep_size_and_mtime, "truncated": truncate_at_line_boundary,
          "deleted": os.unlink}
WHAT = {"edited": "raw copy differs from data/sources.yml (content)",
        "truncated": "raw copy differs from data/sources.yml (size)",
        "deleted": "registered raw file is missing"}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_pipeline_refuses_a_changed_copy_and_fetch_restores_it(tmp_path, capsys, case):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(config.RAW / comtrade.FOLDER, raw / comtrade.FOLDER)
    DAMAGE[case](raw / FILE)
    argv = ["--raw", str(raw), "--out", str(out), "--only", "trade.csv"]
    assert pipeline.main(argv) == 2
    err = capsys.readouterr().err
    assert f"file {FILE}: {WHAT[case]}" in err
    assert f"python -m critmin.ingest.fetch --raw {raw}" in err  # what to do
    assert not out.exists()

    assert fetch.main(["--mirror", str(MIRROR), "--raw", str(raw)]) == 0
    untouched = len(comtrade.FILES) - 1  # the copy's undamaged files stay
    copied = len(fetch.load_registry()["files"]) - untouched
    assert f"({copied} copied)" in capsys.readouterr().out  # the damaged file and the rest
    assert (raw / FILE).read_bytes() == (MIRROR / FILE).read_bytes()
    assert pipeline.main(argv) == 0
    assert (out / "trade.csv").read_bytes() == (config.PROCESSED / "trade.csv").read_bytes()


def test_an_unregistered_file_a_builder_would_glob_is_refused(tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW / comtrade.FOLDER, raw / comtrade.FOLDER)
    shutil.copy(raw / FILE, raw / comtrade.FOLDER / "extra.csv")
    assert pipeline.main(["--raw", str(raw), "--out", str(tmp_path / "p"), "--only", "trade.csv"]) == 2
    assert f"file {comtrade.FOLDER}/extra.csv: raw file is not in the registry" in capsys.readouterr().err


def test_a_builder_reading_an_undeclared_file_is_refused(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW / comtrade.FOLDER, raw / comtrade.FOLDER)
    monkeypatch.setitem(pipeline.RAW_FILES, "trade.csv", [f"{comtrade.FOLDER}/cobalt_*.csv"])
    assert pipeline.main(["--raw", str(raw), "--out", str(tmp_path / "p"), "--only", "trade.csv"]) == 2
    assert "its table does not declare" in capsys.readouterr().err


def test_make_data_restores_damaged_copies_whatever_the_stamp_says(tmp_path):
    """An edited world file, a truncated salient file and a deleted BGS file in a copy whose
    .verified stamp is newer than data/sources.yml: `make data` restores all three and rebuilds
    tables identical to the committed ones."""
    raw, out = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(config.RAW, raw)
    world = raw / "usgs-mcs-2024/world/mcs2024-tungs_world.csv"
    world.write_bytes(world.read_bytes().replace(b"63000", b"64000", 1))
    truncate_at_line_boundary(raw / "usgs-mcs-2025/salient/mcs2025-galli_salient.csv")
    (raw / "bgs-wms-1970-2021-scrape/df_ukgs.csv.gz").unlink()
    (raw / ".verified").touch()
    env = dict(os.environ, CRITMIN_RAW=str(raw), CRITMIN_PROCESSED=str(out),
               DATA_MIRROR=str(MIRROR))
    proc = subprocess.run(["make", "-s", "data"], cwd=config.ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "(3 copied)" in proc.stdout
    for name in pipeline.TABLES:
        assert (out / name).read_bytes() == (config.PROCESSED / name).read_bytes(), name


def test_every_table_declares_its_raw_files():
    assert list(pipeline.RAW_FILES) == list(pipeline.TABLES)


def test_verification_is_a_small_part_of_a_pipeline_run():
    """Size + sha256 of every file the six tables read, with the registry load: well under 1 s
    (≈0.05 s measured; the pipeline takes ≈2 s)."""
    import time

    t = time.perf_counter()
    registry = fetch.load_registry()
    n = sum(len(pipeline.verify.verify(config.RAW, globs, registry))
            for globs in pipeline.RAW_FILES.values())
    assert n > 450 and time.perf_counter() - t < 1.0
