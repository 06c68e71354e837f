"""Demandbase's model: one API client's accounts, lists, jobs and activity types, with every
rule, permission and lock (no HTTP)."""
