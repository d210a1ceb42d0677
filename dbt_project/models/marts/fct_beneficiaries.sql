{{ fact_mart(['aid']) }}
