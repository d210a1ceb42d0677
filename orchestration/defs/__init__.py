"""Dagster integrations, one module per concern; assembled in orchestration/definitions.py."""
