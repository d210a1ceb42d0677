"""reports/<year>/feedback/<code>.html: what the city read from one district's file and what it must correct.

A page holds only that district's rows (every query is filtered by the codes asked for and each page by its own), so
it can be sent to the district.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.db import beijing_minute, query_frame
from core.labels import STATUS_ZH
from core.settings import installation_settings
from reporting.render import environment

CORRECTION_HINTS = {
    "BRK001": "请核对该合计数及其“其中”各项明细，确保明细之和不超过合计数。",
    "IDN001": "请核对部门整体支出、基本支出、项目支出三个数字，确保基本支出与项目支出之和等于部门整体支出。",
    "DOC001": "请确认报送的是部门整体支出绩效报告，或改用统一报表模板（uwh template 生成）。",
    "TPL001": "请按单元格提示更正模板中的数字或选项。",
}


def due_date_zh(year: int) -> str:
    """When a year's report is due: the installation's deadline (month-day) of the following year, in Chinese."""
    due = installation_settings().due_date(year)
    return f"{due.year}年{due.month}月{due.day}日"


def render_feedback_pages(
    con: duckdb.DuckDBPyConnection, year: int, district_codes: list[str], out_dir: Path
) -> list[Path]:
    """One page per district of the year, from three queries for all of them (not three per page)."""
    codes = sorted(set(district_codes))
    submissions = query_frame(
        con,
        """SELECT s.*, coalesce(d.union_name, s.district_code) AS union_name
                                      FROM raw.submissions s LEFT JOIN marts.dim_district d USING (district_code)
                                      WHERE s.year = ? AND list_contains(?, s.district_code)
                                      ORDER BY s.district_code, s.version""",
        [year, codes],
    ).to_dicts()
    by_code: dict[str, list[dict]] = {}
    for row in submissions:
        by_code.setdefault(row["district_code"], []).append(row)
    latest_ids = [rows[-1]["submission_id"] for rows in by_code.values()]
    facts = _grouped(
        con,
        """SELECT f.*, p.page AS scan_page, p.confidence AS scan_confidence, p.crop_png AS scan_png
           FROM raw.facts f LEFT JOIN raw.scan_places p USING (submission_id, fact_id)
           WHERE list_contains(?, f.submission_id)
           ORDER BY f.submission_id, f.span_start NULLS LAST""",
        latest_ids,
    )
    findings = _grouped(
        con,
        """SELECT * FROM raw.submission_findings WHERE list_contains(?, submission_id)
                                ORDER BY submission_id, CASE severity WHEN 'fatal' THEN 0 ELSE 1 END, rule_id""",
        latest_ids,
    )
    names = dict(
        con.execute(
            "SELECT district_code, union_name FROM marts.dim_district WHERE list_contains(?, district_code)", [codes]
        ).fetchall()
    )
    # where the figures the city sums stand (报送 → 确认 → 审核), and the city's comment when it returned them
    reviews = {
        code: {"state": state, "state_zh": state_zh, "return_comment": comment, "submission_id": sid}
        for code, state, state_zh, comment, sid in con.execute(
            """SELECT district_code, review_state, review_state_zh, return_comment, submission_id
               FROM reports.rpt_city_rollup WHERE year = ? AND list_contains(?, district_code)""",
            [year, codes],
        ).fetchall()
    }
    template = environment().get_template("feedback.html.j2")
    generated_at = beijing_minute()
    written = []
    for code in codes:
        versions = by_code.get(code, [])
        latest = versions[-1] if versions else None
        own_facts = facts.get(latest["submission_id"], []) if latest else []
        text = (latest or {}).get("document_text") or ""
        children: dict[str, list[str]] = {}  # a finding's fact and its items are marked together
        for f in own_facts:
            f["written"] = text[f["span_start"] : f["span_end"]] if f["span_start"] is not None else None
            if f["parent_fact_id"]:
                children.setdefault(f["parent_fact_id"], []).append(f["fact_id"])
        html = template.render(
            year=year,
            district_code=code,
            union_name=names.get(code) or (latest or {}).get("union_name") or code,
            due=due_date_zh(year),
            contact=installation_settings().contact,
            submissions=versions,
            latest=latest,
            facts=own_facts,
            findings=findings.get(latest["submission_id"], []) if latest else [],
            children=children,
            hints=CORRECTION_HINTS,
            status_zh=STATUS_ZH,
            review=reviews.get(code, {}),
            generated_at=generated_at,
        )
        path = out_dir / "feedback" / f"{code}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written


def _grouped(con: duckdb.DuckDBPyConnection, sql: str, submission_ids: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in query_frame(con, sql, [submission_ids]).to_dicts():
        out.setdefault(row["submission_id"], []).append(row)
    return out
