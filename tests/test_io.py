import pandas as pd
import pytest

from critmin.errors import DataError
from critmin.io import read_rows, replace_dir_atomically, to_csv_bytes


def test_read_rows_drops_trailing_empty_columns_and_rows(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes("\ufeffSource,Country,v,,,\nMCS,China,1,,,\n,,,,,\nMCS,Chile,2,,,\n".encode("utf-8"))
    header, rows = read_rows(p)
    assert header == ["Source", "Country", "v"]
    assert rows == [(2, ["MCS", "China", "1"]), (4, ["MCS", "Chile", "2"])]


def test_truncated_file_names_row(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('a,b,c\n1,2,3\n4,"5')
    with pytest.raises(DataError) as exc:
        read_rows(p)
    assert "t.csv" in str(exc.value) and "row 3" in str(exc.value)


def test_wrong_encoding_names_file_and_line(tmp_path):
    p = tmp_path / "w.csv"
    p.write_bytes("a,b\nC\xf4te d'Ivoire,1\n".encode("cp1252"))
    with pytest.raises(DataError) as exc:
        read_rows(p, encoding="utf-8")
    assert "w.csv" in str(exc.value) and "row 2" in str(exc.value) and "utf-8" in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="missing"):
        read_rows(tmp_path / "nope.csv")


def test_atomic_replace_keeps_old_files_on_failure(tmp_path):
    dest = tmp_path / "processed"
    replace_dir_atomically({"a.csv": pd.DataFrame({"x": [1]})}, dest)
    before = (dest / "a.csv").read_bytes()

    class Boom(pd.DataFrame):
        def to_csv(self, *a, **k):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        replace_dir_atomically({"a.csv": pd.DataFrame({"x": [2]}), "b.csv": Boom({"y": [1]})}, dest)
    assert (dest / "a.csv").read_bytes() == before
    assert not (dest / "b.csv").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []


def test_csv_bytes_are_deterministic():
    df = pd.DataFrame({"v": [0.1 + 0.2, 240000.0], "s": ["a", "b"]})
    assert to_csv_bytes(df) == to_csv_bytes(df.copy())
    assert to_csv_bytes(df).endswith(b"\n") and b"\r" not in to_csv_bytes(df)
