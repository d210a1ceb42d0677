"""Bad and unusual inputs landed beside the bundled samples, then one real pipeline run (Dagster, dbt, DuckDB).

usage: python bench/probe_bad_inputs.py [--keep DIR]
Prints, per input, what became of it, then the counts the reliability issue asks for: inputs that block the city
(the run fails or nothing is published), that publish wrong data (the city rollup differs from the samples' own
run), that are silently ignored (no outcome in the run, the audit log or refused/), that show a traceback; and the
peak memory of the run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dagster as dg  # noqa: E402
import duckdb  # noqa: E402

from core.config import Layout  # noqa: E402
from ingest.template import write_template  # noqa: E402
from ingest.tenants import load_tenants  # noqa: E402
from intake.landing import printable  # noqa: E402
from orchestration.runner import run_pipeline  # noqa: E402
from union_warehouse.demo import land_samples  # noqa: E402

REPORT = "珠晖区总工会{year}年度部门整体支出绩效报告\n一、部门概况\n部门整体支出为107.70万元，其中基本支出71.56万元，项目支出36.14万元。\n"


def _template(path: Path, cells: dict[str, object], rows: list[list] | None = None) -> bytes:
    from openpyxl import load_workbook

    write_template(path, union_name="珠晖区总工会", district_code="430405", year=2023)
    wb = load_workbook(path)
    for cell, value in cells.items():
        wb["概况"][cell] = value
    for row in rows or []:
        wb["支出"].append(row)
    wb.save(path)
    return path.read_bytes()


def bad_inputs(work: Path) -> list[tuple[str, str, bytes | None]]:
    """(what it is, where under landing/, bytes) — bytes None for links made separately."""
    rng = random.Random(2026)
    docx_bomb = work / "bomb.docx"
    with zipfile.ZipFile(docx_bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:t>" + b"A" * 30_000_000 + b"</w:t>")
    return [
        (
            "GBK file name",
            "2023/430405/" + os.fsdecode("珠晖区报告.txt".encode("gbk")),
            REPORT.format(year=2023).encode(),
        ),
        (
            "template 1e400 / Infinity / nan",
            "2023/430406/模板.xlsx",
            _template(work / "a.xlsx", {"B5": "1e400", "B6": "Infinity", "B7": "nan"}),
        ),
        ("template formula without result", "2023/430407/模板.xlsx", _template(work / "b.xlsx", {"B5": "=B6+B7"})),
        (
            "template with 2,500 rows",
            "2023/430408/模板.xlsx",
            _template(work / "c.xlsx", {}, [[n, f"项目{n}", "其他活动", "实际支出", 1, None, ""] for n in range(2500)]),
        ),
        (
            "30 nines",
            "2023/430421/报告.txt",
            ("衡阳县总工会2023年度部门整体支出绩效报告\n部门整体支出为" + "9" * 30 + "元。").encode(),
        ),
        (
            "400-digit amount",
            "2023/430422/报告.txt",
            ("衡南县总工会2023年度部门整体支出绩效报告\n部门整体支出为" + "9" * 400 + "元。").encode(),
        ),
        (
            "Big5 text",
            "2021/430412/报告.txt",
            "南嶽區總工會2021年度部門整體支出績效報告\n部門整體支出為107.70萬元。".encode("big5"),
        ),
        ("random bytes", "2023/430424/报告.txt", bytes(rng.randrange(128, 256) for _ in range(4000))),
        ("empty file", "2023/430426/报告.txt", b""),
        ("zip bomb as docx", "2023/430481/报告.docx", docx_bomb.read_bytes()),
        ("docx that is no zip", "2023/430482/报告.docx", b"not a zip at all"),
        ("PDF garbage", "2022/430405/报告.pdf", b"%PDF-1.4 garbage"),
        ("old .doc", "2022/430406/报告.doc", b"\xd0\xcf\x11\xe0 old word"),
        ("unknown type", "2022/430407/报告.exe", b"MZ"),
        (
            "two-year report",
            "2022/430408/报告.txt",
            REPORT.format(year="2022-2023").replace("珠晖区", "蒸湘区").encode(),
        ),
        (
            "report of another year",
            "2022/430421/报告.txt",
            REPORT.format(year=2019).replace("珠晖区", "衡阳县").encode(),
        ),
        ("another district's report", "2022/430422/报告.txt", REPORT.format(year=2022).encode()),
        ("hidden file", "2022/430405/.~报告.txt", b"x"),
        ("file in a sub-folder", "2022/430405/附件/报告.txt", REPORT.format(year=2022).encode()),
        ("folder named by name", "2022/南岳区/报告.txt", REPORT.format(year=2022).encode()),
        ("folder with a trailing space", "2022/430412 /报告.txt", REPORT.format(year=2022).encode()),
        ("five-digit folder", "2022/43041/报告.txt", REPORT.format(year=2022).encode()),
        ("future year folder", "2099/430405/报告.txt", REPORT.format(year=2099).encode()),
        ("file at the landing root", "报告.txt", REPORT.format(year=2022).encode()),
        ("text of 600,000 characters", "2021/430405/长报告.txt", ("正文内容。" * 120_000).encode()),
        ("report with no figures", "2021/430406/报告.txt", "雁峰区总工会2021年度工作总结\n全年工作稳步推进。".encode()),
        ("CSV with nan", "2021/430407/模板.csv", "表,项目名称,金额（元）\n概况,部门整体支出,nan\n".encode()),
    ]


def rollup(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""SELECT year, district_code, status, total_spending_yuan, aid_yuan
                              FROM reports.rpt_city_rollup ORDER BY 1, 2""").fetchall()
    finally:
        con.close()


