"""Scanned PDFs, photos of pages and old Office files are read; every figure from a scan keeps its page image.

The scan is made here the way a district makes one: the seed report laid out by LibreOffice, printed to PDF, each page
rasterised at 200 dpi, turned a little (a sheet fed askew), speckled and blurred (a worn scanner), and bound into a
PDF that holds only images. The .doc and .xls are made by LibreOffice from a .docx and the template's .xlsx."""

from __future__ import annotations

import io
import random
import re
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document as WordDocument
from PIL import Image, ImageFilter

from expectations.catalogue import submission_rules
from expectations.rules.base import SubmissionContext
from ingest.convert import soffice
from ingest.extract import extract_file
from ingest.model import Problem
from ingest.ocr import OcrBox, OcrPage, correct_genre_words, layout_text
from ingest.scan_places import low_confidence_problems
from ingest.submission_codes import OCR_LOW_CONFIDENCE
from ingest.template import write_template
from intake import warehouse
from intake.file_types import NotAllowed, suffix_by_content
from portal.demo_accounts import district_account
from tests.portal_support import ZHUHUI, ZHUHUI_2022, csrf_of, published_installation, serving
from tests.test_template import fill

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice is installed by `make office`")

SEED_LINES = [line for line in ZHUHUI_2022.read_text(encoding="utf-8").splitlines()]
# The seed report's headline figures, as its text states them (元)
TOTAL, BASIC, HARDSHIP, WARMTH, CULTURE, SUBSIDY = 1_077_000, 715_600, 298_000, 314_029, 245_686, 480_000


