"""Intake on a real DuckDB work file: versions, duplicates, tenancy, and every kind of bad input — each ends in a clear
message, the original kept, and other districts unaffected."""

from __future__ import annotations

import os

import pytest
from openpyxl import load_workbook

from ingest.template import write_template
from ingest.tenants import load_tenants
from intake import warehouse
from intake.landing import land_file, sha256_of
from intake.submission import ingest_landed, take_in_file

TENANTS = load_tenants()
GOOD = (
    "{union}{year}年度部门整体支出绩效报告\n一、部门概况\n部门整体支出为107.70万元，其中基本支出71.56万元，"
    "项目支出36.14万元。\n五、部门整体支出绩效情况\n（二）困难职工帮扶方面，困难职工帮扶支出298000元。"
    "其中医疗互助帮扶支出93000元，帮扶困难职工7人次，其中生活救助帮扶支出{living}元。\n"
)


def report(union="珠晖区总工会", year=2022, living=205000) -> bytes:
    return GOOD.format(union=union, year=year, living=living).encode("utf-8")


@pytest.fixture()
def env(tmp_path):
    con = warehouse.connect(tmp_path / "work.duckdb")
    yield tmp_path, con
    con.close()


def submit(env, data: bytes, name="报告.txt", code="430405", year=2022, **kw):
    home, con = env
    path = land_file(home / "landing", home / name, year, code, data) if data is not None else None
    return take_in_file(
        con,
        archive_dir=home / "archive",
        landing_root=home / "landing",
        path=path,
        tenants=TENANTS,
        district_code=code,
        year=year,
        actor="test",
        **kw,
    )


def statuses(con, code="430405", year=2022):
    return con.execute(
        "SELECT version, status FROM raw.submissions WHERE district_code = ? AND year = ? ORDER BY version",
        [code, year],
    ).fetchall()


def test_accepted_submission_is_archived_versioned_and_audited(env):
    home, con = env
    outcome = submit(env, report())
    assert outcome.status == "accepted" and outcome.submission_id == "430405-2022-v1" and outcome.fact_count >= 5
    assert (home / "archive" / sha256_of(report())).read_bytes() == report()
    actions = [a for (a,) in con.execute("SELECT action FROM raw.audit_log ORDER BY logged_at").fetchall()]
    assert actions == ["submitted", "accepted"]


def test_same_bytes_twice_is_recognised_not_duplicated(env):
    _, con = env
    submit(env, report())
    again = submit(env, report(), name="再次报送.txt")
    assert again.status == "duplicate" and again.submission_id == "430405-2022-v1"
    assert statuses(con) == [(1, "accepted")]


def test_new_version_supersedes_and_a_failing_version_does_not_knock_out_the_accepted_one(env):
    _, con = env
    submit(env, report())
    assert submit(env, report(living=204000), name="v2.txt").status == "accepted"
    assert statuses(con) == [(1, "superseded"), (2, "accepted")]
    failing = submit(env, report(living=305000), name="v3.txt")  # items now exceed their total
    assert failing.status == "rejected" and [f.rule_id for f in failing.fatal] == ["BRK001"]
    assert statuses(con) == [(1, "superseded"), (2, "accepted"), (3, "rejected")]


def test_document_naming_another_union_is_quarantined_and_filed_under_neither(env):
    _, con = env
    outcome = submit(env, report(union="雁峰区总工会"))
    assert outcome.status == "quarantined" and "雁峰区总工会" in outcome.message
    assert con.execute("SELECT count(*) FROM raw.facts").fetchone()[0] == 0


def test_document_for_another_year_is_quarantined(env):
    outcome = submit(env, report(year=2021))
    assert outcome.status == "quarantined" and "2021" in outcome.message


