"""The real Dagster definitions, the real dbt and the real DuckDB, run on the bundled samples in a temporary home."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from openpyxl import load_workbook

from core.config import Layout
from ingest.tenants import load_tenants
from orchestration.runner import run_pipeline
from tests.browser import chrome
from tests.png_pixels import count_colour
from union_warehouse.demo import land_samples

pytestmark = pytest.mark.e2e
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ZHUHUI = "430405"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1200,2400",
]
SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


def truth_record(district_code: str, year: int) -> dict:
    for line in (SAMPLES / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("district_code") == district_code and record["year"] == year:
            return record
    raise LookupError((district_code, year))


def top_level_truth_sum(record: dict, kind: str) -> float:
    """What the rollup must show for one area, computed from the hand/generator truth, not from our code."""
    facts = [f for f in record["facts"] if f.get("kind") == kind and f.get("measure", "actual") == "actual"]
    labels = {f["label"] for f in facts}
    return sum(f["value_yuan"] for f in facts if f.get("parent") not in labels)


@pytest.fixture()
def driver(tmp_path):
    browser = chrome(tmp_path / "p", width=1200, height=2400)
    yield browser
    browser.quit()


def marked_after_click(driver, selector: str) -> set[str]:
    """The ids the page marked: its script runs on `hashchange`, which fires after the click returns."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, selector))
    return {el.get_attribute("id") for el in driver.find_elements(By.CSS_SELECTOR, selector)}


PROGRESS: list[str] = []  # what `uwh run` says on stderr while the fixture's run lasts


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    home = tmp_path_factory.mktemp("uwh")
    layout = Layout(home).ensure()
    land_samples(layout.landing)
    with dg.instance_for_test(temp_dir=str(tmp_path_factory.mktemp("dagster"))) as instance:
        summary = run_pipeline(layout, instance, codes=list(load_tenants(layout.registry)), progress=PROGRESS.append)
        yield layout, instance, summary


