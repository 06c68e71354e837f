"""Bombora's model: the account lists of an API client, every rule and lock (no HTTP)."""
