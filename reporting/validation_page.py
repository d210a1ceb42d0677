"""The page of the last validation (our equivalent of GX Data Docs): the rule catalogue, every submission's verdict
and the city reconciliations, written even when a city rule blocks the report — that is when it is needed most."""

from __future__ import annotations

import html
from pathlib import Path

import duckdb

from core.db import beijing_minute
from core.labels import SEVERITY_ZH
from expectations.catalogue import submission_rules
from expectations.city_suite import CityCheckOutcome, city_rules

STYLE = """body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;
vertical-align:top}th{background:#eef3f8}.pass{color:#17803d}.fail{color:#b42318;font-weight:bold}
.fatal{color:#b42318}.warning{color:#a15c07}"""


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_validation_page(con: duckdb.DuckDBPyConnection, city: list[CityCheckOutcome], out: Path) -> Path:
    e = html.escape
    catalogue = [
        [e(r.id), f'<span class="{r.severity}">{SEVERITY_ZH[r.severity]}</span>', e(r.description_zh)]
        for r in submission_rules()
    ]
    catalogue += [[e(r.id), SEVERITY_ZH["city"], e(r.message_zh)] for r in city_rules()]
    verdicts = con.execute(
        """SELECT s.submission_id, s.district_code, s.year, s.status,
                  count(f.rule_id) FILTER (WHERE f.severity = 'fatal'), count(f.rule_id) FILTER (WHERE f.severity = 'warning'),
                  count(f.rule_id) FILTER (WHERE f.rule_id = 'RDG001'),
                  coalesce(string_agg(f.rule_id || '：' || f.message, '<br>' ORDER BY f.severity, f.rule_id), '')
           FROM raw.submissions s LEFT JOIN raw.submission_findings f USING (submission_id)
           GROUP BY ALL ORDER BY s.year, s.district_code, s.submission_id"""
    ).fetchall()
    submissions = [
        [
            e(sid),
            e(code),
            str(year),
            e(status),
            str(fatal),
            str(warn),
            str(unread),
            "<br>".join(e(part) for part in detail.split("<br>")) if detail else "",
        ]
        for sid, code, year, status, fatal, warn, unread, detail in verdicts
    ]

    def audit_rows(actions: tuple[str, ...]) -> list[list[str]]:
        return [
            [e(str(at)[:16]), e(code or ""), str(year or ""), e(sid or ""), e(detail or "")]
            for at, code, year, sid, detail in con.execute(
                f"""SELECT logged_at, district_code, year, submission_id, detail FROM raw.audit_log
                        WHERE action IN ({", ".join("?" * len(actions))}) ORDER BY logged_at DESC""",
                list(actions),
            ).fetchall()
        ]

    to_check = audit_rows(("same_file_elsewhere",))
    not_taken_in = audit_rows(("set_aside",))
    city_rows = [
        [
            e(o.rule.id),
            f'<span class="{"pass" if o.passed else "fail"}">{"通过" if o.passed else "未通过"}</span>',
            str(o.checked),
            e("; ".join(f"{f['figure']}: {f['claimed']} ≠ {f['recomputed']}" for f in o.failures[:20])),
        ]
        for o in city
    ]
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>数据校验结果</title>
<style>{STYLE}</style></head><body><h1>数据校验结果</h1><p>生成时间：{beijing_minute()}（北京时间）</p>
<h2>全市汇总核对</h2>{_table(["规则", "结果", "核对数字数", "不一致之处"], city_rows)}
<h2>各区县报送校验</h2>
<p>“未读出金额”：报告中有金额而未能读出的句子数（规则 RDG001），应为 0；不为 0 时请区县核对写法。</p>
{_table(["登记编号", "区县代码", "年度", "状态", "须更正", "提示", "未读出金额", "问题"], submissions)}
<h2>未接收的文件</h2><p>接收目录中不能读取的文件（位置、文件名、年度等不对）已移至 refused/ 并附回执：</p>
{_table(["时间", "区县代码", "年度", "登记编号", "原因"], not_taken_in) if not_taken_in else "<p>无</p>"}
<h2>需市总工会核查</h2><p>同一文件由不同区县报送（各区县只看到自己的报送）：</p>
{_table(["时间", "区县代码", "年度", "登记编号", "说明"], to_check) if to_check else "<p>无</p>"}
<h2>规则目录</h2>{_table(["规则", "级别", "说明"], catalogue)}</body></html>"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
