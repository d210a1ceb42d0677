"""The bottom layer: where an installation keeps its state, its settings, shared labels and DuckDB helpers."""
