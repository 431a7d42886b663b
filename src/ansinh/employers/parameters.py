"""The codes of the rules registry the employer work reads (`ansinh.rules`: values, dates, legal basis)."""

LATE_DAILY_RATE = "employers.late_daily_rate"
EVASION_AFTER_DAYS = "employers.evasion_after_days"
INSPECTION_MIN_MONTHS = "employers.inspection_min_months"
NATIONAL_LATE_RATE = "employers.national_late_rate"
MATCH_AUTO_SCORE = "employers.match_auto_score"
MATCH_REVIEW_SCORE = "employers.match_review_score"
