"""Site administration: users and roles."""
