"""The OpenAPI documents describe answers, and the mocks keep to them (issue 28): schemathesis
generates requests for every operation of each vendor's document and of the admin API, sends
them to a server, and checks no server error (beyond SFMC's documented SOAP faults), every
status and content type documented, every answer matching its schema. Bounded:
`VENDORSIM_CONTRACT_EXAMPLES` examples per operation (default 3)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import requests

pytest.importorskip("schemathesis", reason="schemathesis is in the dev extra")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import openapi  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from vendorsim import Cloud  # noqa: E402
from vendorsim.mocks.server import ServerRunner  # noqa: E402

EXAMPLES = int(os.environ.get("VENDORSIM_CONTRACT_EXAMPLES", "3"))
TENANTS = {"marketo": "123-ABC-456", "sfmc": "mc-contract", "bombora": "", "demandbase": ""}
TOKENS = {"marketo": ("GET", "/identity/oauth/token", "params"),
          "sfmc": ("POST", "/v2/token", "json"), "bombora": ("POST", "/oauth/token", "json"),
          "demandbase": ("POST", "/auth/v1/token", "data")}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def server() -> Iterator[ServerRunner]:
    with ServerRunner(Cloud("virtual"), port=0, threads=8) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(server: ServerRunner) -> Iterator[None]:
    """Each test leaves the shared server's faults, state and journal as it found them: the
    admin API's fuzzing writes faults, and a generated `connection: reset` one reset a later
    test's token call (seen once in CI)."""
    yield
    server.cloud.reset()


def base_and_auth(server: ServerRunner, vendor: str) -> tuple[str, dict]:
    tenant = TENANTS[vendor]
    base = f"{server.urls[vendor]}/{tenant}" if tenant else server.urls[vendor]
    method, path, kind = TOKENS[vendor]
    body = {"grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}
    answer = requests.request(method, base + path, **{kind: body}).json()
    token = answer.get("access_token") or answer.get("accessToken")
    return base, {"Authorization": f"Bearer {token}"}


def exercise(document: dict, base: str, headers: dict) -> tuple[int, list[str]]:
    """Every operation, EXAMPLES generated cases each: (calls made, failures)."""
    schema = openapi.from_dict(document)
    failures: list[str] = []
    calls: list[int] = []
    session = requests.Session()
    for operation in (op.ok() for op in schema.get_all_operations()):
        try:
            cases(operation, base, headers, session, calls, failures)()
        except BaseException as exc:  # noqa: BLE001 - hypothesis raises groups; recorded
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            if not failures or not failures[-1].startswith(operation.label):
                failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:300]}")
    return len(calls), failures


def cases(operation: object, base: str, headers: dict, session: requests.Session,
          calls: list[int], failures: list[str]) -> object:
    label = operation.label  # type: ignore[attr-defined]

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())  # type: ignore[attr-defined]
    def run(case: object) -> None:
        calls.append(1)
        try:
            case.call_and_validate(base_url=base, session=session,  # type: ignore[attr-defined]
                                   headers=headers, checks=CHECKS)
        except Exception as exc:
            failures.append(f"{label}: {str(exc)[:400]}")
            raise

    return run


@pytest.mark.client("schemathesis", mode="server",
                    area="{vendor}: answers keep to the OpenAPI document")
@pytest.mark.parametrize("vendor", sorted(TENANTS))
def test_every_answer_keeps_to_the_document(server: ServerRunner, vendor: str) -> None:
    base, auth = base_and_auth(server, vendor)
    document = requests.get(f"{server.urls[vendor]}/__admin/openapi.json").json()
    document["paths"] = {p: ops for p, ops in document["paths"].items()
                         if not p.startswith("/__admin")  # the admin API: its own test
                         and p.lower() != "/service.asmx"}  # SOAP: its contract is the WSDL
    assert all(set(op["responses"]) >= {"2XX", "4XX"}
               for ops in document["paths"].values() for op in ops.values())
    calls, failures = exercise(document, base, auth)
    assert calls >= len(document["paths"]), calls
    assert not failures, "\n".join(failures[:20])


@pytest.mark.client("schemathesis", mode="server", area="admin API: answers keep to its document")
def test_the_admin_api_keeps_to_its_document(server: ServerRunner) -> None:
    document = requests.get(f"{server.urls['cloud']}/__admin/openapi.json").json()
    for path in list(document["paths"]):  # writes that end the session's state
        if path.endswith(("/reset", "/state")):
            del document["paths"][path]
    calls, failures = exercise(document, server.urls["cloud"], {})
    assert calls >= len(document["paths"]), calls
    assert not failures, "\n".join(failures[:20])


def test_a_broken_answer_is_caught(server: ServerRunner) -> None:
    """The check can fail: a document promising another error shape is contradicted."""
    base, auth = base_and_auth(server, "bombora")
    document = requests.get(f"{server.urls['bombora']}/__admin/openapi.json").json()
    lists = document["paths"]["/account-list/v1/account-list/{list_id}"]
    document["paths"] = {"/account-list/v1/account-list/{list_id}": {"get": lists["get"]}}
    lists["get"]["responses"]["4XX"] = {"description": "a promise the mock does not keep",
                                        "content": {"application/json": {"schema": {
                                            "type": "object", "required": ["nope"]}}}}
    _, failures = exercise(document, base, auth)
    assert failures and "violates schema" in " ".join(failures)
