"""Certification use cases: the county's decisions, the public notice and the working-day calendar it runs on."""
