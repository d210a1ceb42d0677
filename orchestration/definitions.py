"""All Dagster definitions: whatever `defs/` declares, loaded from the folder (`dagster dev -m
orchestration.definitions`; pyproject.toml's [tool.dg] names the folder, as `dg check defs` reads it)."""

from __future__ import annotations

import dagster as dg

from core.config import Layout
from core.settings import PROJECT_ROOT
from orchestration.defs.resources import resources_for


def build_definitions(layout: Layout | None = None) -> dg.Definitions:
    """The definitions of `defs/`; with `layout`, bound to that installation instead of the one the settings name."""
    found = dg.load_from_defs_folder(path_within_project=PROJECT_ROOT / "orchestration" / "defs")
    if layout is None:
        return found
    return dg.Definitions(
        assets=found.assets,
        asset_checks=found.asset_checks,
        jobs=found.jobs,
        schedules=found.schedules,
        sensors=found.sensors,
        resources=resources_for(layout),
    )


defs = build_definitions()
