"""The simulator's clients of the vendors' APIs, shared by its sources and destinations:
one way to call (timeouts, transport failures), one client per vendor API where several
connectors speak it (Marketo: one token and one throttle policy per API client)."""
