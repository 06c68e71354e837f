"""The SOAP object types vendorsim implements, with their properties in the WSDL's order and
their types: one table read by Retrieve (which properties exist, how a filter value is typed),
the writers (what may be created or updated), Describe, the answers' element order and the
generated WSDL, so none of them can disagree with another.

Property order follows SFMC's schema (an object's APIObject properties first, then its own),
which WSDL-driven clients (zeep, suds) expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


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

    def coerce(self, raw: str) -> Any:
        """A filter's text value as this property's type; ValueError when it cannot be."""
        return coerce(self.xsd, raw)


def coerce(xsd: str, raw: str) -> Any:
    """Text as an XML Schema type's value: whole numbers, dates (epoch seconds, UTC when no
    zone is given), booleans, else the text."""
    if xsd == "xsd:int":
        if not raw.lstrip("-").isascii() or not raw.lstrip("-").isdigit() or len(raw) > 12:
            raise ValueError(f"'{raw[:40]}' is not a whole number")
        return int(raw)
    if xsd == "xsd:dateTime":
        try:
            when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"'{raw[:40]}' is not a date and time") from None
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
    if xsd == "xsd:boolean":
        if raw.lower() not in ("true", "false", "1", "0"):
            raise ValueError(f"'{raw[:40]}' is not true or false")
        return raw.lower() in ("true", "1")
    return raw


@dataclass(frozen=True)
class ObjectType:
    name: str
    own: tuple[Prop, ...]
    base: str = "APIObject"
    create: bool = True
    update: bool = True
    delete: bool = True
    summary: str = ""
    area: str = "data_extensions"  # whose scopes read and write it (facts.SCOPES)

    def props(self) -> tuple[Prop, ...]:
        return (*API_OBJECT, *(EXTENSION if self.base == "ObjectExtension" else ()),
                *BASES.get(self.base, ()), *self.own)

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props() if p.name == name), None)

    def retrievable(self) -> list[str]:
        """What Retrieve may name, and Describe calls retrievable: the same list."""
        return [p.name for p in self.props() if p.retrieve]

    def typed(self) -> dict[str, Prop]:
        """Retrievable properties by name, with their dotted paths (`DataExtension.CustomerKey`)
        for filters on a property of a complex one."""
        out = {p.name: p for p in self.props() if p.retrieve}
        for path, xsd in FILTER_PATHS.get(self.name, ()):
            out[path] = Prop(path, xsd, create=False, update=False)
        return out


def _fixed(name: str, xsd: str = "xsd:string") -> Prop:
    """A property the vendor sets (dates, ids): read, never written."""
    return Prop(name, xsd, create=False, update=False)


API_OBJECT = (
    Prop("PartnerKey", retrieve=False), _fixed("CreatedDate", "xsd:dateTime"),
    _fixed("ModifiedDate", "xsd:dateTime"), _fixed("ID", "xsd:int"), _fixed("ObjectID"),
    Prop("CustomerKey"),
)
EXTENSION = (Prop("Type", retrieve=False), Prop("Properties", "tns:Properties"))
# the tracking events' shared properties (TrackingEvent, as SFMC's schema has them)
BASES: dict[str, tuple[Prop, ...]] = {"TrackingEvent": (
    _fixed("SendID", "xsd:int"), _fixed("SubscriberKey"), _fixed("EventDate", "xsd:dateTime"),
    _fixed("EventType"), _fixed("TriggeredSendDefinitionObjectID"),
    _fixed("BatchID", "xsd:int"))}
TYPES: dict[str, ObjectType] = {t.name: t for t in (
    ObjectType("DataExtension", (
        Prop("Name"), Prop("Description"), Prop("IsSendable", "xsd:boolean"),
        Prop("IsTestable", "xsd:boolean"), Prop("Fields", "tns:Fields", retrieve=False),
        _fixed("Status"), Prop("CategoryID", "xsd:int")), update=False,
        summary="data extensions: Create with Fields, Retrieve, Delete"),
    ObjectType("DataExtensionField", (
        Prop("Name"), Prop("Scale", "xsd:int"), Prop("DefaultValue"),
        Prop("MaxLength", "xsd:int"), Prop("IsRequired", "xsd:boolean"),
        Prop("Ordinal", "xsd:int"), Prop("IsPrimaryKey", "xsd:boolean"),
        Prop("FieldType"), Prop("DataExtension", "tns:DataExtension", create=False,
                                update=False)),
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
                "upsert; Lists joins lists", area="subscribers"),
    ObjectType("List", (
        Prop("ListName"), Prop("Category", "xsd:int"), Prop("Type"), Prop("Description"),
        Prop("ListClassification")),
        summary="lists: Create, Retrieve, Update, Delete", area="subscribers"),
    ObjectType("ListSubscriber", (
        Prop("Status"), Prop("ListID", "xsd:int"), Prop("SubscriberKey")),
        create=False, update=False, delete=False,
        summary="list memberships: Retrieve, filtered on ListID or SubscriberKey",
        area="subscribers"),
)}
# Subscriber.Lists items (SubscriberList) and DataExtension.Fields items: written, not listed
SUBSCRIBER_LIST = (Prop("ID", "xsd:int"), Prop("Status"), Prop("Action"))
FIELD_DEFINITION = (Prop("Name"), Prop("Scale", "xsd:int"), Prop("DefaultValue"),
                    Prop("MaxLength", "xsd:int"), Prop("IsRequired", "xsd:boolean"),
                    Prop("Ordinal", "xsd:int"), Prop("IsPrimaryKey", "xsd:boolean"),
                    Prop("FieldType"))
ROW_TYPE = "DataExtensionObject"
# dotted paths into a complex property that Retrieve filters on and may name
FILTER_PATHS = {"DataExtensionField": (("DataExtension.CustomerKey", "xsd:string"),),
                "Send": (("Email.ID", "xsd:int"),), "ListSend": (("List.ID", "xsd:int"),),
                "TriggeredSendDefinition": (("Email.ID", "xsd:int"),),
                "DataFolder": (("ParentFolder.ID", "xsd:int"),)}


def _tracking() -> tuple[ObjectType, ...]:
    """The tracking events: what recipients did with a send (read only)."""
    def event(name: str, *own: Prop, summary: str) -> ObjectType:
        return ObjectType(name, own, base="TrackingEvent", create=False, update=False,
                          delete=False, area="tracking", summary=summary)
    return (
        event("SentEvent", summary="a recipient a send went to"),
        event("NotSentEvent", summary="a recipient a send skipped (unsubscribed, held)"),
        event("OpenEvent", summary="an open (bots included, as SFMC counts them)"),
        event("ClickEvent", _fixed("URLID", "xsd:int"), _fixed("URL"),
              summary="a click on a link of the email"),
        event("BounceEvent", _fixed("SMTPCode"), _fixed("BounceCategory"),
              _fixed("SMTPReason"), _fixed("BounceType"),
              summary="a hard or soft bounce"),
        event("UnsubEvent", summary="an unsubscribe from the email's link"))


def _sending() -> tuple[ObjectType, ...]:
    """Emails, what sends them, the sends and their folders."""
    counts = tuple(_fixed(n, "xsd:int") for n in (
        "NumberTargeted", "NumberSent", "NumberDelivered", "NumberErrored", "HardBounces",
        "SoftBounces", "OtherBounces", "UniqueOpens", "UniqueClicks", "Unsubscribes"))
    return (
        ObjectType("Email", (
            Prop("Name"), Prop("Subject"), Prop("HTMLBody"), Prop("TextBody"),
            Prop("CategoryID", "xsd:int"), Prop("EmailType"), _fixed("Status")),
            area="email", summary="emails (classic): Create, Retrieve, Update, Delete"),
        ObjectType("ContentArea", (Prop("Name"), Prop("Content"),
                                   Prop("CategoryID", "xsd:int")),
                   update=False, delete=False, area="email",
                   summary="content areas: Create, Retrieve"),
        ObjectType("SendClassification", (Prop("Name"), Prop("Description")),
                   create=False, update=False, delete=False, area="email",
                   summary="send classifications (Default Commercial): Retrieve"),
        ObjectType("TriggeredSendDefinition", (
            Prop("Name"), Prop("Description"), Prop("TriggeredSendStatus"),
            Prop("Email", "tns:Email", create=False, update=False),
            Prop("SendClassification", "tns:SendClassification", create=False,
                 update=False)), delete=False, area="email",
            summary="triggered send definitions: Create (Email.ID), Retrieve, Update "
                    "(TriggeredSendStatus Active/Inactive)"),
        ObjectType("Send", (
            Prop("Email", "tns:Email", create=False, update=False), _fixed("EmailName"),
            _fixed("Subject"), _fixed("SentDate", "xsd:dateTime"), _fixed("Status"), *counts,
            Prop("List", "tns:List", many=True, retrieve=False, update=False)),
            update=False, delete=False, area="sends",
            summary="sends: Create (Email.ID and List.ID: a list send), Retrieve with counts"),
        ObjectType("ListSend", (
            _fixed("SendID", "xsd:int"), Prop("List", "tns:List", create=False, update=False),
            *counts), create=False, update=False, delete=False, area="sends",
            summary="a list send's counts per list: Retrieve"),
        ObjectType("DataFolder", (
            Prop("Name"), Prop("Description"), Prop("ContentType"),
            Prop("ParentFolder", "tns:DataFolder", create=False, update=False),
            _fixed("IsActive", "xsd:boolean"), _fixed("IsEditable", "xsd:boolean"),
            _fixed("AllowChildren", "xsd:boolean")), update=False, delete=False,
            area="email", summary="folders (the system ones every account has, and yours): "
                                  "Create (ParentFolder.ID), Retrieve"),
    )


TYPES.update({t.name: t for t in (*_tracking(), *_sending())})


def object_type(name: str) -> ObjectType | None:
    """The type a Retrieve or a write names (`DataExtensionObject[Key]` is the row type)."""
    return TYPES.get(ROW_TYPE if name.startswith(f"{ROW_TYPE}[") else name)


def implemented() -> str:
    return ", ".join(TYPES)


class UnknownType(LookupError):
    """Describe of a type vendorsim does not implement (SFMC: "Unable to describe ...")."""


def describe(names: list[str]) -> list[ObjectType]:
    """The object types a Describe asks about, in its order."""
    found = []
    for name in names:
        kind = TYPES.get(name)
        if kind is None:
            raise UnknownType(f"Unable to describe ObjectType '{name[:100]}': vendorsim "
                              f"describes {implemented()}")
        found.append(kind)
    return found