def test_another_districts_mistake_never_blocks_the_owner(env):
    """雁峰区 files 珠晖区's report by mistake; 珠晖区 then sends the same bytes: the owner's report is filed, the
    city is told of both, and neither district's receipt or rows name the other's submission."""
    home, con = env
    mistaken = submit(env, report(), code="430406")
    assert mistaken.status == "quarantined" and "430405" not in mistaken.message  # the file's own title says why
    owner = submit(env, report(), code="430405")
    assert owner.status == "accepted" and owner.submission_id == "430405-2022-v1"
    assert "430406" not in owner.message
    (flag,) = con.execute(
        "SELECT district_code, detail FROM raw.audit_log WHERE action = 'same_file_elsewhere'"
    ).fetchall()
    assert flag[0] == "430405" and "430406-2022-v1" in flag[1]  # for the city's eyes only
    rows = con.execute("SELECT district_code, coalesce(status_reason, '') FROM raw.submissions").fetchall()
    assert all("430405" not in reason for code, reason in rows if code == "430406")
    assert all("430406" not in reason for code, reason in rows if code == "430405")


def test_a_duplicate_repeats_the_earlier_versions_status_and_a_revert_is_a_new_version(env):
    home, con = env
    rejected = report(living=405000)  # its items exceed their total: BRK001, 待更正
    assert submit(env, rejected).status == "rejected"
    again = submit(env, rejected, name="再次.txt")
    assert again.status == "duplicate" and again.previous_status == "rejected" and "待更正" in again.message
    assert submit(env, report(), name="更正.txt").status == "accepted"  # v2
    back = submit(env, rejected, name="恢复.txt")  # v1's bytes sent again: a revert
    assert (back.status, back.version) == ("rejected", 3)
    assert statuses(con) == [(1, "rejected"), (2, "accepted"), (3, "rejected")]


@pytest.mark.parametrize("code, year, message", [("999999", 2022, "999999"), ("430405", 2099, "未来")])
def test_unknown_district_and_future_year_are_refused_with_a_message(env, code, year, message):
    home, con = env
    folder = home / "landing" / str(year) / code
    folder.mkdir(parents=True)
    (folder / "报告.txt").write_bytes(report())
    outcome = take_in_file(
        con,
        archive_dir=home / "archive",
        landing_root=home / "landing",
        path=folder / "报告.txt",
        tenants=TENANTS,
        district_code=code,
        year=year,
        actor="test",
    )
    assert outcome.status == "refused" and message in outcome.message
    assert (folder / "报告.txt").exists()  # the original stays where it was


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "空"),
        ("broken.docx", b"not a zip at all", "不是有效的Word文档"),
    ],
)
def test_unreadable_files_are_quarantined_and_kept(env, name, data, message):
    home, _ = env
    outcome = submit(env, data, name=name)
    assert outcome.status == "quarantined" and name in outcome.message and message in outcome.message
    assert (home / "archive" / sha256_of(data)).read_bytes() == data


def test_oversized_file_is_refused_by_the_configurable_limit(env):
    outcome = submit(env, report(), max_bytes=100)
    assert outcome.status == "refused" and "超过上限" in outcome.message


def test_gbk_text_and_awkward_file_names(env):
    home, _ = env
    outcome = submit(env, report().decode("utf-8").encode("gbk"), name="../../珠晖区 2022 报告.txt")
    assert outcome.status == "accepted"
    assert outcome.file_name == "珠晖区 2022 报告.txt"
    assert (home / "landing" / "2022" / "430405" / "珠晖区 2022 报告.txt").exists()


def test_template_with_a_text_in_a_number_cell_is_rejected_naming_the_cell(env, tmp_path):
    path = write_template(tmp_path / "t.xlsx", union_name="珠晖区总工会", district_code="430405", year=2022)
    wb = load_workbook(path)
    wb["概况"]["B5"] = 1077000
    wb["帮扶"].append([1, "生活救助", "生活救助", "实际支出", "十万", None, None, None, ""])
    wb.save(path)
    outcome = submit(env, path.read_bytes(), name="模板.xlsx")
    assert outcome.status == "rejected"
    assert any(f.rule_id == "TPL001" and "帮扶!E2" in f.message for f in outcome.findings)


