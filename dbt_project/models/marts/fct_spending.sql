{{ fact_mart(['spending', 'activity', 'aid', 'subsidy'], amounts_only=true) }}
