"""Marketo Engage REST mock: lead database, partitions, static lists, identity."""
