"""REC001 — every district total in reports.rpt_city_rollup equals the sum of the fact rows it summarises."""

from expectations.city.base import CityRule

SQL = """
WITH facts AS (
    SELECT district_code, year, category, category_area, kind, amount_yuan, person_times
    FROM marts.fct_spending WHERE measure = 'actual' AND NOT derived AND is_top_level AND excluded_reason IS NULL
    UNION ALL
    -- counts describe an amount (or stand alone); a count breaking down another count is not added again
    SELECT b.district_code, b.year, b.category, b.category_area, b.kind, NULL, b.person_times
    FROM marts.fct_beneficiaries b
    LEFT JOIN marts.fct_beneficiaries p ON p.submission_id = b.submission_id AND p.fact_id = b.parent_fact_id
    WHERE b.kind = 'count' AND (p.kind IS NULL OR p.kind = 'amount') AND b.excluded_reason IS NULL
      AND p.excluded_reason IS NULL
),
recomputed AS (
    SELECT district_code, year,
           sum(CASE WHEN category_area = 'activity' THEN amount_yuan END) AS activity_yuan,
           sum(CASE WHEN category_area = 'aid' AND kind = 'amount' THEN amount_yuan END) AS aid_yuan,
           sum(CASE WHEN category_area = 'subsidy' AND category <> 'subsidy.pass_through' THEN amount_yuan END)
               AS subsidy_yuan,
           sum(CASE WHEN kind = 'count' THEN person_times END) AS aid_person_times
    FROM facts GROUP BY district_code, year
),
pairs AS (
    SELECT r.district_code || ' ' || r.year || ' ' || f.figure AS figure, f.claimed, f.recomputed
    FROM reports.rpt_city_rollup r
    LEFT JOIN recomputed c USING (district_code, year)
    CROSS JOIN LATERAL (VALUES
        ('activity_yuan', r.activity_yuan, c.activity_yuan),
        ('aid_yuan', r.aid_yuan, c.aid_yuan),
        ('subsidy_yuan', r.subsidy_yuan, c.subsidy_yuan),
        ('aid_person_times', r.aid_person_times, c.aid_person_times)
    ) AS f(figure, claimed, recomputed)
    WHERE r.status = 'accepted'
)
SELECT figure, coalesce(claimed, 0) AS claimed, coalesce(recomputed, 0) AS recomputed FROM pairs
"""

RULE = CityRule(
    id="REC001",
    severity="city",
    title="District rollup totals equal the sum of their fact rows",
    message_zh="汇总表中的区县合计数与其明细数字之和不一致，城市报告暂不生成。",
    sql=SQL,
)
