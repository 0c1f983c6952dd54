"""Ordering context: cart, checkout, stock, orders, payments, refunds, provider webhooks, saved addresses."""
