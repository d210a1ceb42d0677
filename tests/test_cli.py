"""The district-facing commands: validate before submitting, submit with a receipt, history, template, tenants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from union_warehouse.cli import main

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
ZHUHUI = CORPUS / "000_9080c3ed6720e0e2.txt"


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("UWH_HOME", str(tmp_path))
    return tmp_path


def test_extract_prints_the_contract(capsys):
    assert main(["extract", str(ZHUHUI)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["document"]["org"] == "珠晖区总工会" and out["document"]["year"] == 2022
    total = next(f for f in out["facts"] if f["value"] == 1_077_000)
    assert out["document"]["text"][total["span"][0] : total["span"][1]] == "107.70万元"


def test_validate_runs_the_rules_without_a_warehouse(home, capsys):
    assert main(["validate", str(ZHUHUI), "--district", "430405", "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert "XSC001" in out and "可以报送" in out
    assert not (home / ".work").exists()


def test_validate_refuses_a_file_for_another_district(home, capsys):
    assert main(["validate", str(ZHUHUI), "--district", "430406", "--year", "2022"]) == 1
    assert "珠晖区总工会" in capsys.readouterr().out


def test_submit_prints_and_keeps_a_receipt_and_history_lists_versions(home, capsys):
    assert main(["submit", str(ZHUHUI), "--district", "430405", "--year", "2022"]) == 0
    receipt = capsys.readouterr().out
    assert "报送回执" in receipt and "430405-2022-v1" in receipt and "已接收" in receipt
    assert (home / "receipts" / "430405-2022-v1.txt").read_text(encoding="utf-8").startswith("报送回执")
    assert main(["submit", str(ZHUHUI), "--district", "430405", "--year", "2022"]) == 0
    assert "重复报送" in capsys.readouterr().out
    assert main(["history", "--district", "430405", "--year", "2022"]) == 0
    assert capsys.readouterr().out.count("\n") == 1


def test_submit_to_an_unknown_district(home, capsys):
    assert main(["submit", str(ZHUHUI), "--district", "999999", "--year", "2022"]) == 2
    assert "999999" in capsys.readouterr().err


def test_template_and_tenants(home, capsys, tmp_path):
    assert main(["template", "--district", "430405", "--year", "2023", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert (tmp_path / "t.xlsx").exists()
    assert main(["tenants"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 12


def test_wrong_arguments_are_told_in_chinese_never_as_a_traceback(tmp_path, monkeypatch, capsys):
    from union_warehouse.cli import main as uwh

    monkeypatch.setenv("UWH_HOME", str(tmp_path))
    report = tmp_path / "报告.txt"
    report.write_text("珠晖区总工会2022年度部门整体支出绩效报告\n部门整体支出为107.70万元。", encoding="utf-8")
    cases = [
        (["validate", str(report), "--district", "999999", "--year", "2022"], "不在登记名册中"),
        (["template", "--district", "999999", "--year", "2022"], "不在登记名册中"),
        (["validate", str(report), "--district", "430405", "--year", "1999"], "年度 1999"),
        (["submit", str(report), "--district", "430405", "--year", "3000"], "年度 3000"),
        (["history", "--district", "abc", "--year", "2022"], "不是六位"),
        (["extract", str(tmp_path / "没有.txt")], "文件不存在"),
    ]
    for argv, said in cases:
        assert uwh(argv) == 2, argv
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err, (argv, err)


def test_every_command_has_a_description_and_an_example():
    from union_warehouse.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert {"extract", "run", "validate", "submit", "status", "init", "sql"} <= set(commands)
    for name, sub in commands.items():
        assert sub.description and any("\u4e00" <= ch <= "\u9fff" for ch in sub.description), name
        assert sub.epilog and sub.epilog.startswith("例：uwh"), name


def test_validate_says_it_cannot_accept_without_claiming_a_quarantine(tmp_path, monkeypatch, capsys):
    from union_warehouse.cli import main as uwh

    monkeypatch.setenv("UWH_HOME", str(tmp_path))
    report = tmp_path / "报告.txt"
    report.write_text("石鼓区总工会2022年度部门整体支出绩效报告\n部门整体支出为107.70万元。", encoding="utf-8")
    assert uwh(["validate", str(report), "--district", "430405", "--year", "2022"]) == 1
    out = capsys.readouterr().out
    assert "不能接收" in out and "石鼓区总工会" in out and "已隔离" not in out
