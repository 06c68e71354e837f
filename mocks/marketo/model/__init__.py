"""Marketo's rules: one module per API area, and `instance.py`, the instance that holds
them all under one lock. Nothing here knows about HTTP."""
