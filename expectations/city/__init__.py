"""City-level rules: they look at the consolidated tables and, when they fail, block the city report and publication."""