def _soffice(args: list[str], cwd: Path) -> None:
    subprocess.run(
        [soffice(), f"-env:UserInstallation={(cwd / 'profile').as_uri()}", "--headless", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=180,
    )


def _seed_docx(path: Path) -> Path:
    doc = WordDocument()
    for line in SEED_LINES:
        doc.add_paragraph(line)
    doc.save(path)
    return path


def _page_images(pdf: Path, *, angle: float, seed: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    rng = random.Random(seed)
    pages = []
    document = pdfium.PdfDocument(str(pdf))
    for page in document:
        img = page.render(scale=200 / 72).to_pil().convert("L")
        img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        pixels = img.load()
        for _ in range(img.width * img.height // 300):  # dust and toner specks
            pixels[rng.randrange(img.width), rng.randrange(img.height)] = rng.choice((0, 80, 160))
        pages.append(img.filter(ImageFilter.GaussianBlur(0.6)))
    document.close()
    return pages


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """The seed report as .docx, as a text-layer PDF, as a scanned (image-only) PDF, as a photo, and as a .doc."""
    work = tmp_path_factory.mktemp("scans")
    docx = _seed_docx(work / "珠晖区2022年度绩效报告.docx")
    _soffice(["--convert-to", "pdf", "--outdir", str(work), str(docx)], work)
    printed = docx.with_suffix(".pdf")
    pages = _page_images(printed, angle=0.8, seed=7)
    scan = work / "珠晖区2022年度绩效报告（盖章扫描件）.pdf"
    pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=200)
    photo = work / "第1页.jpg"
    _page_images(printed, angle=-1.2, seed=11)[0].save(photo, quality=80)
    _soffice(["--convert-to", "doc:MS Word 97", "--outdir", str(work), str(docx)], work)
    return {"docx": docx, "scan": scan, "photo": photo, "doc": docx.with_suffix(".doc")}


def _by_category(extraction, category: str) -> list[float]:
    return [f.value for f in extraction.facts if f.category == category and f.kind == "amount" and f.parent is None]


def test_a_scanned_pdf_reads_the_headline_figures_exactly(made):
    pages_read = []
    scan = extract_file(made["scan"], progress=lambda page, pages: pages_read.append((page, pages)))
    assert scan.document.scanned_pages == 2 and pages_read == [(1, 2), (2, 2)]
    assert scan.document.org == "珠晖区总工会" and scan.document.year == 2022
    assert _by_category(scan, "spending.total") == [TOTAL]
    assert _by_category(scan, "spending.basic") == [] and BASIC in [f.value for f in scan.facts]  # under the total
    assert _by_category(scan, "aid.hardship")[-1:] == [HARDSHIP]
    assert _by_category(scan, "aid.warmth") == [WARMTH]
    assert _by_category(scan, "activity.culture_sports") == [CULTURE]
    assert _by_category(scan, "subsidy.lower") == [SUBSIDY]
    # the scan reads as the document it was printed from
    typed = extract_file(made["docx"])
    shape = [(f.value, f.unit, f.category, f.measure, f.parent) for f in typed.facts]
    assert [(f.value, f.unit, f.category, f.measure, f.parent) for f in scan.facts] == shape
    assert any("扫描件" in p.message and p.severity == "warning" for p in scan.problems)


def test_every_figure_from_a_scan_keeps_its_page_box_and_line_image(made):
    scan = extract_file(made["scan"])
    places = {p.fact_id: p for p in scan.places}
    assert set(places) == {f.id for f in scan.facts}
    total = next(f for f in scan.facts if f.value == TOTAL)
    place = places[total.id]
    assert place.page == 1 and "107.70万元" in place.line_text and place.confidence > 0.9
    crop = Image.open(io.BytesIO(place.png))
    x0, y0, x1, y1 = place.box
    assert crop.width >= x1 - x0 and 20 <= crop.height <= 160  # one or two lines, not the page
    # the crop shows ink where the line is (dark pixels), not an empty margin
    assert crop.convert("L").getextrema()[0] < 100
    # the warehouse rows carry the same place and image
    rows = warehouse.scan_places_frame(scan, "430405-2022-v1").to_dicts()
    row = next(r for r in rows if r["fact_id"] == total.id)
    assert (row["page"], row["box_x0"], row["box_y1"]) == (1, x0, y1) and row["crop_png"] == place.png
    later = [p for p in scan.places if p.page == 2]
    assert all(p.box[1] < 2339 for p in scan.places) and later == [] or all(p.page == 2 for p in later)


def test_a_photo_of_a_page_is_read(made):
    photo = extract_file(made["photo"])
    assert photo.document.scanned_pages == 1
    assert _by_category(photo, "spending.total") == [TOTAL]
    assert all(p.page == 1 for p in photo.places)


def test_an_old_word_file_reads_like_the_docx_it_was_saved_from(made):
    old = extract_file(made["doc"])
    new = extract_file(made["docx"])
    assert [(f.value, f.category, f.measure, f.parent, f.text) for f in old.facts] == [
        (f.value, f.category, f.measure, f.parent, f.text) for f in new.facts
    ]
    assert any("旧版Word" in p.message for p in old.problems)
    assert made["doc"].read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # the original stays as it was
    assert suffix_by_content(made["doc"].read_bytes(), "报告.doc") == ".doc"
    assert suffix_by_content(made["doc"].read_bytes(), "报告.wps") == ".wps"  # a WPS file keeps its name


def test_an_old_excel_template_reads_like_the_xlsx(tmp_path):
    xlsx = write_template(tmp_path / "模板.xlsx", union_name="珠晖区总工会", district_code="430405", year=2022)
    fill(
        xlsx,
        {"B5": 1077000, "B6": 715600},
        帮扶=[[1, "困难职工帮扶支出", "困难职工帮扶", "实际支出", 298000, 35, None, None, ""]],
        对下补助=[[1, "对下补助支出", "对下补助", "实际支出", 480000, 10, None, ""]],
    )
    _soffice(["--convert-to", "xls:MS Excel 97", "--outdir", str(tmp_path), str(xlsx)], tmp_path)
    xls = xlsx.with_suffix(".xls")
    assert suffix_by_content(xls.read_bytes(), "模板.et") == ".et"
    old = extract_file(xls)
    values = sorted((f.value, f.category) for f in old.facts)
    assert (
        (1077000, "spending.total") in values
        and (298000, "aid.hardship") in values
        and (480000, "subsidy.lower") in values
    )
    assert values == sorted((f.value, f.category) for f in extract_file(xlsx).facts)
    assert any("旧版Excel" in p.message for p in old.problems)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("坏扫描.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "图片无法打开"),
        ("坏扫描.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 10, "图片无法打开"),
        (
            "坏文件.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 600,
            "无法转换",
        ),
        ("坏表格.xls", b"not a workbook", "不是有效的旧版Excel文件"),
    ],
)
def test_broken_scans_and_old_files_get_clear_messages(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    extraction = extract_file(path)
    (problem,) = extraction.problems
    assert problem.severity == "fatal" and name in problem.message and message in problem.message
    assert "Traceback" not in problem.message and path.read_bytes() == content


def test_a_blank_scan_is_named_as_such(tmp_path):
    blank = tmp_path / "空白扫描.pdf"
    Image.new("L", (1654, 2339), 255).save(blank, resolution=200)
    (problem,) = extract_file(blank).problems
    assert problem.severity == "fatal" and "没有识别出文字" in problem.message and "空白扫描.pdf" in problem.message


def test_a_password_protected_pdf_is_named_as_such(tmp_path):
    from pypdf import PdfWriter

    locked = tmp_path / "加密扫描件.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("1234")
    with open(locked, "wb") as fh:
        writer.write(fh)
    (problem,) = extract_file(locked).problems
    assert problem.severity == "fatal" and "已加密" in problem.message


def test_uploads_of_images_and_old_office_files_are_typed_by_content():
    assert suffix_by_content(b"\x89PNG\r\n\x1a\n....", "x.txt") == ".png"
    assert suffix_by_content(b"\xff\xd8\xff\xe1....", "扫描.pdf") == ".jpg"
    with pytest.raises(NotAllowed, match="PowerPoint"):
        suffix_by_content(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "报告.doc")


def test_layout_joins_wrapped_lines_and_keeps_table_cells_apart():
    def box(x0, y0, x1, text):
        return OcrBox(1, (x0, y0, x1, y0 + 20), text, 0.99)

    page = OcrPage(
        1,
        [
            box(150, 100, 1480, "在项目支出预算中我会分别为1.职工服务工作经费6万元；3.工会活动经费10"),
            box(150, 140, 230, "万元。"),
            box(150, 200, 400, "二、项目情况"),
            box(150, 260, 400, "基本支出"),
            box(900, 262, 1000, "71.56"),
        ],
    )
    read = layout_text([page])
    assert read.text.split("\n") == [
        "在项目支出预算中我会分别为1.职工服务工作经费6万元；3.工会活动经费10万元。",
        "二、项目情况",
        "基本支出\t71.56",
    ]
    assert [read.text[s:e] for s, e, _ in read.placed][-1] == "71.56"


def test_genre_words_misread_by_the_recogniser_are_corrected_only_where_certain():
    assert correct_genre_words("部内整体支出为107.70万元，项自支出22万元") == "部门整体支出为107.70万元，项目支出22万元"
    assert correct_genre_words("自2018年以来") == "自2018年以来"  # 自 alone is a word
    assert correct_genre_words("己完成全年目标") == "已完成全年目标"


def test_rule_ocr001_warns_of_an_uncertain_figure_and_passes_a_certain_one():
    (rule,) = [r for r in submission_rules() if r.id == "OCR001"]
    assert rule.severity == "warning"
    doubt = Problem("warning", OCR_LOW_CONFIDENCE, "扫描件第1页“107.70万元”识别把握不大（置信度62%）：“…”")
    (finding,) = rule.check(SubmissionContext("430405", 2022, facts=None, problems=[doubt]))  # type: ignore[arg-type]
    assert "107.70万元" in finding.message and "核对" in finding.message
    assert list(rule.check(SubmissionContext("430405", 2022, facts=None, problems=[]))) == []  # type: ignore[arg-type]


def test_a_figure_the_recogniser_was_unsure_of_becomes_a_warning(made):
    scan = extract_file(made["scan"])
    assert not [p for p in scan.problems if p.code == OCR_LOW_CONFIDENCE]  # a clean scan: nothing to doubt
    total = next(f for f in scan.facts if f.value == TOTAL)
    place = next(p for p in scan.places if p.fact_id == total.id)
    scan.places = [replace(place, confidence=0.62)]
    (doubt,) = low_confidence_problems(scan)
    assert doubt.severity == "warning" and doubt.span == total.span
    assert "第1页" in doubt.message and "107.70万元" in doubt.message and "62%" in doubt.message


@pytest.mark.e2e
def test_a_scan_handed_in_through_the_portal_shows_its_line_images_to_the_district_and_the_city(made, tmp_path):
    """The clerk uploads the stamped scan and watches its pages being read; the verdict shows each figure's line image;
    after the run, the feedback page and the city report show the images and the marts say which page."""
    import duckdb
    import httpx

    installation = published_installation(tmp_path)  # every sample district but 珠晖区 2022 has reported
    seen_progress = []
    with serving(installation) as address, httpx.Client(base_url=address, timeout=60) as client:
        page = client.get("/login")
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        user, password = district_account(ZHUHUI)
        client.post("/login", data={"username": user, "password": password, "token": token, "next": ""})
        csrf = csrf_of(client.get(f"/d/{ZHUHUI}/2022").text)
        with made["scan"].open("rb") as fh:
            answer = client.post(
                f"/d/{ZHUHUI}/2022/check",
                data={"csrf": csrf},
                files={"report": ("盖章扫描件.pdf", fh, "application/pdf")},
            )
        assert answer.status_code == 303 and "/check/" in answer.headers["location"]  # not a spinning tab
        for _ in range(300):
            shown = client.get(answer.headers["location"])
            assert shown.status_code == 200
            if 'id="verdict"' in shown.text:
                break
            seen_progress.append(re.search(r'id="progress-page">([^<]+)<', shown.text))
            time.sleep(0.5)
        verdict = shown.text
        assert "可以报送" in verdict and 'id="scan-notice"' in verdict and "共 2 页" in verdict
        assert verdict.count('<figure class="scan') >= 30 and "data:image/png;base64," in verdict
        assert any(m and m.group(1) in ("第 1 页，共 2 页", "第 2 页，共 2 页") for m in seen_progress)
        upload = re.search(r'name="upload" value="([^"]+)"', verdict).group(1)
        receipt = client.post(f"/d/{ZHUHUI}/2022/submit", data={"csrf": csrf, "upload": upload}, follow_redirects=True)
        assert receipt.status_code == 200 and "已接收" in receipt.text
    run = installation.uwh("run")
    assert run.returncode == 0, run.stderr[-3000:]
    with serving(installation) as address, httpx.Client(base_url=address, timeout=60) as client:
        token = re.search(r'name="token" value="([^"]+)"', client.get("/login").text).group(1)
        client.post("/login", data={"username": user, "password": password, "token": token, "next": ""})
        figures = client.get(f"/d/{ZHUHUI}/2022/figures").text  # where the clerk confirms what the city sums
        assert 'id="headline"' in figures and '<figure class="scan' in figures and "扫描件第1页原图" in figures
    reports = installation.layout.reports / "2022"
    feedback = (reports / "feedback" / f"{ZHUHUI}.html").read_text(encoding="utf-8")
    assert feedback.count('<figure class="scan') >= 30 and "扫描件第1页原图" in feedback
    city = (reports / "city_report.html").read_text(encoding="utf-8")
    assert "扫描件第1页原图" in city
    with duckdb.connect(str(installation.layout.published_db), read_only=True) as con:
        (page_of_total,) = con.execute(
            "SELECT scan_page FROM marts.fct_spending WHERE district_code = ? AND year = 2022 AND amount_yuan = ?",
            [ZHUHUI, TOTAL],
        ).fetchone()
        scanned, zhuhui = con.execute(
            """SELECT count(*) FILTER (WHERE scan_page IS NOT NULL), count(*) FILTER (WHERE district_code = ? AND year = 2022 AND NOT derived)
               FROM marts.fct_spending""",
            [ZHUHUI],
        ).fetchone()
        (image,) = con.execute(
            """SELECT p.crop_png FROM raw.scan_places p JOIN marts.fct_spending f USING (submission_id, fact_id)
               WHERE f.amount_yuan = ?""",
            [TOTAL],
        ).fetchone()
    assert page_of_total == 1 and Image.open(io.BytesIO(image)).height >= 20
    assert (
        scanned == zhuhui > 0
    )  # every figure read from the scan carries its page (a derived one has none), no other district's
