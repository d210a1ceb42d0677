"""What a data-quality rule is, in the manner of the DATA Act Broker's rule catalogue.

Each rule is one module in this package with an ID, a severity and a Chinese message for the district, and a
`check(context) -> Iterable[Finding]`; each has its own pass and fail test in tests/rules/.
Severities: `fatal` rejects the submission (it shows as 待更正 and is not summed), `warning` is reported,
`city` blocks publication of the whole city report.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

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


@dataclass(frozen=True)
class Settings:
    """Thresholds of the rules. An installation overrides them in <UWH_HOME>/rules.toml, e.g.
    aid_per_person_band = [100, 20000], yoy_max_change = 0.3 and max_amount_yuan = 5e9."""

    aid_per_person_band: tuple[float, float] = (50.0, 50_000.0)  # 元 per 人次 considered plausible
    yoy_max_change: float = 0.5  # share of previous year's headline total
    max_amount_yuan: float = 1e10  # 100亿元: more than a province federation spends; a larger figure is a typo

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or Path(os.environ.get("UWH_HOME", ".")) / "rules.toml"
        if not path.exists():
            return cls()
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        band = data.get("aid_per_person_band", cls.aid_per_person_band)
        return cls(
            aid_per_person_band=(float(band[0]), float(band[1])),
            yoy_max_change=float(data.get("yoy_max_change", cls.yoy_max_change)),
            max_amount_yuan=float(data.get("max_amount_yuan", cls.max_amount_yuan)),
        )


@dataclass
class SubmissionContext:
    district_code: str
    year: int
    facts: pl.DataFrame  # raw.facts columns (intake.warehouse.FACT_COLUMNS)
    prior_facts: pl.DataFrame | None = None  # the district's accepted facts of the previous year, if any
    settings: Settings = field(default_factory=Settings.load)
    problems: list = field(default_factory=list)  # ingest.model.Problem found while reading (e.g. template cells)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: RuleSeverity
    title: str  # one line, English, for operators
    description_zh: str  # what the rule checks, for districts (shown in feedback)
    check: Callable[[SubmissionContext], Iterable[Finding]]

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
