"""The CDP's Bombora destination (seed 000, B-BOM-*): OAuth client credentials (B-BOM-03),
Manual account lists built from website domains (B-BOM-05), on the Account List API."""

from __future__ import annotations

from typing import Any

import requests

from vendorsim.simulator.clients.http import send

from .accounts import AccountConnector

LISTS = "/account-list/v1/account-list"


class BomboraConnector(AccountConnector):
    ids = "B-BOM"
    required = ("primaryId", "companyWebsiteDomain")
    mapping_rule = "B-BOM-05"
    same_name_rule = "B-BOM-06"
    domain_field = "companyWebsiteDomain"

    def request_token(self) -> requests.Response:
        cfg = self.config
        return send(self.http, "POST", f"{self.base}/oauth/token", json={
            "client_id": cfg.client_id, "client_secret": cfg.client_secret})

    def new_list(self, name: str) -> tuple[str, object]:
        return LISTS, {"type": "Manual", "metadata": {"name": name}}

    def add_accounts(self, list_id: object, records: list[dict]) -> tuple[str, object]:
        return f"{LISTS}/{list_id}/accounts", [{"domain": r.get(self.domain_field)}
                                               for r in records]

    def remove_accounts(self, list_id: object, domains: list[Any]) -> tuple[str, object]:
        return f"{LISTS}/{list_id}/accounts", domains
