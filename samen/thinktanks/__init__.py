"""The plan, its think tanks and their members."""
