"""District × year partitions, both dynamic: districts come from the tenant registry, years from the landing folders.

Only years that hold submissions are partitions, so a run over every partition costs what is stored, not a fixed
calendar (Dagster records a materialization per partition and asset).
"""
from __future__ import annotations

from datetime import date

import dagster as dg

FIRST_YEAR = 2000                      # intake refuses earlier years (ingest.submission.check_year)

district_partitions = dg.DynamicPartitionsDefinition(name="district")
year_partitions = dg.DynamicPartitionsDefinition(name="year")
# Dagster orders dimensions by name, so keys read "<district>|<year>", e.g. "430405|2022".
district_year_partitions = dg.MultiPartitionsDefinition({"district": district_partitions, "year": year_partitions})


def partition_key(district_code: str, year: int) -> str:
    return dg.MultiPartitionKey({"district": district_code, "year": str(year)})


def last_year() -> int:
    """Nothing later than the current year can be reported on."""
    return date.today().year


def acceptable_years(years) -> list[str]:
    return sorted({str(y) for y in years if FIRST_YEAR <= int(y) <= last_year()})


def missing_partitions(instance: dg.DagsterInstance, codes: list[str], years) -> dict[str, list[str]]:
    """Registry codes and landed years Dagster does not know yet, by dimension."""
    wanted = {district_partitions.name: list(codes), year_partitions.name: acceptable_years(years)}
    missing = {}
    for name, keys in wanted.items():
        known = set(instance.get_dynamic_partitions(name))
        new = [k for k in keys if k not in known]
        if new:
            missing[name] = new
    return missing


def sync_partitions(instance: dg.DagsterInstance, codes: list[str], years) -> None:
    for name, new in missing_partitions(instance, codes, years).items():
        instance.add_dynamic_partitions(name, new)