def run(home: Path) -> tuple[object, list]:
    layout = Layout(home).ensure()
    (home / ".dagster").mkdir(exist_ok=True)
    with (
        dg.instance_for_test(temp_dir=str(home / ".dagster")) as instance,
        (home / "run.log").open("w", encoding="utf-8") as log,
        contextlib.redirect_stdout(log),
    ):
        summary = run_pipeline(layout, instance, codes=list(load_tenants(layout.registry)))
    return layout, summary


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="keep the probe's home here")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="uwh-probe-"))
    baseline_home, probe_home, work = root / "baseline", root / "probe", root / "work"
    for d in (baseline_home, probe_home, work):
        d.mkdir(parents=True, exist_ok=True)
    land_samples(Layout(baseline_home).ensure().landing)
    base_layout, base = run(baseline_home)
    assert base.success, base.error
    layout = Layout(probe_home).ensure()
    land_samples(layout.landing)
    inputs = bad_inputs(work)
    for _, where, data in inputs:
        target = layout.landing / where
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (layout.landing / "2022" / "430405" / "链接.txt").symlink_to("/etc/hostname")
    (layout.landing / "2020").mkdir(exist_ok=True)
    (layout.landing / "2020" / "430405").symlink_to(layout.landing / "2021" / "430405", target_is_directory=True)
    inputs += [
        ("link to a file outside landing", "2022/430405/链接.txt", None),
        ("linked district folder", "2020/430405", None),
    ]
    layout, summary = run(probe_home)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    published = summary.success and layout.published_db.exists()
    con = duckdb.connect(str(layout.work_db), read_only=True)
    audit = " ".join(d or "" for (d,) in con.execute("SELECT detail FROM raw.audit_log").fetchall())
    reasons = " ".join(r or "" for (r,) in con.execute("SELECT status_reason FROM raw.submissions").fetchall())
    findings = " ".join(m for (m,) in con.execute("SELECT message FROM raw.submission_findings").fetchall())
    filed = {
        f"{y}/{c}/{n}"
        for y, c, n in con.execute("SELECT year, district_code, file_name FROM raw.submissions").fetchall()
    }
    con.close()
    receipts = " ".join(p.read_text(encoding="utf-8") for p in layout.receipts.glob("*.txt"))
    refused = " ".join(p.read_text(encoding="utf-8") for p in layout.refused.rglob("*.回执.txt"))
    said = "\n".join([audit, reasons, findings, receipts, refused, *(o["message"] for o in summary.submissions)])
    ignored, tracebacks = [], "Traceback" in said or "Error:" in said
    print(f"{'input':<34} outcome")
    for what, where, _ in inputs:
        shown = printable(Path("/landing") / where, Path("/landing"))
        seen = where in filed or f"landing/{shown}" in refused  # a submission row, or a set-aside receipt
        print(f"{what:<34} {'seen' if seen else 'IGNORED'}")
        if not seen:
            ignored.append(what)
    # wrong data: every sample district-year must roll up as in the samples' own run (bad files may add rejected
    # or quarantined rows, never change an accepted figure)
    base_rows = {(y, c): (s, t, a) for y, c, s, t, a in rollup(base_layout.published_db)}
    probe_rows = {(y, c): (s, t, a) for y, c, s, t, a in rollup(layout.published_db)} if published else {}
    wrong = [key for key, row in base_rows.items() if row[0] == "accepted" and probe_rows.get(key) != row]
    for key in wrong:
        print(f"changed: {key} {base_rows[key]} → {probe_rows.get(key)}")
    print(
        f"\ninputs {len(inputs)} | block the city {0 if published else len(inputs)} | publish wrong data "
        f"{len(wrong)} | silently ignored {len(ignored)} | show a traceback {int(tracebacks)} | "
        f"peak memory {peak_mb:.0f} MB"
    )
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if published and not wrong and not ignored and not tracebacks else 1


if __name__ == "__main__":
    sys.exit(main())
