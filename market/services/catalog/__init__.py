"""Catalogue context: what is purchasable today, browsing, search, product and shop pages, reference data."""
