"""Outlet portal for outlet staff."""
