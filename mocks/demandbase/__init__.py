"""Demandbase mock: token endpoint, import jobs and a modelled account-list API."""
