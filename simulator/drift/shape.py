"""Comparing two answers by structure, not bytes: the HTTP status, the vendor's codes, field
names, nesting, value types and list shapes. Values themselves (ids, request ids, tokens,
timestamps, counts that depend on a sandbox's contents) are never compared; fields a vendor
sends only sometimes (a next-page token, warnings) are never "missing" or "extra".

Each difference has a class: `status`, `code`, `missing field` (the vendor sent it, the mock
did not), `extra field` (the mock sent it, the vendor did not), `type`, `route` (a path the
mock does not have).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

CLASSES = ("route", "status", "code", "missing field", "extra field", "type")
CODE_KEYS = {"code", "errorcode", "errorCode", "error", "OverallStatus", "StatusCode",
             "ErrorCode", "faultcode"}
SOMETIMES = {  # fields a vendor sends only in some answers: their presence is not drift
    "marketo": {"nextPageToken", "moreResult", "warnings", "errors", "result", "reasons"},
    "sfmc": {"links", "items", "additionalErrors", "Results", "ErrorCode", "NewObjectID",
             "RequestID", "OverallStatusMessage", "PartnerKey", "ObjectID"},
    "bombora": {"errors", "next"},
    "demandbase": {"diagnosticCode", "resultsUrl", "errors"},
}
NULL = "null"


@dataclass(frozen=True)
class Difference:
    kind: str
    path: str
    recorded: str
    mock: str

    def to_dict(self) -> dict:
        return {"class": self.kind, "path": self.path, "recorded": self.recorded,
                "mock": self.mock}


def parse(text: str) -> Any:
    """A body as data: JSON, or XML as {element: children} (local names), else None."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped[0] in "{[":
        try:
            return json.loads(stripped)
        except ValueError:
            return None
    if stripped[0] == "<":
        try:
            return _xml(fromstring(stripped.encode(), forbid_dtd=True))
        except (DefusedXmlException, ValueError, SyntaxError):
            return None
    return None


def _xml(element: Any) -> Any:
    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        return (element.text or "").strip()
    out: dict[str, Any] = {}
    for child in children:
        name = child.tag.rsplit("}", 1)[-1]
        value = _xml(child)
        if name in out:
            out[name] = out[name] if isinstance(out[name], list) else [out[name]]
            out[name].append(value)
        else:
            out[name] = value
    return out


def codes(value: Any) -> list[str]:
    """The vendor codes an answer carries (Marketo `errors[].code` and reasons, SFMC
    `errorcode`, OAuth `error`, SOAP `OverallStatus`/`StatusCode`/`ErrorCode`, ...)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if key in CODE_KEYS and isinstance(inner, str | int) and \
                        not isinstance(inner, bool):
                    text = str(inner)
                    found.add("Error" if text.startswith("Error:") else text)
                else:
                    stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)
    return sorted(found)


def kind_of(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "list" if isinstance(value, list) else "object"


def merged(items: list) -> Any:
    """One item standing for a list's items: objects merged (every key any of them has)."""
    objects = [i for i in items if isinstance(i, dict)]
    if not objects:
        return next((i for i in items if i is not None), None)
    out: dict = {}
    for obj in objects:
        for key, value in obj.items():
            if out.get(key) is None:
                out[key] = value
    return out


def compare(recorded: Any, mock: Any, vendor: str, path: str = "") -> list[Difference]:
    """Every structural difference of the mock's answer from the recorded one."""
    sometimes = SOMETIMES.get(vendor, set())
    left, right = kind_of(recorded), kind_of(mock)
    if NULL in (left, right):
        return []  # a value the vendor leaves empty at times: its type says nothing
    if left != right:
        return [Difference("type", path or "(body)", left, right)]
    if left == "list":
        if recorded and mock:
            return compare(merged(recorded), merged(mock), vendor, f"{path}[]")
        return []
    if left != "object":
        return []
    out = []
    for key in recorded:
        where = f"{path}.{key}" if path else key
        if key not in mock:
            if key not in sometimes:
                out.append(Difference("missing field", where, kind_of(recorded[key]), "-"))
            continue
        out += compare(recorded[key], mock[key], vendor, where)
    for key in mock:
        if key not in recorded and key not in sometimes:
            out.append(Difference("extra field", f"{path}.{key}" if path else key, "-",
                                  kind_of(mock[key])))
    return out
