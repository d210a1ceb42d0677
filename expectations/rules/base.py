"""What a data-quality rule is, in the manner of the DATA Act Broker's rule catalogue.

Each rule is one module in this package with an ID, a severity and a Chinese message for the district, and a
`check(context) -> Iterable[Finding]`; each has its own pass and fail test in tests/rules/.
Severities: `fatal` rejects the submission (it shows as 待更正 and is not summed), `warning` is reported,
`city` blocks publication of the whole city report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import polars as pl

from core.settings import RuleThresholds, installation_settings

RuleSeverity = Literal["fatal", "warning", "city"]


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: RuleSeverity
    message: str  # Simplified Chinese, for the district
    fact_id: str | None = None
    expected: float | None = None
    provided: float | None = None

    @property
    def difference(self) -> float | None:
        if self.expected is None or self.provided is None:
            return None
        return self.provided - self.expected


@dataclass
class SubmissionContext:
    district_code: str
    year: int
    facts: pl.DataFrame  # raw.facts columns (intake.warehouse.FACT_COLUMNS)
    prior_facts: pl.DataFrame | None = None  # the district's accepted facts of the previous year, if any
    settings: RuleThresholds = field(default_factory=lambda: installation_settings().rules)
    problems: list = field(default_factory=list)  # ingest.model.Problem found while reading (e.g. template cells)

    # A submission holds tens of facts: the rules read them as rows, once, rather than each asking the frame again
    # (a polars query costs ~0.1 ms whatever its size; ~30 of them per file were most of the ingest's cost).
    @cached_property
    def rows(self) -> list[dict]:
        return list(self.facts.iter_rows(named=True))

    @cached_property
    def prior_rows(self) -> list[dict] | None:
        return None if self.prior_facts is None else list(self.prior_facts.iter_rows(named=True))


@dataclass(frozen=True)
class Rule:
    id: str
    severity: RuleSeverity
    title: str  # one line, English, for operators
    description_zh: str  # what the rule checks, for districts (shown in feedback)
    check: Callable[[SubmissionContext], Iterable[Finding]]
    # what a finding's two figures are (expected, provided), named without saying which is right: either may be wrong
    compared_zh: tuple[str, str] = ("", "")

    def finding(self, message: str, **kw) -> Finding:
        return Finding(rule_id=self.id, severity=self.severity, message=message, **kw)


def reading_problem_rule(
    *, id: str, severity: RuleSeverity, code: str, title: str, description_zh: str, advice_zh: str = ""
) -> Rule:
    """A rule that reports what reading the file found (a problem `code` attached to the extraction): one finding
    per problem, its message for the district followed by the rule's advice."""
    rule: Rule

    def check(ctx: SubmissionContext) -> Iterable[Finding]:
        return [rule.finding(p.message + advice_zh) for p in ctx.problems if p.code == code]

    rule = Rule(id=id, severity=severity, title=title, description_zh=description_zh, check=check)
    return rule
