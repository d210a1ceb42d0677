"""Year partitions: the yearly reporting cycle, taken from the landing folders.

Districts are not a partition dimension on purpose. Dagster stores one planned and one materialization event per
partition and asset (~10 ms each on this machine's SQLite storage); at 3,000 districts × 10 years that bookkeeping
alone took longer than the whole run may (docs/scaling.md). A district's state lives in raw.submissions, its receipts
and feedback page; a year run takes in only the files nobody has seen yet, so its cost follows what landed.
"""

from __future__ import annotations

from datetime import date

import dagster as dg

FIRST_YEAR = 2000  # intake refuses earlier years (intake.submission.check_year)

year_partitions = dg.DynamicPartitionsDefinition(name="year")


def last_year() -> int:
    """Nothing later than the current year can be reported on."""
    return date.today().year


def acceptable_years(years) -> list[str]:
    return sorted({str(y) for y in years if FIRST_YEAR <= int(y) <= last_year()})


def missing_years(instance: dg.DagsterInstance, years) -> list[str]:
    """Landed years Dagster does not know as partitions yet."""
    known = set(instance.get_dynamic_partitions(year_partitions.name))
    return [y for y in acceptable_years(years) if y not in known]


def sync_partitions(instance: dg.DagsterInstance, years) -> None:
    new = missing_years(instance, years)
    if new:
        instance.add_dynamic_partitions(year_partitions.name, new)
