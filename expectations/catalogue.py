"""Discovers the rule catalogue and runs it on one submission."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from expectations import rules as rules_pkg
from expectations.rules.base import Finding, Rule, SubmissionContext

SEVERITY_ORDER = {"fatal": 0, "city": 1, "warning": 2}


@lru_cache(maxsize=1)
def submission_rules() -> tuple[Rule, ...]:
    """Every per-submission rule module's RULE, ordered by ID."""
    found = []
    for info in pkgutil.iter_modules(rules_pkg.__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{rules_pkg.__name__}.{info.name}")
        found.append(module.RULE)
    return tuple(sorted(found, key=lambda r: r.id))


# COV001 is decided in the warehouse (dq_findings: a registered district-year without a submission), not on a file;
# it is listed with the catalogue so every finding a reader meets is explained in one place.
COVERAGE_RULE_ID = "COV001"
COVERAGE_RULE_ZH = "登记名册中的区县未报送本年度报告时提示（由数据仓库按名册判断，不针对某个文件）。"


def compared_zh(rule_id: str) -> tuple[str, str]:
    """The names of a finding's two figures for its rule ('合计', '明细之和'); ('', '') for a rule without figures."""
    return next((r.compared_zh for r in submission_rules() if r.id == rule_id), ("", ""))


def run_submission_rules(ctx: SubmissionContext) -> list[Finding]:
    findings = [f for rule in submission_rules() for f in rule.check(ctx)]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.rule_id))


def is_rejected(findings: list[Finding]) -> bool:
    return any(f.severity == "fatal" for f in findings)
