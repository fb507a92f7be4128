"""Hulp: the public help pages — the help directory, questions and answers, and the quick exit."""
