"""What sqlfluff's jinja templater renders for dbt-core's cross-database macros (`dbt.type_string()`, …) when it lints
the models without a warehouse: the DuckDB spelling each one compiles to."""


def type_string() -> str:
    return "varchar"


def type_float() -> str:
    return "double"


def hash(field: str) -> str:  # noqa: A001 - dbt's macro name
    return f"md5(cast({field} as varchar))"


def concat(fields: list[str]) -> str:
    return " || ".join(fields)
