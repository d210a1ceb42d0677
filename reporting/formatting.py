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


# Why a district has no 同比, from the previous year's status (NULL: the district was not expected that year).
PRIOR_MISSING_ZH = {
    None: "上年未列入汇总",
    "missing": "上年未报送",
    "rejected": "上年未通过校验",
    "accepted": "上年无此项数据",
}


def district_yoy(ratio: float | None, prior_status: str | None) -> str:
    """A district's change, or why there is none (上年未通过校验 is not 无上年数据)."""
    if ratio is not None:
        return yoy(ratio)
    return PRIOR_MISSING_ZH.get(prior_status, "无上年数据")


def comparable_yoy(totals: dict, measure: str) -> str:
    """The city's change of one measure on a comparable basis (districts accepted in both years), saying so; the raw
    totals' change follows as a second, labelled figure only when the two years' districts differ."""
    ratio = totals.get(f"comparable_{measure}_yoy_ratio")
    raw = totals.get(f"{measure}_yoy_ratio")
    n = totals.get("comparable_districts") or 0
    if not totals.get("prior_total_spending_yuan") and raw is None and ratio is None:
        return "无上年数据"
    if ratio is None:
        text = "无可比区县（两年均已接收的区县为0个）" if n == 0 else "可比区县无此项数据"
    else:
        text = f"按可比口径（{n}个区县）{yoy(ratio)}"
    if totals.get("coverage_differs") and raw is not None:
        text += f"；全部已接收区县合计{yoy(raw)}（两年区县不同）"
    return text


def findings_summary(fatal: int | None, warning: int | None) -> str:
    """须更正/提示 in words: '须更正1项，提示2项', '无' (never the cryptic '0/0')."""
    parts = [f"须更正{fatal}项"] if fatal else []
    parts += [f"提示{warning}项"] if warning else []
    return "，".join(parts) or "无"


def parts_gap_note(totals: dict) -> str:
    """Why a card's 基本 + 项目 does not make 整体 (some district stated only its total), or ''."""
    total, basic, project = (
        totals.get(k) for k in ("total_spending_yuan", "basic_spending_yuan", "project_spending_yuan")
    )
    if total is None or basic is None or project is None or abs(basic + project - total) < 0.5:
        return ""
    return (
        f"基本支出与项目支出之和较整体支出相差{wan(total - basic - project)}万元：部分区县报告未分列基本支出和项目支出"
    )


def share(part: float | None, whole: float | None) -> str:
    if not part or not whole:
        return "—"
    return f"{part / whole:.1%}"


def review_mark(row: dict) -> str:
    """A district's figures as the city report marks them: 已审核 or 未审核 (its review state), and 区县更正 when the
    district corrected the reader's reading."""
    if row.get("status") != "accepted":
        return "—"
    mark = "已审核" if row.get("review_state") == "approved" else f"未审核（{row.get('review_state_zh') or '待确认'}）"
    return mark + ("・区县更正" if row.get("corrected_facts") else "")


def reading_note(fact: dict) -> str:
    """What the district changed of a fact, against the reader's original reading (empty when nothing)."""
    from core.labels import MEASURE_ZH, NOT_SUMMED_ZH
    from ingest.taxonomy import category_zh

    if not fact.get("corrected"):
        return ""
    who = fact.get("corrected_by") or ""
    if fact.get("added"):
        return f"区县补录（{who}）"
    changed = []
    if fact.get("read_value") is not None and abs(float(fact["read_value"]) - float(_value_of(fact))) >= 0.005:
        changed.append(f"数值 {yuan(float(fact['read_value']))}")
    if fact.get("read_category") != fact.get("category"):
        changed.append(f"类别 {category_zh(fact.get('read_category'))}")
    if fact.get("read_measure") != fact.get("measure"):
        changed.append(f"口径 {MEASURE_ZH.get(fact.get('read_measure'), '—')}")
    if fact.get("read_parent_fact_id") != fact.get("parent_fact_id"):
        changed.append(f"上级 {fact.get('read_parent_fact_id') or '无'}")
    excluded = fact.get("excluded_reason")
    note = f"区县更正（{who}）" + (f"：原读取 {'，'.join(changed)}" if changed else "")
    return note + (f"；不计入：{NOT_SUMMED_ZH.get(excluded, excluded)}" if excluded else "")


def _value_of(fact: dict) -> float:
    for key in ("amount_yuan", "person_times", "recipients"):
        if fact.get(key) is not None:
            return fact[key]
    return 0.0
