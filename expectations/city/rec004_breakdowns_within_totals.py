"""REC004 — no accepted breakdown in the marts has items adding up to more than their total, compared as intervals
(each stated figure ± its precision). Per-submission rule BRK001 rejects such files; this is the city's last look
before publication, on exactly the rows that will be summed."""

from expectations.city.base import CityRule

SQL = """
WITH amounts AS (
    SELECT submission_id, fact_id, parent_fact_id, measure, amount_yuan, value_precision, derived
    FROM marts.fct_spending
),
items AS (
    SELECT c.submission_id, c.parent_fact_id, c.measure,
           sum(c.amount_yuan - c.value_precision) AS items_low
    FROM amounts c
    WHERE c.parent_fact_id IS NOT NULL AND NOT c.derived
    GROUP BY ALL
)
SELECT p.submission_id || ' ' || p.fact_id AS figure,
       i.items_low AS claimed,
       p.amount_yuan + p.value_precision AS recomputed
FROM items i
JOIN amounts p ON p.submission_id = i.submission_id AND p.fact_id = i.parent_fact_id AND p.measure = i.measure
"""

RULE = CityRule(
    id="REC004",
    severity="city",
    title="Accepted breakdowns stay within their totals",
    message_zh="已接收报告中存在明细合计超过总数的情况，城市报告暂不生成。",
    sql=SQL,
    difference="greatest(claimed - recomputed, 0)",
)
