"""Use cases: load rows, call market.domain, write and flush; never commit, never read current_user."""
