"""The shared fixtures for ideas (member, chair, make_member, create_idea, idea) live in tests/conftest.py."""
