"""Retrieve: the account's data extensions, their columns and rows, subscribers, lists and
memberships as SOAP objects, filtered, projected on the requested Properties and paged at
2,500 (`MoreDataAvailable`, then a Retrieve with `ContinueRequest` = the RequestID).

Every record is a flat map of property name to a typed value; the answer renders them as
SFMC does (dates ISO 8601, booleans `true`/`false`, a row's values as the REST API reads them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element

from .. import facts
from ..fields import render
from ..models import DataExtension, SfmcAccount
from .catalog import ROW_TYPE, ObjectType, object_type
from .filters import FilterError, predicate
from .xml import Node, kid, kids, node, text, texts

Record = dict[str, Any]


class RetrieveError(ValueError):
    """A Retrieve SFMC answers with `OverallStatus` "Error: ..." and no results."""


def retrieve(account: SfmcAccount, request: Element | None) -> tuple[str, str, list[Node]]:
    """(OverallStatus, RequestID, Results) of a RetrieveRequest."""
    if request is None:
        raise RetrieveError("The RetrieveRequest is missing")
    with account.lock:
        account.apply_due()
        cursor = text(request, "ContinueRequest")
        if cursor:
            due = account.soap_cursors.pop(cursor, None)
            if due is None:
                raise RetrieveError(f"ContinueRequest {cursor[:60]} is unknown or finished")
            return _page(account, cursor, due)
        name = text(request, "ObjectType") or ""
        kind = object_type(name)
        if kind is None:
            raise RetrieveError(f"Unable to retrieve ObjectType '{name[:100]}': vendorsim "
                                f"implements {', '.join(sorted(_names()))}")
        wanted = [p for p in texts(kids(request, "Properties")) if p]
        if not wanted:
            raise RetrieveError("The Request Properties(s) are required")
        records, known, coerce = _source(account, kind, name)
        unknown = [p for p in wanted if not known(p)]
        if unknown:
            raise RetrieveError(f"The Request Property(s) {', '.join(unknown)[:200]} do not "
                                f"match with the fields of {name} retrieve")
        try:
            keep = predicate(kid(request, "Filter"), known, coerce)
        except FilterError as exc:
            raise RetrieveError(str(exc)) from None
        found = [_result(kind, name, r, wanted) for r in records if keep(r)]
        return _page(account, str(uuid.uuid4()), found)


def _names() -> list[str]:
    from .catalog import TYPES

    return [f"{ROW_TYPE}[key]" if t == ROW_TYPE else t for t in TYPES]


def _page(account: SfmcAccount, request_id: str, found: list[Node]
          ) -> tuple[str, str, list[Node]]:
    page, rest = found[:facts.SOAP_PAGE], found[facts.SOAP_PAGE:]
    if not rest:
        return "OK", request_id, page
    account.soap_cursors[request_id] = rest
    while len(account.soap_cursors) > facts.SOAP_CURSORS_KEPT:  # the oldest goes first
        account.soap_cursors.pop(next(iter(account.soap_cursors)))
    return "MoreDataAvailable", request_id, page


def _source(account: SfmcAccount, kind: ObjectType, name: str) -> tuple[
        Iterator[Record], Any, Any]:
    """The records of a type, which property names it knows, and how a filter value is
    typed for each."""
    if kind.name == ROW_TYPE:
        de = _extension(account, name)
        columns = {f.name.lower(): f for f in de.fields}

        def coerce_row(prop: str, raw: str) -> Any:
            stored, problem = columns[prop.lower()].check(raw)
            if problem:
                raise ValueError(problem)
            return stored

        return (_row(de, r) for r in list(de.rows.values())), \
            lambda p: p.lower() in columns, coerce_row
    readers = {"DataExtension": _extensions, "DataExtensionField": _columns,
               "Subscriber": _subscribers, "List": _lists, "ListSubscriber": _memberships}
    known = set(kind.retrievable()) | ({"DataExtension.CustomerKey"}
                                       if kind.name == "DataExtensionField" else set())
    return readers[kind.name](account), lambda p: p in known, _coerce


def _extension(account: SfmcAccount, name: str) -> DataExtension:
    """`DataExtensionObject[X]`: the data extension whose key, else name, is X."""
    inner = name[len(ROW_TYPE) + 1:-1] if name.endswith("]") else ""
    found = account.find(inner)
    if found is None:
        raise RetrieveError(f"Data extension '{inner[:100]}' does not exist: retrieve "
                            f"{ROW_TYPE}[customer key or name]")
    return found


def _coerce(prop: str, raw: str) -> Any:
    if prop in ("ID", "ListID", "Ordinal", "MaxLength", "Scale", "Category"):
        if not raw.lstrip("-").isdigit() or len(raw) > 12:
            raise ValueError(f"'{raw[:40]}' is not a whole number")
        return int(raw)
    if prop.endswith("Date"):
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
    if prop.startswith("Is"):
        return raw.lower() == "true"
    return raw


class Row(dict):
    """A row as a record: column names match without case, as SFMC's do."""

    def get(self, key: object, default: object = None) -> Any:
        return super().get(str(key).lower(), default)


