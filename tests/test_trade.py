"""trade.csv (UN Comtrade): verified values, code mapping, weights, bad input."""
import math
import shutil
from pathlib import Path

import pytest

from critmin import config
from critmin.errors import DataError
from critmin.io import to_csv_bytes
from critmin.ingest.sources import comtrade

FIX = Path(__file__).parent / "fixtures" / "tables"


@pytest.fixture(scope="module")
def trade():
    return comtrade.SCHEMA.validate(comtrade.build(config.RAW))


def one(trade, **where):
    rows = trade
    for k, v in where.items():
        rows = rows[rows[k] == v]
    assert len(rows) == 1, where
    return rows.iloc[0]


def test_us_rare_earth_compound_imports(trade):
    key = dict(reporter="United States", flow="import", hs_code="2846")
    assert round(one(trade, partner="World", year=2024, **key).value_usd / 1e6, 1) == 170.5
    assert round(one(trade, partner="World", year=2023, **key).value_usd / 1e6, 1) == 181.3
    china = one(trade, partner="China", year=2024, **key).value_usd
    assert round(china / 1e6, 1) == 116.1
    assert round(100 * china / one(trade, partner="World", year=2024, **key).value_usd) == 68


def test_codes_are_mapped_and_hs_codes_stay_strings(trade):
    assert set(trade.reporter) == {"United States", "China", "Australia", "Indonesia", "Congo (Kinshasa)"}
    assert set(trade.partner) == {"World", "United States", "China"}
    assert set(trade.hs_code) == {"2846", "280530", "811292", "250410", "380110", "282200", "8105",
                                  "7402", "7403", "253090", "282520", "283691", "7501", "7502"}
    assert trade.hs_code.map(type).eq(str).all()


def test_zero_weight_on_a_traded_world_row_is_missing_not_zero(trade):
    """Comtrade gives netWgt 0.0 for US 2846 imports from the World in 2020 with qty filled."""
    r = one(trade, reporter="United States", partner="World", flow="import", hs_code="2846", year=2020)
    assert math.isnan(r.net_weight_kg)
    assert r.qty == pytest.approx(5923063.651) and r.qty_unit == "kg"
    assert r.value_usd == 98248642.0
    assert not (trade.net_weight_kg == 0).any()


def test_transport_mode_breakdowns_are_not_double_counted(trade):
    """Lithium/nickel files add rows per mode of transport; only the all-modes total is kept."""
    r = one(trade, reporter="Australia", partner="China", flow="import", hs_code="253090", year=2020)
    assert r.value_usd == 560807.859 and r.source_row == 24
    assert not trade.duplicated(comtrade.KEY).any()


def test_gallium_code_is_flagged_as_broader_than_gallium():
    note = comtrade.hs_codes()["811292"]["scope_note"]
    assert "broader than gallium" in note


def test_every_row_points_back_to_its_file(trade):
    assert trade.source_file.str.startswith(comtrade.FOLDER + "/").all()
    assert len(trade) == 587


def _run(tmp_path, fixture):
    dest = tmp_path / comtrade.FOLDER / "light_ree_trade_data.csv"
    dest.parent.mkdir(parents=True)
    shutil.copy(FIX / fixture, dest)
    return comtrade.read_file(dest, tmp_path, "rare-earths")


def test_fixture_reads(tmp_path):
    df = _run(tmp_path, "comtrade_ok.csv")
    assert df.flow.tolist() == ["import", "export"] and df.value_usd.tolist() == [45649703.0, 98931639.0]


@pytest.mark.parametrize("fixture, message", [
    ("comtrade_unknown_flow.csv", r"row 3, column flowCode: unknown flow; got 'R'"),
    ("comtrade_truncated.csv", r"row 3.*(fewer cells|truncated)"),
    ("comtrade_renamed_header.csv", r"row 1, column 44: unknown or missing header; got 'primary_value'"),
    ("comtrade_mode_without_total.csv", r"row 3, column motCode: transport-mode row without"),
])
def test_bad_input(tmp_path, fixture, message):
    with pytest.raises(DataError, match=message) as exc:
        _run(tmp_path, fixture)
    assert "un-comtrade-us-china-2020-2024/light_ree_trade_data.csv" in str(exc.value)


def test_building_twice_gives_identical_bytes(trade):
    assert to_csv_bytes(comtrade.build(config.RAW)) == to_csv_bytes(trade)


def test_pipeline_stops_on_bad_input_and_leaves_processed_untouched(tmp_path, capsys):
    """Bad raw file -> exit code 2, a message naming file/row/column, and the output folder
    exactly as it was."""
    from critmin.ingest import pipeline

    raw = tmp_path / "raw"
    (raw / comtrade.FOLDER).mkdir(parents=True)
    for name in comtrade.FILES:
        shutil.copy(config.RAW / comtrade.FOLDER / name, raw / comtrade.FOLDER / name)
    shutil.copy(FIX / "comtrade_unknown_flow.csv", raw / comtrade.FOLDER / "light_ree_trade_data.csv")
    out = tmp_path / "processed"
    out.mkdir()
    (out / "trade.csv").write_bytes(b"old,table\n")
    from raw_support import register

    registry = register(raw, tmp_path / "registry.yml")  # the edited copy gets past the check
    code = pipeline.main(["--raw", str(raw), "--out", str(out), "--only", "trade.csv",
                          "--registry", str(registry)])
    assert code == 2
    err = capsys.readouterr().err
    assert "light_ree_trade_data.csv, row 3, column flowCode" in err
    assert (out / "trade.csv").read_bytes() == b"old,table\n"
    assert sorted(p.name for p in out.iterdir()) == ["trade.csv"]
