"""Destination connectors: the CDP side of each vendor, over HTTP only."""
