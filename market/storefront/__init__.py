"""The public storefront: home, search, privacy, language switch, health check."""
