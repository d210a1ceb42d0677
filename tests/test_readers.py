"""Files to text: encodings, Word (paragraphs and tables in order), PDF, and every unreadable case named clearly."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document as WordDocument
from pypdf import PdfWriter

from ingest.extract import extract_file
from ingest.readers import MAX_DOCX_UNCOMPRESSED, ReadError, read_document

TEXT = "珠晖区总工会2022年度部门整体支出绩效报告\n部门整体支出为107.70万元。"


@pytest.mark.parametrize(
    "encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b"")]
)
def test_text_encodings_are_detected(tmp_path, encoding, prefix):
    path = tmp_path / "report.txt"
    path.write_bytes(prefix + TEXT.encode(encoding))
    assert read_document(path).text == TEXT


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    doc = WordDocument()
    doc.add_paragraph("一、部门概况")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "2022年决算数（万元）"
    table.cell(1, 0).text, table.cell(1, 1).text = "部门整体支出", "107.70"
    doc.add_paragraph("二、部门整体支出管理及使用情况")
    path = tmp_path / "report.docx"
    doc.save(path)
    lines = read_document(path).text.split("\n")
    assert lines == [
        "一、部门概况",
        "项目\t2022年决算数（万元）",
        "部门整体支出\t107.70",
        "二、部门整体支出管理及使用情况",
    ]
    facts = extract_file(path).facts
    assert [(f.label, f.value, f.measure) for f in facts] == [("部门整体支出", 1_077_000, "actual")]


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "report.docx"
    path.write_text("这不是Word文档", encoding="utf-8")
    with pytest.raises(ReadError, match="report.docx.*不是有效的Word文档"):
        read_document(path)


def test_zip_bomb_disguised_as_docx_is_refused_before_decompressing(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (MAX_DOCX_UNCOMPRESSED + 1))
    assert path.stat().st_size < 200_000
    with pytest.raises(ReadError, match="压缩炸弹"):
        read_document(path)


def _pdf(path, *, text: str | None, password: str | None = None):
    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=300)
    if text is not None:
        from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 200 Td ({text}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(password)
    with open(path, "wb") as fh:
        writer.write(fh)


def test_pdf_text_layer_is_read(tmp_path):
    path = tmp_path / "report.pdf"
    _pdf(path, text="Total 1077000")
    assert "1077000" in read_document(path).text


def test_scanned_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    _pdf(path, text=None)
    with pytest.raises(ReadError, match="扫描件"):
        read_document(path)


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    _pdf(path, text="secret", password="pw")
    with pytest.raises(ReadError, match="加密"):
        read_document(path)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "空"),
        ("blank.txt", b"  \n ", "空"),
        ("old.doc", b"\xd0\xcf\x11\xe0", ".doc"),
        ("image.png", b"\x89PNG", "图片无法打开"),
        ("report.ppt", b"slides", "不支持的文件格式"),
    ],
)
def test_unreadable_files_become_a_fatal_problem_not_a_trace(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    extraction = extract_file(path)
    assert extraction.facts == []
    (problem,) = extraction.problems
    assert problem.severity == "fatal" and name in problem.message and message in problem.message


def test_big5_is_read_as_traditional_chinese_not_gb18030_garbage(tmp_path):
    text = "彬州市總工會2023年度工作總結\n本次“暖冬行動”集中慰問一線勞動者795名，共計13.5萬元。"
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("big5"))
    from ingest.extract import extract_file

    extraction = extract_file(path)
    assert [f.value for f in extraction.facts if f.kind == "amount"] == [135_000]
    assert any("Big5" in p.message for p in extraction.problems)


def test_bytes_that_are_no_chinese_encoding_are_named_as_such(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(range(0x81, 0xFF)) * 4)
    from ingest.extract import extract_file

    (problem,) = extract_file(path).problems
    assert problem.severity == "fatal" and "编码" in problem.message and "report.txt" in problem.message


def test_limits_a_district_can_be_told_refuse_what_is_far_beyond_a_report(tmp_path):
    from ingest.extract import MAX_FACTS, MAX_TEXT_CHARS, extract_file

    long_text = tmp_path / "long.txt"
    paragraph = "本单位全年开展各项活动，职工参与热情高涨，取得了良好效果。\n"
    long_text.write_text(paragraph * (MAX_TEXT_CHARS // len(paragraph) + 10), encoding="utf-8")
    (problem,) = extract_file(long_text).problems
    assert problem.severity == "fatal" and "文本过长" in problem.message and "long.txt" in problem.message
    many = tmp_path / "many.txt"
    many.write_text(
        "某区总工会2022年度报告\n" + "".join(f"第{i}项支出{i + 1}元。" for i in range(MAX_FACTS + 10)), encoding="utf-8"
    )
    extraction = extract_file(many)
    assert extraction.facts == [] and "数字过多" in extraction.problems[0].message


def test_a_word_body_beyond_the_limit_is_refused_before_parsing(tmp_path):
    import random
    import zipfile

    from ingest.readers import MAX_DOCX_BODY

    rng = random.Random(7)  # incompressible, so the zip-bomb ratio does not catch it first
    body = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(MAX_DOCX_BODY // 3 + 1000)).encode("utf-8")
    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", body)
    from ingest.extract import extract_file

    (problem,) = extract_file(path).problems
    assert "Word正文过大" in problem.message and problem.severity == "fatal"
