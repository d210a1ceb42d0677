"""reports/<year>/city_report.html and city_report.xlsx: what the city union puts in front of its leadership."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
from markupsafe import Markup

from core.db import beijing_minute
from ingest.taxonomy import category_zh
from reporting import charts, formatting
from reporting.data import AREA_ZH, FIGURE_ZH, YearData, load_year
from reporting.render import environment
from reporting.workbook import write_workbook

CHART_AREAS = ["activity", "aid", "subsidy"]
# Above this many districts a year's report keeps the rollup, charts and findings, and each district's detail tables
# and provenance move to districts/<code>.html: inline, 3,000 districts made a 40 MB page no browser opens quickly.
INLINE_DISTRICTS = 300


def is_split(district_count: int) -> bool:
    return district_count > INLINE_DISTRICTS


def _charts(d: YearData) -> dict[str, str]:
    accepted = [r for r in d.rollup if r["status"] == "accepted"]
    by_district: dict[str, dict[str, float]] = {r["district_name"]: {} for r in accepted}
    for f in d.spending:
        if (
            f["is_top_level"]
            and f["measure"] == "actual"
            and not f["derived"]
            and f["category_area"] in CHART_AREAS
            and f["category"] != "subsidy.pass_through"
            and f["district_name"] in by_district
        ):
            area = AREA_ZH[f["category_area"]]
            by_district[f["district_name"]][area] = by_district[f["district_name"]].get(area, 0) + f["amount_yuan"]
    spending_rows = sorted(by_district.items(), key=lambda kv: sum(kv[1].values()), reverse=True)
    per_person = [
        (r["district_name"], r["aid_yuan"] / r["aid_person_times"])
        for r in accepted
        if r["aid_yuan"] and r["aid_person_times"]
    ]
    subsidy_types: dict[str, float] = {}
    for f in d.subsidies:
        if f["kind"] == "amount" and f["measure"] == "actual" and f["parent_fact_id"] is not None:
            name = category_zh(f["category"])
            subsidy_types[name] = subsidy_types.get(name, 0) + f["amount_yuan"]
    # a year whose accepted districts differ from the next one's is marked: its bar is not like for like
    trend = [
        (
            f"{t['year']}年（{t['districts_accepted']}/{t['districts_expected']}个区县）"
            if any(n["coverage_differs"] for n in d.prior_years if n["year"] in (t["year"], t["year"] + 1))
            else f"{t['year']}年",
            t["total_spending_yuan"] or 0,
        )
        for t in d.prior_years
    ]
    # The SVG is built from escaped parts (reporting/charts.py), so it is marked safe for the template as a whole.
    return {
        name: Markup(svg)
        for name, svg in {
            "spending": charts.stacked_bar_chart(
                spending_rows,
                [AREA_ZH[a] for a in CHART_AREAS],
                title="各区县文体活动、困难帮扶与对下补助支出（万元，按报告所列实际支出相加）",
                value_label=lambda v: f"{formatting.wan(v)}万元",
            ),
            "aid_per_person": charts.bar_chart(
                per_person, title="各区县人均帮扶金额（元/人次）", value_label=lambda v: f"{v:,.0f}元"
            ),
            "subsidy": charts.bar_chart(
                list(subsidy_types.items()),
                title="对下补助按补助类型（万元）",
                value_label=lambda v: f"{formatting.wan(v)}万元",
            ),
            "trend": charts.bar_chart(
                trend,
                title="全市部门整体支出历年变化（万元；标注区县数的年份与相邻年份已接收区县不同）",
                value_label=lambda v: f"{formatting.wan(v)}万元",
                in_given_order=True,
            ),
        }.items()
    }


def _formulas(d: YearData) -> dict[str, dict[str, dict]]:
    """Per district and rollup figure: its sources (rpt_rollup_sources) and the formula a reader checks it by,
    '259,900.00 = f14 126,700.00 + f19 133,200.00' (a figure of one source reads '= f3 …')."""
    out: dict[str, dict[str, dict]] = {}
    for row in d.sources:
        entry = out.setdefault(row["district_code"], {}).setdefault(
            row["figure"], {"name": FIGURE_ZH[row["figure"]], "facts": [], "total": 0.0}
        )
        entry["facts"].append(row)
        entry["total"] += row["value"]
    for code, figures in out.items():
        out[code] = figures = {figure: figures[figure] for figure in FIGURE_ZH if figure in figures}  # table order
        for figure, entry in figures.items():
            show = formatting.count if figure == "aid_person_times" else formatting.yuan
            parts = " + ".join(f"{f['fact_id']} {show(f['value'])}" for f in entry["facts"])
            entry["text"] = f"{show(entry['total'])} = {parts}"
    return out


def _provenance(d: YearData) -> dict[str, dict]:
    """Per accepted district: every fact behind its figures, with the sentence it came from."""
    out: dict[str, dict] = {}
    seen: set[tuple[str, str]] = set()
    names = {r["district_code"]: r for r in d.rollup}
    for f in sorted(
        d.spending + d.beneficiaries + d.subsidies,
        key=lambda f: (f["district_code"], f["fact_id"][:1], int(f["fact_id"][1:] or 0)),  # f1… read, k1… added
    ):
        key = (f["submission_id"], f["fact_id"])
        if key in seen:
            continue
        seen.add(key)
        row = names.get(f["district_code"], {})
        entry = out.setdefault(
            f["district_code"],
            {
                "name": f["district_name"],
                "submission_id": f["submission_id"],
                "version": row.get("version"),
                "review_state_zh": row.get("review_state_zh"),
                "facts": [],
            },
        )
        entry["facts"].append(f)
    return out


def render_city_report(con: duckdb.DuckDBPyConnection, year: int, out_dir: Path) -> dict[str, Path]:
    """The year's report page and workbook, from one read of the year."""
    d = load_year(con, year)
    out_dir.mkdir(parents=True, exist_ok=True)
    split = is_split(len(d.rollup))
    html = (
        environment()
        .get_template("city_report.html.j2")
        .render(
            d=d,
            charts=_charts(d),
            provenance={} if split else _provenance(d),
            formulas=_formulas(d),
            split=split,
            names={r["district_code"]: r["district_name"] for r in d.rollup},
            derived_any=any(
                r[f"{k}_derived"] for r in d.rollup for k in ("total_spending", "basic_spending", "project_spending")
            ),
            generated_at=beijing_minute(),
        )
    )
    page = out_dir / "city_report.html"
    page.write_text(html, encoding="utf-8")
    return {"html": page, "xlsx": write_workbook(d, out_dir / "city_report.xlsx")}


