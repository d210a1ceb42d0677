"""A city rule is a reconciliation query plus an expectation on its result.

The query returns one row per figure it checks, with `figure` (what it is), `claimed` (what a table says) and
`recomputed` (what the facts it summarises give). `difference` says how far apart they may not be (by default the
absolute difference); Great Expectations then checks every difference is within `tolerance`, on a pandas frame read
from DuckDB (GX's SQL path does not work on DuckDB).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CityRule:
    id: str
    severity: str  # always "city": a failure blocks the report and publication
    title: str
    message_zh: str  # shown in the run failure and the data-quality section
    sql: str  # columns: figure, claimed, recomputed
    tolerance: float = 0.01  # 元; both sides are sums of the same stored floats
    difference: str = "abs(claimed - recomputed)"
