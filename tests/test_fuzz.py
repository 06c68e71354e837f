"""Fuzzing every mock and the admin API from their own OpenAPI descriptions (issue 12).

Hypothesis draws an operation from a host's `/__admin/openapi.json`, then hostile path
parameters, query parameters and bodies (any JSON, nested, huge or non-finite numbers, mutated
valid payloads, broken forms and CSV), with a good token, a bad one or none, and sends it
in-process through the WSGI app. Every answer must be below 500, Marketo must never answer
611 unless a fault rule shaped the call, nothing may log an unexpected error, and after every
accepted call the vendor's state must still read back and serialise.

CI runs `VENDORSIM_FUZZ_EXAMPLES` (default 2,500) requests per host; a longer run:
`VENDORSIM_FUZZ_EXAMPLES=25000 ./dev test tests/test_fuzz.py -p no:randomly`.
"""

from __future__ import annotations

import json
import logging
import os
import re
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from vendorsim import Cloud

EXAMPLES = int(os.environ.get("VENDORSIM_FUZZ_EXAMPLES", "2500"))
TENANTS = {"marketo": "123-ABC-456", "sfmc": "mc563885gzs27c5t9-63k636ttgm",
           "bombora": "fuzz-client", "demandbase": "fuzz-client"}
HOSTS = {"marketo": "https://123-abc-456.mktorest.com",
         "sfmc": "https://mc563885gzs27c5t9-63k636ttgm.rest.marketingcloudapis.com",
         "bombora": "https://api.bombora.com", "demandbase": "https://uapi.demandbase.com",
         "admin": "https://vendorsim.local"}
