"""A district's own extract as a workbook: its submissions, the figures read from them and the findings — the rows
of its tenant file (warehouse/tenants/<code>.duckdb), which holds no other district's data."""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.db import beijing_minute, query_frame
from core.labels import SEVERITY_ZH, STATUS_ZH
from ingest.taxonomy import category_zh
from reporting.data import MEASURE_ZH
from reporting.workbook import COUNT_FORMAT, YUAN_FORMAT, _Book


def write_district_workbook(tenant_db: Path, path: Path, *, union_name: str) -> Path:
    con = duckdb.connect(str(tenant_db), read_only=True)
    try:
        submissions = query_frame(
            con,
            """SELECT year, version, file_name, received_at, status, status_reason, submission_id FROM raw.submissions
               ORDER BY year DESC, version DESC""",
        ).to_dicts()
        facts = query_frame(
            con,
            """SELECT s.year, s.version, f.fact_id, f.label, f.value, f.kind, f.unit, f.measure, f.category, f.source_text
               FROM raw.facts f JOIN raw.submissions s USING (submission_id)
               WHERE s.status IN ('accepted', 'rejected') ORDER BY s.year DESC, s.version DESC, f.span_start NULLS LAST""",
        ).to_dicts()
        findings = query_frame(
            con,
            """SELECT s.year, s.version, g.rule_id, g.severity, g.message, g.fact_id
               FROM raw.submission_findings g JOIN raw.submissions s USING (submission_id)
               ORDER BY s.year DESC, s.version DESC, g.rule_id""",
        ).to_dicts()
    finally:
        con.close()
    book = _Book(
        path, title=f"{union_name}报送数据", subtitle=f"导出时间 {beijing_minute()}（北京时间）", maker=union_name
    )
    book.sheet(
        "报送记录",
        [
            ("年度", None),
            ("版本", None),
            ("文件", None),
            ("接收时间（北京时间）", None),
            ("状态", None),
            ("说明", None),
            ("登记编号", None),
        ],
        [
            [
                s["year"],
                s["version"],
                s["file_name"],
                beijing_minute(s["received_at"]),
                STATUS_ZH.get(s["status"], s["status"]),
                s["status_reason"] or "",
                s["submission_id"],
            ]
            for s in submissions
        ],
    )
    book.sheet(
        "读取的数字",
        [
            ("年度", None),
            ("版本", None),
            ("编号", None),
            ("项目", None),
            ("金额（元）", YUAN_FORMAT),
            ("数量", COUNT_FORMAT),
            ("单位", None),
            ("口径", None),
            ("类别", None),
            ("原文", None),
        ],
        [
            [
                f["year"],
                f["version"],
                f["fact_id"],
                f["label"],
                f["value"] if f["kind"] == "amount" else None,
                f["value"] if f["kind"] != "amount" else None,
                "元" if f["kind"] == "amount" else f["unit"],
                MEASURE_ZH.get(f["measure"], ""),
                category_zh(f["category"]),
                f["source_text"],
            ]
            for f in facts
        ],
        note="每个数字均注明来源原文；金额一律折算为元。",
    )
    book.sheet(
        "校验问题",
        [("年度", None), ("版本", None), ("规则", None), ("级别", None), ("问题", None), ("相关数字", None)],
        [
            [
                g["year"],
                g["version"],
                g["rule_id"],
                SEVERITY_ZH.get(g["severity"], g["severity"]),
                g["message"],
                g["fact_id"] or "",
            ]
            for g in findings
        ],
    )
    return book.close()
