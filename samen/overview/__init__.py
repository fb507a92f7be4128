"""What waits for a chair, an action's owner (and, once the role exists, a coordinator): docs/search.md."""
