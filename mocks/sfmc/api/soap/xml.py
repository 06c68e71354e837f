"""SOAP 1.1 on the wire: hostile-proof parsing of a request envelope, and the answers.

Parsing goes through defusedxml (no DTDs, no entity expansion, no external references) into a
tree builder that counts elements and depth as they arrive, so a body past the limits is
refused before its tree is built: an entity bomb, a DTD, a 10,000-deep body, millions of
empty elements, an unknown encoding or bytes that are not XML all end as a `SoapFault`, never
a traceback, a hang or a tree the size of the attack. Names are matched by their
local part, since every client picks its own prefixes (suds `ns0:`, zeep `ns1:`, Fuel's `et:`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ... import facts

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


class SoapFault(Exception):
    """A SOAP fault answer: HTTP 500 (SFMC's status for faults), faultcode and faultstring."""

    def __init__(self, faultstring: str, faultcode: str = "soap:Client",
                 status: int = 500, code: str | None = None) -> None:
        super().__init__(faultstring)
        self.faultstring = faultstring
        self.faultcode = faultcode
        self.status = status
        self.code = code or faultstring[:40]  # what the journal records


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def kids(element: Element, name: str | None = None) -> Iterator[Element]:
    for child in element:
        if isinstance(child.tag, str) and (name is None or local(child.tag) == name):
            yield child


def kid(element: Element | None, name: str) -> Element | None:
    return None if element is None else next(kids(element, name), None)


def text(element: Element | None, name: str) -> str | None:
    found = kid(element, name)
    return None if found is None else (found.text or "").strip()


def xsi_type(element: Element) -> str | None:
    """The local name of an element's xsi:type (`ns1:DataExtensionObject` -> its name)."""
    value = element.get(f"{{{XSI}}}type")
    return value.rsplit(":", 1)[-1] if value else None


@dataclass
class Envelope:
    operation: str  # the body's element: RetrieveRequestMsg, CreateRequest, ...
    body: Element
    token: str | None  # from <fueloauth> or the legacy <oAuth><oAuthToken>
    has_security: bool = False  # a header that could carry credentials at all


def parse(data: bytes) -> Envelope:
    """A request envelope, or SoapFault saying what is wrong with it."""
    root = _tree(data)
    if root.tag == f"{{{SOAP12}}}Envelope":
        raise SoapFault("SOAP 1.2 is not supported: send a SOAP 1.1 envelope",
                        "soap:VersionMismatch")
    if root.tag != f"{{{SOAP11}}}Envelope":
        raise SoapFault("The request is not a SOAP 1.1 envelope (soap:Envelope)")
    body = next((b for b in kids(root, "Body") if b.tag == f"{{{SOAP11}}}Body"), None)
    operation = next(kids(body), None) if body is not None else None
    if operation is None:
        raise SoapFault("The SOAP body is empty")
    header = next((h for h in kids(root, "Header") if h.tag == f"{{{SOAP11}}}Header"), None)
    token, security = None, False
    if header is not None:
        for part in header.iter():
            name = local(part.tag) if isinstance(part.tag, str) else ""
            if name in ("fueloauth", "oAuthToken") and token is None:
                token = (part.text or "").strip() or None
            security = security or name in ("fueloauth", "oAuth", "Security")
    return Envelope(local(operation.tag), operation, token, security)


class _Bounded(TreeBuilder):
    """A tree builder that refuses an element past the depth or count limits the moment
    the parser reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.count += 1
        self.depth += 1
        if self.depth > facts.MAX_XML_DEPTH or self.count > facts.MAX_XML_ELEMENTS:
            raise SoapFault("The request is refused: XML nested deeper than "
                            f"{facts.MAX_XML_DEPTH} or over {facts.MAX_XML_ELEMENTS:,} elements")
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return super().end(tag)


CHUNK = 64 * 1024


def _tree(data: bytes) -> Element:
    if len(data) > facts.MAX_SOAP_BODY:
        raise SoapFault(f"The request is refused: over {facts.MAX_SOAP_BODY // 1048576} MB")
    parser = DefusedXMLParser(target=_Bounded(), forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        for start in range(0, len(data), CHUNK):
            parser.feed(data[start:start + CHUNK])
        root: Element = parser.close()
    except DefusedXmlException:
        raise SoapFault("The request is refused: DTDs, entities and external references "
                        "are not accepted") from None
    except LookupError as exc:  # an encoding Python does not know
        raise SoapFault(f"The request's encoding is not supported: {str(exc)[:100]}") from None
    except (ParseError, ValueError, UnicodeError) as exc:
        raise SoapFault(f"The request is not well-formed XML: {str(exc)[:200]}") from None
    return root


# -- answers ---------------------------------------------------------------------------
@dataclass
class Node:
    """An element of an answer: text, or children; `kind` is its xsi:type."""

    name: str
    value: str | None = None
    children: list[Node] = field(default_factory=list)
    kind: str | None = None
    nil: bool = False

    def render(self, out: list[str]) -> None:
        attrs = (f" xsi:type={quoteattr(self.kind)}" if self.kind else "") + \
            (' xsi:nil="true"' if self.nil else "")
        if self.nil or (self.value is None and not self.children):
            out.append(f"<{self.name}{attrs} />")
            return
        out.append(f"<{self.name}{attrs}>")
        if self.value is not None:
            out.append(escape(self.value))
        for child in self.children:
            child.render(out)
        out.append(f"</{self.name}>")


def node(name: str, value: object = None, *children: Node, kind: str | None = None) -> Node:
    """An element with a text value (booleans as `true`/`false`) or children."""
    shown = None if value is None else ("true" if value is True else "false"
                                        if value is False else str(value))
    return Node(name, shown, list(children), kind)


def envelope(message: Node) -> bytes:
    """A SOAP 1.1 answer whose body holds `message` in the partner API's namespace."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<soap:Envelope xmlns:soap="{SOAP11}" xmlns:xsi="{XSI}" '
           'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>']
    body: list[str] = []
    message.render(body)
    first = body[0]
    cut = len(message.name) + 1
    body[0] = f'{first[:cut]} xmlns="{facts.SOAP_NS}"{first[cut:]}'
    out += body
    out.append("</soap:Body></soap:Envelope>")
    return "".join(out).encode()


def envelope_stream(name: str, head: list[Node], items: Iterable[Node]) -> Iterator[bytes]:
    """The same answer, `items` rendered as they come (a page of wide rows is sent a batch
    at a time, never held whole): `<name>` holds `head`, then every item."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<soap:Envelope xmlns:soap="{SOAP11}" xmlns:xsi="{XSI}" '
           f'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><{name} '
           f'xmlns="{facts.SOAP_NS}">']
    for part in head:
        part.render(out)
    for count, item in enumerate(items, start=1):
        item.render(out)
        if count % 100 == 0:
            yield "".join(out).encode()
            out = []
    out.append(f"</{name}></soap:Body></soap:Envelope>")
    yield "".join(out).encode()


def fault_envelope(fault: SoapFault) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP11}">'
            f"<soap:Body><soap:Fault><faultcode>{escape(fault.faultcode)}</faultcode>"
            f"<faultstring>{escape(fault.faultstring)}</faultstring></soap:Fault></soap:Body>"
            "</soap:Envelope>").encode()


def texts(elements: Iterable[Element]) -> list[str]:
    return [(e.text or "").strip() for e in elements]
