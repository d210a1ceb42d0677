"""Inline SVG charts: drawn on the server, no script and no network, so the report opens anywhere and prints."""

from __future__ import annotations

from html import escape

PALETTE = ["#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d"]
MIN_LABEL_SPACE = 110


def label_space(labels) -> int:
    """Room left of the bars for the longest label (a CJK character is about twice a digit's width): a long
    subsidy type or '2022年（11/12个区县）' was cut off at a fixed 110 px."""
    widths = [sum(14 if ord(ch) > 0x2E7F else 7.5 for ch in label) for label in labels]
    return max(MIN_LABEL_SPACE, int(max(widths, default=0)) + 14)


def bar_chart(
    rows: list[tuple[str, float]],
    *,
    title: str,
    value_label,
    width: int = 760,
    bar_height: int = 22,
    css_class: str = "chart",
    in_given_order: bool = False,
) -> str:
    """Horizontal bars, one per row (label, value), largest first unless in_given_order (years run in time order);
    value_label formats the number at the bar's end."""
    if not in_given_order:
        rows = sorted(rows, key=lambda r: r[1], reverse=True)
    left, right, top = label_space(label for label, _ in rows), 150, 36
    height = top + len(rows) * (bar_height + 8) + 12
    peak = max((v for _, v in rows), default=0) or 1
    parts = [
        f'<svg class="{css_class}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="100%">',
        f'<text x="0" y="20" class="chart-title">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_height + 8)
        length = (width - left - right) * value / peak
        parts.append(f'<text x="{left - 8}" y="{y + bar_height * 0.72:.1f}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<rect class="bar" x="{left}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[0]}" data-label="{escape(label)}" data-value="{value:.2f}"/>'
        )
        parts.append(
            f'<text x="{left + length + 6:.1f}" y="{y + bar_height * 0.72:.1f}">{escape(value_label(value))}</text>'
        )
    if not rows:
        parts.append(f'<text x="{left}" y="{top + 16}">暂无数据</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(
    rows: list[tuple[str, dict[str, float]]],
    series: list[str],
    *,
    title: str,
    value_label,
    width: int = 760,
    bar_height: int = 22,
) -> str:
    """Horizontal stacked bars (label, {series: value}) with a legend; used for spending by district and area."""
    left, right, top = label_space(label for label, _ in rows), 150, 58
    height = top + len(rows) * (bar_height + 8) + 12
    peak = max((sum(v.values()) for _, v in rows), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="100%">',
        f'<text x="0" y="20" class="chart-title">{escape(title)}</text>',
    ]
    for k, name in enumerate(series):
        x = left + k * 120
        parts.append(
            f'<rect x="{x}" y="30" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="41">{escape(name)}</text>'
        )
    for i, (label, values) in enumerate(rows):
        y = top + i * (bar_height + 8)
        x = float(left)
        parts.append(f'<text x="{left - 8}" y="{y + bar_height * 0.72:.1f}" text-anchor="end">{escape(label)}</text>')
        for k, name in enumerate(series):
            length = (width - left - right) * values.get(name, 0) / peak
            if length > 0:
                parts.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                    f'fill="{PALETTE[k % len(PALETTE)]}" data-label="{escape(label)}" '
                    f'data-series="{escape(name)}" data-value="{values.get(name, 0):.2f}"/>'
                )
            x += length
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + bar_height * 0.72:.1f}">{escape(value_label(sum(values.values())))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
