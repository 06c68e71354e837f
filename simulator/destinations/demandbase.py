"""The CDP's Demandbase destination (seed 002, B-DB-*): a user's API bearer token
(B-DB-03) or client credentials, account lists of the current (uapi) API keyed by the
accounts' email domain, each list tagged with the dataflow that made it (B-DB-05)."""

from __future__ import annotations

from typing import Any

import requests

from vendorsim.simulator.clients.http import send

from .accounts import AccountConnector

LISTS = "/accountlists/v1/lists"


class DemandbaseConnector(AccountConnector):
    ids = "B-DB"
    required = ("primaryId", "accountName", "accountEmailDomain")
    mapping_rule = "the CDP's Demandbase mapping"
    same_name_rule = "B-DB-05"
    domain_field = "accountEmailDomain"

    token_field = "accessToken"  # camelCase, as Demandbase's SDK reads it

    def ready_token(self) -> str | None:
        return self.config.api_token  # a user's API token (B-DB-03)

    def request_token(self) -> requests.Response:
        cfg = self.config
        return send(self.http, "POST", f"{self.base}/auth/v1/token", data={
            "grant_type": "client_credentials", "client_id": cfg.client_id,
            "client_secret": cfg.client_secret})

    def new_list(self, name: str) -> tuple[str, object]:
        return LISTS, {"name": name, "dataflowId": self.config.id}

    def add_accounts(self, list_id: object, records: list[dict]) -> tuple[str, object]:
        return f"{LISTS}/{list_id}/accounts", {"accounts": records}

    def remove_accounts(self, list_id: object, domains: list[Any]) -> tuple[str, object]:
        return f"{LISTS}/{list_id}/accounts", {"domains": domains}
