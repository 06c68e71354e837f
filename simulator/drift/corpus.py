"""The drift corpus: one recorded session per vendor, made against the mocks themselves (the
contract as the mocks hold it today) and kept in the repository (`tests/drift/corpus/`). CI
verifies the mocks against it, so a change to the shape of any answer shows up as drift in
review. `python tools/record_corpus.py` records it again after an intended change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import requests

from vendorsim.mocks.cloud import Cloud
from vendorsim.mocks.server import ServerRunner

from .recorder import Recorder

SECRET = "corpus-secret"  # masked in every cassette
MUNCHKIN, SUB = "123-ABC-456", "mc-corpus"
SFMC_STATE = {"data_extensions": [{"name": "People", "key": "people", "fields": [
    {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
    {"name": "Age", "type": "Number"}]}], "lists": [{"id": 7, "name": "Newsletter"}]}
SOAP_ENVELOPE = ('<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/'
                 'envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s:Header>'
                 '<fueloauth xmlns="http://exacttarget.com">{token}</fueloauth></s:Header>'
                 '<s:Body>{body}</s:Body></s:Envelope>')


def marketo(base: str) -> None:
    http = requests.Session()
    token = http.get(f"{base}/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": "cdp",
        "client_secret": SECRET}).json()["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"
    rest = f"{base}/rest/v1"
    created = http.post(f"{rest}/leads.json", json={"input": [
        {"email": "a@x.example", "firstName": "Ann"}, {"email": "bad"}]}).json()
    lead = created["result"][0]["id"]
    http.get(f"{rest}/lead/{lead}.json")
    http.get(f"{rest}/leads.json", params={"filterType": "email",
                                            "filterValues": "a@x.example"})
    http.get(f"{rest}/leads.json", params={"filterType": "email", "filterValues": "a@x.example",
                                            "fields": "bogusField"})
    http.get(f"{rest}/leads/describe.json")
    http.get(f"{rest}/leads/partitions.json")
    made = http.post(f"{base}/rest/asset/v1/staticLists.json",
                     data={"name": "Corpus", "folder": '{"id":12,"type":"Folder"}'}).json()
    list_id = made["result"][0]["id"]
    http.post(f"{rest}/lists/{list_id}/leads.json", json={"input": [{"id": lead}]})
    http.get(f"{rest}/lists/{list_id}/leads.json")
    paging = http.get(f"{rest}/activities/pagingtoken.json",
                      params={"sinceDatetime": "2020-01-01T00:00:00Z"}).json()
    http.get(f"{rest}/activities.json", params={"nextPageToken": paging["nextPageToken"],
                                                "activityTypeIds": "12"})
    http.get(f"{rest}/stats/usage.json")


def sfmc(base: str) -> None:
    http = requests.Session()
    answer = http.post(f"{base}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "pkg",
        "client_secret": SECRET}).json()
    http.headers["Authorization"] = f"Bearer {answer['access_token']}"
    rest, soap = answer["rest_instance_url"], answer["soap_instance_url"] + "Service.asmx"
    http.post(f"{rest}hub/v1/dataevents/key:people/rowset",
              json=[{"keys": {"Email": "a@x.example"}, "values": {"Age": 3}}])
    http.post(f"{rest}hub/v1/dataevents/key:people/rowset",
              json=[{"keys": {"Email": "bad"}, "values": {"Age": "x"}}])
    http.get(f"{rest}data/v1/customobjectdata/key/people/rowset")
    http.get(f"{rest}data/v1/customobjects/key:people/fields")
    http.post(f"{rest}interaction/v1/events", json={"ContactKey": "C1",
                                                    "EventDefinitionKey": "E1"})
    retrieve = ("<RetrieveRequestMsg xmlns=\"http://exacttarget.com/wsdl/partnerAPI\">"
                "<RetrieveRequest><ObjectType>DataExtensionObject[people]</ObjectType>"
                "<Properties>Email</Properties><Properties>Age</Properties>"
                "</RetrieveRequest></RetrieveRequestMsg>")
    create = ("<CreateRequest xmlns=\"http://exacttarget.com/wsdl/partnerAPI\"><Options/>"
              '<Objects xsi:type="Subscriber"><EmailAddress>k@x.example</EmailAddress>'
              "<SubscriberKey>k</SubscriberKey><Lists><ID>7</ID></Lists></Objects>"
              "</CreateRequest>")
    for action, body in (("Retrieve", retrieve), ("Create", create), ("Create", create)):
        http.post(soap, data=SOAP_ENVELOPE.format(token=answer["access_token"], body=body),
                  headers={"Content-Type": "text/xml", "SOAPAction": action})


def bombora(base: str) -> None:
    http = requests.Session()
    token = http.post(f"{base}/oauth/token", json={"client_id": "c",
                                                   "client_secret": SECRET}).json()
    http.headers["Authorization"] = f"Bearer {token['access_token']}"
    lists = f"{base}/account-list/v1/account-list"
    made = http.post(lists, json={"type": "Manual", "metadata": {"name": "Corpus"}}).json()
    http.post(lists, json={"type": "Manual", "metadata": {"name": "Corpus"}})  # a duplicate
    http.post(f"{lists}/{made['id']}/accounts", json=[{"domain": "acme.com"}])
    http.get(f"{lists}/{made['id']}/accounts/domains")
    http.get(lists)


def demandbase(base: str) -> None:
    http = requests.Session()
    token = http.post(f"{base}/auth/v1/token", data={"client_id": "c",
                                                     "client_secret": SECRET}).json()
    http.headers["Authorization"] = f"Bearer {token['accessToken']}"
    made = http.post(f"{base}/accountlists/v1/lists", json={"name": "Corpus"}).json()
    http.post(f"{base}/accountlists/v1/lists/{made['id']}/accounts", json={"accounts": [
        {"accountName": "Acme", "accountEmailDomain": "acme.com"}]})
    http.get(f"{base}/accountlists/v1/lists/{made['id']}")
    job = http.post(f"{base}/import/v1/job", json={"entityType": "account",
                                                   "dataImportName": "Corpus"}).json()
    http.get(f"{base}/import/v1/job/{job['id']}")
    http.get(f"{base}/import/v1/job/nope")


SESSIONS: dict[str, tuple[Callable[[str], None], str]] = {
    "marketo": (marketo, f"/{MUNCHKIN}"), "sfmc": (sfmc, f"/{SUB}"), "bombora": (bombora, ""),
    "demandbase": (demandbase, "")}


def seed_state() -> dict:
    """What the corpus's sessions expect to find (as `GET /__admin/state` answers it)."""
    cloud = Cloud("virtual")
    cloud.service("sfmc").seed_tenant(SUB, state=SFMC_STATE)
    return {"vendors": {"sfmc": cloud.service("sfmc").snapshot()}}


def record_corpus(out_dir: Path) -> list[Path]:
    """Record every vendor's session against a fresh vendorsim server, through the proxy."""
    written = []
    for vendor, (session, prefix) in SESSIONS.items():
        with ServerRunner(Cloud("virtual"), port=0, threads=4) as server:
            requests.put(f"{server.urls['cloud']}/__admin/state", json=seed_state(),
                         timeout=30).raise_for_status()
            with Recorder(server.urls[vendor], out_dir, vendor) as recorder:
                session(recorder.url + prefix)
            target = out_dir / f"{vendor}.yaml"
            recorder.cassette.replace(target)
            written.append(target)
    return written
