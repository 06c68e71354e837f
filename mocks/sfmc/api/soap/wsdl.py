"""The WSDL this mock serves, generated from its own object table (model/objects.py) and operations:
SFMC's element names, namespaces and document/literal binding, reduced to what vendorsim
implements, so that WSDL-driven clients (zeep, suds, Fuel SDKs) load it and build requests.
Never a copy of the vendor's file.
"""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import quoteattr

from ... import facts
from ...model.objects import (
    API_OBJECT,
    BASES,
    EXTENSION,
    FIELD_DEFINITION,
    SUBSCRIBER_LIST,
    TYPES,
    Prop,
)

OPERATIONS = (  # SOAPAction, request element, response element
    ("Retrieve", "RetrieveRequestMsg", "RetrieveResponseMsg"),
    ("Create", "CreateRequest", "CreateResponse"),
    ("Update", "UpdateRequest", "UpdateResponse"),
    ("Delete", "DeleteRequest", "DeleteResponse"),
    ("Perform", "PerformRequestMsg", "PerformResponseMsg"),
    ("Describe", "DefinitionRequestMsg", "DefinitionResponseMsg"),
)


def _el(name: str, xsd: str = "xsd:string", low: int = 0, many: bool = False,
        nillable: bool = False) -> str:
    return (f'<element name="{name}" type="{xsd}" minOccurs="{low}" '
            f'maxOccurs="{"unbounded" if many else "1"}"'
            f'{" nillable=" + quoteattr("true") if nillable else ""} />')


def _seq(*elements: str) -> str:
    return f"<sequence>{''.join(elements)}</sequence>"


def _type(name: str, *elements: str, base: str | None = None) -> str:
    if base is None:
        return f'<complexType name="{name}">{_seq(*elements)}</complexType>'
    return (f'<complexType name="{name}"><complexContent><extension base="tns:{base}">'
            f"{_seq(*elements)}</extension></complexContent></complexType>")


def _props(props: tuple[Prop, ...]) -> list[str]:
    return [_el(p.name, p.xsd, many=p.many, nillable=p.simple) for p in props]


def _element(name: str, *elements: str) -> str:
    return f'<element name="{name}"><complexType>{_seq(*elements)}</complexType></element>'


def _schema() -> str:
    parts = [
        _type("APIObject", *_props(API_OBJECT)),
        _type("APIProperty", _el("Name"), _el("Value")),
        _type("Attribute", _el("Name"), _el("Value")),
        _type("Properties", _el("Property", "tns:APIProperty", many=True)),
        _type("Keys", _el("Key", "tns:APIProperty", many=True)),
        _type("Fields", _el("Field", "tns:DataExtensionField", many=True)),
        _type("ObjectExtension", *_props(EXTENSION), base="APIObject"),
        _type("SubscriberList", *_props(SUBSCRIBER_LIST[1:]), base="APIObject"),
        _type("FilterPart"),
        _type("SimpleFilterPart", _el("Property", low=1), _el("SimpleOperator", low=1),
              _el("Value", many=True), _el("DateValue", "xsd:dateTime", many=True),
              base="FilterPart"),
        _type("ComplexFilterPart", _el("LeftOperand", "tns:FilterPart", low=1),
              _el("LogicalOperator", low=1), _el("RightOperand", "tns:FilterPart"),
              _el("AdditionalOperands", "tns:Operands"), base="FilterPart"),
        _type("Operands", _el("Operand", "tns:FilterPart", many=True)),
        _type("SaveOption", _el("PropertyName", low=1), _el("SaveAction", low=1)),
        _type("SaveOptions", _el("SaveOption", "tns:SaveOption", many=True)),
        _type("Options", _el("SaveOptions", "tns:SaveOptions")),
        *(_type(f"{kind}Options", *extra, base="Options") for kind, extra in (
            ("Create", ()), ("Update", ()), ("Delete", ()), ("Perform", ()),
            ("Retrieve", (_el("BatchSize", "xsd:int"),)))),
        _type("RetrieveRequest", _el("ObjectType", low=1), _el("Properties", many=True),
              _el("Filter", "tns:FilterPart"), _el("ContinueRequest"),
              _el("QueryAllAccounts", "xsd:boolean"), _el("Options", "tns:RetrieveOptions")),
        _type("Result", _el("StatusCode"), _el("StatusMessage"), _el("OrdinalID", "xsd:int"),
              _el("ErrorCode", "xsd:int")),
        _type("CreateResult", _el("NewID", "xsd:int"), _el("NewObjectID"),
              _el("Object", "tns:APIObject"), base="Result"),
        *(_type(f"{kind}Result", _el("Object", "tns:APIObject"), base="Result")
          for kind in ("Update", "Delete", "Perform")),
        _type("Definitions", _el("Definition", "tns:APIObject", many=True)),
        _type("PerformResults", _el("Result", "tns:PerformResult", many=True)),
        _type("ObjectDefinitionRequest", _el("ObjectType", low=1)),
        _type("ArrayOfObjectDefinitionRequest", _el("ObjectDefinitionRequest",
                                      "tns:ObjectDefinitionRequest", many=True)),
        _type("PropertyDefinition", _el("Name"), _el("DataType"),
              _el("IsUpdatable", "xsd:boolean"), _el("IsRetrievable", "xsd:boolean")),
        _type("ObjectDefinition", _el("ObjectType"), _el("Name"),
              _el("IsCreatable", "xsd:boolean"), _el("IsUpdatable", "xsd:boolean"),
              _el("IsRetrievable", "xsd:boolean"),
              _el("Properties", "tns:PropertyDefinition", many=True)),
    ]
    for base, props in BASES.items():  # TrackingEvent, which the events extend
        parts.append(_type(base, *_props(props), base="APIObject"))
    for kind in TYPES.values():
        own = kind.own if kind.name != "DataExtensionField" else \
            (*FIELD_DEFINITION, Prop("DataExtension", "tns:DataExtension"))
        parts.append(_type(kind.name, *_props(own), base=kind.base))
    writes = [_element(f"{action}Request", _el("Options", f"tns:{action}Options", low=1),
                       _el("Objects", "tns:APIObject", low=1, many=True))
              for action in ("Create", "Update", "Delete")]
    answers = [_element(f"{action}Response", _el("Results", f"tns:{action}Result", many=True),
                        _el("RequestID"), _el("OverallStatus", low=1))
               for action in ("Create", "Update", "Delete")]
    messages = [
        _element("RetrieveRequestMsg", _el("RetrieveRequest", "tns:RetrieveRequest", low=1)),
        _element("RetrieveResponseMsg", _el("OverallStatus", low=1), _el("RequestID"),
                 _el("Results", "tns:APIObject", many=True)),
        *writes, *answers,
        _element("PerformRequestMsg", _el("Options", "tns:PerformOptions"),
                 _el("Action", low=1), _el("Definitions", "tns:Definitions", low=1)),
        _element("PerformResponseMsg", _el("Results", "tns:PerformResults"),
                 _el("OverallStatus"), _el("OverallStatusMessage"), _el("RequestID")),
        _element("DefinitionRequestMsg", _el("DescribeRequests",
                                             "tns:ArrayOfObjectDefinitionRequest")),
        _element("DefinitionResponseMsg",
                 _el("ObjectDefinition", "tns:ObjectDefinition", many=True),
                 _el("RequestID")),
    ]
    return "".join(parts + messages)


