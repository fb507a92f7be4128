"""Administration pages: the plan, think tanks, chairs and admins."""
