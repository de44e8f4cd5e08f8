"""Observer: the PHARE observatory (survey statistics, reports, open data)."""
