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
