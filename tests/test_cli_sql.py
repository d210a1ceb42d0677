"""`uwh sql` on a real DuckDB file: read-only, printed, exported, and never able to write."""

from __future__ import annotations

import csv

import duckdb
import pytest
from openpyxl import load_workbook

from union_warehouse.cli import main


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "city.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA reports; CREATE TABLE reports.rpt_city_rollup (district_code VARCHAR, aid_yuan DOUBLE)")
    con.execute("INSERT INTO reports.rpt_city_rollup VALUES ('430405', 612029), ('430406', 1000.5)")
    con.close()
    return path


def test_query_prints_table(db, capsys):
    assert main(["sql", "--db", str(db), "SELECT district_code, aid_yuan FROM reports.rpt_city_rollup ORDER BY 1"]) == 0
    out = capsys.readouterr().out
    assert "430405" in out and "612029" in out


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_query_exports(db, tmp_path, suffix):
    out = tmp_path / f"result{suffix}"
    assert main(["sql", "--db", str(db), "-o", str(out), "SELECT * FROM reports.rpt_city_rollup ORDER BY 1"]) == 0
    if suffix == ".csv":
        rows = list(csv.reader(out.open(encoding="utf-8")))
        assert rows[1] == ["430405", "612029.0"]
    elif suffix == ".parquet":
        assert duckdb.sql(f"SELECT sum(aid_yuan) FROM '{out}'").fetchall()[0][0] == 613029.5
    else:
        ws = load_workbook(out).active
        assert ws["B2"].value == 612029 and ws.freeze_panes == "A2"


def test_writes_are_refused(db, capsys):
    assert main(["sql", "--db", str(db), "DELETE FROM reports.rpt_city_rollup"]) == 1
    assert "read-only" in capsys.readouterr().err.lower()
    assert (
        duckdb.connect(str(db), read_only=True).sql("SELECT count(*) FROM reports.rpt_city_rollup").fetchall()[0][0]
        == 2
    )


def test_missing_warehouse_is_explained(tmp_path, capsys):
    assert main(["sql", "--db", str(tmp_path / "none.duckdb"), "SELECT 1"]) == 2
    assert "make demo" in capsys.readouterr().err


@pytest.mark.parametrize(
    "attack",
    [
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/root/**')",
        "COPY (SELECT 1) TO '{tmp}/leak.csv'",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "SET enable_external_access = true",
    ],
)
def test_user_sql_cannot_reach_files_outside_the_warehouse(db, tmp_path, capsys, attack):
    assert main(["sql", "--db", str(db), attack.format(tmp=tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "root:" not in err and not (tmp_path / "leak.csv").exists() and not (tmp_path / "other.duckdb").exists()
    assert "拒绝" in err or "failed" in err


def test_the_trusted_local_case_is_an_explicit_flag(db, tmp_path, capsys):
    (tmp_path / "extra.csv").write_text("code,name\n430405,珠晖区\n", encoding="utf-8")
    query = f"SELECT name FROM read_csv('{tmp_path / 'extra.csv'}')"
    assert main(["sql", "--db", str(db), query]) == 1
    assert main(["sql", "--db", str(db), "--allow-files", query]) == 0
    assert "珠晖区" in capsys.readouterr().out


def test_wide_results_print_one_block_per_row_and_times_in_beijing_time(tmp_path, capsys):
    path = tmp_path / "city.duckdb"
    con = duckdb.connect(str(path))
    columns = ", ".join(f"c{i} INTEGER" for i in range(12))
    con.execute(f"CREATE TABLE wide ({columns}, received_at TIMESTAMP)")
    con.execute(f"INSERT INTO wide VALUES ({', '.join(str(i) for i in range(12))}, TIMESTAMP '2024-03-31 16:30:00')")
    con.close()
    assert main(["sql", "--db", str(path), "SELECT * FROM wide"]) == 0
    out = capsys.readouterr().out
    assert "-[ 第1行 ]" in out and "c11" in out
    # stored 16:30 UTC is 00:30 the next day in Beijing
    assert "received_at（北京时间） | 2024-04-01 00:30" in out and "16:30" not in out
    # names padded by display width: 'received_at（北京时间）' is 11 + 6 × 2 = 23 columns (a CJK character is two)
    assert f"c0{' ' * 21} | 0\n" in out
