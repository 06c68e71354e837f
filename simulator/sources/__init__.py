"""Source connectors: the CDP reading from vendors, over HTTP only."""
