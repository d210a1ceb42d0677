"""The page of the last validation (our equivalent of GX Data Docs): the rule catalogue, every submission's verdict
and the city reconciliations, written even when a city rule blocks the report — that is when it is needed most."""

from __future__ import annotations

import html
from pathlib import Path

import duckdb

from core.db import beijing_minute
from core.labels import CORRECTION_ZH, SEVERITY_ZH, STATUS_ZH
from expectations.catalogue import COVERAGE_RULE_ID, COVERAGE_RULE_ZH, submission_rules
from expectations.city_suite import CityCheckOutcome, city_rules
from reporting.data import AREA_ZH

STYLE = """body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;
vertical-align:top}th{background:#eef3f8}.pass{color:#17803d}.fail{color:#b42318;font-weight:bold}
.fatal{color:#b42318}.warning{color:#a15c07}.filter{margin:.5em 0}.filter #q{padding:3px 6px;width:16em;margin-right:1em}"""

# Filters the district tables in place (no network, no library): by text, and to the rows that need attention.
FILTER_SCRIPT = """<script>
function applyFilter(){var q=document.getElementById('q').value.trim(),only=document.getElementById('only').checked;
document.querySelectorAll('table.filterable tbody tr').forEach(function(tr){
var show=(!q||tr.textContent.indexOf(q)>=0)&&(!only||tr.classList.contains('problem'));tr.style.display=show?'':'none';});}
document.getElementById('q').addEventListener('input',applyFilter);
document.getElementById('only').addEventListener('change',applyFilter);applyFilter();
</script>"""


def _table(headers: list[str], rows: list[list[str]], *, problems: list[bool] | None = None, css: str = "") -> str:
    """A table of escaped cells; rows flagged in `problems` carry class="problem" (the filter's 只看有问题的)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    flags = problems or [False] * len(rows)
    body = "".join(
        ('<tr class="problem">' if flag else "<tr>") + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
        for row, flag in zip(rows, flags, strict=True)
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _built(con: duckdb.DuckDBPyConnection, report: str) -> bool:
    """Whether dbt built the report table (the page is written whatever failed)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'reports' AND table_name = ?", [report]
    ).fetchone()
    return bool(found and found[0])


def _feedback_link(code: str, year: int, name: str) -> str:
    return f'<a href="../{year}/feedback/{html.escape(code)}.html">{html.escape(name)}</a>'


def _district_years(con: duckdb.DuckDBPyConnection) -> tuple[list[list[str]], list[bool]]:
    """Every registered district-year (missing ones too), those that need attention first, with the findings of the
    version that decides it (and COV001 for a district that has not reported)."""
    e = html.escape
    if not _built(con, "rpt_city_rollup"):  # the models did not build: the files' verdicts still show
        return [], []
    rows = con.execute(
        """SELECT * FROM (
               SELECT r.year, r.district_code, r.district_name, r.status, r.status_zh, r.version,
                      count(f.rule_id) FILTER (WHERE f.severity = 'fatal') AS fatal,
                      count(f.rule_id) FILTER (WHERE f.severity = 'warning') AS warn,
                      coalesce(string_agg(f.rule_id || '：' || f.message, chr(10) ORDER BY f.severity, f.rule_id), '')
               FROM reports.rpt_city_rollup r LEFT JOIN marts.dq_findings f USING (district_code, year)
               GROUP BY ALL)
           ORDER BY status = 'accepted' AND fatal = 0 AND warn = 0, year DESC, district_code"""
    ).fetchall()
    cells, problems = [], []
    for year, code, name, status, status_zh, version, fatal, warn, detail in rows:
        cells.append(
            [
                _feedback_link(code, year, name),
                e(code),
                str(year),
                f'<span class="{"pass" if status == "accepted" else "fail"}">{e(status_zh)}</span>',
                f"第{version}版" if version else "—",
                str(fatal),
                str(warn),
                "<br>".join(e(line) for line in detail.split("\n")) if detail else "",
            ]
        )
        problems.append(status != "accepted" or fatal > 0 or warn > 0)
    return cells, problems


def _reading_accuracy(con: duckdb.DuckDBPyConnection) -> str:
    """读数在实际报送中的准确度: what districts corrected of the reader's facts, per 100 headline figures of the
    versions they confirmed (reports.rpt_reading_accuracy), the measure of the reader on real submissions."""
    e = html.escape
    rows = (
        con.execute(
            """SELECT year, correction, category_area, corrections, checked_versions, headline_figures,
                      per_100_headline_figures FROM reports.rpt_reading_accuracy
               ORDER BY year DESC, corrections DESC, correction, category_area"""
        ).fetchall()
        if _built(con, "rpt_reading_accuracy")
        else []
    )
    if not rows:
        return "<p>尚无区县确认过的数字（区县确认报送后，这里按更正类型列出读数被更正的频率）。</p>"
    cells = [
        [str(year), e(CORRECTION_ZH.get(kind, kind)), e(AREA_ZH.get(area, area or "—")), str(n),
         str(versions), str(figures), f"{per_100:.1f}"]
        for year, kind, area, n, versions, figures, per_100 in rows
    ]  # fmt: skip
    return _table(
        ["年度", "更正类型", "读数所属领域", "更正数", "已确认版本", "汇总指标数", "每100项汇总指标的更正数"], cells
    )


