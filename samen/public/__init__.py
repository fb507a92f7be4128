"""The public progress pages, the printable report, the open-data feeds and their live updates."""
