"""The programme: lines above think tanks, and the plan-wide roles (coordinator, field worker, analysis team)."""
