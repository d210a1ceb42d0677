"""reports/<year>/feedback/<code>.html: what the city read from one district's file and what it must correct.

Only that district's rows are read (every query is filtered by its code), so a page can be sent to the district.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.receipt import STATUS_ZH
from ingest.warehouse import now_utc, query_frame
from reporting.render import environment

CORRECTION_HINTS = {
    "BRK001": "请核对该合计数及其“其中”各项明细，确保明细之和不超过合计数。",
    "IDN001": "请核对部门整体支出、基本支出、项目支出三个数字，确保基本支出与项目支出之和等于部门整体支出。",
    "DOC001": "请确认报送的是部门整体支出绩效报告，或改用统一报表模板（uwh template 生成）。",
    "TPL001": "请按单元格提示更正模板中的数字或选项。",
}


def render_district_feedback(con: duckdb.DuckDBPyConnection, year: int, district_code: str, out_dir: Path) -> Path:
    submissions = query_frame(con, """SELECT s.*, coalesce(d.union_name, s.district_code) AS union_name
                                      FROM raw.submissions s LEFT JOIN marts.dim_district d USING (district_code)
                                      WHERE s.district_code = ? AND s.year = ? ORDER BY s.version""",
                              [district_code, year]).to_dicts()
    latest = submissions[-1] if submissions else None
    facts, findings = [], []
    if latest:
        text = latest["document_text"] or ""
        facts = query_frame(con, "SELECT * FROM raw.facts WHERE submission_id = ? ORDER BY span_start NULLS LAST",
                            [latest["submission_id"]]).to_dicts()
        for f in facts:
            f["written"] = text[f["span_start"]:f["span_end"]] if f["span_start"] is not None else None
        findings = query_frame(con, """SELECT * FROM raw.submission_findings WHERE submission_id = ?
                                       ORDER BY CASE severity WHEN 'fatal' THEN 0 ELSE 1 END, rule_id""",
                               [latest["submission_id"]]).to_dicts()
    html = environment().get_template("feedback.html.j2").render(
        year=year, district_code=district_code, submissions=submissions, latest=latest, facts=facts,
        findings=findings, hints=CORRECTION_HINTS, status_zh=STATUS_ZH,
        generated_at=now_utc().strftime("%Y-%m-%d %H:%M"))
    path = out_dir / "feedback" / f"{district_code}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