def query(db: Path, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_pipeline_succeeds_and_publishes(pipeline):
    layout, _, summary = pipeline
    assert summary.success, (summary.error, summary.failed_checks)
    assert layout.published_db.exists()
    (count,) = query(layout.published_db, "SELECT count(*) FROM marts.fct_spending")[0]
    assert count > 0


def test_the_run_reports_its_intake_as_data(pipeline):
    """Intake outcomes travel as typed metadata (JSON), read back as records — never as strings parsed back."""
    _, _, summary = pipeline
    assert summary.submissions and all(
        set(o) == {"district_code", "year", "file", "status", "message"} for o in summary.submissions
    )
    rejected = {(o["district_code"], o["year"]) for o in summary.submissions if o["status"] == "rejected"}
    assert ("430408", 2023) in rejected  # 蒸湘区 2023's deliberate BRK001
    assert summary.file_counts.get("accepted", 0) >= 30


def test_real_zhuhui_report_rolls_up_to_its_truth(pipeline):
    layout, _, _ = pipeline
    record = truth_record(ZHUHUI, 2022)
    row = query(
        layout.published_db,
        """SELECT status_zh, total_spending_yuan, activity_yuan, aid_yuan, subsidy_yuan
                                        FROM reports.rpt_city_rollup WHERE district_code = ? AND year = 2022""",
        [ZHUHUI],
    )[0]
    assert row[0] == "已接收"
    assert row[1] == top_level_truth_sum(record, "total_spending")
    assert row[2] == top_level_truth_sum(record, "activity")
    assert row[3] == top_level_truth_sum(record, "hardship")
    assert row[4] == top_level_truth_sum(record, "subsidy_lower")
    # The cross-section warning the real report earns (programmes exceed the stated total).
    rules = {
        r
        for (r,) in query(
            layout.published_db,
            "SELECT rule_id FROM marts.dq_findings WHERE district_code = ? AND year = 2022",
            [ZHUHUI],
        )
    }
    assert "XSC001" in rules


def test_seeded_errors_are_found_and_kept_out_of_the_sums(pipeline):
    layout, _, _ = pipeline
    errors = json.loads((SAMPLES / "errors.json").read_text(encoding="utf-8"))
    for error in errors:
        code, year = error["district_code"], error["year"]
        findings = query(
            layout.published_db,
            "SELECT rule_id, severity FROM marts.dq_findings WHERE district_code = ? AND year = ?",
            [code, year],
        )
        # one discrepancy, one finding: 衡东县's 200,000 is IDN001's alone, not BRK001's as well
        assert {rule for rule, _ in findings} == {
            "overflow": {"BRK001"},
            "identity": {"IDN001"},
            "missing": {"COV001"},
        }[error["error"]], (error, findings)
        status, total = query(
            layout.published_db,
            "SELECT status_zh, total_spending_yuan FROM reports.rpt_city_rollup WHERE district_code = ? AND year = ?",
            [code, year],
        )[0]
        assert status in {"待更正", "未报送"} and total is None, (error, status)


def test_reports_written_for_every_year(pipeline):
    layout, _, _ = pipeline
    years = sorted(int(p.name) for p in (SAMPLES / "landing").iterdir())
    for year in years:
        html = (layout.reports / str(year) / "city_report.html").read_text(encoding="utf-8")
        assert "珠晖区" in html and "<svg" in html
        assert (layout.reports / str(year) / "city_report.xlsx").stat().st_size > 0
        assert (layout.reports / str(year) / "feedback" / f"{ZHUHUI}.html").exists()


def test_reports_rendered_by_worker_processes_are_the_same_files(pipeline, tmp_path, monkeypatch):
    """A first run at a province's size renders in one process per core; the files must be those of the run."""
    from reporting import build
    from reporting.reconcile import reconcile_workbooks

    layout, _, _ = pipeline
    monkeypatch.setattr(build, "PARALLEL_FROM", 0)
    rendered = build.render_all_reports(layout.work_db, tmp_path)
    ours = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.*") if not p.name.startswith("."))
    theirs = sorted(
        p.relative_to(layout.reports)
        for p in layout.reports.rglob("*.*")
        if not p.name.startswith(".") and "validation" not in p.relative_to(layout.reports).parts
    )
    # every file but the index (rewritten at each render: it only lists what exists) is a rendered job's
    assert ours == theirs and len(rendered.written) == len(ours) - 1 and Path("index.html") in ours
    con = duckdb.connect(str(layout.work_db), read_only=True)
    try:
        compared, problems = reconcile_workbooks(con, tmp_path)
    finally:
        con.close()
    assert compared > 0 and problems == []
    # Rendering again finds every file current and writes nothing.
    assert build.render_all_reports(layout.work_db, tmp_path).written == []


def test_a_year_with_many_districts_pages_its_details_per_district(pipeline, tmp_path, monkeypatch):
    """Above INLINE_DISTRICTS the report keeps the rollup and links each figure to districts/<code>.html, where the
    district's details and the sentences behind its figures are (here with the limit lowered to 5)."""
    from reporting import build, city_report

    layout, _, _ = pipeline
    monkeypatch.setattr(city_report, "INLINE_DISTRICTS", 5)
    build.render_all_reports(layout.work_db, tmp_path)
    report = (tmp_path / "2022" / "city_report.html").read_text(encoding="utf-8")
    assert f'href="districts/{ZHUHUI}.html#sum-{ZHUHUI}-total_spending_yuan"' in report and 'id="prov-' not in report
    page = (tmp_path / "2022" / "districts" / f"{ZHUHUI}.html").read_text(encoding="utf-8")
    assert f'id="prov-{ZHUHUI}"' in page and "<mark>" in page and "../city_report.html" in page
    # each figure's formula is on the district's page, with the way back to its row of the rollup
    assert f'id="sum-{ZHUHUI}-total_spending_yuan"' in page and f'href="../city_report.html#row-{ZHUHUI}"' in page
    (sid,) = query(
        layout.work_db,
        "SELECT submission_id FROM reports.rpt_city_rollup WHERE district_code = ? AND year = 2022",
        [ZHUHUI],
    )[0]
    facts = query(layout.work_db, "SELECT DISTINCT fact_id FROM marts.fct_spending WHERE submission_id = ?", [sid])
    assert facts and all(f'id="fact-{sid}-{fact_id}"' in page for (fact_id,) in facts)
    # Only this district's rows are on its page.
    assert "雁峰区" not in page
    # Nothing changed: a second pass writes nothing.
    assert build.render_all_reports(layout.work_db, tmp_path).written == []


def test_tenant_file_holds_only_its_district(pipeline):
    layout, _, _ = pipeline
    db = layout.tenant_dbs / f"{ZHUHUI}.duckdb"
    for table in ("marts.fct_spending", "marts.dq_findings", "reports.rpt_city_rollup", "raw.submissions"):
        codes = {c for (c,) in query(db, f"SELECT DISTINCT district_code FROM {table}")}
        assert codes == {ZHUHUI}, table


READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*) FROM raw.facts").fetchone()[0], flush=True)
sys.stdin.readline()                      # wait while the second run publishes
print(con.execute("SELECT count(*) FROM raw.facts").fetchone()[0], flush=True)
"""


def test_rerun_does_not_duplicate_and_open_reader_survives_publication(pipeline):
    """…and rewrites only the files whose rows changed: one year's report, one feedback page, one tenant file."""
    layout, instance, _ = pipeline
    watched = {
        "changed": [
            layout.reports / "2022" / "city_report.html",
            layout.reports / "2022" / "city_report.xlsx",
            layout.reports / "2022" / "feedback" / f"{ZHUHUI}.html",
            layout.tenant_dbs / f"{ZHUHUI}.duckdb",
        ],
        "untouched": [
            layout.reports / "2021" / "city_report.html",
            layout.reports / "2021" / "city_report.xlsx",
            layout.reports / "2022" / "feedback" / "430406.html",
            layout.reports / "2021" / "feedback" / f"{ZHUHUI}.html",
            layout.tenant_dbs / "430406.duckdb",
        ],
    }
    before_mtimes = {p: p.stat().st_mtime_ns for paths in watched.values() for p in paths}
    # An analyst in another process holds the published warehouse open, read-only, during the next run.
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(layout.published_db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        before = int(reader.stdout.readline())
        # A corrected second version for 珠晖区 2022 arrives.
        folder = layout.landing / "2022" / ZHUHUI
        original = next(folder.iterdir())
        corrected = folder / f"更正版-{original.name}"
        corrected.write_text(original.read_text(encoding="utf-8") + "\n附：本版本为更正版。\n", encoding="utf-8")
        summary = run_pipeline(layout, instance, codes=list(load_tenants(layout.registry)))
        assert summary.success, summary.error
        out, _ = reader.communicate("go\n", timeout=60)
        assert reader.returncode == 0 and int(out.strip()) == before  # the reader kept its snapshot
    finally:
        if reader.poll() is None:
            reader.kill()
    versions = query(
        layout.published_db,
        "SELECT version, status FROM raw.submissions WHERE district_code = ? AND year = 2022 ORDER BY version",
        [ZHUHUI],
    )
    assert versions == [(1, "superseded"), (2, "accepted")]
    in_marts = query(
        layout.published_db,
        "SELECT DISTINCT version FROM marts.fct_spending WHERE district_code = ? AND year = 2022",
        [ZHUHUI],
    )
    assert in_marts == [(2,)]
    assert [p for p in watched["changed"] if p.stat().st_mtime_ns == before_mtimes[p]] == []
    assert [p for p in watched["untouched"] if p.stat().st_mtime_ns != before_mtimes[p]] == []
    page = (layout.reports / "2022" / "feedback" / f"{ZHUHUI}.html").read_text(encoding="utf-8")
    assert "第2版" in page and "更正版-" in page
    # Every other district-year was recorded once: re-running the partitions added nothing.
    (dupes,) = query(
        layout.published_db,
        "SELECT count(*) FROM (SELECT sha256 FROM raw.submissions GROUP BY sha256 HAVING count(*) > 1)",
    )[0]
    assert dupes == 0


class RollupTable(HTMLParser):
    """Reads the rendered rollup table: {district name: [cell texts]}."""

    def __init__(self):
        super().__init__()
        self.rows, self._in_table, self._row, self._cell = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "rollup") in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self._row = []
        elif self._row is not None and tag in {"td", "th"}:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row:
            self.rows[self._row[0]] = self._row
            self._row = None
        elif tag == "table":
            self._in_table = False


