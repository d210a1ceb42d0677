"""Submissions in and warehouse out: landing, archive, versions (the ledger), the one verdict, receipts, the raw
layer of the DuckDB work file, the run lock and publication. Above the rules it applies, below reporting."""
