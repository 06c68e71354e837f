"""SFMC's model: every rule, scope and lock of an account (no HTTP here)."""