def test_report_shows_the_published_figures_and_hides_those_awaiting_correction(pipeline):
    layout, _, _ = pipeline
    html = (layout.reports / "2022" / "city_report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", html)  # opens offline
    parser = RollupTable()
    parser.feed(html)
    for name, status, total, aid in query(
        layout.published_db,
        """
            SELECT district_name, status_zh, total_spending_yuan, aid_yuan FROM reports.rpt_city_rollup
            WHERE year = 2022""",
    ):
        cells = parser.rows[name]
        assert cells[1] == status
        if status == "已接收":
            assert cells[2] == "未审核（待确认）"  # nobody confirmed or reviewed the samples' figures
            assert cells[3] == f"{total:,.2f}" and cells[7] == f"{aid:,.2f}"
        else:
            assert set(cells[2:10]) == {"—"}


def test_workbook_has_the_sheets_and_numbers_as_numbers(pipeline):
    layout, _, _ = pipeline
    wb = load_workbook(layout.reports / "2022" / "city_report.xlsx")
    assert wb.sheetnames[:5] == ["汇总", "支出", "帮扶", "对下补助", "数据质量"]
    summary = wb["汇总"]
    assert summary.freeze_panes == "A5"  # title, unit and date, note, header
    headers = [c.value for c in summary[4]]
    row = next(r for r in summary.iter_rows(min_row=2) if r[0].value == ZHUHUI)
    total = row[headers.index("部门整体支出")]
    assert total.value == 1_077_000 and total.number_format == '#,##0.00"元"'
    assert row[headers.index("审核")].value == "未审核（待确认）" and row[headers.index("计入合计")].value == "是"
    assert "珠晖区" in wb.sheetnames


