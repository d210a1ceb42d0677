"""The rule catalogue: one module per rule, each exporting RULE (see base.py)."""
