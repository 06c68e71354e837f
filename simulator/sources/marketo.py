"""Marketo Engage as a B2B source (B-B2B-01/07), read the way the CDP's connector reads it.

The first run is the historical backfill: bulk lead extracts by `createdAt`, in windows of at
most 31 days (Marketo's limit) back to `history`, each job created, enqueued, polled on the
virtual clock and its CSV file read. A paging token taken when the backfill starts marks where
ongoing changes begin; every later run reads `activities/leadchanges.json` (New Lead and
Change Data Value of the mapped fields) from that token and fetches the changed leads by id.
With `account_mapping`, the companies of the leads read (their `externalCompanyId`) become
accounts, and with `opportunity_mapping` their opportunities (and contact roles) become the
accounts' opportunities, so account audiences can be built on Marketo data (B-B2B-01).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import requests

from vendorsim.simulator.clients.marketo import Dropped, MarketoClient
from vendorsim.simulator.scenario.base import parse_offset
from vendorsim.simulator.scenario.model import MarketoSource

from .sfmc import SourceError

PAGE = 300
WINDOW = timedelta(days=31) - timedelta(seconds=1)
POLL_SECONDS = 10.0  # between export status calls


class MarketoSourceConnector:
    def __init__(self, config: MarketoSource, session: requests.Session, base_url: str,
                 sleep: Callable[[float], None] | None = None,
                 now: Callable[[], float] | None = None,
                 holds: dict[tuple, tuple[float, int]] | None = None) -> None:
        self.config = config
        # the Marketo client the destination uses too: one token, one throttle policy
        self.client = MarketoClient(base_url, config.client_id, config.client_secret, session,
                                    sleep, now, holds=holds)
        self.sleep = sleep or (lambda seconds: None)
        self.token: str | None = None  # where the next change read starts
        self.runs = 0
        self.rows_read = 0
        self.exports = 0
        self.accounts_read: dict[str, dict] = {}  # this run's companies, as accounts
        self.opportunities_read: dict[str | None, list[dict]] = {}  # by account id
        self.tally = self.client.tally  # calls made (for the report's reconciliation)

    # -- calls -----------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs: object) -> dict:
        """A REST call that waits out throttling and outages (a source loses nothing by
        waiting); a refusal ends this run with SourceError."""
        try:
            return self.client.call(method, path, "lossless", **kwargs)
        except Dropped as exc:
            raise SourceError(f"Marketo on {path}: {exc}") from None

    def _query(self, path: str, filter_type: str, values: list, fields: list[str]
               ) -> list[dict]:
        """Every record whose field is one of the values (300 per call, `_method=GET`)."""
        out: list[dict] = []
        for first in range(0, len(values), PAGE):
            form = {"_method": "GET", "filterType": filter_type, "fields": ",".join(fields),
                    "filterValues": ",".join(str(v) for v in values[first:first + PAGE])}
            token = None
            while True:
                body = self._call("POST", path, data={**form, **(
                    {"nextPageToken": token} if token else {})})
                out += body.get("result", [])
                token = body.get("nextPageToken")
                if not body.get("moreResult"):
                    break
        return out

    # -- what the engine reads -------------------------------------------------------
    def rows(self, now_iso: str) -> Iterator[dict]:
        """The leads of this run: the backfill first, then the ones changed since. The access
        token is reused across runs until Marketo says it expired (601/602)."""
        self.runs += 1
        self.accounts_read, self.opportunities_read = {}, {}
        if self.token is None:
            self.token = self._call("GET", "/rest/v1/activities/pagingtoken.json", params={
                "sinceDatetime": now_iso + "Z"})["nextPageToken"]
            leads = self._backfill(datetime.fromisoformat(now_iso))
        else:
            leads = self._changed()
        self.rows_read += len(leads)
        if self.config.account_mapping:
            self._companies(leads)
        yield from leads

    def _fields(self) -> list[str]:
        wanted = ["id", "updatedAt", *self.config.mapping]
        if self.config.account_mapping:
            wanted.append("externalCompanyId")
        return list(dict.fromkeys(wanted))

    def _backfill(self, now: datetime) -> list[dict]:
        start = now - timedelta(seconds=parse_offset(self.config.history))
        leads: list[dict] = []
        while start < now:
            end = min(start + WINDOW, now)
            leads += self._export(start, end)
            start = end + timedelta(seconds=1)
        return leads

    def _export(self, start: datetime, end: datetime) -> list[dict]:
        """One bulk lead extract: create, enqueue, poll until Completed, read the file."""
        fields = self._fields()
        job = self._call("POST", "/bulk/v1/leads/export/create.json", json={
            "format": "CSV", "fields": fields, "filter": {"createdAt": {
                "startAt": start.isoformat() + "Z", "endAt": end.isoformat() + "Z"}}})
        export_id = job["result"][0]["exportId"]
        self.exports += 1
        path = f"/bulk/v1/leads/export/{export_id}"
        status = self._call("POST", f"{path}/enqueue.json")["result"][0]["status"]
        while status not in ("Completed", "Failed", "Canceled"):
            self.sleep(POLL_SECONDS)
            status = self._call("GET", f"{path}/status.json")["result"][0]["status"]
        if status != "Completed":
            raise SourceError(f"Marketo export {export_id} ended {status}")
        try:
            text = self.client.file(f"{path}/file.json")
        except Dropped as exc:
            raise SourceError(f"Marketo export {export_id}'s file: {exc}") from None
        return [{k: v for k, v in row.items() if v != ""}
                for row in csv.DictReader(io.StringIO(text))]

    def _changed(self) -> list[dict]:
        """Leads with a New Lead or Change Data Value (of a mapped field) since the token."""
        ids: dict[int, None] = {}
        fields = ",".join(self._fields()[2:]) or "email"
        while True:
            body = self._call("GET", "/rest/v1/activities/leadchanges.json", params={
                "nextPageToken": self.token, "fields": fields, "batchSize": PAGE})
            for activity in body.get("result", []):
                ids[activity["leadId"]] = None
            self.token = body["nextPageToken"]
            if not body.get("moreResult"):
                break
        return self._query("/rest/v1/leads.json", "id", list(ids), self._fields()) if ids \
            else []

    def _companies(self, leads: list[dict]) -> None:
        """The leads' companies as accounts, and their opportunities with contact roles."""
        ids = sorted({str(lead["externalCompanyId"]) for lead in leads
                      if lead.get("externalCompanyId")})
        if not ids:
            return
        company_fields = ["externalCompanyId", *self.config.account_mapping]
        for company in self._query("/rest/v1/companies.json", "externalCompanyId", ids,
                                   list(dict.fromkeys(company_fields))):
            account_id = company["externalCompanyId"]
            self.accounts_read[account_id] = {"accountId": account_id, **{
                attr: company[field] for field, attr in self.config.account_mapping.items()
                if company.get(field) is not None}}
        if not self.config.opportunity_mapping:
            return
        opp_fields = ["externalOpportunityId", "externalCompanyId",
                      *self.config.opportunity_mapping]
        opportunities = self._query("/rest/v1/opportunities.json", "externalCompanyId",
                                    list(self.accounts_read), list(dict.fromkeys(opp_fields)))
        roles: dict[str, list[dict]] = {}
        if opportunities:
            for role in self._query("/rest/v1/opportunities/roles.json",
                                    "externalOpportunityId",
                                    [o["externalOpportunityId"] for o in opportunities],
                                    ["externalOpportunityId", "leadId", "role", "isPrimary"]):
                roles.setdefault(role["externalOpportunityId"], []).append(
                    {"leadId": role["leadId"], "role": role["role"],
                     "isPrimary": role.get("isPrimary", False)})
        for opp in opportunities:
            account_id = opp.get("externalCompanyId")
            self.opportunities_read.setdefault(account_id, []).append({
                "opportunityId": opp["externalOpportunityId"], "accountId": account_id,
                "roles": roles.get(opp["externalOpportunityId"], []),
                **{attr: opp[field] for field, attr in self.config.opportunity_mapping.items()
                   if opp.get(field) is not None}})

    def to_profile(self, lead: dict) -> dict:
        profile = {attribute: lead.get(field) for field, attribute in self.config.mapping.items()
                   if lead.get(field) is not None}
        if self.config.account_mapping and lead.get("externalCompanyId"):
            profile["accountId"] = str(lead["externalCompanyId"])
        return profile

    def upsert_leads(self, leads: list[dict]) -> None:
        """A vendor-side change for scenarios: someone edits leads in Marketo (by email)."""
        try:
            body = self.client.call("POST", "/rest/v1/leads.json", "lossless", json={
                "action": "createOrUpdate", "lookupField": "email", "input": leads})
        except Dropped as exc:
            raise ValueError(f"Marketo refused the lead changes: {exc}") from None
        bad = [r for r in body.get("result", []) if r.get("status") == "skipped"]
        if bad:
            raise ValueError(f"Marketo refused the lead changes: {bad}")
