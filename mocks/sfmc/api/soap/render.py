"""The model's answers as SOAP elements: Retrieve results in the object table's property
order (dates ISO 8601, booleans `true`/`false`, a row's values as the REST API reads them),
per-object write results, Describe's object definitions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ...model.fields import render
from ...model.objects import ROW_TYPE, ObjectType
from ...model.retrieve import RetrievePage
from ...model.writes import Result
from .xml import Node, node


def retrieve_results(page: RetrievePage) -> Iterator[Node]:
    """The page's results, one at a time (a page of wide rows is never held whole)."""
    kind, wanted = page.kind, page.properties
    if kind.name == ROW_TYPE:
        yield from (_row(record, wanted) for record in page.records)
        return
    asked = set(wanted)
    props = [p for p in kind.props() if p.name in asked or
             (p.name == "DataExtension" and "DataExtension.CustomerKey" in asked)]
    for record in page.records:
        children = [Node("PartnerKey", nil=True)]
        for prop in props:
            value = record.get(prop.name)
            if isinstance(value, dict):
                children.append(node(prop.name, None, *(node(k, v) for k, v in value.items())))
            elif value is not None:
                children.append(node(prop.name, _shown(prop.xsd, value)))
        yield Node("Results", kind=kind.name, children=children)


def _row(record: dict, wanted: tuple[str, ...]) -> Node:
    row = record["_row"]
    by_name = {k.lower(): k for k in row}
    properties = [node("Property", None, node("Name", by_name.get(p.lower(), p)),
                       node("Value", _row_value(row.get(by_name.get(p.lower(), p)))))
                  for p in wanted]
    return Node("Results", kind=ROW_TYPE, children=[
        Node("PartnerKey", nil=True), Node("ObjectID", nil=True), node("Type", ROW_TYPE),
        node("Properties", None, *properties)])


def _row_value(value: object) -> str:
    return "" if value is None else str(render(value))


def _shown(xsd: str, value: Any) -> object:
    if xsd == "xsd:dateTime" and isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    return value


def write_results(action: str, results: list[Result]) -> list[Node]:
    """One `Results` element per object, in the request's order (OrdinalID)."""
    out = []
    for ordinal, result in enumerate(results):
        if result.ok:
            children = [node("StatusCode", "OK"), node("StatusMessage", result.message),
                        node("OrdinalID", ordinal)]
        else:
            children = [node("StatusCode", "Error"), node("StatusMessage", result.message),
                        node("OrdinalID", ordinal), node("ErrorCode", result.code)]
        if action == "Create":
            children.append(node("NewID", result.new_id))
        out.append(Node("Results", children=children))
    return out


def perform_results(results: list[Result]) -> list[Node]:
    return [Node("Result", children=[node("StatusCode", "OK" if r.ok else "Error"),
                                     node("StatusMessage", r.message),
                                     *([] if r.ok else [node("ErrorCode", r.code)])])
            for r in results]


def definitions(kinds: list[ObjectType]) -> list[Node]:
    """Describe's answer: each type's properties, retrievable exactly when Retrieve takes
    them, updatable when the type and the property are."""
    out = []
    for kind in kinds:
        retrievable = set(kind.retrievable())
        props = [node("Properties", None, node("Name", p.name),
                      node("DataType", p.xsd.split(":")[-1]),
                      node("IsUpdatable", p.update and kind.update),
                      node("IsRetrievable", p.name in retrievable))
                 for p in kind.props() if p.retrieve or p.create]
        out.append(node("ObjectDefinition", None, node("ObjectType", kind.name),
                        node("Name", kind.name), node("IsCreatable", kind.create),
                        node("IsUpdatable", kind.update), node("IsRetrievable", True),
                        *props))
    return out
