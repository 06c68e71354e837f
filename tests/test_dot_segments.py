"""Dot segments resolved as the vendors' fronts do (vendor-apis.md §7.3): node-marketo-rest
sends every bulk call as `/rest/../bulk/v1/...`, which Marketo's nginx resolves; the mocks
resolve them the same way, for every vendor, in-process and in server mode."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from werkzeug.test import Client

from tests.helpers import MUNCHKIN
from vendorsim import Cloud
from vendorsim.mocks.core.routing import resolve_dot_segments
from vendorsim.mocks.server import ServerRunner

EXPORTS = "/bulk/v1/leads/export.json"


@pytest.mark.parametrize(("raw", "resolved"), [
    ("/rest/../bulk/v1/leads.json", "/bulk/v1/leads.json"),
    ("/rest/./v1/leads.json", "/rest/v1/leads.json"),
    ("/a/b/../../c", "/c"),
    ("/../../etc/passwd", "/etc/passwd"),  # never above the root
    ("/rest/v1/..", "/rest/"),
    ("/rest/v1/.", "/rest/v1/"),
    ("/.well-known/x", "/.well-known/x"),  # a dot in a name is no dot segment
    ("/rest/v1/leads.json", "/rest/v1/leads.json"),
])
def test_resolve_dot_segments(raw: str, resolved: str) -> None:
    assert resolve_dot_segments(raw) == resolved


def test_marketo_bulk_through_a_dot_segment_in_process() -> None:
    cloud = Cloud("virtual")
    client = Client(cloud.wsgi)
    host = {"Host": f"{MUNCHKIN.lower()}.mktorest.com"}
    answer = client.post("/identity/oauth/token", headers=host, data={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"})
    token = answer.get_json()["access_token"]
    auth = {**host, "Authorization": f"Bearer {token}"}
    direct = client.get(EXPORTS, headers=auth).get_json()
    dotted = client.get("/rest/.." + EXPORTS, headers=auth).get_json()
    assert direct["success"] is True and dotted["success"] is True
    assert dotted.get("result") == direct.get("result")
    journal = cloud.journal.entries(vendor="marketo")
    assert journal[-1].path == EXPORTS and journal[-1].status == 200


@pytest.mark.parametrize(("vendor", "tenant", "path"), [
    ("marketo", MUNCHKIN, "/rest/../bulk/v1/leads/export/create.json"),
    ("sfmc", "mc-one", "/data/../v2/token"),
    ("bombora", None, "/v1/../oauth/token"),
    ("demandbase", None, "/x/../auth/v1/token"),
])
def test_every_vendor_resolves_dot_segments_in_server_mode(vendor: str, tenant: str | None,
                                                           path: str) -> None:
    """http.client sends the path as written (requests/urllib3 would resolve it client-side,
    hiding what the mock does)."""
    with ServerRunner(Cloud("virtual"), port=0) as server:
        base = server.base_url(vendor, tenant) if tenant else server.urls[vendor]
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        conn.request("POST", parts.path + path, body=json.dumps({}),
                     headers={"Content-Type": "application/json"})
        answer = conn.getresponse()
        body = answer.read()
        conn.close()
        journal = server.cloud.journal.entries(vendor=vendor)
        assert journal, f"{vendor}: the call reached no vendor app ({answer.status} {body!r})"
        assert ".." not in journal[-1].path and journal[-1].unmatched is False, \
            f"{vendor}: {journal[-1].path} did not resolve to a route"
