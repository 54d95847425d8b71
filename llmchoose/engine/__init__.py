"""The recommendation engine: a pure function of (catalog, criteria, requirements)."""