def test_the_workbook_is_ready_to_forward(pipeline):
    """Title, unit and date rows; a 全市合计 row of SUM formulas; 同比; names beside codes; a CJK font; landscape A4
    one page wide with the header repeated; Excel tables; the district awaiting correction keeps its row."""
    layout, _, _ = pipeline
    wb = load_workbook(layout.reports / "2023" / "city_report.xlsx")
    summary = wb["汇总"]
    assert summary["A1"].value.startswith("衡阳市总工会2023年度") and "单位：元" in summary["A2"].value
    assert "北京时间" in summary["A2"].value and "按可比口径" in summary["A3"].value
    headers = [c.value for c in summary[4]]
    rows = {r[0].value: r for r in summary.iter_rows(min_row=5)}
    total = rows["全市合计"]
    column = "ABCDEFGHIJKLMNO"[headers.index("部门整体支出")]
    assert total[headers.index("部门整体支出")].value == f"=SUM({column}5:{column}{4 + 12})"
    assert "整体支出同比" in headers and "上年部门整体支出" in headers
    assert rows["430408"][headers.index("状态")].value == "待更正"  # 蒸湘区 2023: still listed, no figures
    assert rows["430408"][headers.index("部门整体支出")].value is None
    assert rows["430424"][headers.index("说明")].value == "上年未通过校验"  # 衡东县: its 2022 was rejected
    quality = wb["数据质量"]
    quality_headers = [c.value for c in quality[4]]
    assert {"区县代码", "区县"} <= set(quality_headers)
    assert "蒸湘区" in [r[quality_headers.index("区县")].value for r in quality.iter_rows(min_row=5)]
    assert summary.tables and quality.tables
    assert summary.page_setup.orientation == "landscape" and summary.page_setup.paperSize == 9
    # fit to one page wide (fitToWidth's default, 1, is left out of the file) and as many tall as it takes
    assert summary.sheet_properties.pageSetUpPr.fitToPage and summary.page_setup.fitToWidth in (None, 1)
    assert summary.page_setup.fitToHeight == 0
    assert summary.print_title_rows == "$4:$4"
    assert summary["D5"].font.name == "等线"


