"""Create, Update, Delete (and upsert through `SaveOptions` UpdateAdd), Perform ClearData and
Describe: each object of a request gets its own `Results` (StatusCode OK or Error,
StatusMessage, OrdinalID, ErrorCode, NewID); `OverallStatus` is OK, Error or Has Errors.

The rules are the models': a data extension row is checked by its columns (models.py), a
subscriber or list by the subscriber store (subscribers.py); this module reads the objects'
XML into their calls and writes the answers.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element

from .. import facts
from ..errors import SfmcError
from ..models import DataExtension, SfmcAccount
from ..subscribers import SubscriberError
from .catalog import ROW_TYPE, TYPES, object_type
from .xml import Node, kid, kids, node, text, xsi_type

WRITE_TYPES = ("DataExtension", ROW_TYPE, "Subscriber", "List")


class ObjectError(Exception):
    """One object refused: SFMC's ErrorCode and StatusMessage in its result."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def write(account: SfmcAccount, action: str, request: Element) -> tuple[str, list[Node]]:
    """(OverallStatus, Results) of a CreateRequest, UpdateRequest or DeleteRequest."""
    upsert = _upsert(kid(request, "Options"))
    results, failures = [], 0
    objects = list(kids(request, "Objects"))
    if not objects:
        raise ObjectError("The request has no Objects")
    with account.lock:
        account.apply_due()
        for ordinal, element in enumerate(objects):
            kind = xsi_type(element) or ""
            try:
                new_id = _one(account, action, kind, element, upsert)
                children = [node("StatusCode", "OK"), node("StatusMessage", _done(action, kind)),
                            node("OrdinalID", ordinal)]
                if action == "Create":
                    children.append(node("NewID", new_id))
            except ObjectError as exc:
                failures += 1
                children = [node("StatusCode", "Error"), node("StatusMessage", exc.message),
                            node("OrdinalID", ordinal), node("ErrorCode", exc.code)]
                if action == "Create":
                    children.append(node("NewID", 0))
            results.append(Node("Results", children=children))
    return overall(failures, len(objects)), results


def overall(failures: int, total: int) -> str:
    """`OverallStatus` of a request whose objects each got a result."""
    return "OK" if not failures else "Error" if failures == total else "Has Errors"


def _done(action: str, kind: str) -> str:
    return {"Create": "Created", "Update": "Updated", "Delete": "Deleted"}[action] + \
        f" {kind}"


def _upsert(options: Element | None) -> bool:
    """SaveOptions/SaveOption{PropertyName *, SaveAction UpdateAdd}: write or add."""
    holder = kid(options, "SaveOptions")
    for option in kids(holder, "SaveOption") if holder is not None else ():
        if text(option, "SaveAction") == "UpdateAdd" and text(option, "PropertyName") == "*":
            return True
    return False


def _one(account: SfmcAccount, action: str, kind: str, element: Element,
         upsert: bool) -> int:
    known = object_type(kind)
    if known is None or kind not in WRITE_TYPES:
        raise ObjectError(f"{action} of {kind or 'an object without xsi:type'} is not "
                          f"supported by vendorsim (it writes {', '.join(WRITE_TYPES)})")
    allowed = {"Create": known.create, "Update": known.update, "Delete": known.delete}
    if not allowed[action]:
        raise ObjectError(f"{kind} does not support {action}")
    handlers: dict[str, Callable[..., int]] = {
        "DataExtension": _extension, ROW_TYPE: _row, "Subscriber": _subscriber,
        "List": _list}
    try:
        return handlers[kind](account, action, element, upsert)
    except SubscriberError as exc:
        raise ObjectError(exc.message, exc.code) from None
    except SfmcError as exc:
        raise ObjectError(exc.message) from None


def _extension(account: SfmcAccount, action: str, element: Element, upsert: bool) -> int:
    key = text(element, "CustomerKey") or text(element, "Name") or ""
    if action == "Delete":
        account.delete_extension(key)
        return 0
    holder = kid(element, "Fields")
    fields = []
    for spec in kids(holder, "Field") if holder is not None else ():
        field: dict = {"name": text(spec, "Name"), "type": text(spec, "FieldType") or "Text",
                       "isPrimaryKey": text(spec, "IsPrimaryKey") == "true",
                       "isNullable": text(spec, "IsRequired") != "true"}
        for name, tag in (("length", "MaxLength"), ("scale", "Scale")):
            if text(spec, tag):
                field[name] = text(spec, tag)
        fields.append(field)
    account.create({"name": text(element, "Name"), "key": key or None, "fields": fields,
                    "description": text(element, "Description") or "",
                    "isSendable": text(element, "IsSendable") == "true"})
    return 0


def _properties(element: Element, holder: str, item: str) -> dict[str, str]:
    found = kid(element, holder)
    return {(text(p, "Name") or ""): (text(p, "Value") or "")
            for p in (kids(found, item) if found is not None else ())}


