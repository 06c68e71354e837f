"""The SOAP object types vendorsim implements, with their properties in the WSDL's order: one
table read by Retrieve (which properties exist, which filter), Describe, the answers' element
order and the generated WSDL, so the four never disagree.

Property order follows SFMC's schema (an object's APIObject properties first, then its own),
which WSDL-driven clients (zeep, suds) expect.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prop:
    name: str
    xsd: str = "xsd:string"  # the WSDL type; "tns:..." for a complex one
    retrieve: bool = True
    create: bool = True
    update: bool = True
    many: bool = False  # maxOccurs unbounded

    @property
    def simple(self) -> bool:
        return self.xsd.startswith("xsd:")


@dataclass(frozen=True)
class ObjectType:
    name: str
    own: tuple[Prop, ...]
    base: str = "APIObject"
    create: bool = True
    update: bool = True
    delete: bool = True
    summary: str = ""

    def props(self) -> tuple[Prop, ...]:
        return (*API_OBJECT, *(EXTENSION if self.base == "ObjectExtension" else ()),
                *self.own)

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props() if p.name == name), None)

    def retrievable(self) -> list[str]:
        return [p.name for p in self.props() if p.retrieve and p.simple]


def _fixed(name: str, xsd: str = "xsd:string") -> Prop:
    """A property the vendor sets (dates, ids): read, never written."""
    return Prop(name, xsd, create=False, update=False)


API_OBJECT = (
    Prop("PartnerKey", retrieve=False), _fixed("CreatedDate", "xsd:dateTime"),
    _fixed("ModifiedDate", "xsd:dateTime"), _fixed("ID", "xsd:int"), _fixed("ObjectID"),
    Prop("CustomerKey"),
)
EXTENSION = (Prop("Type", retrieve=False), Prop("Properties", "tns:Properties"))
TYPES: dict[str, ObjectType] = {t.name: t for t in (
    ObjectType("DataExtension", (
        Prop("Name"), Prop("Description"), Prop("IsSendable", "xsd:boolean"),
        Prop("IsTestable", "xsd:boolean"), Prop("Fields", "tns:Fields", retrieve=False),
        _fixed("Status")), update=False,
        summary="data extensions: Create with Fields, Retrieve, Delete"),
    ObjectType("DataExtensionField", (
        Prop("Name"), Prop("Scale", "xsd:int"), Prop("DefaultValue"),
        Prop("MaxLength", "xsd:int"), Prop("IsRequired", "xsd:boolean"),
        Prop("Ordinal", "xsd:int"), Prop("IsPrimaryKey", "xsd:boolean"),
        Prop("FieldType"), Prop("DataExtension", "tns:DataExtension")),
        create=False, update=False, delete=False,
        summary="columns of a data extension: Retrieve, filtered on DataExtension.CustomerKey"),
    ObjectType("DataExtensionObject", (Prop("Name"), Prop("Keys", "tns:Keys", retrieve=False)),
               base="ObjectExtension",
               summary="rows: Retrieve as DataExtensionObject[key or name]; Create, Update, "
                       "Delete, upsert with SaveOptions UpdateAdd"),
    ObjectType("Subscriber", (
        Prop("EmailAddress"), Prop("Attributes", "tns:Attribute", many=True, retrieve=False),
        Prop("SubscriberKey"), _fixed("UnsubscribedDate", "xsd:dateTime"), Prop("Status"),
        Prop("Lists", "tns:SubscriberList", many=True, retrieve=False)),
        summary="subscribers: Create (12014 on a taken key), Retrieve, Update, Delete, "
                "upsert; Lists joins lists"),
    ObjectType("List", (
        Prop("ListName"), Prop("Category", "xsd:int"), Prop("Type"), Prop("Description"),
        Prop("ListClassification")),
        summary="lists: Create, Retrieve, Update, Delete"),
    ObjectType("ListSubscriber", (
        Prop("Status"), Prop("ListID", "xsd:int"), Prop("SubscriberKey")),
        create=False, update=False, delete=False,
        summary="list memberships: Retrieve, filtered on ListID or SubscriberKey"),
)}
# Subscriber.Lists items (SubscriberList) and DataExtension.Fields items: written, not listed
SUBSCRIBER_LIST = (Prop("ID", "xsd:int"), Prop("Status"), Prop("Action"))
FIELD_DEFINITION = (Prop("Name"), Prop("Scale", "xsd:int"), Prop("DefaultValue"),
                    Prop("MaxLength", "xsd:int"), Prop("IsRequired", "xsd:boolean"),
                    Prop("Ordinal", "xsd:int"), Prop("IsPrimaryKey", "xsd:boolean"),
                    Prop("FieldType"))
ROW_TYPE = "DataExtensionObject"
FILTER_PATHS = {"DataExtensionField": ("DataExtension.CustomerKey",)}  # dotted filters


def object_type(name: str) -> ObjectType | None:
    """The type a Retrieve or a write names (`DataExtensionObject[Key]` is the row type)."""
    return TYPES.get(ROW_TYPE if name.startswith(f"{ROW_TYPE}[") else name)


def implemented() -> str:
    return ", ".join(TYPES)
