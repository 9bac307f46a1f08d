"""Policy catalog, Chinese search, eligibility matching and 免申即享 rosters."""