def _row(account: SfmcAccount, action: str, element: Element, upsert: bool) -> int:
    name = text(element, "CustomerKey") or text(element, "Name") or ""
    de = account.find(name)
    if de is None:
        raise ObjectError(f"Data extension '{name[:100]}' does not exist")
    keys = _properties(element, "Keys", "Key")
    if action == "Delete":
        if not de.delete_row(keys):
            raise ObjectError("No row matches the given Keys")
        return 0
    row = _checked(de, keys, _properties(element, "Properties", "Property"))
    written = de.insert(row) if action == "Create" else de.update_row(row)
    if not written and upsert:
        written = de.update_row(row) if action == "Create" else de.insert(row)
    if not written:
        raise ObjectError("Violation of PRIMARY KEY constraint: the row exists"
                          if action == "Create" else "No row was found to update",
                          facts.DUPLICATE_ROW)
    return 0


def _checked(de: DataExtension, keys: dict, values: dict) -> dict:
    row, problems = de.check_row(keys, values)
    if problems:
        raise ObjectError("; ".join(problems)[:1000])
    return row


def _subscriber(account: SfmcAccount, action: str, element: Element, upsert: bool) -> int:
    store = account.audience
    key = text(element, "SubscriberKey") or text(element, "EmailAddress")
    if action == "Delete":
        store.delete(key)
        return 0
    joined, left = [], []
    for item in kids(element, "Lists"):
        list_id = text(item, "ID") or ""
        if not list_id.isdigit() or len(list_id) > 10:
            raise ObjectError(f"List ID '{list_id[:20]}' is not a whole number")
        if (text(item, "Action") or "").lower() == "delete":
            left.append(int(list_id))
        else:
            joined.append((int(list_id), text(item, "Status") or "Active"))
    attributes = {text(a, "Name") or "": text(a, "Value") or ""
                  for a in kids(element, "Attributes")}
    email, status = text(element, "EmailAddress"), text(element, "Status")
    exists = isinstance(key, str) and store.get(key) is not None
    if action == "Create" and not (upsert and exists):
        return store.create(key, email, status or "Active", joined, attributes).id
    if action == "Update" and not exists and upsert:
        return store.create(key, email, status or "Active", joined, attributes).id
    return store.update(key, email, status, joined, attributes, left).id


def _list(account: SfmcAccount, action: str, element: Element, upsert: bool) -> int:
    store = account.audience
    if action == "Create":
        return store.create_list(text(element, "ListName"), text(element, "Description") or "",
                                 text(element, "Type") or "Private",
                                 text(element, "CustomerKey") or "").id
    raw = text(element, "ID") or ""
    if not raw.isdigit() or len(raw) > 10:
        raise ObjectError("A list is named by its ID")
    if action == "Delete":
        store.delete_list(int(raw))
    else:
        store.update_list(int(raw), {k: text(element, k) for k in ("ListName", "Description")
                                     if kid(element, k) is not None})
    return int(raw)


def perform(account: SfmcAccount, request: Element) -> tuple[str, list[Node]]:
    """PerformRequestMsg: ClearData on data extensions."""
    action = text(request, "Action") or ""
    holder = kid(request, "Definitions")
    results, failures = [], 0
    definitions = list(kids(holder, "Definition")) if holder is not None else []
    if not definitions:
        raise ObjectError("The request has no Definitions")
    with account.lock:
        for definition in definitions:
            key = text(definition, "CustomerKey") or text(definition, "Name") or ""
            de = account.extensions.get(key.lower())
            if action != "ClearData" or xsi_type(definition) != "DataExtension" or de is None:
                failures += 1
                message = (f"Perform {action[:40]} is not supported by vendorsim (it performs "
                           "ClearData on a DataExtension)" if action != "ClearData" else
                           f"Data extension '{key[:100]}' does not exist")
                results.append(Node("Result", children=[
                    node("StatusCode", "Error"), node("StatusMessage", message),
                    node("ErrorCode", 2)]))
                continue
            de.rows.clear()
            results.append(Node("Result", children=[
                node("StatusCode", "OK"), node("StatusMessage", "Data cleared")]))
    return overall(failures, len(definitions)), results


def describe(request: Element) -> list[Node]:
    """DefinitionRequestMsg: the properties of each object type asked about."""
    holder = kid(request, "DescribeRequests")
    out = []
    for ask in kids(holder, "ObjectDefinitionRequest") if holder is not None else ():
        name = text(ask, "ObjectType") or ""
        kind = TYPES.get(name)
        if kind is None:
            raise ObjectError(f"Unable to describe ObjectType '{name[:100]}': vendorsim "
                              f"describes {', '.join(TYPES)}")
        props = [node("Properties", None, node("Name", p.name),
                      node("DataType", p.xsd.split(":")[-1]),
                      node("IsUpdatable", p.update and kind.update),
                      node("IsRetrievable", p.retrieve))
                 for p in kind.props() if p.retrieve or p.create]
        out.append(node("ObjectDefinition", None, node("ObjectType", kind.name),
                        node("Name", kind.name), node("IsCreatable", kind.create),
                        node("IsUpdatable", kind.update), node("IsRetrievable", True),
                        *props))
    return out
