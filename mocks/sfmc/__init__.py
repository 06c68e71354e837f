"""Salesforce Marketing Cloud (Engagement) REST mock: auth v2 and data extensions."""
