"""The sample generator: reproducible, truthful (every truth text stands in its file), consistent but for the
declared errors, and varied in wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.readers import read_document
from synth.generate import DEFAULT_ERRORS, Tenant, generate_submissions

TENANTS = [
    Tenant("430406", "雁峰区总工会"),
    Tenant("430408", "蒸湘区总工会"),
    Tenant("430412", "南岳区总工会"),
    Tenant("430424", "衡东县总工会"),
    Tenant("430481", "耒阳市总工会"),
]
YEARS = [2021, 2022, 2023]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    return out, generate_submissions(TENANTS, YEARS, out, seed=7, docx_share=0.4)


def test_same_seed_same_bytes(generated, tmp_path):
    out, _ = generated
    generate_submissions(TENANTS, YEARS, tmp_path, seed=7, docx_share=0.4)
    for path in (out / "landing").rglob("*.txt"):
        assert path.read_bytes() == (tmp_path / "landing" / path.relative_to(out / "landing")).read_bytes()
    assert (out / "truth.jsonl").read_text(encoding="utf-8") == (tmp_path / "truth.jsonl").read_text(encoding="utf-8")


def test_every_truth_text_stands_in_its_file(generated):
    out, records = generated
    for record in records:
        text = read_document(out / "landing" / record["file"]).text
        for item in record["facts"] + record["counts"]:
            assert item["text"] in text, (record["file"], item)


def test_breakdowns_add_up_except_the_declared_errors(generated):
    _, records = generated
    declared = {(e.district_code, e.year) for e in DEFAULT_ERRORS}
    for record in records:
        facts = {f["label"]: f for f in record["facts"]}
        children: dict[str, int] = {}
        for f in record["facts"]:
            if f.get("parent"):
                children[f["parent"]] = children.get(f["parent"], 0) + f["value_yuan"]
        consistent = all(abs(total - facts[p]["value_yuan"]) < 1 for p, total in children.items())
        assert consistent == ((record["district_code"], record["year"]) not in declared), record["file"]


def test_missing_district_year_is_absent(generated):
    out, records = generated
    assert not (out / "landing" / "2021" / "430412").exists()
    assert ("430412", 2021) not in {(r["district_code"], r["year"]) for r in records}
    assert json.loads((out / "errors.json").read_text(encoding="utf-8"))[2]["error"] == "missing"


def test_wording_varies_across_districts(generated):
    _, records = generated

    def phrasing(kind):
        return {f["text"].rstrip("0123456789.,万元") for r in records for f in r["facts"] if f["kind"] == kind}

    assert len(phrasing("total_spending")) >= 3
    assert len(phrasing("activity")) >= 3
    suffixes = {Path(r["file"]).suffix for r in records}
    assert {".txt", ".docx"} <= suffixes


def test_benchmark_mix_includes_filled_templates_that_read_back_as_their_truth(tmp_path):
    """The scale benchmark mixes narratives and templates; a template's facts are exactly its truth."""
    from ingest.extract import extract_file

    records = generate_submissions(TENANTS, YEARS, tmp_path, seed=11, errors=[], template_share=0.4)
    templates = [r for r in records if r["file"].endswith(".xlsx")]
    assert templates and len(templates) < len(records)
    for record in templates:
        extraction = extract_file(tmp_path / "landing" / record["file"])
        amounts = {(f.label, float(f.value)) for f in extraction.facts if f.kind == "amount"}
        assert amounts == {(f["label"], float(f["value_yuan"])) for f in record["facts"]}
        counts = sorted(float(f.value) for f in extraction.facts if f.kind == "count")
        assert counts == sorted(float(c["value"]) for c in record["counts"])
        assert extraction.document.org == record["org"] and extraction.document.year == record["year"]
