"""Record, replay, drift (issue 27). The "real vendor" here is a second vendorsim server: clean
(a round trip finds no drift, for each vendor), or with planted differences (a renamed field,
an extra field, another code, a route the mock lacks, a changed type), each of which `verify`
must report with its class. Cassettes hold no secret."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
import requests
from waitress.server import create_server

from tests.soap_helpers import SoapCaller, simple
from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner, begin_stop, run_loop
from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.drift.cassette import read_cassette
from vendorsim.simulator.drift.recorder import Recorder
from vendorsim.simulator.drift.report import summarize
from vendorsim.simulator.drift.verify import load_allow_list, verify

SECRET = "s3cret-value-9f2c"
MKTO = "123-ABC-456"


class Planted:
    """WSGI middleware: Marketo as it might drift."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ["PATH_INFO"].endswith("/rest/v1/brand/new.json"):  # a route it lacks
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"requestId":"x#1","success":true,"result":[]}']
        held: dict = {}

        def keep(status: str, headers: list, exc: object = None) -> Callable:
            held["status"], held["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, keep))
        text = body.decode()
        if environ["PATH_INFO"].endswith("partitions.json"):
            text = text.replace('"name"', '"partitionName"')  # a renamed field
        if environ["PATH_INFO"].endswith("leads.json") and environ["REQUEST_METHOD"] == "GET":
            data = json.loads(text)
            for lead in data.get("result", []):
                lead["id"] = str(lead["id"])  # a changed type
                lead["leadScore"] = 0  # an extra field: the mock will lack it
            text = json.dumps(data)
        text = re.sub(r'"code":\s*"1006"', '"code":"1013"', text)  # another code
        headers = [(k, v) for k, v in held["headers"] if k.lower() != "content-length"]
        start_response(held["status"], headers)
        return [text.encode()]


@pytest.fixture
def upstream() -> Iterator[ServerRunner]:
    with ServerRunner(Cloud("virtual"), port=0, threads=4) as server:
        yield server


@pytest.fixture
def planted() -> Iterator[str]:
    cloud = Cloud("virtual")
    server = create_server(Planted(cloud.vendor_wsgi("marketo")), host="127.0.0.1", port=0,
                           threads=4)
    thread = threading.Thread(target=run_loop, args=(server,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    begin_stop(server)
    thread.join(timeout=2)


def marketo_session(base: str) -> None:
    """What an integration does: a token, a write, reads, a mistake, a newer route."""
    token = requests.get(f"{base}/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": "cdp",
        "client_secret": SECRET}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    created = requests.post(f"{base}/rest/v1/leads.json", headers=auth, json={
        "input": [{"email": "a@x.example", "firstName": "Ann"}]}).json()
    lead = created["result"][0]["id"]
    requests.get(f"{base}/rest/v1/lead/{lead}.json", headers=auth)
    requests.get(f"{base}/rest/v1/leads.json", headers=auth, params={
        "filterType": "email", "filterValues": "a@x.example"})
    requests.get(f"{base}/rest/v1/leads/partitions.json", headers=auth)
    requests.get(f"{base}/rest/v1/leads.json", headers=auth, params={
        "filterType": "email", "filterValues": "a@x.example", "fields": "bogusField"})
    requests.get(f"{base}/rest/v1/brand/new.json", headers=auth)


def record(upstream_url: str, tmp_path: Path, vendor: str, session: Callable[[str], None],
           prefix: str = "") -> Path:
    with Recorder(upstream_url, tmp_path, vendor) as recorder:
        session(recorder.url + prefix)
    return recorder.cassette


def classes(cassette: Path, vendor: str = "marketo", allow: list | None = None) -> dict:
    checked = verify(read_cassette(cassette), vendor, allow=allow)
    return summarize(checked, [cassette.name])


def test_a_clean_round_trip_finds_no_drift(upstream: ServerRunner, tmp_path: Path) -> None:
    cassette = record(upstream.urls["marketo"], tmp_path, "marketo",
                      lambda base: marketo_session(base), f"/{MKTO}")
    summary = classes(cassette)
    assert summary["calls"] == 7 and summary["drift"] is False
    assert summary["operations"][-1]["operation"] == "GET /rest/v1/brand/new.json"


def test_planted_drifts_are_each_found_with_their_class(planted: str, tmp_path: Path) -> None:
    cassette = record(planted, tmp_path, "marketo", marketo_session, f"/{MKTO}")
    summary = classes(cassette)
    found = {(op["operation"], d["class"], d["path"]) for op in summary["operations"]
             for d in op["differences"]}
    assert ("GET /rest/v1/leads/partitions.json", "missing field", "result[].name") not in found
    assert ("GET /rest/v1/leads/partitions.json", "missing field",
            "result[].partitionName") in found
    assert ("GET /rest/v1/leads/partitions.json", "extra field", "result[].name") in found
    assert ("GET /rest/v1/leads.json", "missing field", "result[].leadScore") in found
    assert ("GET /rest/v1/leads.json", "type", "result[].id") in found
    assert ("GET /rest/v1/leads.json", "code", "") in found
    assert ("GET /rest/v1/brand/new.json", "route", "GET /rest/v1/brand/new.json") in found
    assert summary["drift"] is True


def test_cassettes_hold_no_secret(planted: str, tmp_path: Path) -> None:
    cassette = record(planted, tmp_path, "marketo", marketo_session, f"/{MKTO}")
    text = cassette.read_text()
    assert SECRET not in text and "Bearer ***" in text
    tokens = [json.loads(i.response_body).get("access_token") for i in read_cassette(cassette)
              if "identity" in i.uri]
    assert tokens == ["***"]
    assert oct(cassette.stat().st_mode)[-3:] == "600"


def test_an_allow_list_passes_a_difference_until_it_expires(planted: str,
                                                           tmp_path: Path) -> None:
    cassette = record(planted, tmp_path, "marketo", marketo_session, f"/{MKTO}")
    allow = tmp_path / "allow.yaml"
    allow.write_text("- {operation: '*', class: missing field, reason: newer, "
                     "expires: 2999-01-01}\n")
    summary = classes(cassette, allow=load_allow_list(allow))
    assert summary["allowed"] >= 2
    assert not any(d["class"] == "missing field" for op in summary["operations"]
                   for d in op["differences"])
    allow.write_text("- {operation: '*', class: missing field, reason: old, "
                     "expires: 2020-01-01}\n")
    summary = classes(cassette, allow=load_allow_list(allow))
    expired = [d for op in summary["operations"] for d in op["expired"]]
    assert expired and "allowance expired 2020-01-01" in expired[0]["reason"]
    assert summary["drift"] is True


def test_vendorsim_verify_exit_codes_and_reports(planted: str, upstream: ServerRunner,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture) -> None:
    drifted = record(planted, tmp_path / "d", "marketo", marketo_session, f"/{MKTO}")
    out = tmp_path / "report.json"
    html = tmp_path / "report.html"
    assert vendorsim(["verify", str(drifted), "--vendor", "marketo", "--json", str(out),
                      "--html", str(html)]) == 1
    assert "DRIFT" in capsys.readouterr().out
    assert json.loads(out.read_text())["drift"] is True and "missing field" in html.read_text()
    clean = record(upstream.urls["marketo"], tmp_path / "c", "marketo",
                   lambda base: marketo_session(base), f"/{MKTO}")
    assert vendorsim(["verify", str(clean), "--vendor", "marketo"]) == 0
    allow = tmp_path / "allow.yaml"
    allow.write_text("- {operation: '*', class: missing field, reason: newer, "
                     "expires: 2999-01-01}\n- {operation: '*', class: extra field, reason: "
                     "renamed, expires: 2999-01-01}\n- {operation: '*', class: type, reason: x, "
                     "expires: 2999-01-01}\n- {operation: '*', class: code, reason: x, "
                     "expires: 2999-01-01}\n- {operation: '*', class: route, reason: x, "
                     "expires: 2999-01-01}\n")
    assert vendorsim(["verify", str(drifted), "--vendor", "marketo", "--allow",
                      str(allow)]) == 0
    assert vendorsim(["verify", str(tmp_path / "nope.yaml")]) == 2
    (tmp_path / "bad.yaml").write_text("- {class: nope}\n")
    assert vendorsim(["verify", str(clean), "--vendor", "marketo", "--allow",
                      str(tmp_path / "bad.yaml")]) == 2
    assert "reason" in capsys.readouterr().err


def test_verify_against_a_target_that_is_not_vendorsim_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """An unreachable --target, or one answering without JSON, is exit 2 with one line
    naming it (it was an internal error, exit 3)."""
    import socket
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    cassette = Path(__file__).parent / "drift" / "corpus" / "bombora.yaml"
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        closed = spare.getsockname()[1]  # nothing listens once the socket is closed
    assert vendorsim(["verify", str(cassette), "--target", f"http://127.0.0.1:{closed}"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach" in err and "internal error" not in err

    class NotFound(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    other = HTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        assert vendorsim(["verify", str(cassette), "--target",
                          f"http://127.0.0.1:{other.server_port}"]) == 2
    finally:
        other.shutdown()
        other.server_close()
    err = capsys.readouterr().err
    assert "without JSON" in err and "internal error" not in err


def sfmc_session(base: str) -> None:
    soap = SoapCaller(base, "pkg", SECRET)
    auth = {"Authorization": f"Bearer {soap.token}"}
    requests.post(f"{soap.rest}hub/v1/dataevents/key:people/rowset", headers=auth,
                  json=[{"keys": {"Email": "a@x.example"}, "values": {"Age": 3}}])
    requests.get(f"{soap.rest}data/v1/customobjectdata/key/people/rowset", headers=auth)
    soap.retrieve("DataExtensionObject[people]", ["Email", "Age"],
                  simple("Age", "greaterThan", "1"))


def bombora_session(base: str) -> None:
    token = requests.post(f"{base}/oauth/token", json={
        "client_id": "c", "client_secret": SECRET}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    lists = f"{base}/account-list/v1/account-list"
    made = requests.post(lists, headers=auth, json={"type": "Manual",
                                                    "metadata": {"name": "T"}}).json()
    requests.post(f"{lists}/{made['id']}/accounts", headers=auth, json=[{"domain": "acme.com"}])
    requests.get(f"{lists}/{made['id']}/accounts/domains", headers=auth)


def demandbase_session(base: str) -> None:
    token = requests.post(f"{base}/auth/v1/token", data={
        "client_id": "c", "client_secret": SECRET}).json()["accessToken"]
    auth = {"Authorization": f"Bearer {token}"}
    made = requests.post(f"{base}/accountlists/v1/lists", headers=auth,
                         json={"name": "Export me"}).json()
    requests.get(f"{base}/accountlists/v1/lists/{made['id']}", headers=auth)


@pytest.mark.parametrize("vendor, session, prefix", [
    ("sfmc", sfmc_session, "/mc-drift"), ("bombora", bombora_session, ""),
    ("demandbase", demandbase_session, "")])
def test_each_vendor_round_trips_clean(upstream: ServerRunner, tmp_path: Path, vendor: str,
                                       session: Callable[[str], None], prefix: str) -> None:
    seed = None
    if vendor == "sfmc":  # the sandbox already has the data extension: so does the mock
        upstream.cloud.service("sfmc").seed_tenant("mc-drift", state={"data_extensions": [
            {"name": "People", "key": "people", "fields": [
                {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
                {"name": "Age", "type": "Number"}]}]})
        seed = requests.get(f"{upstream.urls['cloud']}/__admin/state").json()
    cassette = record(upstream.urls[vendor], tmp_path, vendor, session, prefix)
    interactions = read_cassette(cassette)
    assert len(interactions) >= 3 and SECRET not in cassette.read_text()
    checked = verify(interactions, vendor, seed=seed)
    summary = summarize(checked, [cassette.name])
    assert summary["drift"] is False, summary["operations"]


def test_a_users_own_vcr_cassette_of_the_real_hosts() -> None:
    """Bring your own cassettes: recorded by a user's suite (VCR.py: bodies as {string},
    headers as lists, the vendor's own hosts); the host says vendor and tenant."""
    cassette = Path(__file__).parent / "drift" / "own_suite.yaml"
    summary = summarize(verify(read_cassette(cassette)), [cassette.name])
    assert summary["calls"] == 2 and summary["drift"] is False, summary["operations"]
