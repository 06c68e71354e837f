"""SFMC's SOAP API (`Service.asmx`) and its WSDL, served on the tenant's SOAP host
(`{sub}.soap.marketingcloudapis.com`) and wherever the token answer's `soap_instance_url`
points (a server's SFMC port: `/{sub}/Service.asmx`). Paths match without case, as IIS does.

Each view parses the envelope, authenticates its header token, calls one operation and wraps
the answer; every answer is a SOAP envelope, every failure a SOAP fault (HTTP 500).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from flask import Blueprint, Response, current_app, request

from vendorsim.mocks.core.context import call, call_scopes
from vendorsim.mocks.core.openapi import doc

from .. import facts
from .retrieve import RetrieveError, retrieve
from .writes import ObjectError, describe, perform, write
from .wsdl import fault_schema, wsdl
from .xml import (
    Envelope,
    Node,
    SoapFault,
    envelope,
    fault_envelope,
    kid,
    node,
    parse,
    text,
    xsi_type,
)

if TYPE_CHECKING:
    from ..models import SfmcAccount
    from ..service import SfmcService

bp = Blueprint("sfmc_soap", __name__)
PATHS = ("/service.asmx", "/etframework.wsdl", "/etframeworkfault.xsd")
XML = "text/xml; charset=utf-8"
SCOPES = {("read", "DataExtension"): "data_extensions_read",
          ("write", "DataExtension"): "data_extensions_write",
          ("read", "List"): "list_and_subscribers_read",
          ("write", "List"): "list_and_subscribers_write"}


def is_soap(path: str) -> bool:
    return path.lower().endswith("/service.asmx")


def soap_paths(app: Callable) -> Callable:
    """WSGI middleware: the SOAP paths in any case (`/Service.asmx`, `/service.asmx`), as
    SFMC's IIS front matches them."""

    def wsgi(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.lower() in PATHS and path not in PATHS:
            environ["PATH_INFO"] = path.lower()
        return app(environ, start_response)

    return wsgi


def _service() -> SfmcService:
    found: SfmcService = current_app.config["vendorsim.service"]
    return found


def soap_answer(body: bytes, status: int = 200) -> Response:
    return Response(body, status=status, content_type=XML)


def fault_answer(fault: SoapFault) -> Response:
    call().fail(fault.code)
    return soap_answer(fault_envelope(fault), fault.status)


@bp.post("/service.asmx")
@doc(body="xml", auth=False)
def service_asmx() -> Response:
    """The SOAP endpoint: Retrieve, Create, Update, Delete, Perform, Describe."""
    try:
        parsed = parse(request.get_data())
        account = _service().soap_account(parsed.token, parsed.has_security)
        return soap_answer(envelope(_dispatch(account, parsed)))
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


def _dispatch(account: SfmcAccount, parsed: Envelope) -> Node:
    operation, body = parsed.operation, parsed.body
    rid = str(uuid.uuid4())  # SFMC's RequestIDs are GUIDs
    try:
        if operation == "RetrieveRequestMsg":
            retrieve_request = kid(body, "RetrieveRequest")
            _require("read", text(retrieve_request, "ObjectType") or "")
            try:
                overall, rid, results = retrieve(account, retrieve_request)
            except RetrieveError as exc:
                overall, results = f"Error: {exc}", []
            return node("RetrieveResponseMsg", None, node("OverallStatus", overall),
                        node("RequestID", rid), *results)
        writes = {"CreateRequest": ("Create", "CreateResponse"),
                  "UpdateRequest": ("Update", "UpdateResponse"),
                  "DeleteRequest": ("Delete", "DeleteResponse")}
        if operation in writes:
            action, answer = writes[operation]
            for element in body:
                _require("write", xsi_type(element) or "")
            overall, results = write(account, action, body)
            return node(answer, None, *results, node("RequestID", rid),
                        node("OverallStatus", overall))
        if operation == "PerformRequestMsg":
            overall, results = perform(account, body)
            return node("PerformResponseMsg", None, node("Results", None, *results),
                        node("OverallStatus", overall), node("RequestID", rid))
        if operation == "DefinitionRequestMsg":
            return node("DefinitionResponseMsg", None, *describe(body), node("RequestID", rid))
    except ObjectError as exc:
        raise SoapFault(exc.message) from None
    raise SoapFault(f"The operation {operation[:60]} is not implemented by vendorsim (it "
                    "implements Retrieve, Create, Update, Delete, Perform and Describe)")


def _require(kind: str, object_type: str) -> None:
    """The package's scopes, as REST checks them (`data_extensions_read`, ...)."""
    area = "DataExtension" if object_type.startswith("DataExtension") else "List" \
        if object_type in ("Subscriber", "List", "ListSubscriber") else None
    scopes = call_scopes()
    needed = SCOPES.get((kind, area)) if area else None
    if needed and scopes is not None and needed not in scopes:
        raise SoapFault(f"Insufficient privileges: the installed package lacks {needed}",
                        code=str(facts.NO_PRIVILEGE))
