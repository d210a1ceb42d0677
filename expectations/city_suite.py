"""Runs the city rules as a Great Expectations suite on frames read from DuckDB."""

from __future__ import annotations

import importlib
import pkgutil
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb

from core.db import query_frame
from expectations import city as city_pkg
from expectations.city.base import CityRule


@dataclass
class CityCheckOutcome:
    rule: CityRule
    passed: bool
    checked: int  # figures compared
    failures: list[dict]  # rows (figure, claimed, recomputed, abs_difference) that did not reconcile


@lru_cache(maxsize=1)
def city_rules() -> tuple[CityRule, ...]:
    found = []
    for info in pkgutil.iter_modules(city_pkg.__path__):
        if info.name != "base":
            found.append(importlib.import_module(f"{city_pkg.__name__}.{info.name}").RULE)
    return tuple(sorted(found, key=lambda r: r.id))


def _import_gx() -> None:
    try:
        import great_expectations  # noqa: F401
    except Exception:  # the city checks import it again and report what is wrong
        pass


def prewarm() -> None:
    """Import Great Expectations (~2.5 s) in the background while this process only waits — on the dbt build's
    subprocess — so the city checks that follow find it loaded."""
    threading.Thread(target=_import_gx, name="import-great-expectations", daemon=True).start()


@lru_cache(maxsize=1)
def _gx_context():
    """One ephemeral context per process: creating one costs ~1 s, and the city rules run together."""
    import great_expectations as gx  # imported lazily: ~6 s cold

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return gx, context


def _docs_site(context, docs_dir: Path) -> str:
    """The Data Docs site writing to docs_dir (added once per directory to this process's context)."""
    name = f"validation_{abs(hash(str(docs_dir)))}"
    if name not in (context.get_site_names() or []):
        context.add_data_docs_site(
            site_name=name,
            site_config={
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            },
        )
    return name


def run_city_rule(con: duckdb.DuckDBPyConnection, rule: CityRule, docs_dir: Path | None = None) -> CityCheckOutcome:
    """The rule as a GX suite on its rows; with docs_dir, run by a checkpoint that also publishes GX's Data Docs
    there (the validation page links them)."""
    frame = query_frame(
        con, f"SELECT figure, claimed, recomputed, {rule.difference} AS abs_difference FROM ({rule.sql})"
    )
    gx, context = _gx_context()
    batch_definition = (
        context.data_sources.add_or_update_pandas(rule.id)
        .add_dataframe_asset(rule.id)
        .add_batch_definition_whole_dataframe("all")
    )
    suite = gx.ExpectationSuite(name=rule.id)
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeBetween(column="abs_difference", min_value=0, max_value=rule.tolerance)
    )
    # the rows that failed are GX's own answer (COMPLETE lists every unexpected row), not a second computation
    result_format = {"result_format": "COMPLETE"}
    batch_parameters = {"dataframe": frame.to_pandas()}
    if docs_dir is None:
        result = batch_definition.get_batch(batch_parameters=batch_parameters).validate(
            suite, result_format=result_format
        )
    else:
        suite = context.suites.add_or_update(suite)
        validation = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(data=batch_definition, suite=suite, name=rule.id)
        )
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=rule.id,
                validation_definitions=[validation],
                actions=[
                    gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[_docs_site(context, docs_dir)])
                ],
                result_format=result_format,
            )
        )
        (result,) = checkpoint.run(batch_parameters=batch_parameters).run_results.values()
    (expectation,) = result.results
    rows = frame.to_dicts()
    failures = [rows[i] for i in expectation.result.get("unexpected_index_list") or []]
    return CityCheckOutcome(rule=rule, passed=bool(result.success), checked=frame.height, failures=failures)
