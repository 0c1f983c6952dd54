"""County back-office for county staff."""
