{{ fact_mart(['subsidy']) }}
