"""SOAP request bodies read into the model's requests: a Retrieve (object type, properties,
filter tree, continuation), the objects of a write, a Perform's definitions, the object types
a Describe asks about. Names match by local part (every client picks its own prefixes), and
the limits vendorsim sets where SFMC publishes none are checked here, before any work: too
many properties or objects is a fault."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ... import facts
from ...model.filters import MAX_DEPTH, Complex, Filter, FilterError, Simple
from ...model.retrieve import RetrieveRequest
from ...model.writes import SoapObject
from .xml import SoapFault, kid, kids, local, text, texts, xsi_type


def retrieve_request(message: Element) -> RetrieveRequest:
    """A RetrieveRequestMsg's request; FilterError for a filter that is no filter."""
    request = kid(message, "RetrieveRequest")
    if request is None:
        raise FilterError("The RetrieveRequest is missing")
    continue_id = text(request, "ContinueRequest")
    if continue_id:
        return RetrieveRequest(continue_id=continue_id)
    wanted = tuple(dict.fromkeys(p for p in texts(kids(request, "Properties")) if p))
    if len(wanted) > facts.MAX_RETRIEVE_PROPERTIES:
        raise SoapFault(f"The request is refused: a Retrieve names at most "
                        f"{facts.MAX_RETRIEVE_PROPERTIES:,} Properties")
    part = kid(request, "Filter")
    return RetrieveRequest(text(request, "ObjectType") or "", wanted,
                           _filter(part, 0) if part is not None else None)


def _filter(part: Element, depth: int) -> Filter:
    if depth > MAX_DEPTH:
        raise FilterError("The filter is nested too deeply")
    kind = xsi_type(part) or ("ComplexFilterPart" if kid(part, "LeftOperand") is not None
                              else "SimpleFilterPart")
    if kind == "ComplexFilterPart":
        operands = [kid(part, "LeftOperand"), kid(part, "RightOperand")]
        extra = kid(part, "AdditionalOperands")
        if extra is not None:
            operands += list(kids(extra, "Operand"))
        return Complex(text(part, "LogicalOperator") or "",
                       tuple(_filter(o, depth + 1) for o in operands if o is not None))
    if kind != "SimpleFilterPart":
        raise FilterError(f"Unsupported filter part type {kind[:60]}")
    return Simple(text(part, "Property") or "", text(part, "SimpleOperator") or "",
                  tuple(texts(kids(part, "Value")) + texts(kids(part, "DateValue"))))


def write_request(message: Element) -> tuple[list[SoapObject], bool]:
    """The objects of a Create/Update/Delete request, and whether it upserts
    (`SaveOptions` with `SaveAction` UpdateAdd on every property)."""
    elements = list(kids(message, "Objects"))
    if not elements:
        raise SoapFault("The request has no Objects")
    if len(elements) > facts.MAX_WRITE_OBJECTS:
        raise SoapFault(f"The request is refused: at most {facts.MAX_WRITE_OBJECTS:,} Objects "
                        "a request (SFMC advises batches of about 50 for synchronous calls)")
    holder = kid(kid(message, "Options"), "SaveOptions")
    upsert = any(text(o, "SaveAction") == "UpdateAdd" and text(o, "PropertyName") == "*"
                 for o in (kids(holder, "SaveOption") if holder is not None else ()))
    return [soap_object(e) for e in elements], upsert


def perform_request(message: Element) -> tuple[str, list[SoapObject]]:
    """A Perform's action and the definitions it acts on."""
    holder = kid(message, "Definitions")
    definitions = list(kids(holder, "Definition")) if holder is not None else []
    if not definitions:
        raise SoapFault("The request has no Definitions")
    if len(definitions) > facts.MAX_WRITE_OBJECTS:
        raise SoapFault(f"The request is refused: at most {facts.MAX_WRITE_OBJECTS:,} "
                        "Definitions a request")
    return text(message, "Action") or "", [soap_object(d) for d in definitions]


def describe_request(message: Element) -> list[str]:
    """The object types a DefinitionRequestMsg asks about."""
    holder = kid(message, "DescribeRequests")
    return [text(ask, "ObjectType") or "" for ask in
            (kids(holder, "ObjectDefinitionRequest") if holder is not None else ())]


def soap_object(element: Element) -> SoapObject:
    """An object of a write as the model reads it: its simple values, the name/value pairs
    of its Keys, Properties and Attributes, its Fields and Lists."""
    obj = SoapObject(xsi_type(element) or "")
    for child in kids(element):
        name = local(child.tag)
        if name == "Keys":
            obj.keys.update(_pairs(child, "Key"))
        elif name == "Properties":
            obj.properties.update(_pairs(child, "Property"))
        elif name == "Attributes":
            obj.attributes[text(child, "Name") or ""] = text(child, "Value") or ""
        elif name == "Fields":
            obj.fields += [_simple(f) for f in kids(child, "Field")]
        elif name == "Lists":
            obj.lists.append(_simple(child))
        elif not len(child) and name not in obj.values:
            obj.values[name] = (child.text or "").strip()
        if name not in ("Keys", "Properties", "Attributes", "Fields") and len(child):
            for part in kids(child):
                if not len(part):
                    obj.nested.setdefault(f"{name}.{local(part.tag)}", []).append(
                        (part.text or "").strip())
    return obj


def _pairs(holder: Element, item: str) -> dict[str, str]:
    return {(text(p, "Name") or ""): (text(p, "Value") or "") for p in kids(holder, item)}


def _simple(element: Element) -> dict[str, str]:
    return {local(c.tag): (c.text or "").strip() for c in kids(element) if not len(c)}
