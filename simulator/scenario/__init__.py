"""Scenario files: the format, loading, validation with file:line errors."""
