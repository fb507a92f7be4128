"""Search across the whole site: ideas, action items, meetings, indicators and published minutes (docs/search.md)."""
