"""Accounts context: users and roles, the audit trail, mail."""
