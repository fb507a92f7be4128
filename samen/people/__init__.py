"""Who takes part: invitations by e-mail, and participation per group on the public pages (docs/people.md)."""