SEEDS = {
    "marketo": {"partitions": ["EMEA"], "leads": [{"id": 1, "email": "a@x.example"}],
                "lists": [{"id": 1001, "name": "L", "members": [1]}]},
    "sfmc": {"data_extensions": [{"name": "People", "key": "people", "fields": [
        {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
        {"name": "Born", "type": "Date"}, {"name": "Score", "type": "Decimal"},
        {"name": "N", "type": "Number"}, {"name": "Ok", "type": "Boolean"}],
        "rows": [{"Email": "a@x.example", "Score": "1.5", "N": 3}]}]},
    "bombora": {"account_lists": [{"name": "B", "domains": ["acme.com"]}]},
    "demandbase": {"account_lists": [{"name": "D", "domains": ["acme.com"]}]},
}
VALID_BODIES = [  # mutated below: hostile values inside payloads a vendor expects
    {"input": [{"email": "a@x.example", "firstName": "A", "numberOfEmployees": 3}],
     "action": "createOrUpdate", "lookupField": "email", "partitionName": "EMEA"},
    {"input": [{"id": 1}]},
    [{"keys": {"Email": "b@x.example"}, "values": {"Born": "2020-01-01", "Score": "2"}}],
    {"items": [{"Email": "c@x.example", "N": 4, "Ok": "true"}]},
    {"name": "DE", "key": "de", "fields": [{"name": "F", "type": "Text", "length": 10}]},
    {"type": "Manual", "metadata": {"name": "M"}, "specification": {"parentId": "x"}},
    {"type": "Derived", "metadata": {"name": "M2"}, "specification": {"parentId": "x"}},
    {"domains": ["acme.com", "globex.com"]}, ["acme.com", "globex.com"],
    [{"domain": "globex.com", "id": "g", "attributes": {"a": 1}}],
    {"accounts": [{"accountName": "A", "accountEmailDomain": "a.com"}], "domains": ["a.com"]},
    {"entityType": "account", "dataImportName": "J", "source": "CSV"},
    {"error_code": "606", "times": 2, "path": "leads", "tenant": "123-ABC-456"},
    {"id": "999-FZZ-999", "credentials": [{"client_id": "c", "client_secret": "s"}],
     "limits": {"window_calls": 5}, "state": {"leads": [{"email": "z@x.example"}]}},
    {"seconds": 30}, {"time": "2026-02-01T00:00:00Z"}, {"window_calls": 50},
]

scalars = (st.none() | st.booleans() | st.integers() | st.integers(-(2**70), 2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40)
           | st.sampled_from(["", "NaN", "1e999", "-1", "0001-01-01T00:00:00+01:00",
                              "9" * 30, "a@x.example", "acme.com", "x" * 5000]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                           max_leaves=20)


def _places(value: object, path: tuple = ()) -> list[tuple]:
    """Every place in a payload: the paths of all its nodes (the root included)."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _places(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _places(child, (*path, i))
    return found


def _replace(value: object, path: tuple, new: object) -> object:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)  # type: ignore[call-overload]
    copy[head] = _replace(copy[head], rest, new)
    return copy


def mutate(value: object, draw: st.DrawFn, known: list) -> object:
    """A valid payload changed in one place chosen uniformly: a value replaced by something
    hostile or by an id the mocks handed out, an array's element repeated, a key dropped."""
    for _ in range(draw(st.integers(1, 2))):
        places = _places(value)
        path = places[draw(st.integers(0, 999)) % len(places)]
        node = value
        for step in path:
            node = node[step]  # type: ignore[index]
        how = draw(st.sampled_from(["hostile", "hostile", "known", "repeat", "drop"]))
        if isinstance(node, list) and node and draw(st.booleans()):
            how = "repeat"  # repeated elements are what batch endpoints get wrong
        if how == "repeat" and isinstance(node, list) and node:
            new: object = [*node, node[draw(st.integers(0, 99)) % len(node)]]
        elif how == "drop" and isinstance(node, dict) and node:
            gone = sorted(node)[draw(st.integers(0, 99)) % len(node)]
            new = {k: v for k, v in node.items() if k != gone}
        elif how == "known" and known:
            new = pick(draw, known)
        else:
            new = draw(json_values)
        value = _replace(value, path, new)
    return value


def pick(draw: st.DrawFn, known: list) -> object:
    """One of the ids seen so far; the draw does not depend on how many there are, so the
    strategy stays the same while the pool grows."""
    return known[draw(st.integers(0, 199)) % len(known)]


@st.composite
def bodies(draw: st.DrawFn, kind: str | None, known: list,
           examples: list) -> tuple[bytes | None, str | None]:
    choice = draw(st.sampled_from(["none", "json", "mutated", "mutated", "mutated", "raw",
                                   "form", "csv", "deep"]))
    if choice == "none":
        return None, None
    if choice == "deep":
        depth = draw(st.integers(30, 1500))
        return ("[" * depth + "]" * depth).encode(), "application/json"
    if choice == "raw":
        return draw(st.binary(max_size=200)), draw(st.sampled_from(
            ["application/json", "text/plain", "application/octet-stream", ""]))
    if choice == "form" or (kind == "form" and draw(st.booleans())):
        form = draw(st.dictionaries(st.sampled_from(["name", "folder", "description",
                                                     "_method", "grant_type", "client_id",
                                                     "client_secret", "id"]),
                                    st.text(max_size=30) | st.sampled_from(
                                        ['{"id":12,"type":"Folder"}', '{"id":1e999}', "GET"]),
                                    max_size=4))
        return "&".join(f"{quote(k)}={quote(v)}" for k, v in form.items()).encode(), \
            "application/x-www-form-urlencoded"
    if choice == "csv" or kind == "csv":
        rows = draw(st.lists(st.lists(st.text(max_size=12) | st.sampled_from(
            ["acme.com", "Acme", ""]), max_size=4), max_size=5))
        header = draw(st.sampled_from(["accountName,accountEmailDomain", "x", ""]))
        lines = [header] + [",".join(r) for r in rows]
        return "\n".join(lines).encode(), "application/octet-stream"
    templates = examples or VALID_BODIES
    value = mutate(templates[draw(st.integers(0, 99)) % len(templates)], draw, known) \
        if choice == "mutated" else draw(json_values)
    return json.dumps(value, allow_nan=True).encode(), "application/json"


class ErrorLog(logging.Handler):
    """Collects what the mocks log as unexpected errors (each one is a bug)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def prepare(target: str) -> tuple[Cloud, dict, str]:
    cloud = Cloud("virtual")
    cloud.clock.set("2026-01-05T09:00:00Z")
    http = cloud.requests_session()
    for vendor, tenant in TENANTS.items():
        cloud.service(vendor).seed_tenant(tenant, state=SEEDS[vendor], credentials=[
            {"client_id": "fuzz", "client_secret": "secret"}])
    token = ""
    if target == "marketo":
        token = http.get(f"{HOSTS['marketo']}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "fuzz",
            "client_secret": "secret"}).json()["access_token"]
    elif target == "sfmc":
        token = http.post(HOSTS["sfmc"].replace(".rest.", ".auth.") + "/v2/token", json={
            "grant_type": "client_credentials", "client_id": "fuzz",
            "client_secret": "secret"}).json()["access_token"]
    elif target == "bombora":
        token = http.post(f"{HOSTS['bombora']}/oauth/token", json={
            "client_id": "fuzz-client", "client_secret": "x"}).json()["access_token"]
    elif target == "demandbase":
        token = http.post(f"{HOSTS['demandbase']}/auth/v1/token", data={
            "client_id": "fuzz-client", "client_secret": "x"}).json()["accessToken"]
    spec = http.get(f"{HOSTS[target]}/__admin/openapi.json").json()
    return cloud, spec, token


def operations(spec: dict, target: str) -> list[tuple[str, str, dict]]:
    ops = [(path, method, op) for path, methods in spec["paths"].items()
           for method, op in methods.items()]
    if target != "admin":  # the vendor's own API; the admin API is fuzzed on its own host
        ops = [o for o in ops if not o[0].startswith("/__admin")]
    return ops


def path_value(draw: st.DrawFn, schema: dict, known: list) -> str:
    """Mostly an id the mocks handed out, of the parameter's type; else something hostile."""
    numeric = schema.get("type") == "integer"
    ids = [k for k in known if isinstance(k, int) == numeric]
    if draw(st.integers(0, 3)) > 0 and ids:
        return quote(str(pick(draw, ids)), safe="")
    if schema.get("type") == "integer":
        return str(draw(st.integers(-5, 2000) | st.integers(0, 10**30)))
    return quote(draw(st.text(max_size=30) | st.sampled_from(
        ["people", "key:people", "1001", "..", "%00", "x" * 300])), safe="")


def harvest(value: object, into: list, limit: int = 200) -> None:
    """Ids, keys and names the mocks handed out (in state or answers), for later requests."""
    stack = [value]
    while stack and len(into) < limit:
        node = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                if key in ("id", "key", "requestId", "requestToken", "name") and \
                        isinstance(child, str | int) and child not in into:
                    into.append(child)
                stack.append(child)
        elif isinstance(node, list):
            stack.extend(node[:20])


@pytest.mark.parametrize("target", ["marketo", "sfmc", "bombora", "demandbase", "admin"])
def test_fuzz(target: str) -> None:
    cloud, spec, token = prepare(target)
    ops = operations(spec, target)
    http = cloud.requests_session()
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    sent = {"n": 0}
    known: list = []
    for vendor in cloud.services:
        harvest(http.get(f"{HOSTS[vendor]}/__admin/state").json(), known)

    # state carries over from call to call (as with a real client), so a failure is reported
    # as found, not shrunk or replayed; derandomize makes every run the same sequence
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one_request(data: st.DataObject) -> None:
        path, method, op = data.draw(st.sampled_from(ops))
        params = {p["name"]: p for p in op["parameters"]}
        url_path = re.sub(r"\{(\w+)\}", lambda m: path_value(
            data.draw, params[m.group(1)]["schema"], known), path)
        query = {name: data.draw(st.text(max_size=20) | st.sampled_from(
            ["1", "-1", "0", "99999999999999999999", "1e999", "email", "id", "a@x.example",
             "Email eq 'a@x.example'", "Score desc", "replace", "GET", ""]))
            for name in data.draw(st.sets(st.sampled_from(sorted(params) or ["x"]),
                                          max_size=4)) if params.get(name, {}).get("in")
            != "path"}
        kind = next(iter(op.get("requestBody", {}).get("content", {})), None)
        kind = {"application/json": "json", "application/x-www-form-urlencoded": "form",
                "application/octet-stream": "csv"}.get(kind or "")
        media = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        examples = [e["value"] for e in media.get("examples", {}).values()]
        body, content_type = data.draw(bodies(kind, known, examples))
        headers = {}
        auth = data.draw(st.sampled_from(["good"] * 6 + ["bad", "none"]))
        if auth != "none" and target != "admin":
            headers["Authorization"] = f"Bearer {token if auth == 'good' else 'nope'}"
        if content_type is not None:
            headers["Content-Type"] = content_type
        if target == "admin" and method.upper() == "POST" and path.endswith("/reset"):
            return  # resetting is allowed, and would only make later calls less interesting
        answer = http.request(method.upper(), HOSTS[target] + url_path, params=query,
                              data=body, headers=headers)
        sent["n"] += 1
        if answer.headers.get("Content-Type", "").startswith("application/json"):
            harvest(answer.json(), known)
        check(cloud, http, target, answer, errors, f"{method.upper()} {url_path} {query}")

    try:
        one_request()
    finally:
        logging.getLogger().removeHandler(errors)
    assert sent["n"] >= min(EXAMPLES, 1000) * 0.9


def check(cloud: Cloud, http: object, target: str, answer: object, errors: ErrorLog,
          what: str) -> None:
    faulted = bool(cloud.journal.entries(limit=1) and cloud.journal.entries(limit=1)[0].fault)
    # SFMC's SOAP API answers every fault with HTTP 500 and a soap:Fault (documented)
    soap_fault = answer.status_code == 500 and "<soap:Fault>" in answer.text and \
        answer.headers.get("Content-Type", "").startswith("text/xml")
    assert answer.status_code < 500 or faulted or soap_fault, \
        f"{what}: {answer.status_code} {answer.text[:300]}"
    if target == "marketo" and not faulted:
        assert '"code":"611"' not in answer.text, f"{what}: {answer.text[:300]}"
    assert not errors.records, f"{what}: logged {errors.records[0].getMessage()} " \
                               f"{errors.records[0].exc_info}"
    if answer.status_code < 400 and target == "admin":  # and vendor calls still work
        try:
            later = http.get(f"{HOSTS['marketo']}/rest/v1/leads/partitions.json",  # type: ignore
                             headers={"Authorization": "Bearer whatever"})
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.Timeout):  # a connection fault the fuzzer added, only
            last = cloud.journal.entries(limit=1)[0]
            assert last.fault and last.codes[0].startswith("connection:"), f"after {what}"
            later = None
        if later is not None:
            faulted = bool(cloud.journal.entries(limit=1)[0].fault)
            assert later.status_code < 500 or faulted, f"after {what}: {later.text[:300]}"
            assert faulted or '"code":"611"' not in later.text, \
                f"after {what}: {later.text[:300]}"
    if answer.status_code < 400:  # accepted: the state must still read back
        for vendor in cloud.services:
            state = http.get(f"{HOSTS[vendor]}/__admin/state")  # type: ignore[attr-defined]
            assert state.status_code == 200, f"after {what}: {vendor} state {state.text[:300]}"
            json.dumps(state.json(), allow_nan=False)