def test_one_bad_district_does_not_stop_the_others(env):
    home, con = env
    land_file(home / "landing", home / "a.docx", 2022, "430405", b"broken")
    land_file(home / "landing", home / "b.txt", 2022, "430406", report(union="雁峰区总工会"))
    outcomes = ingest_landed(
        con,
        archive_dir=home / "archive",
        landing_root=home / "landing",
        tenants=TENANTS,
        district_years=[("430406", 2022), ("430405", 2022)],
        receipts_dir=home / "receipts",
    )
    assert [(o.district_code, o.status) for o in outcomes] == [("430405", "quarantined"), ("430406", "accepted")]
    assert statuses(con, "430406") == [(1, "accepted")]
    assert sorted(p.name for p in (home / "receipts").iterdir()) == ["430405-2022-v1.txt", "430406-2022-v1.txt"]


def test_one_batch_sees_its_own_earlier_rows(env):
    """A full run writes once per year: the later year's year-on-year rule must still see the earlier year of the
    same run, and two versions landed together must end as superseded + accepted."""
    home, con = env
    land_file(home / "landing", home / "2021.txt", 2021, "430405", report(year=2021))
    land_file(
        home / "landing",
        home / "2022.txt",
        2022,
        "430405",
        "珠晖区总工会2022年度部门整体支出绩效报告\n一、部门概况\n部门整体支出为300.00万元。\n".encode(),
    )
    land_file(
        home / "landing",
        home / "2022 更正.txt",
        2022,
        "430405",
        "珠晖区总工会2022年度部门整体支出绩效报告\n一、部门概况\n部门整体支出为301.00万元。\n".encode(),
    )
    outcomes = ingest_landed(
        con,
        archive_dir=home / "archive",
        landing_root=home / "landing",
        tenants=TENANTS,
        district_years=[("430405", 2022), ("430405", 2021)],
    )
    assert [(o.year, o.status) for o in outcomes] == [(2021, "accepted"), (2022, "accepted"), (2022, "accepted")]
    assert all("YOY001" in {f.rule_id for f in o.findings} for o in outcomes if o.year == 2022)
    assert statuses(con, year=2022) == [(1, "superseded"), (2, "accepted")]
    # Running again takes in nothing and adds no row.
    again = ingest_landed(
        con,
        archive_dir=home / "archive",
        landing_root=home / "landing",
        tenants=TENANTS,
        district_years=[("430405", 2021), ("430405", 2022)],
    )
    assert {o.status for o in again} == {"duplicate"}
    assert con.execute("SELECT count(*) FROM raw.submissions").fetchone() == (3,)


def test_examining_in_worker_processes_reaches_the_same_verdicts(tmp_path):
    """A first run with many files examines them in one process per core; nothing may differ from examining here."""
    from intake.submission import Examiner

    results = []
    for mode, parallel_from in (("here", 10_000), ("workers", 1)):
        home = tmp_path / mode
        land_file(home / "landing", home / "a.txt", 2022, "430405", report())
        land_file(home / "landing", home / "b.txt", 2022, "430406", report(union="雁峰区总工会", living=305000))
        land_file(home / "landing", home / "c.txt", 2022, "430407", report(union="雁峰区总工会"))
        land_file(home / "landing", home / "d.docx", 2022, "430408", b"broken")
        examiner = Examiner(TENANTS, parallel_from=parallel_from)
        examiner.workers = 2
        con = warehouse.connect(home / "work.duckdb")
        try:
            outcomes = ingest_landed(
                con,
                archive_dir=home / "archive",
                landing_root=home / "landing",
                tenants=TENANTS,
                district_years=[(c, 2022) for c in TENANTS],
                examiner=examiner,
            )
            facts = con.execute("SELECT count(*) FROM raw.facts").fetchall()
        finally:
            con.close()
        results.append(
            (
                [(o.district_code, o.status, o.fact_count, sorted(f.rule_id for f in o.findings)) for o in outcomes],
                facts,
            )
        )
    assert results[0] == results[1]
    assert [status for _, status, _, _ in results[0][0]] == ["accepted", "rejected", "quarantined", "quarantined"]


