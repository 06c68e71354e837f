"""Raw SOAP 1.1 calls for the SFMC SOAP tests: envelopes as a client writes them (own
prefixes, the fueloauth header), answers read back by local name."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import requests

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
ET_NS = "http://exacttarget.com/wsdl/partnerAPI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def envelope(body: str, token: str | None) -> str:
    header = f'<soap:Header><fueloauth xmlns="http://exacttarget.com">{token}</fueloauth>' \
             "</soap:Header>" if token else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{SOAP}" '
            f'xmlns:xsi="{XSI}" xmlns:et="{ET_NS}">{header}<soap:Body>{body}</soap:Body>'
            "</soap:Envelope>")


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class SoapCaller:
    """A tenant's SOAP endpoint with a token from its auth host."""

    def __init__(self, auth_base: str, client_id: str = "c", secret: str = "s") -> None:
        answer = requests.post(f"{auth_base}/v2/token", json={
            "grant_type": "client_credentials", "client_id": client_id,
            "client_secret": secret}).json()
        self.token: str | None = answer["access_token"]
        self.url = answer["soap_instance_url"] + "Service.asmx"
        self.rest = answer["rest_instance_url"]

    def call(self, action: str, body: str, token: str | None = "") -> requests.Response:
        return requests.post(self.url, data=envelope(body, self.token if token == "" else token)
                             .encode(), headers={"Content-Type": "text/xml; charset=utf-8",
                                                 "SOAPAction": action})

    def body(self, action: str, body: str) -> ET.Element:
        answer = self.call(action, body)
        assert answer.status_code == 200, answer.text
        root = ET.fromstring(answer.content)
        return next(iter(root.find(f"{{{SOAP}}}Body")))  # type: ignore[arg-type]  # a Body is there

    def retrieve(self, object_type: str, props: list[str], filter_xml: str = "",
                 cont: str = "") -> tuple[str, str, list[dict]]:
        inner = cont and f"<et:ContinueRequest>{cont}</et:ContinueRequest>"
        if not cont:
            inner = f"<et:ObjectType>{object_type}</et:ObjectType>" + "".join(
                f"<et:Properties>{p}</et:Properties>" for p in props) + filter_xml
        msg = self.body("Retrieve", f"<et:RetrieveRequestMsg><et:RetrieveRequest>{inner}"
                                    "</et:RetrieveRequest></et:RetrieveRequestMsg>")
        return (text(msg, "OverallStatus"), text(msg, "RequestID"),
                [flat(r) for r in msg if local(r.tag) == "Results"])

    def write(self, action: str, objects: str, options: str = "") -> tuple[str, list[dict]]:
        msg = self.body(action, f"<et:{action}Request><et:Options>{options}</et:Options>"
                                f"{objects}</et:{action}Request>")
        return text(msg, "OverallStatus"), [flat(r) for r in msg if local(r.tag) == "Results"]


def text(element: ET.Element, name: str) -> str:
    found = next((c for c in element if local(c.tag) == name), None)
    return "" if found is None else (found.text or "")


def flat(element: ET.Element) -> dict[str, Any]:
    """An object as {name: text}; a row's Properties as {column: value}; xsi:type as _type."""
    out: dict[str, Any] = {"_type": element.get(f"{{{XSI}}}type")}
    for child in element:
        name = local(child.tag)
        if name == "Properties":
            out["Properties"] = {text(p, "Name"): text(p, "Value") for p in child}
        elif len(child):
            out[name] = flat(child)
        else:
            out[name] = child.text
    return out


def simple(prop: str, operator: str, *values: str, tag: str = "Value") -> str:
    return (f'<et:Filter xsi:type="et:SimpleFilterPart"><et:Property>{prop}</et:Property>'
            f"<et:SimpleOperator>{operator}</et:SimpleOperator>"
            + "".join(f"<et:{tag}>{v}</et:{tag}>" for v in values) + "</et:Filter>")


def row_object(key: str, kind: str = "Properties", **values: object) -> str:
    item = "Property" if kind == "Properties" else "Key"
    props = "".join(f"<et:{item}><et:Name>{k}</et:Name><et:Value>{v}</et:Value></et:{item}>"
                    for k, v in values.items())
    return (f'<et:Objects xsi:type="et:DataExtensionObject"><et:CustomerKey>{key}'
            f"</et:CustomerKey><et:{kind}>{props}</et:{kind}></et:Objects>")


UPSERT = ("<et:SaveOptions><et:SaveOption><et:PropertyName>*</et:PropertyName>"
          "<et:SaveAction>UpdateAdd</et:SaveAction></et:SaveOption></et:SaveOptions>")
