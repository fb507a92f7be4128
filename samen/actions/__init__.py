"""Action items, progress updates and indicators."""