@lru_cache(maxsize=64)
def wsdl(location: str, fault_location: str) -> bytes:
    """The WSDL whose service address is `location` (this host's Service.asmx)."""
    ns = facts.SOAP_NS
    msgs = "".join(f'<message name="{op}{io}"><part name="parameters" element="tns:{el}" />'
                   f"</message>"
                   for op, request, response in OPERATIONS
                   for io, el in (("Request", request), ("Response", response)))
    port = "".join(f'<operation name="{op}"><input message="tns:{op}Request" />'
                   f'<output message="tns:{op}Response" /></operation>'
                   for op, _, _ in OPERATIONS)
    binding = "".join(f'<operation name="{op}"><soap:operation soapAction="{op}" '
                      'style="document" /><input><soap:body use="literal" /></input>'
                      '<output><soap:body use="literal" /></output></operation>'
                      for op, _, _ in OPERATIONS)
    return (f'<?xml version="1.0" encoding="utf-8"?>'
            f'<definitions targetNamespace="{ns}" xmlns="http://schemas.xmlsoap.org/wsdl/" '
            'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
            f'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="{ns}">'
            f'<types><schema elementFormDefault="qualified" targetNamespace="{ns}" '
            'xmlns="http://www.w3.org/2001/XMLSchema">'
            f'<import namespace="{facts.FAULT_NS}" schemaLocation={quoteattr(fault_location)} />'
            f"{_schema()}</schema></types>{msgs}"
            f'<portType name="Soap">{port}</portType>'
            '<binding name="SoapBinding" type="tns:Soap"><soap:binding style="document" '
            f'transport="http://schemas.xmlsoap.org/soap/http" />{binding}</binding>'
            '<service name="PartnerAPI"><port name="Soap" binding="tns:SoapBinding">'
            f"<soap:address location={quoteattr(location)} /></port></service>"
            "</definitions>").encode()


def fault_schema() -> bytes:
    """ETFrameworkFault.xsd: the detail of SFMC's faults (a code and a message)."""
    ns = facts.FAULT_NS
    return (f'<?xml version="1.0" encoding="utf-8"?><schema targetNamespace="{ns}" '
            f'xmlns="http://www.w3.org/2001/XMLSchema" xmlns:tns="{ns}" '
            'elementFormDefault="qualified"><complexType name="FaultDetail"><sequence>'
            '<element name="ErrorCode" type="int" minOccurs="0" />'
            '<element name="ErrorMessage" type="string" minOccurs="0" />'
            '</sequence></complexType><element name="fault" type="tns:FaultDetail" />'
            "</schema>").encode()
