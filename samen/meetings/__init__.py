"""Meetings and the live meeting board."""
