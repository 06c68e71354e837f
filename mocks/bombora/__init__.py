"""Bombora mock: OAuth client credentials and the Account List API."""