def render_validation_page(con: duckdb.DuckDBPyConnection, city: list[CityCheckOutcome], out: Path) -> Path:
    e = html.escape
    catalogue = [
        [e(r.id), f'<span class="{r.severity}">{SEVERITY_ZH[r.severity]}</span>', e(r.description_zh)]
        for r in submission_rules()
    ]
    catalogue += [[e(r.id), SEVERITY_ZH["city"], e(r.message_zh)] for r in city_rules()]
    catalogue.append([e(COVERAGE_RULE_ID), SEVERITY_ZH["warning"], e(COVERAGE_RULE_ZH)])
    district_years, district_problems = _district_years(con)
    verdicts = con.execute(
        """SELECT * FROM (
               SELECT s.submission_id, s.district_code, coalesce(d.district_name, s.district_code) AS name, s.year,
                      s.status,
                      count(f.rule_id) FILTER (WHERE f.severity = 'fatal') AS fatal,
                      count(f.rule_id) FILTER (WHERE f.severity = 'warning') AS warn,
                      count(f.rule_id) FILTER (WHERE f.rule_id = 'RDG001') AS unread,
                      coalesce(string_agg(f.rule_id || '：' || f.message, chr(10) ORDER BY f.severity, f.rule_id), '')
               FROM raw.submissions s LEFT JOIN raw.submission_findings f USING (submission_id)
               LEFT JOIN raw.tenants d ON d.district_code = s.district_code
               GROUP BY ALL)
           ORDER BY status IN ('accepted', 'superseded') AND fatal = 0 AND warn = 0, year DESC, district_code,
                    submission_id"""
    ).fetchall()
    submissions = [
        [
            e(sid),
            _feedback_link(code, year, name),
            str(year),
            e(STATUS_ZH.get(status, status)),
            str(fatal),
            str(warn),
            str(unread),
            "<br>".join(e(line) for line in detail.split("\n")) if detail else "",
        ]
        for sid, code, name, year, status, fatal, warn, unread, detail in verdicts
    ]
    submission_problems = [
        status not in ("accepted", "superseded") or fatal > 0 or warn > 0
        for _, _, _, _, status, fatal, warn, _, _ in verdicts
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
{
        '<p><a href="gx/index.html">Great Expectations 校验详情（Data Docs：每条全市核对规则的期望和每次运行的结果；英文技术页面，离线时无样式、目录表为空，可直接打开 gx/validations 下各次结果）</a></p>'
        if (out.parent / "gx" / "index.html").exists()
        else ""
    }
<h2>读数在实际报送中的准确度</h2>
<p>区县确认报送时对系统读数所作的更正，按每100项汇总指标（整体/基本/项目支出、帮扶金额与人次、文体活动、对下补助）计：数越小，读数越准。</p>
{_reading_accuracy(con)}
<div class="filter">筛选：<input id="q" placeholder="区县名称、代码、年度或规则">
<label><input type="checkbox" id="only"> 只看有问题的</label></div>
<h2>各区县各年度情况</h2>
<p>每个登记区县每年一行（含未报送的区县），需要处理的排在前面；区县名称链接到其反馈页。</p>
{
        _table(
            ["区县", "区县代码", "年度", "状态", "采用版本", "须更正", "提示", "问题"],
            district_years,
            problems=district_problems,
            css="filterable",
        )
    }
<h2>各报送文件校验</h2>
<p>“未读出金额”：报告中有金额而未能读出的句子数（规则 RDG001），应为 0；不为 0 时请区县核对写法。</p>
{
        _table(
            ["登记编号", "区县", "年度", "状态", "须更正", "提示", "未读出金额", "问题"],
            submissions,
            problems=submission_problems,
            css="filterable",
        )
    }
<h2>未接收的文件</h2><p>接收目录中不能读取的文件（位置、文件名、年度等不对）已移至 refused/ 并附回执：</p>
{_table(["时间", "区县代码", "年度", "登记编号", "原因"], not_taken_in) if not_taken_in else "<p>无</p>"}
<h2>需市总工会核查</h2><p>同一文件由不同区县报送（各区县只看到自己的报送）：</p>
{_table(["时间", "区县代码", "年度", "登记编号", "说明"], to_check) if to_check else "<p>无</p>"}
<h2>规则目录</h2>{_table(["规则", "级别", "说明"], catalogue)}{FILTER_SCRIPT}</body></html>"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
