"""Cart and checkout."""