def test_unchanged_landed_files_are_not_read_again(env):
    """A nightly run over every stored file costs a stat per file: size, mtime and the inode's change time unchanged
    → the recorded hash is trusted; an edit changes the change time even when it puts size and mtime back, so the
    file is read and hashed again (never silently ignored)."""
    home, con = env
    path = land_file(home / "landing", home / "a.txt", 2022, "430405", report())
    kwargs = dict(
        archive_dir=home / "archive", landing_root=home / "landing", tenants=TENANTS, district_years=[("430405", 2022)]
    )
    assert [o.status for o in ingest_landed(con, **kwargs)] == ["accepted"]
    assert con.execute("SELECT path, sha256 FROM raw.landed_files").fetchall() == [
        ("2022/430405/a.txt", sha256_of(report()))
    ]
    assert [o.status for o in ingest_landed(con, **kwargs)] == ["duplicate"]  # untouched: not read
    stat = path.stat()
    same_size = report(living=205001)  # other bytes, same length, mtime put back
    path.write_bytes(same_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = ingest_landed(con, **kwargs)
    assert [(o.status, o.version, o.sha256) for o in again] == [("accepted", 2, sha256_of(same_size))]


def test_a_crashing_rule_quarantines_that_file_and_the_others_go_on(env, monkeypatch):
    """Fault injection: a bug in the rule catalogue for one district's file must not cost the other districts."""
    import intake.submission as submission

    home, con = env
    real = submission.run_submission_rules

    def buggy(ctx):
        if ctx.district_code == "430405":
            raise RuntimeError("rule bug")
        return real(ctx)

    monkeypatch.setattr(submission, "run_submission_rules", buggy)
    land_file(home / "landing", home / "a.txt", 2022, "430405", report())
    land_file(home / "landing", home / "b.txt", 2022, "430406", report(union="雁峰区总工会"))
    outcomes = ingest_landed(
        con,
        archive_dir=home / "archive",
        landing_root=home / "landing",
        tenants=TENANTS,
        district_years=[("430405", 2022), ("430406", 2022)],
    )
    assert [(o.district_code, o.status) for o in outcomes] == [("430405", "quarantined"), ("430406", "accepted")]
    assert "校验时发生内部错误（RuntimeError）" in outcomes[0].message
    assert (home / "archive" / sha256_of(report())).exists()
    (org,) = con.execute("SELECT doc_org FROM raw.submissions WHERE district_code = '430405'").fetchone()
    assert org == "珠晖区总工会"


@pytest.mark.parametrize(
    "title", ["珠晖区总工会2022-2023年度部门整体支出绩效报告", "珠晖区总工会2022年度、2023年度部门整体支出绩效报告"]
)
def test_a_report_covering_two_years_is_refused_for_both_with_a_clear_message(env, title):
    data = report().decode("utf-8").replace("珠晖区总工会2022年度部门整体支出绩效报告", title).encode("utf-8")
    for year in (2022, 2023):
        outcome = submit(env, data, name=f"{year}.txt", year=year)
        assert outcome.status == "quarantined" and "分别报送" in outcome.message and "2023" in outcome.message


def test_every_file_under_landing_gets_a_visible_outcome(env):
    """Nothing is silently ignored: a GBK name copied from a Windows share, hidden files, sub-folders, folders that
    are no registered code, a linked district folder, a misplaced file — each is set aside into refused/ with a
    receipt, recorded in the audit log and listed with its reason, and the good file beside them is taken in."""
    home, con = env
    landing = home / "landing"
    good = land_file(landing, home / "报告.txt", 2022, "430405", report())
    gbk_name = os.fsdecode("珠晖区报告.txt".encode("gbk"))  # not UTF-8
    (landing / "2022" / "430405" / gbk_name).write_bytes(report(living=205001))
    (landing / "2022" / "430405" / ".hidden.txt").write_bytes(b"x")
    (landing / "2022" / "430405" / "sub").mkdir()
    (landing / "2022" / "430405" / "sub" / "inner.txt").write_bytes(b"x")
    for folder in ("南岳区", "43041", "430412 "):
        (landing / "2022" / folder).mkdir()
        (landing / "2022" / folder / "report.txt").write_bytes(b"x")
    (landing / "2022" / "430406").symlink_to(landing / "2022" / "430405")
    (landing / "2022" / "misplaced.txt").write_bytes(b"x")
    (landing / "2099").mkdir()
    (landing / "2099" / "note.txt").write_bytes(b"x")
    outcomes = ingest_landed(
        con,
        archive_dir=home / "archive",
        landing_root=landing,
        tenants=TENANTS,
        district_years=[("430405", 2022)],
        refused_dir=home / "refused",
    )
    by_status: dict[str, list] = {}
    for o in outcomes:
        by_status.setdefault(o.status, []).append(o)
    assert [o.file_name for o in by_status["accepted"]] == [good.name]
    refused = {o.message for o in by_status["refused"]}
    assert len(refused) == 9
    for expected in (
        "UTF-8",
        "隐藏文件",
        "子文件夹",
        "“南岳区”不是登记的区县代码",
        "“43041”",
        "“430412 ”",
        "符号链接",
        "位置不对",
        "“2099”不是可接收的年度",
    ):
        assert any(expected in m for m in refused), expected
    assert any("珠晖区报告.txt" in m for m in refused)  # the GBK name shown readably
    left = sorted(p.relative_to(landing).as_posix() for p in landing.rglob("*") if p.is_file() or p.is_symlink())
    assert left == ["2022/430405/报告.txt"]  # set aside: not reported again
    kept = [
        p for p in (home / "refused").rglob("*") if (p.is_file() or p.is_symlink()) and not p.name.endswith(".回执.txt")
    ]
    assert len(kept) == 9 and all(p.with_name(p.name + ".回执.txt").exists() for p in kept)
    logged = con.execute("SELECT count(*) FROM raw.audit_log WHERE action = 'set_aside'").fetchone()[0]
    assert logged == 9
    again = ingest_landed(
        con,
        archive_dir=home / "archive",
        landing_root=landing,
        tenants=TENANTS,
        district_years=[("430405", 2022)],
        refused_dir=home / "refused",
    )
    assert [o.status for o in again] == ["duplicate"]


def test_a_file_about_another_year_leaves_landing(env):
    home, con = env
    path = land_file(home / "landing", home / "报告.txt", 2022, "430405", report(year=2024))
    (outcome,) = ingest_landed(
        con,
        archive_dir=home / "archive",
        landing_root=home / "landing",
        tenants=TENANTS,
        district_years=[("430405", 2022)],
        refused_dir=home / "refused",
    )
    assert outcome.status == "quarantined" and "2024" in outcome.message and "已移至" in outcome.message
    assert not path.exists() and list((home / "refused").rglob("报告.txt"))


def test_receipts_a_crash_kept_from_being_written_are_written_by_the_next_run(env):
    home, con = env
    land_file(home / "landing", home / "a.txt", 2022, "430405", report())
    land_file(home / "landing", home / "b.txt", 2022, "430406", report(union="雁峰区总工会", living=405000))
    kwargs = dict(
        archive_dir=home / "archive",
        landing_root=home / "landing",
        tenants=TENANTS,
        district_years=[("430405", 2022), ("430406", 2022)],
        receipts_dir=home / "receipts",
    )
    ingest_landed(con, **kwargs)
    receipts = sorted(p.name for p in (home / "receipts").iterdir())
    assert receipts == ["430405-2022-v1.txt", "430406-2022-v1.txt"]
    for p in (home / "receipts").iterdir():  # the crash: rows committed, receipt files never written
        p.unlink()
    assert [o.status for o in ingest_landed(con, **kwargs)] == ["duplicate", "duplicate"]
    assert sorted(p.name for p in (home / "receipts").iterdir()) == receipts
    text = (home / "receipts" / "430406-2022-v1.txt").read_text(encoding="utf-8")
    assert "待更正" in text and "BRK001" in text and "补发" in text


def test_files_set_aside_are_listed_on_the_validation_page(env):
    from reporting.validation_page import render_validation_page

    home, con = env
    (home / "landing" / "2022" / "南岳区").mkdir(parents=True)
    (home / "landing" / "2022" / "南岳区" / "报告.txt").write_bytes(report())
    ingest_landed(
        con,
        archive_dir=home / "archive",
        landing_root=home / "landing",
        tenants=TENANTS,
        district_years=[],
        refused_dir=home / "refused",
    )
    page = render_validation_page(con, [], home / "validation.html").read_text(encoding="utf-8")
    assert "未接收的文件" in page and "“南岳区”不是登记的区县代码" in page
