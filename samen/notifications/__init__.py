"""In-app notifications and the preferences for e-mail digests."""
