"""REC002 — every city total in reports.rpt_city_totals equals the sum of the district rows it takes (summed)."""

from expectations.city.base import CityRule

FIGURES = [
    "total_spending_yuan",
    "basic_spending_yuan",
    "project_spending_yuan",
    "activity_yuan",
    "aid_yuan",
    "aid_person_times",
    "subsidy_yuan",
]

SQL = """
WITH sums AS (
    SELECT year, {sums} FROM reports.rpt_city_rollup WHERE summed GROUP BY year
)
SELECT t.year || ' ' || f.figure AS figure, coalesce(f.claimed, 0) AS claimed, coalesce(f.recomputed, 0) AS recomputed
FROM reports.rpt_city_totals t LEFT JOIN sums s USING (year)
CROSS JOIN LATERAL (VALUES {pairs}) AS f(figure, claimed, recomputed)
""".format(
    sums=", ".join(f"sum({c}) AS {c}" for c in FIGURES),
    pairs=", ".join(f"('{c}', t.{c}, s.{c})" for c in FIGURES),
)

RULE = CityRule(
    id="REC002",
    severity="city",
    title="City totals equal the sum of the summed district rows",
    message_zh="全市合计数与计入汇总的区县数字之和不一致，城市报告暂不生成。",
    sql=SQL,
)
