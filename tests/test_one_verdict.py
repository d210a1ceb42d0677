"""One verdict: `uwh validate` and the pipeline reach the same verdict for the same file — every sample and every
real corpus text — and no real report is refused as another union's when the registry holds its union."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ingest.tenants import load_tenants
from intake import warehouse
from intake.landing import land_file
from intake.submission import examine, ingest_landed
from union_warehouse import cli

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "fixtures" / "corpus"
CORPUS_REGISTRY = HERE / "fixtures" / "corpus_registry.csv"
SAMPLES = HERE.parent / "samples" / "landing"
# each corpus text under the registry entry of the body that wrote it (67 and 68 are two pages of one report)
CORPUS_CODES = {
    "000": "430405",
    "03": "500107",
    "07": "430900",
    "10": "421381",
    "11": "340223",
    "16": "430321",
    "18": "630122",
    "21": "110119",
    "23": "140403",
    "30": "430102",
    "31": "530103",
    "33": "130402",
    "36": "350322",
    "37": "420881",
    "39": "620722",
    "41": "420525",
    "44": "430811",
    "46": "360521",
    "48": "360425",
    "50": "610300",
    "52": "610482",
    "54": "320481",
    "56": "630121",
    "58": "411727",
    "61": "430202",
    "63": "430602",
    "66": "511129",
    "67": "510923",
    "68": "510923",
    "71": "500153",
    "75": "420624",
    "79": "530624",
    "84": "440000",
    "87": "340202",
}


def _verdict_printed(out: str) -> tuple[str, list[str]]:
    status = (
        "quarantined"
        if "不能接收" in out
        else "rejected"
        if "结论：未通过" in out
        else "accepted"
        if "结论：可以报送" in out
        else "?"
    )
    return status, sorted(re.findall(r"^\[\w+\] (\w+)", out, re.M))


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory):
    """The pipeline's intake over every sample, then the warehouse published where `uwh validate` reads it."""
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(SAMPLES, home / "landing")
    tenants = load_tenants()
    con = warehouse.connect(home / "work.duckdb")
    pairs = sorted({(p.parent.name, int(p.parent.parent.name)) for p in (home / "landing").rglob("*") if p.is_file()})
    outcomes = ingest_landed(
        con, archive_dir=home / "archive", landing_root=home / "landing", tenants=tenants, district_years=pairs
    )
    con.close()
    (home / "warehouse").mkdir()
    shutil.copy(home / "work.duckdb", home / "warehouse" / "city.duckdb")
    return home, outcomes


def test_validate_and_pipeline_agree_on_every_sample(samples_run, monkeypatch, capsys):
    home, outcomes = samples_run
    monkeypatch.setenv("UWH_HOME", str(home))
    compared = 0
    for outcome in outcomes:
        path = home / "landing" / str(outcome.year) / outcome.district_code / outcome.file_name
        cli.main(["validate", str(path), "--district", outcome.district_code, "--year", str(outcome.year)])
        printed = _verdict_printed(capsys.readouterr().out)
        pipeline = (outcome.status, sorted(f.rule_id for f in outcome.findings))
        assert printed == pipeline, outcome.file_name
        compared += 1
    assert compared == len(list(SAMPLES.rglob("*.*"))) >= 35
    # the samples' deliberate errors are found on both paths, and the year-on-year rule can fire in validate
    assert {o.status for o in outcomes} == {"accepted", "rejected"}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    home = tmp_path_factory.mktemp("corpus")
    tenants = load_tenants(CORPUS_REGISTRY)
    truth = {
        json.loads(line)["file"]: json.loads(line)
        for line in (CORPUS / "truth.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    landed = {}
    for name, record in truth.items():
        code = CORPUS_CODES[name.split("_")[0]]
        path = land_file(home / "landing", CORPUS / name, record["year"], code, (CORPUS / name).read_bytes())
        landed[path.name] = (path, code, record["year"])
    con = warehouse.connect(home / "work.duckdb")
    outcomes = ingest_landed(
        con,
        archive_dir=home / "archive",
        landing_root=home / "landing",
        tenants=tenants,
        district_years=sorted({(code, year) for _, code, year in landed.values()}),
    )
    con.close()
    return tenants, landed, outcomes


def test_validate_and_pipeline_agree_on_every_corpus_text(corpus_run):
    tenants, landed, outcomes = corpus_run
    assert len(outcomes) == len(landed) == 34
    for outcome in outcomes:
        path, code, year = landed[outcome.file_name]
        examined = examine(path, code, year, tenants, None)  # what `uwh validate` calls (prior: none published)
        assert (examined.status, sorted(f.rule_id for f in examined.findings)) == (
            outcome.status,
            sorted(f.rule_id for f in outcome.findings),
        ), outcome.file_name


def test_real_texts_whose_figures_reconcile_get_no_fatal_finding(corpus_run):
    """Zero lines are not missing items, a change's signed parts are not a breakdown exceeding its total, a note in a
    cell is not part of its column: the real texts rejected are the one with no spending figure at all and the one
    whose own 其中 does not add up (共筹集资金170.5万元（其中…162.5万元，县级配套10万元）: 172.5 > 170.5, which the
    district must settle)."""
    _, _, outcomes = corpus_run
    rejected = {o.file_name: sorted({f.rule_id for f in o.fatal}) for o in outcomes if o.status == "rejected"}
    assert rejected == {
        "31_panlong_2024_zhuanxiang_negative.txt": ["DOC001"],
        "18_huangzhong_2018_songwennuan.txt": ["BRK001"],
    }


def test_no_corpus_text_is_refused_for_its_name(corpus_run):
    _, _, outcomes = corpus_run
    refused = [(o.file_name, o.message) for o in outcomes if o.status == "quarantined"]
    assert refused == []
    # a text that names its body only in the body, or not at all, is filed and the district asked to check
    unconfirmed = {o.file_name for o in outcomes if any(f.rule_id == "ORG001" for f in o.findings)}
    assert "36_xianyou_2025_jinqiu.txt" in unconfirmed  # 原文只称“县总工会”
    assert "000_9080c3ed6720e0e2.txt" not in unconfirmed  # 珠晖区总工会 in its title


def test_a_report_naming_another_registered_union_in_its_title_is_refused():
    tenants = load_tenants()
    text = "石鼓区总工会2022年度部门整体支出绩效报告\n部门整体支出为107.70万元。"
    from ingest.extract import extract_text
    from intake.submission import tenancy_problem

    doc = extract_text(text).document
    assert "石鼓区总工会" in tenancy_problem(doc, tenants["430405"], 2022, tenants)
    # the same union named only in the body (a visit, a comparison) is no reason to refuse
    body_only = extract_text(
        "珠晖区总工会2022年度部门整体支出绩效报告\n一、概况\n"
        + "正文。" * 10
        + "\n与石鼓区总工会开展交流，部门整体支出为107.70万元。"
    ).document
    assert tenancy_problem(body_only, tenants["430405"], 2022, tenants) is None
