"""Spreadsheets in and out: reading uploads into checked rows (imports) and writing safe exports."""