@pytest.mark.skipif(not (SOFFICE and PDFTOTEXT), reason="LibreOffice/poppler not installed (make test installs them)")
def test_libreoffice_renders_the_workbook_with_its_totals(pipeline, tmp_path):
    layout, _, _ = pipeline
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(layout.reports / "2023" / "city_report.xlsx"),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    text = subprocess.run(
        [PDFTOTEXT, "-layout", "-f", "1", "-l", "1", str(tmp_path / "city_report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (total,) = query(
        layout.published_db,
        "SELECT sum(total_spending_yuan) FROM reports.rpt_city_rollup WHERE year = 2023 AND status = 'accepted'",
    )[0]
    assert "全市合计" in text and f"{total:,.2f}元" in text  # LibreOffice computed the SUM formula
    assert "制表单位：衡阳市总工会" in text and "第 1 页" in text


@pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="chromium/poppler not installed (make test installs them)")
def test_the_report_prints_to_a4_with_every_column_and_source(pipeline, tmp_path):
    layout, _, _ = pipeline
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            (layout.reports / "2023" / "city_report.html").as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    pages = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    first = pages[0]
    assert "须更正/提示" in first and "同比（整体支出）" in first  # the last columns are on the paper
    assert "点击" not in "".join(pages)
    assert all(f"第 {n} 页，共 {len(pages)} 页" in page for n, page in enumerate(pages, start=1))
    assert all("制表单位：衡阳市总工会" in page for page in pages)
    (sentence,) = query(
        layout.published_db,
        "SELECT source_text FROM marts.fct_spending WHERE year = 2023 AND district_code = ? AND fact_id = 'f3'",
        [ZHUHUI],
    )[0]
    printed = re.sub(r"\s+", "", "".join(pages))
    assert re.sub(r"\s+", "", sentence)[:30] in printed  # source sentences are printed, not collapsed


def test_feedback_page_holds_only_its_district(pipeline):
    layout, _, _ = pipeline
    page = (layout.reports / "2022" / "feedback" / f"{ZHUHUI}.html").read_text(encoding="utf-8")
    assert "珠晖区总工会" in page and "XSC001" in page
    others = [
        name
        for (code, name) in query(layout.published_db, "SELECT district_code, union_name FROM marts.dim_district")
        if code != ZHUHUI
    ]
    assert not [name for name in others if name in page]


def test_every_cookbook_query_answers_on_the_demo_warehouse(pipeline):
    layout, _, _ = pipeline
    cookbook = (Path(__file__).resolve().parent.parent / "docs" / "queries.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", cookbook, flags=re.S)
    assert len(queries) == 11
    for sql in queries:
        assert query(layout.published_db, sql), sql


def test_published_columns_carry_their_documentation(pipeline):
    layout, _, _ = pipeline
    undocumented = query(
        layout.published_db,
        """
        SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns()
        WHERE schema_name IN ('marts', 'reports') AND (comment IS NULL OR comment = '')""",
    )
    assert undocumented == []


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (make test installs it as root)")
def test_report_renders_in_a_real_browser_without_console_errors(pipeline, tmp_path):
    layout, _, _ = pipeline
    url = (layout.reports / "2022" / "city_report.html").as_uri()
    flags = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dumped = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    console = [line for line in dumped.stderr.splitlines() if "CONSOLE" in line]
    assert not [line for line in console if "Uncaught" in line or "Error" in line], console
    dom = dumped.stdout
    accepted = query(
        layout.published_db, "SELECT count(*) FROM reports.rpt_city_rollup WHERE year = 2022 AND status = 'accepted'"
    )[0][0]
    parser = RollupTable()
    parser.feed(dom)
    assert len(parser.rows) == 12 + 2  # header, 12 districts, city total
    spending_chart = re.search(r'<figure id="chart-spending">(.*?)</figure>', dom, re.S).group(1)
    assert len(set(re.findall(r'class="bar"[^>]*data-label="([^"]+)"', spending_chart))) == accepted
    shot = tmp_path / "report.png"
    subprocess.run([*flags, f"--screenshot={shot}", url], capture_output=True, timeout=120)
    # The charts were drawn: the screenshot holds a good area of the bar colours (reporting/charts.PALETTE).
    png = shot.read_bytes()
    assert count_colour(png, (0x1F, 0x5F, 0xA8)) > 5_000  # the blue bars
    assert count_colour(png, (0xD9, 0x82, 0x2B)) > 1_000  # the orange 困难帮扶 segments


def test_schema_docs_page_is_written_offline(pipeline, tmp_path):
    from union_warehouse.docs import write_schema_docs

    layout, _, _ = pipeline
    page = write_schema_docs(layout.published_db, tmp_path / "docs").read_text(encoding="utf-8")
    assert "fct_beneficiaries" in page and "Provenance: the sentence (or template cell) the figure came from" in page
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?://""", page)


def test_validation_page_lists_the_catalogue_and_every_verdict(pipeline):
    layout, _, _ = pipeline
    page = (layout.reports / "validation" / "index.html").read_text(encoding="utf-8")
    for rule_id in ("BRK001", "IDN001", "XSC001", "REC001", "REC004", "COV001"):
        assert rule_id in page
    assert "430408-2023-v1" in page and "待更正" in page and "rejected" not in page
    # Great Expectations' own Data Docs of the city suites, linked from the page
    docs = layout.reports / "validation" / "gx"
    assert 'href="gx/index.html"' in page and (docs / "index.html").exists()
    for rule_id in ("REC001", "REC002", "REC004"):
        assert (docs / "expectations" / f"{rule_id}.html").exists()
        assert list((docs / "validations" / rule_id).rglob("*.html"))


def validation_rows(page: str, heading: str) -> list[str]:
    section = page.split(f"<h2>{heading}</h2>", 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr( class=\"problem\")?>(.*?)</tr>", section, re.S)


def test_validation_page_lists_every_district_year_problems_first_with_names_and_links(pipeline):
    layout, _, _ = pipeline
    page = (layout.reports / "validation" / "index.html").read_text(encoding="utf-8")
    rows = validation_rows(page, "各区县各年度情况")
    expected = query(layout.published_db, "SELECT count(*) FROM reports.rpt_city_rollup")[0][0]
    assert len(rows) == expected  # every registered district-year, the missing ones too
    flags = [bool(flag) for flag, _ in rows]
    assert flags == sorted(flags, reverse=True) and any(flags)  # those needing attention first
    missing = query(
        layout.published_db,
        "SELECT district_code, year, district_name FROM reports.rpt_city_rollup WHERE status = 'missing'",
    )
    for code, year, name in missing:  # e.g. 南岳区 2021: present, named, linked, with its COV001
        (row,) = [cells for _, cells in rows if f'../{year}/feedback/{code}.html">{name}</a>' in cells]
        assert "未报送" in row and "COV001" in row


@pytest.mark.skipif(
    CHROMIUM is None or shutil.which("chromedriver") is None,
    reason="Debian chromium/chromium-driver not installed (make test installs them as root)",
)
def test_the_validation_page_filter_works_in_a_browser(pipeline, driver):
    from selenium.webdriver.common.by import By

    layout, _, _ = pipeline
    driver.get((layout.reports / "validation" / "index.html").as_uri())
    table = "table.filterable tbody tr"
    everything = len([r for r in driver.find_elements(By.CSS_SELECTOR, table) if r.is_displayed()])
    driver.find_element(By.ID, "only").click()
    problems = [r for r in driver.find_elements(By.CSS_SELECTOR, table) if r.is_displayed()]
    assert 0 < len(problems) < everything
    assert all("problem" in r.get_attribute("class") for r in problems)
    driver.find_element(By.ID, "q").send_keys("蒸湘区")
    shown = [r.text for r in driver.find_elements(By.CSS_SELECTOR, table) if r.is_displayed()]
    assert shown and all("蒸湘区" in text for text in shown)


def test_a_district_that_has_not_reported_has_a_page_saying_what_to_send_and_by_when(pipeline):
    layout, _, _ = pipeline
    for code, year, name in query(
        layout.published_db,
        "SELECT district_code, year, union_name FROM reports.rpt_city_rollup JOIN marts.dim_district "
        "USING (district_code) WHERE status = 'missing'",
    ):
        page = (layout.reports / str(year) / "feedback" / f"{code}.html").read_text(encoding="utf-8")
        assert name in page and "未报送" in page and f"请于<strong>{year + 1}年3月31日</strong>前报送" in page


def test_the_reports_index_links_every_year_and_district(pipeline):
    layout, _, _ = pipeline
    index = (layout.reports / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"]+)"', index))
    assert "validation/index.html" in links
    for year, code, name in query(
        layout.published_db, "SELECT year, district_code, district_name FROM reports.rpt_city_rollup"
    ):
        assert {f"{year}/city_report.html", f"{year}/city_report.xlsx", f"{year}/feedback/{code}.html"} <= links
        assert f"{name}{year}年度反馈" in index
    assert all((layout.reports / link).exists() for link in links)


def test_a_failing_city_rule_blocks_the_report_and_publication(pipeline):
    """An operator flips a rejected submission to accepted by hand: its breakdown exceeds its total, REC004 fails,
    and neither the report nor the published warehouse is replaced. (It leaves the work file dirty: the tests after it
    read only the published warehouse and the reports.)"""
    layout, instance, _ = pipeline
    published_before = layout.published_db.stat().st_mtime_ns
    report_before = (layout.reports / "2023" / "city_report.html").stat().st_mtime_ns
    con = duckdb.connect(str(layout.work_db))
    con.execute("UPDATE raw.submissions SET status = 'accepted' WHERE submission_id = '430408-2023-v1'")
    con.close()
    summary = run_pipeline(layout, instance, codes=list(load_tenants(layout.registry)))
    assert not summary.success
    assert [c for c in summary.failed_checks if c.startswith("REC004")]
    assert layout.published_db.stat().st_mtime_ns == published_before
    assert (layout.reports / "2023" / "city_report.html").stat().st_mtime_ns == report_before


def card_text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}">(.*?)</div>', html, re.S)
    assert match, element_id
    return re.sub(r"<[^>]+>", "", match.group(1))


def rollup_rows(layout, year: int) -> dict[str, dict]:
    con = duckdb.connect(str(layout.published_db), read_only=True)
    try:
        frame = con.execute("SELECT * FROM reports.rpt_city_rollup WHERE year = ?", [year])
        names = [c[0] for c in frame.description]
        return {row[names.index("district_code")]: dict(zip(names, row, strict=True)) for row in frame.fetchall()}
    finally:
        con.close()


@pytest.mark.parametrize("year", [2022, 2023])
def test_the_card_change_is_on_a_comparable_basis(pipeline, year):
    """同比 over the districts accepted in both years, computed here from the two years' rows; the raw totals' change
    only as a second, labelled figure when the two years' districts differ."""
    layout, _, _ = pipeline
    now, before = rollup_rows(layout, year), rollup_rows(layout, year - 1)
    both = [c for c, r in now.items() if r["status"] == "accepted" and before.get(c, {}).get("status") == "accepted"]
    card = card_text(
        (layout.reports / str(year) / "city_report.html").read_text(encoding="utf-8"), "total-spending-yoy"
    )
    if not both:
        assert "无可比区县" in card or "无上年数据" in card
        return
    ratio = sum(now[c]["total_spending_yuan"] for c in both) / sum(before[c]["total_spending_yuan"] for c in both) - 1
    assert f"按可比口径（{len(both)}个区县）同比{'增长' if ratio >= 0 else '下降'}{abs(ratio):.1%}" in card
    accepted_now = {c for c, r in now.items() if r["status"] == "accepted"}
    accepted_before = {c for c, r in before.items() if r["status"] == "accepted"}
    assert ("全部已接收区县合计" in card) == (accepted_now != accepted_before)


def test_basic_plus_project_is_total_on_the_card_or_it_says_why(pipeline):
    layout, _, _ = pipeline
    for year in (2021, 2022, 2023):
        html = (layout.reports / str(year) / "city_report.html").read_text(encoding="utf-8")
        total = float(card_text(html, "total-spending").replace(",", ""))
        basic, project = (float(v.replace(",", "")) for v in card_text(html, "basic-project").split(" / "))
        if abs(basic + project - total) > 0.011:  # 万元 to two places
            assert f"相差{total - basic - project:,.2f}万元" in card_text(html, "parts-note")
        else:
            assert "相差" not in card_text(html, "parts-note")


def test_a_derived_figure_is_marked_wherever_it_is_shown(pipeline):
    layout, _, _ = pipeline
    shown = 0
    for year in (2021, 2022, 2023):
        parser = RollupTable()
        parser.feed((layout.reports / str(year) / "city_report.html").read_text(encoding="utf-8"))
        for row in rollup_rows(layout, year).values():
            cells = parser.rows[row["district_name"]]
            for column, key in ((3, "total_spending"), (4, "basic_spending"), (5, "project_spending")):
                assert cells[column].endswith("（推算）") == bool(row[f"{key}_derived"]), (year, row["district_name"])
                shown += bool(row[f"{key}_derived"])
    assert shown  # the samples hold a district whose 项目支出 is 整体 − 基本


def test_a_missing_change_says_why_and_findings_read_as_words(pipeline):
    layout, _, _ = pipeline
    seen_reasons = set()
    for year in (2022, 2023):
        parser = RollupTable()
        parser.feed((layout.reports / str(year) / "city_report.html").read_text(encoding="utf-8"))
        before = rollup_rows(layout, year - 1)
        for code, row in rollup_rows(layout, year).items():
            cells = parser.rows[row["district_name"]]
            prior = before.get(code, {}).get("status")
            if row["status"] == "accepted" and prior == "rejected":
                assert cells[10] == "上年未通过校验"
                seen_reasons.add(prior)
            elif row["status"] == "accepted" and prior == "missing":
                assert cells[10] == "上年未报送"
                seen_reasons.add(prior)
            assert "/" not in cells[11]
            if row["status"] == "missing":
                assert cells[11] == "提示1项"  # its coverage finding (COV001), never "0/0"
    assert seen_reasons


def test_times_people_read_are_beijing_time_to_the_minute(pipeline):
    from datetime import UTC, datetime, timedelta

    layout, _, _ = pipeline
    html = (layout.reports / "2022" / "city_report.html").read_text(encoding="utf-8")
    stamp = re.search(r"数据截至 (\d{4}-\d\d-\d\d \d\d:\d\d)（北京时间）", html).group(1)
    beijing_now = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=8)
    assert abs(datetime.strptime(stamp, "%Y-%m-%d %H:%M") - beijing_now) < timedelta(hours=2)
    feedback = (layout.reports / "2022" / "feedback" / f"{ZHUHUI}.html").read_text(encoding="utf-8")
    assert "UTC" not in html + feedback and not re.search(r"\d\d:\d\d:\d\d", feedback)


def test_finding_figures_are_named_without_saying_which_is_right(pipeline):
    layout, _, _ = pipeline
    html = (layout.reports / "2023" / "city_report.html").read_text(encoding="utf-8")
    assert "应为" not in html and "合计 " in html and "明细之和 " in html
    assert "各区县项目支出（按类别" not in html


def test_the_operator_sees_every_district_year_still_awaiting_correction(pipeline):
    """submission_rules lists every registered district-year without an accepted version, from the warehouse (not
    from the batch); a passing city check carries no failure text."""
    layout, instance, summary = pipeline
    evaluations = {
        entry.dagster_event.event_specific_data.check_name: entry.dagster_event.event_specific_data
        for entry in instance.all_logs(summary.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    }
    rules = evaluations["submission_rules"]
    awaiting = {(r["district_code"], r["year"]) for r in rules.metadata["awaiting_correction"].value}
    rejected = set(
        query(layout.published_db, "SELECT district_code, year FROM reports.rpt_city_rollup WHERE status = 'rejected'")
    )
    assert awaiting == rejected and rejected and not rules.passed
    city = [evaluations[name] for name in ("REC001", "REC002", "REC004")]
    assert all(e.passed and set(e.metadata) == {"figures_checked"} for e in city)


def test_the_published_warehouse_has_a_freshness_check(pipeline):
    """Fresh right after the run; on an instance that never published, the same check fails."""
    from orchestration.definitions import build_definitions

    layout, instance, _ = pipeline
    job = build_definitions(layout).resolve_job_def("published_freshness")

    def verdicts(on: dg.DagsterInstance) -> list[bool]:
        result = job.execute_in_process(instance=on, raise_on_error=False)
        return [
            e.event_specific_data.passed for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
        ]

    assert verdicts(instance) == [True]
    with dg.instance_for_test() as never_published:
        assert verdicts(never_published) == [False]


@pytest.mark.skipif(
    CHROMIUM is None or shutil.which("chromedriver") is None,
    reason="Debian chromium/chromium-driver not installed (make test installs them as root)",
)
def test_a_rollup_figure_leads_to_its_formula_and_facts_and_back(pipeline, driver):
    """珠晖区 2023 困难帮扶: the cell links to its formula, whose facts (from rpt_rollup_sources) sum to the cell;
    following it opens the section and marks the formula and each fact row; 返回汇总表 leads back to the row."""
    from selenium.webdriver.common.by import By

    layout, _, _ = pipeline
    sources = query(
        layout.published_db,
        """SELECT submission_id, fact_id, value FROM reports.rpt_rollup_sources
           WHERE year = 2023 AND district_code = ? AND figure = 'aid_yuan'""",
        [ZHUHUI],
    )
    (aid,) = query(
        layout.published_db,
        "SELECT aid_yuan FROM reports.rpt_city_rollup WHERE year = 2023 AND district_code = ?",
        [ZHUHUI],
    )[0]
    assert len(sources) > 1 and sum(v for _, _, v in sources) == pytest.approx(aid)
    driver.get((layout.reports / "2023" / "city_report.html").as_uri())
    cell = driver.find_element(By.CSS_SELECTOR, f'#row-{ZHUHUI} a[href="#sum-{ZHUHUI}-aid_yuan"]')
    assert cell.get_attribute("title").startswith(f"{aid:,.2f} = ")
    cell.click()
    marked = marked_after_click(driver, ".hit")
    assert marked == {f"sum-{ZHUHUI}-aid_yuan"} | {f"fact-{sid}-{fid}" for sid, fid, _ in sources}
    assert driver.find_element(By.ID, f"fact-{sources[0][0]}-{sources[0][1]}").is_displayed()
    driver.find_element(By.CSS_SELECTOR, f"#sum-{ZHUHUI}-aid_yuan a.back").click()
    assert driver.current_url.endswith(f"#row-{ZHUHUI}")


def test_the_first_sensor_tick_after_a_run_starts_no_run_that_would_read_nothing(pipeline):
    """After `make demo` the published warehouse holds every landed file unchanged: the landing sensor's first tick
    (no cursor) requests nothing; a new file then requests its year."""
    from orchestration.defs.automation import landing_sensor
    from orchestration.defs.resources import WarehouseResource

    layout, _, _ = pipeline

    def tick(instance, cursor=None):
        context = dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"warehouse": WarehouseResource(home=str(layout.home))}
        )
        return landing_sensor(context)

    with dg.instance_for_test() as instance:
        first = tick(instance)
        assert first.run_requests == []
        new = layout.landing / "2022" / "430406" / "补充说明.txt"
        new.write_text("雁峰区总工会2022年度部门整体支出共计100万元。", encoding="utf-8")
        try:
            assert [r.partition_key for r in tick(instance, first.cursor).run_requests] == ["2022"]
        finally:
            new.unlink()


