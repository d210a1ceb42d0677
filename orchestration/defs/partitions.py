"""District × year partitions. Districts are dynamic: they come from the tenant registry, never from code."""
from __future__ import annotations

import dagster as dg

FIRST_YEAR, LAST_YEAR = 2000, 2035   # intake refuses years before 2000 (ingest.submission.check_year)

district_partitions = dg.DynamicPartitionsDefinition(name="district")
year_partitions = dg.StaticPartitionsDefinition([str(y) for y in range(FIRST_YEAR, LAST_YEAR + 1)])
# Dagster orders dimensions by name, so keys read "<district>|<year>", e.g. "430405|2022".
district_year_partitions = dg.MultiPartitionsDefinition({"district": district_partitions, "year": year_partitions})


def partition_key(district_code: str, year: int) -> str:
    return dg.MultiPartitionKey({"district": district_code, "year": str(year)})


def sync_district_partitions(instance: dg.DagsterInstance, codes: list[str]) -> list[str]:
    """Register registry codes Dagster does not know yet; returns the ones added."""
    known = set(instance.get_dynamic_partitions(district_partitions.name))
    new = [c for c in codes if c not in known]
    if new:
        instance.add_dynamic_partitions(district_partitions.name, new)
    return new
