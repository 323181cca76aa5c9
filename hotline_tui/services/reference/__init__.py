"""Reference data: areas, departments, categories, the dispatch catalogue, the working
calendar's holidays and the time-limit rules, with their CSV imports and the intake pick lists."""
