"""REC001 — every district total in reports.rpt_city_rollup equals the sum of the fact rows it summarises."""

from expectations.city.base import CityRule

SQL = """
-- the people aid reached: counts of this year describing an amount (or standing alone), not breaking down another
-- count; an amount's 人次 where given, else its 名/人/户; one count stated twice (title and body) once. A figure that
-- restates another, or sums all unions of the area (全市各级工会), is never summed.
WITH counts AS (
    SELECT b.*, coalesce(b.person_times, b.recipients) AS reached
    FROM marts.fct_beneficiaries b
    WHERE b.kind = 'count' AND b.unit IN ('人次', '户次', '名', '人', '户', '位')
      AND coalesce(b.measure, '') NOT IN ('prior', 'budget', 'rate', 'change')
      AND coalesce(b.person_times, b.recipients) > 1
      AND (b.parent_kind IS NULL OR b.parent_kind = 'amount')
      AND coalesce(b.parent_measure, '') NOT IN ('prior', 'budget', 'change')
      AND b.excluded_reason IS NULL AND NOT coalesce(b.parent_excluded, false)
      AND b.restates_fact_id IS NULL AND b.scope IS NULL
),
-- where some counts describe an amount paid, counts standing alone are not the people that money reached
tied AS (SELECT DISTINCT submission_id FROM counts WHERE parent_kind = 'amount' AND parent_measure = 'actual'),
people AS (
    SELECT * FROM counts c
    WHERE (c.parent_kind IS NOT NULL OR c.submission_id NOT IN (SELECT submission_id FROM tied))
      AND (c.unit IN ('人次', '户次') OR NOT EXISTS (
        SELECT 1 FROM counts t WHERE t.submission_id = c.submission_id AND t.unit IN ('人次', '户次')
                                 AND t.parent_fact_id IS NOT DISTINCT FROM c.parent_fact_id))
    QUALIFY row_number() OVER (PARTITION BY submission_id, category, reached
                               ORDER BY fact_id LIKE 'k%', length(fact_id), fact_id) = 1
),
facts AS (
    SELECT district_code, year, category, category_area, kind, amount_yuan, person_times
    FROM marts.fct_spending WHERE measure = 'actual' AND NOT derived AND is_top_level AND excluded_reason IS NULL
      AND restates_fact_id IS NULL AND scope IS NULL AND NOT holds_pass_through
    UNION ALL
    SELECT district_code, year, category, category_area, 'count', NULL, reached FROM people
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
