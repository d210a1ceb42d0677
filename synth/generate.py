"""Generated sample submissions for tenants × years, with ground truth beside them.

Reproducible for a seed. Varied: several phrasings per figure, 万元/元, thousands separators, full-width digits,
Chinese numerals, four breakdown shapes; about one in four files is .docx (one with a Word table), some .md, one
GB18030 text file, and — when asked (`template_share`, the benchmark's mix) — filled copies of the Excel template. Deliberate errors are declared in errors.json so tests and the demo can show the checks at work.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from synth.docx_writer import write_docx
from synth.figures import make_figures
from synth.report import write_report
from synth.template_filler import fill_template

REAL_SAMPLE = ("430405", 2022)  # the real 珠晖区 2022 report from the corpus takes this slot


@dataclass(frozen=True)
class Tenant:
    district_code: str
    union_name: str


@dataclass(frozen=True)
class DeliberateError:
    district_code: str
    year: int
    error: str  # overflow, identity, missing
    detail: str


DEFAULT_ERRORS = [
    DeliberateError("430408", 2023, "overflow", "困难职工帮扶的“其中”明细合计超过总数（多3万元）"),
    DeliberateError("430424", 2022, "identity", "基本支出＋项目支出比部门整体支出多20万元"),
    DeliberateError("430412", 2021, "missing", "南岳区总工会2021年度未报送"),
]


def _format_for(rng: random.Random, index: int, docx_share: float, template_share: float = 0.0) -> str:
    if index == 3:
        return "gb18030"
    if index in {5, 17}:
        return "md"
    draw = rng.random()
    if draw < template_share:
        return "template"
    return "docx" if draw < template_share + docx_share else "txt"


def _write(path: Path, lines: list[str], fmt: str, table: list[list[str]] | None) -> Path:
    if fmt == "docx":
        path = path.with_suffix(".docx")
        write_docx(path, lines, table=table)
    elif fmt == "md":
        path = path.with_suffix(".md")
        md = [
            f"# {line}" if i == 1 else (f"## {line}" if line[:1] in "一二三四五六七" and "、" in line[:3] else line)
            for i, line in enumerate(lines)
        ]
        path.write_text("\n\n".join(md) + "\n", encoding="utf-8")
    else:
        path = path.with_suffix(".txt")
        path.write_text("\n".join(lines) + "\n", encoding="gb18030" if fmt == "gb18030" else "utf-8")
    return path


def _summary_table(year: int, figures) -> list[list[str]]:
    return [
        ["项目", f"{year}年决算数（万元）"],
        ["部门整体支出", f"{figures.total / 10000:.2f}"],
        ["基本支出", f"{figures.basic / 10000:.2f}"],
        ["项目支出", f"{figures.project / 10000:.2f}"],
    ]


def generate_submissions(
    tenants: list[Tenant],
    years: list[int],
    out_dir: Path,
    *,
    seed: int = 2026,
    docx_share: float = 0.25,
    template_share: float = 0.0,
    errors: list[DeliberateError] | None = None,
    real_sample: Path | None = None,
    truth_record: dict | None = None,
) -> list[dict]:
    """Write landing/<year>/<code>/<file> under out_dir and return the truth records (also in truth.jsonl)."""
    errors = DEFAULT_ERRORS if errors is None else errors
    by_slot: dict[tuple[str, int], set[str]] = {}
    for e in errors:
        by_slot.setdefault((e.district_code, e.year), set()).add(e.error)
    landing = out_dir / "landing"
    records: list[dict] = []
    index = 0
    table_written = False
    for year in years:
        for tenant in tenants:
            slot = (tenant.district_code, year)
            folder = landing / str(year) / tenant.district_code
            if "missing" in by_slot.get(slot, set()):
                continue
            folder.mkdir(parents=True, exist_ok=True)
            if slot == REAL_SAMPLE and real_sample is not None:
                target = folder / f"{tenant.union_name}{year}年度部门整体支出绩效报告.txt"
                shutil.copyfile(real_sample, target)
                if truth_record:
                    records.append({**truth_record, "file": str(target.relative_to(landing))})
                continue
            rng = random.Random(f"{seed}-{tenant.district_code}-{year}-text")
            figures = make_figures(tenant.district_code, year, seed)
            fmt = _format_for(rng, index, docx_share, template_share if not by_slot.get(slot) else 0.0)
            index += 1
            if fmt == "template":
                path, facts, counts = fill_template(
                    folder / f"{tenant.union_name}{year}年度部门整体支出统计表",
                    union_name=tenant.union_name,
                    district_code=tenant.district_code,
                    year=year,
                    figures=figures,
                )
                records.append(
                    {
                        "file": str(path.relative_to(landing)),
                        "org": tenant.union_name,
                        "district_code": tenant.district_code,
                        "year": year,
                        "doc_kind": "统一报表模板",
                        "generated": True,
                        "facts": facts,
                        "counts": counts,
                    }
                )
                continue
            writer = write_report(
                tenant.union_name, year, figures, rng, errors=by_slot.get(slot, set()), full_width=rng.random() < 0.15
            )
            table = None
            if fmt == "docx" and not table_written and not by_slot.get(slot):
                table, table_written = _summary_table(year, figures), True
            path = _write(
                folder / f"{tenant.union_name}{year}年度部门整体支出绩效报告", writer.report.lines, fmt, table
            )
            records.append(
                {
                    "file": str(path.relative_to(landing)),
                    "org": tenant.union_name,
                    "district_code": tenant.district_code,
                    "year": year,
                    "doc_kind": "部门整体支出绩效报告",
                    "generated": True,
                    "facts": writer.report.facts,
                    "counts": writer.report.counts,
                }
            )
    (out_dir / "truth.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    (out_dir / "errors.json").write_text(
        json.dumps([e.__dict__ for e in errors], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return records
