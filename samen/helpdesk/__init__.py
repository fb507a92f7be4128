"""The confidential help desk: requests without an account, read only by the intake team (docs/helpdesk.md)."""
