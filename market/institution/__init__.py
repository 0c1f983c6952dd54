"""Institution buyers' area."""
