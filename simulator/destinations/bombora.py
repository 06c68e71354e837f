"""The CDP's Bombora destination (seed 000, B-BOM-*): OAuth client credentials (B-BOM-03),
Manual account lists built from website domains (B-BOM-05), on the Account List API."""

from __future__ import annotations

from .accounts import AccountConnector

LISTS = "/account-list/v1/account-list"


class BomboraConnector(AccountConnector):
    ids = "B-BOM"
    required = ("primaryId", "companyWebsiteDomain")
    mapping_rule = "B-BOM-05"
    same_name_rule = "B-BOM-06"
    domain_field = "companyWebsiteDomain"

    def token(self) -> str:
        cfg = self.config
        answer = self.http.post(f"{self.base}/oauth/token", json={
            "client_id": cfg.client_id, "client_secret": cfg.client_secret})
        value = answer.json().get("access_token") if answer.ok else None
        if not value:
            raise self._refused(answer)
        return value

    def new_list(self, name: str) -> tuple[str, object]:
        return LISTS, {"type": "Manual", "metadata": {"name": name}}

    def add_accounts(self, list_id: object, records: list[dict]) -> tuple[str, object]:
        return f"{LISTS}/{list_id}/accounts", [{"domain": r.get(self.domain_field)}
                                               for r in records]

    def remove_accounts(self, list_id: object, domains: list[str]) -> tuple[str, object]:
        return f"{LISTS}/{list_id}/accounts", domains
