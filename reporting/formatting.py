"""How figures read in Chinese reports: 1,077,000.00 元, 107.70 万元, 同比 +12.3%."""

from __future__ import annotations


def yuan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def wan(value: float | None) -> str:
    return "—" if value is None else f"{value / 10000:,.2f}"


def count(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def yoy(ratio: float | None) -> str:
    if ratio is None:
        return "无上年数据"
    arrow = "增长" if ratio >= 0 else "下降"
    return f"同比{arrow}{abs(ratio):.1%}"


def share(part: float | None, whole: float | None) -> str:
    if not part or not whole:
        return "—"
    return f"{part / whole:.1%}"
