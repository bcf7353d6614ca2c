"""Goal 1 tracking: participation events, indicators per period, area, age and language group."""
