"""SFMC's SOAP API (`Service.asmx`) and its WSDL, served on the tenant's SOAP host
(`{sub}.soap.marketingcloudapis.com`) and wherever the token answer's `soap_instance_url`
points (a server's SFMC port: `/{sub}/Service.asmx`). Paths match without case, as IIS does.

The pipeline parses the envelope and checks its header token before the view runs (as it
checks a REST call's bearer); the view reads the operation, calls one model operation and
renders its answer. Every answer is a SOAP envelope, every failure a SOAP fault (HTTP 500).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from flask import Blueprint, Response, request

from vendorsim.mocks.core.context import call
from vendorsim.mocks.core.openapi import doc

from ...model import objects
from ...model.errors import NotPermitted
from ...model.filters import FilterError
from ...model.retrieve import RetrieveError
from ...model.writes import overall
from .. import http
from . import render, requests
from .wsdl import fault_schema, wsdl
from .xml import Envelope, Node, SoapFault, envelope, envelope_stream, fault_envelope, node

bp = Blueprint("sfmc_soap", __name__)
PATHS = ("/service.asmx", "/etframework.wsdl", "/etframeworkfault.xsd")
XML = "text/xml; charset=utf-8"
WRITES = {"CreateRequest": ("Create", "CreateResponse"),
          "UpdateRequest": ("Update", "UpdateResponse"),
          "DeleteRequest": ("Delete", "DeleteResponse")}


def is_soap(path: str) -> bool:
    return path.lower().endswith("/service.asmx")


class SoapPaths:
    """WSGI middleware: the SOAP paths in any case (`/Service.asmx`, `/service.asmx`), as
    SFMC's IIS front matches them."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.lower() in PATHS and path not in PATHS:
            environ["PATH_INFO"] = path.lower()
        return self.app(environ, start_response)


def soap_answer(body: bytes, status: int = 200) -> Response:
    return Response(body, status=status, content_type=XML)


def fault_answer(fault: SoapFault) -> Response:
    call().fail(fault.code)
    return soap_answer(fault_envelope(fault), fault.status)


@bp.post("/service.asmx")
@doc(body="xml")
def service_asmx() -> Response:
    """The SOAP endpoint: Retrieve, Create, Update, Delete, Perform, Describe."""
    parsed: Envelope = call().payload
    try:
        if parsed.operation == "RetrieveRequestMsg":
            return _retrieve(parsed)
        return soap_answer(envelope(_answer(parsed)))
    except NotPermitted as exc:
        return fault_answer(SoapFault(f"Insufficient privileges: the installed package lacks "
                                      f"{exc.scope}", code=str(exc.errorcode)))
    except SoapFault as fault:
        return fault_answer(fault)


@bp.get("/service.asmx")
@bp.get("/etframework.wsdl")
@doc(auth=False)
def wsdl_document() -> Response:
    """The WSDL of what this mock implements (`Service.asmx?wsdl` too)."""
    base = request.host_url.rstrip("/") + request.script_root
    return soap_answer(wsdl(f"{base}/Service.asmx", f"{base}/ETFrameworkFault.xsd"))


@bp.get("/etframeworkfault.xsd")
@doc(auth=False)
def fault_xsd() -> Response:
    """The fault schema the WSDL imports."""
    return soap_answer(fault_schema())


def _retrieve(parsed: Envelope) -> Response:
    """A Retrieve's page, its results streamed as they are rendered; a Retrieve SFMC refuses
    answers `Error: ...` in OverallStatus."""
    try:
        page = http.account().soap.retrieve(http.caller(),
                                            requests.retrieve_request(parsed.body))
    except (RetrieveError, FilterError) as exc:
        return soap_answer(envelope(node(
            "RetrieveResponseMsg", None, node("OverallStatus", f"Error: {exc}"),
            node("RequestID", str(uuid.uuid4())))))
    return Response(envelope_stream("RetrieveResponseMsg", [
        node("OverallStatus", page.status), node("RequestID", page.request_id)],
        render.retrieve_results(page)), content_type=XML)


def _answer(parsed: Envelope) -> Node:
    """The operation's answer message; SoapFault when the operation cannot be answered."""
    operation, body = parsed.operation, parsed.body
    account, caller = http.account(), http.caller()
    rid = str(uuid.uuid4())  # SFMC's RequestIDs are GUIDs
    if operation in WRITES:
        action, answer = WRITES[operation]
        objects_, upsert = requests.write_request(body)
        results = account.writer.write(caller, action, objects_, upsert)
        return node(answer, None, *render.write_results(action, results),
                    node("RequestID", rid), node("OverallStatus", overall(results)))
    if operation == "PerformRequestMsg":
        action, definitions = requests.perform_request(body)
        results = account.writer.perform(caller, action, definitions)
        return node("PerformResponseMsg", None,
                    node("Results", None, *render.perform_results(results)),
                    node("OverallStatus", overall(results)), node("RequestID", rid))
    if operation == "DefinitionRequestMsg":
        try:
            kinds = objects.describe(requests.describe_request(body))
        except objects.UnknownType as exc:
            raise SoapFault(str(exc)) from None
        return node("DefinitionResponseMsg", None, *render.definitions(kinds),
                    node("RequestID", rid))
    raise SoapFault(f"The operation {operation[:60]} is not implemented by vendorsim (it "
                    "implements Retrieve, Create, Update, Delete, Perform and Describe)")