def _row(de: DataExtension, row: dict) -> Record:
    return Row({name.lower(): value for name, value in row.items()} | {"_row": row})


def _extensions(account: SfmcAccount) -> Iterator[Record]:
    for de in list(account.extensions.values()):
        yield {"CreatedDate": de.created, "ModifiedDate": de.modified, "ObjectID": de.id,
               "CustomerKey": de.key, "Name": de.name, "Description": de.description,
               "IsSendable": de.sendable, "IsTestable": False, "Status": "Active"}


def _columns(account: SfmcAccount) -> Iterator[Record]:
    for de in list(account.extensions.values()):
        for ordinal, f in enumerate(de.fields):
            yield {"ObjectID": f"{de.id}:{ordinal}", "CustomerKey": f"[{de.key}].[{f.name}]",
                   "Name": f.name, "Scale": f.scale or 0, "DefaultValue": "",
                   "MaxLength": f.length or 0, "IsRequired": f.required,
                   "Ordinal": ordinal, "IsPrimaryKey": f.primary_key, "FieldType": f.type,
                   "DataExtension.CustomerKey": de.key}


def _subscribers(account: SfmcAccount) -> Iterator[Record]:
    for s in list(account.audience.subscribers.values()):
        yield {"CreatedDate": s.created, "ModifiedDate": s.modified, "ID": s.id,
               "EmailAddress": s.email, "SubscriberKey": s.key, "Status": s.status,
               "UnsubscribedDate": s.unsubscribed}


def _lists(account: SfmcAccount) -> Iterator[Record]:
    for m in list(account.audience.lists.values()):
        yield {"CreatedDate": m.created, "ModifiedDate": m.modified, "ID": m.id,
               "CustomerKey": m.key or None, "ListName": m.name, "Category": 0,
               "Type": m.type, "Description": m.description,
               "ListClassification": "ExactTargetList"}


def _memberships(account: SfmcAccount) -> Iterator[Record]:
    for s in list(account.audience.subscribers.values()):
        for list_id, held in list(s.lists.items()):
            yield {"CreatedDate": held.created, "ModifiedDate": held.modified,
                   "ObjectID": f"{list_id}:{s.id}", "Status": held.status,
                   "ListID": list_id, "SubscriberKey": s.key}


def _result(kind: ObjectType, name: str, record: Record, wanted: list[str]) -> Node:
    if kind.name == ROW_TYPE:
        row = record["_row"]
        by_name = {k.lower(): k for k in row}
        properties = [node("Property", None, node("Name", by_name.get(p.lower(), p)),
                           node("Value", _row_value(row.get(by_name.get(p.lower(), p)))))
                      for p in wanted]
        return Node("Results", kind=ROW_TYPE, children=[
            Node("PartnerKey", nil=True), Node("ObjectID", nil=True), node("Type", ROW_TYPE),
            node("Properties", None, *properties)])
    asked = set(wanted)
    children = [Node("PartnerKey", nil=True)]
    for prop in kind.props():
        if prop.name == "DataExtension" and "DataExtension.CustomerKey" in asked:
            children.append(node("DataExtension", None, node(
                "CustomerKey", record["DataExtension.CustomerKey"])))
        elif prop.name in asked and record.get(prop.name) is not None:
            children.append(node(prop.name, _shown(prop.xsd, record[prop.name])))
    return Node("Results", kind=kind.name, children=children)


def _row_value(value: object) -> str:
    return "" if value is None else str(render(value))


def _shown(xsd: str, value: Any) -> object:
    if xsd == "xsd:dateTime" and isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    return value
