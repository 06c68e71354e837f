"""`vendorsim demo`: a CDP-like sync against the embedded Marketo mock, on a virtual clock.

It does what an integration does (token, upserts, a static list, a burst that hits the rate
limit) with plain `requests` calls to `https://123-ABC-456.mktorest.com`, and shows what the
vendor answered and what it now holds. Nothing leaves the process.
"""

from __future__ import annotations

import json
from collections import Counter

import requests
from rich.console import Console
from rich.table import Table

from vendorsim import mock_vendors
from vendorsim.mocks.core.clock import parse_time

MUNCHKIN = "123-ABC-456"
BASE = f"https://{MUNCHKIN}.mktorest.com"

SEED = {
    "partitions": [{"name": "EMEA", "description": "European leads"}],
    "leads": [
        {"id": 101, "email": "ana@acme.example", "firstName": "Ana", "lastName": "Silva",
         "partition": "EMEA", "updatedAt": "2026-01-10T09:00:00Z"},
        # the same person twice (created with createDuplicate long ago): REST skips with 1007
        {"id": 102, "email": "bo@globex.example", "firstName": "Bo", "lastName": "Li",
         "updatedAt": "2026-02-01T09:00:00Z"},
        {"id": 103, "email": "bo@globex.example", "firstName": "Bo", "lastName": "Li",
         "partition": "EMEA", "updatedAt": "2026-03-01T09:00:00Z"},
    ],
}

PROFILES = [
    {"email": "ana@acme.example", "firstName": "Ana", "lastName": "Silva", "title": "CMO"},
    {"email": "bo@globex.example", "firstName": "Bo", "lastName": "Li", "title": "VP Sales"},
    {"email": "cy@initech.example", "firstName": "Cy", "lastName": "Ng", "title": "CTO"},
    {"email": "dee@umbrella.example", "firstName": "Dee", "lastName": "Ray", "leadScore": "hot"},
]


def run_demo(console: Console | None = None) -> int:
    console = console or Console()
    with mock_vendors(clock="virtual") as cloud:
        cloud.clock.set(parse_time("2026-11-23T09:00:00Z"))
        cloud.marketo(MUNCHKIN).seed(SEED)
        session = requests.Session()
        token = session.get(f"{BASE}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "demo", "client_secret": "s3cret",
        }).json()
        session.headers["Authorization"] = f"Bearer {token['access_token']}"
        console.rule(f"[bold]vendorsim demo[/] - Marketo instance {MUNCHKIN} (in-process)")
        console.print(f"token {token['access_token'][:13]}... expires_in={token['expires_in']}")

        sync = session.post(f"{BASE}/rest/v1/leads.json", json={
            "action": "createOrUpdate", "lookupField": "email", "partitionName": "Default",
            "input": PROFILES}).json()
        table = Table(title="POST /rest/v1/leads.json (createOrUpdate, lookupField=email)")
        for col in ("email", "status", "id", "reason"):
            table.add_column(col)
        for profile, result in zip(PROFILES, sync["result"], strict=True):
            reasons = "; ".join(f"{r['code']} {r['message']}" for r in result.get("reasons", []))
            table.add_row(profile["email"], result["status"], str(result.get("id", "")), reasons)
        console.print(table)

        created = session.post(f"{BASE}/rest/asset/v1/staticLists.json", data={
            "folder": json.dumps({"id": 12, "type": "Folder"}), "name": "CDP - Decision makers",
        }).json()["result"][0]
        again = session.post(f"{BASE}/rest/asset/v1/staticLists.json", data={
            "folder": json.dumps({"id": 12, "type": "Folder"}), "name": "CDP - Decision makers",
        }).json()
        console.print(f"static list {created['id']} created; same name again -> "
                      f"{again['errors'][0]['code']} {again['errors'][0]['message']}")
        ids = [r["id"] for r in sync["result"] if "id" in r] + [101]
        added = session.post(f"{BASE}/rest/v1/lists/{created['id']}/leads.json",
                             json={"input": [{"id": i} for i in ids]}).json()["result"]
        removed = session.delete(f"{BASE}/rest/v1/lists/{created['id']}/leads.json",
                                 params={"id": [999999, ids[0]]}).json()["result"]
        console.print(f"list adds: {[r['status'] for r in added]}  "
                      f"removes: {[r['status'] + ' ' + _codes(r) for r in removed]}")

        statuses: Counter = Counter()
        for _ in range(120):
            body = session.get(f"{BASE}/rest/v1/leads/partitions.json").json()
            statuses["ok" if body["success"] else body["errors"][0]["code"]] += 1
        console.print(f"burst of 120 calls in one virtual instant: {dict(statuses)}  "
                      f"(606 = Max rate limit '100' exceeded with in '20' secs)")
        cloud.clock.advance(20)
        ok = session.get(f"{BASE}/rest/v1/leads/partitions.json").json()["success"]
        console.print(f"20 virtual seconds later the window has rolled: success={ok}")

        db = cloud.marketo(MUNCHKIN)
        leads = Table(title=f"What Marketo {MUNCHKIN} now holds")
        for col in ("id", "email", "partition", "title", "updatedAt", "lists"):
            leads.add_column(col)
        for lead in db.leads.values():
            lists = [str(lst.id) for lst in db.lists.lists.values() if lead.id in lst.members]
            leads.add_row(str(lead.id), lead.values.get("email", ""),
                          db.partitions[lead.partition_id].name,
                          str(lead.values.get("title") or ""), str(lead.get("updatedAt")),
                          ",".join(lists))
        console.print(leads)

        journal = Table(title="Request journal (GET /__admin/journal), grouped")
        for col in ("method", "path", "status", "codes", "calls"):
            journal.add_column(col)
        groups = Counter((e.method, e.path, e.status, ",".join(e.codes))
                         for e in cloud.journal.entries())
        for (method, path, status, codes), n in groups.items():
            journal.add_row(method, path, str(status), codes, str(n))
        console.print(journal)
    return 0


def _codes(result: dict) -> str:
    return ",".join(r["code"] for r in result.get("reasons", []))
