"""Provider webhooks (CSRF-exempt, verified by signature)."""
