"""Demo data: a Nijkerk-like plan, in Dutch."""