@pytest.mark.skipif(
    CHROMIUM is None or shutil.which("chromedriver") is None,
    reason="Debian chromium/chromium-driver not installed (make test installs them as root)",
)
def test_a_feedback_finding_leads_to_the_figures_it_concerns(pipeline, driver):
    """蒸湘区 2023's BRK001: its 相关数字 link marks the total and every item of its breakdown."""
    from selenium.webdriver.common.by import By

    layout, _, _ = pipeline
    ((sid, fact_id),) = query(
        layout.published_db,
        """SELECT f.submission_id, f.fact_id FROM raw.submission_findings f JOIN raw.submissions s USING (submission_id)
           WHERE s.district_code = '430408' AND s.year = 2023 AND f.rule_id = 'BRK001'""",
    )
    items = {
        f"fact-{fid}"
        for (fid,) in query(
            layout.published_db,
            "SELECT fact_id FROM raw.facts WHERE submission_id = ? AND parent_fact_id = ?",
            [sid, fact_id],
        )
    }
    assert items
    driver.get((layout.reports / "2023" / "feedback" / "430408.html").as_uri())
    driver.find_element(By.CSS_SELECTOR, f'#findings a[href="#fact-{fact_id}"]').click()
    marked = marked_after_click(driver, "tr.hit")
    assert marked == {f"fact-{fact_id}"} | items


def test_clerks_see_figures_as_written(pipeline):
    """A share is stored as a fraction (满意度达100% → 1.0) and shown as the report wrote it; a label never starts
    with the 度 of a cut-off 本年度."""
    layout, _, _ = pipeline
    page = (layout.reports / "2022" / "feedback" / f"{ZHUHUI}.html").read_text(encoding="utf-8")
    row = re.search(r"<tr id=\"fact-f\d+\"><td>f\d+</td><td>社会服务群众满意度</td>(.*?)</tr>", page, re.S).group(1)
    assert '<td class="num">100</td>' in row and "<td>%</td>" in row
    labels = query(layout.published_db, "SELECT label FROM raw.facts WHERE label LIKE '度%'")
    assert labels == []


def test_a_run_says_each_step_as_it_finishes(pipeline):
    names = [line.split("：", 1)[1] for line in PROGRESS if "完成：" in line]
    assert names[0] == "读取各区县报送文件并校验" and "建立数据模型（dbt）" in names
    assert "发布数据仓库" in names and all(line.startswith("[") for line in PROGRESS)
    assert not [name for name in names if name.isascii()]  # every step is named for the person waiting
