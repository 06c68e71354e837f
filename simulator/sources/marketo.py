"""Marketo Engage as a B2B source (B-B2B-01/07): leads become profiles.

The CDP's real connector reads Marketo's bulk extracts and activity feed; vendorsim's Marketo
mock serves the REST lead API, so this connector pages through leads by id (300 per call,
`filterType=id`, until two pages in a row come back empty) and passes on only leads whose
`updatedAt` changed since it last saw them. The engine runs it first when the historical
backfill completes, then on its schedule (ongoing changes in ~5 minutes, B-B2B-07).
"""

from __future__ import annotations

from collections.abc import Iterator

import requests

from vendorsim.simulator.scenario.model import MarketoSource

from .sfmc import SourceError

PAGE = 300


class MarketoSourceConnector:
    def __init__(self, config: MarketoSource, session: requests.Session, base_url: str) -> None:
        self.config = config
        self.http = session
        self.base = base_url.rstrip("/")
        self.seen: dict[int, str] = {}  # lead id -> updatedAt when last passed on
        self.runs = 0
        self.rows_read = 0

    def _login(self) -> None:
        cfg = self.config
        body = self.http.get(f"{self.base}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": cfg.client_id,
            "client_secret": cfg.client_secret}).json()
        if "access_token" not in body:
            raise SourceError(f"Marketo refused the credentials: {body}")
        self.http.headers["Authorization"] = f"Bearer {body['access_token']}"

    def _page(self, first: int) -> list[dict]:
        fields = ",".join(["id", "updatedAt", *self.config.mapping])
        form = {"_method": "GET", "filterType": "id", "fields": fields,
                "filterValues": ",".join(str(i) for i in range(first, first + PAGE))}
        for _ in range(3):  # one re-login when the token expired (601/602)
            body = self.http.post(f"{self.base}/rest/v1/leads.json", data=form).json()
            if body.get("success"):
                return body.get("result", [])
            error = body["errors"][0]
            if error["code"] not in ("601", "602"):
                raise SourceError(f"Marketo {error['code']}: {error['message']}")
            self._login()
        raise SourceError("Marketo kept refusing the access token")

    def rows(self, now_iso: str) -> Iterator[dict]:
        """Every lead created or updated since the previous run."""
        self._login()
        self.runs += 1
        first, empty = 1, 0
        while empty < 2:
            page = self._page(first)
            empty = 0 if page else empty + 1
            for lead in page:
                if self.seen.get(lead["id"]) != lead.get("updatedAt"):
                    self.seen[lead["id"]] = lead.get("updatedAt") or ""
                    self.rows_read += 1
                    yield lead
            first += PAGE

    def to_profile(self, lead: dict) -> dict:
        return {attribute: lead.get(field) for field, attribute in self.config.mapping.items()
                if lead.get(field) is not None}

    def upsert_leads(self, leads: list[dict]) -> None:
        """A vendor-side change for scenarios: someone edits leads in Marketo (by email)."""
        self._login()
        body = self.http.post(f"{self.base}/rest/v1/leads.json", json={
            "action": "createOrUpdate", "lookupField": "email", "input": leads}).json()
        bad = [r for r in body.get("result", []) if r.get("status") == "skipped"]
        if not body.get("success") or bad:
            raise ValueError(f"Marketo refused the lead changes: {body.get('errors') or bad}")
