"""The same dbt models built and tested on a real PostgreSQL server (Debian's, started here on 127.0.0.1 for this test
session and stopped after it): the portability docs/scaling.md claims, proven. The raw layer is the DuckDB fixture of
test_dbt_models copied table by table; every model builds, every dbt test passes, and the reports agree with the
DuckDB build and with the figures the fixture states."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import duckdb
import pytest

from intake import warehouse
from intake.review import Review, Version
from intake.review_ledger import ReviewLedger
from tests.test_dbt_models import dbt_build, write_raw_layer

PG_BIN = (sorted(glob.glob("/usr/lib/postgresql/*/bin")) or [None])[-1]
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(PG_BIN is None, reason="Debian postgresql is not installed (make test installs it as root)"),
]
PG_TYPES = {
    "VARCHAR": "text",
    "DOUBLE": "double precision",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
    "FLOAT": "real",
    "DECIMAL(24,6)": "numeric(24,6)",
    "BLOB": "bytea",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(command: list[str]) -> subprocess.CompletedProcess:
    """initdb and pg_ctl refuse to run as root: as root they run as the postgres user."""
    if os.geteuid() == 0:
        command = ["su", "postgres", "-c", " ".join(command)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def postgres():
    root = Path(tempfile.mkdtemp(prefix="uwh-pg-", dir="/tmp"))  # /tmp: the postgres user can reach it
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    data, port = root / "data", _free_port()
    done = _as_postgres([f"{PG_BIN}/initdb", "-D", str(data), "-A", "trust", "-U", "postgres"])
    assert done.returncode == 0, done.stderr
    started = _as_postgres(
        [
            f"{PG_BIN}/pg_ctl",
            "-D",
            str(data),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            f"'-p {port} -k {root} -c listen_addresses=127.0.0.1'",
            "start",
        ]
    )
    assert started.returncode == 0, started.stderr + (root / "log").read_text(errors="replace")
    try:
        import psycopg2

        con = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
        con.autocommit = True
        con.cursor().execute("CREATE DATABASE union_warehouse")
        con.close()
        yield port
    finally:
        _as_postgres([f"{PG_BIN}/pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)


def _copy_raw_layer(duck: Path, port: int) -> None:
    import psycopg2

    src = duckdb.connect(str(duck), read_only=True)
    dst = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="union_warehouse")
    cur = dst.cursor()
    cur.execute("CREATE SCHEMA raw")
    tables = [
        t
        for (t,) in src.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
        ).fetchall()
    ]
    for table in tables:
        columns = src.execute(
            """SELECT column_name, data_type FROM information_schema.columns
                                 WHERE table_schema = 'raw' AND table_name = ? ORDER BY ordinal_position""",
            [table],
        ).fetchall()
        cur.execute(f"CREATE TABLE raw.{table} ({', '.join(f'{c} {PG_TYPES[t]}' for c, t in columns)})")
        rows = src.execute(f"SELECT * FROM raw.{table}").fetchall()
        if rows:
            cur.executemany(f"INSERT INTO raw.{table} VALUES ({', '.join(['%s'] * len(columns))})", rows)
    dst.commit()
    dst.close()
    src.close()


ROLLUP = """SELECT year, district_code, status, total_spending_yuan, basic_spending_yuan, aid_yuan, aid_person_times,
                   subsidy_yuan, pass_through_yuan, review_state, summed, corrected_facts
            FROM reports.rpt_city_rollup ORDER BY year, district_code"""


def write_review_events(duck: Path, ledger: Path) -> None:
    """珠晖区's clerk marks its 送温暖 314,029 (and so its 933 人次) as not to be summed, confirms; the city approves:
    the review tables as a run copies them, so both engines apply the same corrections."""
    con = warehouse.connect(duck)
    sid = "430405-2022-v2"
    facts = warehouse.facts_of(con, sid)
    review = Review(ReviewLedger(ledger), "430405", 2022)
    version = Version("430405", 2022, sid, sid)  # the fixture's sha256 is its id
    review.correct(version, facts, "f7", "not_summed", "other_org", actor="clerk", reason="市总工会直接发放")
    review.confirm(version, facts, actor="clerk")
    review.approve(version, actor="city")
    assert warehouse.load_review_events(con, review.ledger.events()) == 3
    con.close()


def test_every_model_builds_and_tests_on_postgresql(postgres, tmp_path):
    import psycopg2

    duck = tmp_path / "work.duckdb"
    write_raw_layer(duck)
    write_review_events(duck, tmp_path / "reviews.sqlite")
    _copy_raw_layer(duck, postgres)
    on_pg = dbt_build(tmp_path / "pg_target", target="pg", UWH_PG_PORT=str(postgres))
    assert on_pg.returncode == 0, on_pg.stdout[-4000:]
    assert "ERROR=0" in on_pg.stdout and "PASS=" in on_pg.stdout
    on_duck = dbt_build(tmp_path / "duck_target", UWH_WORK_DB=str(duck))
    assert on_duck.returncode == 0, on_duck.stdout[-3000:]

    pg = psycopg2.connect(host="127.0.0.1", port=postgres, user="postgres", dbname="union_warehouse")
    cur = pg.cursor()
    cur.execute(ROLLUP)
    pg_rows = [
        tuple(float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in row)
        for row in cur.fetchall()
    ]
    cur.execute(
        "SELECT status_zh, total_spending_yuan, aid_yuan, aid_person_times, review_state_zh FROM reports.rpt_city_rollup "
        "WHERE district_code = '430405' AND year = 2022"
    )
    # the fixture's own figures, less the 送温暖 its clerk said is another union's (and its 933 人次)
    assert cur.fetchone() == ("已接收", 1_077_000, 298_000, 7, "已审核")
    pg.close()
    con = duckdb.connect(str(duck), read_only=True)
    duck_rows = [
        tuple(float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in row)
        for row in con.execute(ROLLUP).fetchall()
    ]
    con.close()
    assert pg_rows == duck_rows and len(pg_rows) >= 12  # one answer, two engines
