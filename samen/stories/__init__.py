"""Stories from the field: recorded by field workers, read and bundled into directions by the analysis team."""