def render_district_pages(
    con: duckdb.DuckDBPyConnection, year: int, district_codes: list[str], out_dir: Path
) -> list[Path]:
    """districts/<code>.html of a split year: each district's detail tables and provenance, from one read of their
    rows."""
    d = load_year(con, year, district_codes)
    tables = ("spending", "beneficiaries", "subsidies", "findings", "sources")
    own = {code: {table: [] for table in tables} for code in district_codes}
    for table in tables:  # one pass per table, not one per district and table
        for row in getattr(d, table):
            if row["district_code"] in own:
                own[row["district_code"]][table].append(row)
    rows = {r["district_code"]: r for r in d.rollup}
    template = environment().get_template("district_detail.html.j2")
    generated_at = beijing_minute()
    (out_dir / "districts").mkdir(parents=True, exist_ok=True)
    written = []
    for code in sorted(own):
        row = rows.get(code, {})
        part = replace(d, rollup=[row] if row else [], **own[code])
        path = out_dir / "districts" / f"{code}.html"
        path.write_text(
            template.render(
                d=part,
                provenance=_provenance(part),
                formulas=_formulas(part),
                back=f"../city_report.html#row-{code}",
                name=row.get("district_name", code),
                status_zh=row.get("status_zh", ""),
                generated_at=generated_at,
            ),
            encoding="utf-8",
        )
        written.append(path)
    return written
