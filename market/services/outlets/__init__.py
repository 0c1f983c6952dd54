"""Outlets context: certification applications, the outlet profile, staff, listings and their stock, the counter poster."""
