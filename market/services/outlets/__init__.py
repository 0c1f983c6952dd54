"""Outlets context: certification applications, profile, staff, listings and their stock, the counter poster."""
