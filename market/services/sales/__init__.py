"""Offline (counter) sales: recording lines by hand or from a spreadsheet, and the outlet's view of its lines."""
