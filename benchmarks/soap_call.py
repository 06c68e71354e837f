"""Benchmark: one SFMC SOAP call answered in-process (issue 34, item 1: a call in each mode).

A `Retrieve` of List objects (two properties) with the fueloauth header, as the Fuel SDK and
zeep send it, answered through the mocks' WSGI app (no `requests`, no sockets: the mock's own
work: parsing the envelope with its bounds, the token, the limits, the retrieve, rendering
the answer), against the same envelope answered by a bare WSGI callable that reads the body
and returns a fixed answer. Process time, best round of each, rounds alternating.

    python benchmarks/soap_call.py [--calls 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from timing import per_call

from vendorsim.mocks.cloud import Cloud
from vendorsim.mocks.core.routing import call_wsgi

SUBDOMAIN = "mc-bench"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
ET_NS = "http://exacttarget.com/wsdl/partnerAPI"
RETRIEVE = ("<et:RetrieveRequestMsg><et:RetrieveRequest><et:ObjectType>List</et:ObjectType>"
            "<et:Properties>ListName</et:Properties><et:Properties>ID</et:Properties>"
            "</et:RetrieveRequest></et:RetrieveRequestMsg>")


def envelope(token: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{SOAP_NS}" '
            f'xmlns:et="{ET_NS}"><soap:Header><fueloauth xmlns="http://exacttarget.com">'
            f"{token}</fueloauth></soap:Header><soap:Body>{RETRIEVE}</soap:Body>"
            "</soap:Envelope>").encode()


def calls() -> tuple[Callable[[], object], Callable[[], object]]:
    """The mock's call and the floor's, with the same URL, headers and body."""
    cloud = Cloud(clock="real")
    cloud.service("sfmc").seed_tenant(SUBDOMAIN, state={
        "lists": [{"id": n, "name": f"List {n}"} for n in range(11, 16)]})
    cloud.service("sfmc").configure_default_limits(enabled=False)
    token = cloud.requests_session().post(
        f"https://{SUBDOMAIN}.auth.marketingcloudapis.com/v2/token",
        json={"grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    url = token["soap_instance_url"] + "Service.asmx"
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": "Retrieve",
               "Host": url.split("/")[2]}
    body = envelope(token["access_token"])
    status, _, answer = call_wsgi(cloud.wsgi, "POST", url, headers, body)
    assert status == 200 and b"List 15" in answer, answer[:300]

    def bare(environ: dict, start_response: Callable) -> list[bytes]:
        environ["wsgi.input"].read()
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [answer]

    return (lambda: call_wsgi(cloud.wsgi, "POST", url, headers, body),
            lambda: call_wsgi(bare, "POST", url, headers, body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    mock, floor = calls()
    mocks, floors = [], []
    for _ in range(args.rounds):
        floors.append(per_call(floor, args.calls))
        mocks.append(per_call(mock, args.calls))
    print(f"SFMC SOAP Retrieve of 6 Lists (5 seeded, All Subscribers), in-process, "
          f"{args.calls} calls x {args.rounds} rounds (process time, best round): "
          f"mock {min(mocks):.1f} us, bare WSGI answer {min(floors):.1f} us")


if __name__ == "__main__":
    main()
