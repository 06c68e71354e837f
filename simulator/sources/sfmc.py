"""The CDP's Salesforce Marketing Cloud (V2) source (seed 004, B-SFMC-*), over HTTP only.

It authenticates with client id, secret and the subdomain (B-SFMC-03), reads one data
extension (B-SFMC-01) through the rowset API page by page, and maps columns to profile
attributes (B-SFMC-02). When the mapping names a modification-date column, runs after the
first read only rows changed since the previous run (incremental ingestion).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import requests

from vendorsim.simulator.clients.http import Tally, Unreachable, json_of, send
from vendorsim.simulator.scenario.model import SfmcSource


class SourceError(Exception):
    """The source cannot read (bad credentials, missing scope, unknown data extension)."""


class SfmcConnector:
    def __init__(self, config: SfmcSource, session: requests.Session | None = None,
                 auth_url: str | None = None) -> None:
        self.config = config
        self.auth_url = (auth_url or
                         f"https://{config.subdomain}.auth.marketingcloudapis.com").rstrip("/")
        self.http = session or requests.Session()
        self.rest = ""
        self.token_until = 0.0  # when the token in hand expires (virtual epoch seconds)
        self.last_run: str | None = None  # ISO time of the previous run's start
        self.runs = 0
        self.rows_read = 0
        self.tally = Tally()  # calls made (for the report's reconciliation)

    def _login(self, now: float) -> None:
        """A token, reused until a minute before it expires (SFMC: 20 minutes; asking for
        one per run would be churn when runs are frequent)."""
        if now < self.token_until - 60 and "Authorization" in self.http.headers:
            return
        cfg = self.config
        answer = self._send("POST", f"{self.auth_url}/v2/token",
                            json={"grant_type": "client_credentials",
                                  "client_id": cfg.client_id,
                                  "client_secret": cfg.client_secret})
        body = json_of(answer)
        if answer.status_code != 200:
            raise SourceError(f"SFMC refused the credentials: {body}")
        if "data_extensions_read" not in str(body.get("scope", "")).split():
            raise SourceError("the installed package lacks Data Extensions: Read (B-SFMC-03)")
        self.rest = body["rest_instance_url"]
        self.http.headers["Authorization"] = f"Bearer {body['access_token']}"
        expires = body.get("expires_in")
        self.token_until = now + (float(expires) if isinstance(expires, int | float) else 0.0)

    def rows(self, now_iso: str) -> Iterator[dict[str, str]]:
        """Every row of the data extension (or, incrementally, every changed row), with
        lower-cased column names, as SFMC returns them."""
        now = datetime.fromisoformat(now_iso).replace(tzinfo=UTC).timestamp()
        self._login(now)
        params: dict[str, object] = {"$pageSize": 2500}
        modified = self.config.modified_column
        if modified and self.last_run:
            params["$filter"] = f"{modified} gt '{self.last_run}'"
        url = f"{self.rest}data/v1/customobjectdata/key/{self.config.data_extension}/rowset"
        self.runs += 1
        while True:
            answer = self._send("GET", url, params=params)
            if answer.status_code == 401:  # the token went bad before its time: one more
                self.token_until = 0.0
                self._login(now)
                answer = self._send("GET", url, params=params)
            body = json_of(answer)
            if answer.status_code != 200 or not isinstance(body.get("links"), dict):
                raise SourceError(f"SFMC {answer.status_code}: {answer.text[:200]}")
            for item in body.get("items", []):
                self.rows_read += 1
                yield {**item["keys"], **item["values"]}
            if "next" not in body["links"]:
                break
            url, params = f"{self.rest}data{body['links']['next']}", {}
        self.last_run = now_iso

    def _send(self, method: str, url: str, **kwargs: object) -> requests.Response:
        """One call; no answer at all ends this run (the next scheduled run tries again)."""
        self.tally.add("calls")
        try:
            return send(self.http, method, url, **kwargs)
        except Unreachable as exc:
            raise SourceError(f"no answer from SFMC ({exc})") from None

    def to_profile(self, row: dict[str, str]) -> dict[str, str]:
        """Mapped attributes of one row (column names compared case-insensitively)."""
        return {attribute: row.get(column.lower(), "")
                for column, attribute in self.config.mapping.items()}
