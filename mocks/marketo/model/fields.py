"""The lead schema of a Marketo instance: standard fields, custom fields, value checks.

`describe.json`/`describe2.json` are rendered from here, lookups and filters may only use
the searchable fields listed here, and every written value is checked against its type.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from vendorsim.mocks.core.bodies import whole_number

from .errors import MarketoError, RecordError

INT_MIN, INT_MAX = -(2**31), 2**31 - 1

TYPES = {
    "string", "text", "email", "phone", "url", "integer", "score", "float", "currency",
    "percent", "boolean", "date", "datetime", "reference",
}

TEXT_TYPES = frozenset({"string", "text", "phone", "url"})


@dataclass(frozen=True)
class FieldDef:
    name: str
    display_name: str
    data_type: str
    length: int | None = None
    read_only: bool = False
    searchable: bool = False
    crm_managed: bool = False

    def describe(self, n: int) -> dict:
        out: dict = {"id": n, "displayName": self.display_name, "dataType": self.data_type}
        if self.length:
            out["length"] = self.length
        out["rest"] = {"name": self.name, "readOnly": self.read_only}
        out["soap"] = {"name": self.name[0].upper() + self.name[1:], "readOnly": self.read_only}
        return out

    def describe2(self) -> dict:
        out: dict = {"name": self.name, "displayName": self.display_name,
                     "dataType": self.data_type}
        if self.length:
            out["length"] = self.length
        out["updateable"] = not self.read_only
        out["crmManaged"] = self.crm_managed
        return out

    def to_dict(self) -> dict:
        return {"name": self.name, "displayName": self.display_name, "dataType": self.data_type,
                "length": self.length, "readOnly": self.read_only,
                "searchable": self.searchable}

    @classmethod
    def from_dict(cls, data: object) -> FieldDef:
        if not isinstance(data, dict):
            raise ValueError("a custom field is an object {name, dataType, length, searchable}")
        name = data.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
            raise ValueError(f"custom field needs a name of letters and digits, got {name!r}")
        data_type = data.get("dataType", "string")
        if data_type not in TYPES:
            raise ValueError(f"field {name}: dataType must be one of {', '.join(sorted(TYPES))}")
        default_len = 255 if data_type in {"string", "email", "phone", "url"} else None
        length = data.get("length", default_len)
        if length is not None and whole_number(length, 1, 65_535) is None:
            raise ValueError(f"field {name}: length is a whole number from 1 to 65535")
        display = data.get("displayName", name)
        if not isinstance(display, str) or len(display) > 255:
            raise ValueError(f"field {name}: displayName is a string")
        flags = {k: data.get(k, False) for k in ("readOnly", "searchable")}
        if not all(isinstance(v, bool) for v in flags.values()):
            raise ValueError(f"field {name}: readOnly and searchable are true or false")
        return cls(name=name, display_name=display, data_type=data_type,
                   length=whole_number(length) if length is not None else None,
                   read_only=flags["readOnly"], searchable=flags["searchable"])


def _f(name: str, display: str, data_type: str = "string", **kw: object) -> FieldDef:
    if data_type in {"string", "email", "phone", "url"} and "length" not in kw:
        kw["length"] = 255
    return FieldDef(name, display, data_type, **kw)  # type: ignore[arg-type]  # the keywords FieldDef takes


STANDARD_FIELDS: tuple[FieldDef, ...] = (
    _f("id", "Id", "integer", read_only=True, searchable=True),
    _f("email", "Email Address", "email", searchable=True),
    _f("firstName", "First Name"),
    _f("lastName", "Last Name"),
    _f("middleName", "Middle Name"),
    _f("salutation", "Salutation"),
    _f("title", "Job Title"),
    _f("company", "Company Name"),
    _f("phone", "Phone Number", "phone"),
    _f("mobilePhone", "Mobile Phone Number", "phone"),
    _f("address", "Address", "text"),
    _f("city", "City"),
    _f("state", "State"),
    _f("postalCode", "Postal Code"),
    _f("country", "Country"),
    _f("website", "Website", "url"),
    _f("industry", "Industry"),
    _f("numberOfEmployees", "Num Employees", "integer"),
    _f("annualRevenue", "Annual Revenue", "currency"),
    _f("leadSource", "Lead Source"),
    _f("leadStatus", "Lead Status"),
    _f("leadScore", "Lead Score", "score"),
    _f("leadRole", "Role"),
    _f("dateOfBirth", "Date of Birth", "date"),
    _f("unsubscribed", "Unsubscribed", "boolean"),
    _f("emailInvalid", "Email Invalid", "boolean"),
    _f("doNotCall", "Do Not Call", "boolean"),
    _f("ecids", "ECIDs", "text"),
    _f("cookies", "Cookies", "string", searchable=True),
    _f("facebookId", "Facebook Id", searchable=True),
    _f("linkedInId", "LinkedIn Id", searchable=True),
    _f("twitterId", "Twitter Id", searchable=True),
    _f("sfdcAccountId", "SFDC Account Id", searchable=True, crm_managed=True),
    _f("sfdcContactId", "SFDC Contact Id", searchable=True, crm_managed=True),
    _f("sfdcLeadId", "SFDC Lead Id", searchable=True, crm_managed=True),
    _f("sfdcLeadOwnerId", "SFDC Lead Owner Id", searchable=True, crm_managed=True),
    _f("sfdcOpptyId", "SFDC Oppty Id", searchable=True, crm_managed=True),
    _f("externalCompanyId", "External Company Id", "string", length=100),
    _f("leadPartitionId", "Lead Partition Id", "integer", read_only=True, searchable=True),
    _f("createdAt", "Created At", "datetime", read_only=True),
    _f("updatedAt", "Updated At", "datetime", read_only=True),
)

DEFAULT_GET_FIELDS = ("id", "email", "updatedAt", "createdAt", "firstName", "lastName")
META_FIELDS = frozenset({"id", "leadPartitionId", "createdAt", "updatedAt"})


class Schema:
    """Standard plus custom fields of one instance."""

    def __init__(self, custom: list[FieldDef] | None = None) -> None:
        self.custom: list[FieldDef] = []
        self.fields: dict[str, FieldDef] = {f.name: f for f in STANDARD_FIELDS}
        for field in custom or []:
            self.add(field)

        self._refresh()

    def add(self, field: FieldDef) -> None:
        if field.name in self.fields and all(f.name != field.name for f in self.custom):
            raise ValueError(f"field {field.name} already exists as a standard field")
        self.fields[field.name] = field
        self.custom = [f for f in self.custom if f.name != field.name] + [field]
        self._refresh()

    def _refresh(self) -> None:
        # writable text and email fields with their maximum length, and the integer fields:
        # what most records carry, checked inline by check_record
        writable = [f for f in self.fields.values() if not f.read_only]
        self._text_limits = {f.name: f.length or 1 << 62 for f in writable
                             if f.data_type in TEXT_TYPES or f.data_type == "email"}
        self._ascii_only = frozenset(f.name for f in writable if f.data_type == "email")
        self._int_fields = frozenset(f.name for f in writable
                                     if f.data_type in ("integer", "score"))

    @property
    def searchable(self) -> list[str]:
        return [f.name for f in self.fields.values() if f.searchable]

    @property
    def indexed(self) -> list[str]:
        """Searchable fields kept in an index (id and partition are answered directly)."""
        return [n for n in self.searchable if n not in ("id", "leadPartitionId")]

    def check_names(self, names: list[str]) -> list[str]:
        """Field names a call gave (1006 for one the schema does not have)."""
        for name in names:
            if name not in self.fields:
                raise MarketoError("1006", field=name)
        return names

    def create(self, specs: list, add: Callable[[FieldDef], None]) -> list[dict]:
        """New custom fields, each added with `add` (which also indexes it): a result per
        spec, skipped with 1003 when invalid or the name is taken."""
        results = []
        for seq, spec in enumerate(specs):
            try:
                if not isinstance(spec, dict) or spec.get("name") in self.fields:
                    raise ValueError("a new field {name, displayName, dataType} is needed")
                add(FieldDef.from_dict(spec))
                results.append({"seq": seq, "name": spec["name"], "status": "created"})
            except ValueError as exc:
                results.append({"seq": seq, "status": "skipped", "reasons": [
                    {"code": "1003", "message": str(exc)[:200]}]})
        return results

    def renamed(self, field_name: str, display_name: str) -> FieldDef:
        """A custom field with a new display name (1006 for a standard or unknown one)."""
        current = next((f for f in self.custom if f.name == field_name), None)
        if current is None:
            raise MarketoError("1006", field=field_name)
        return FieldDef.from_dict({**current.to_dict(), "displayName": display_name})

    def describe(self) -> list[dict]:
        return [f.describe(n) for n, f in enumerate(self.fields.values(), start=1)]

    def describe2(self) -> list[dict]:
        return [{"name": "API Lead", "searchableFields": [[name] for name in self.searchable],
                 "fields": [f.describe2() for f in self.fields.values()]}]

    def check_record(self, record: dict, *, allow: frozenset[str] = frozenset()) -> dict:
        """The record's writable values, checked; RecordError on the first bad one."""
        clean = {}
        fields = self.fields
        text_limits = self._text_limits
        for name, value in record.items():
            kind = type(value)
            if kind is str:
                limit = text_limits.get(name)
                if (limit is not None and len(value) <= limit
                        and (value.isascii() or name not in self._ascii_only)):
                    clean[name] = value  # the common case: a short string in a text field
                    continue
            elif kind is int and name in self._int_fields and INT_MIN <= value <= INT_MAX:
                clean[name] = value
                continue
            field = fields.get(name)
            if field is None:
                raise RecordError("1006", field=name)
            if field.read_only:
                if name in allow:
                    continue
                raise RecordError("1003", f"Field '{name}' is read only")
            clean[name] = check_value(field, value)
        return clean


_INT = re.compile(r"[+-]?\d+")
_NUM = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def check_value(field: FieldDef, value: object) -> object:
    """The stored form of `value` for `field`; RecordError 1003 when it cannot be."""
    if value is None:
        return None
    t = field.data_type
    if type(value) is str and t in TEXT_TYPES:  # the common case, checked first
        if field.length and len(value) > field.length:
            raise RecordError(
                "1003", f"Value for field '{field.name}' exceeds the maximum length {field.length}")
        return value
    if t in {"integer", "score", "reference"}:  # Marketo integers are 32-bit
        number = whole_number(value, INT_MIN, INT_MAX)
        if number is None:
            raise invalid(field, value)
        return number
    if t in {"float", "currency", "percent"}:
        real: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            real = float(value) if abs(value) < 1e308 else None
        elif isinstance(value, str) and len(value) < 64 and _NUM.fullmatch(value.strip()):
            real = float(value)
        if real is None or not math.isfinite(real):
            raise invalid(field, value)
        return value if isinstance(value, int | float) else real
    if t == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise invalid(field, value)
    if t == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise invalid(field, value) from None
    if t == "datetime":
        try:
            datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise invalid(field, value) from None
        return str(value)
    # strings of every flavour
    if isinstance(value, bool | dict | list):
        raise invalid(field, value)
    text = value if isinstance(value, str) else str(value)
    if t == "email" and text and not text.isascii():
        raise RecordError("1003", f"Invalid email address '{text}': email must be ASCII")
    if field.length and len(text) > field.length:
        raise RecordError(
            "1003", f"Value for field '{field.name}' exceeds the maximum length {field.length}"
        )
    return text


def invalid(field: FieldDef, value: object) -> RecordError:
    """A value of the wrong type: 1003 with the text live Marketo answers (recorded in public
    test fixtures of a real instance: `Invalid value for field 'X' and value 'Y'`), rather
    than the error table's 1001 wording, which no recording shows."""
    return RecordError("1003", f"Invalid value for field '{field.name}' and value "
                               f"'{_shown(value)}'")


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def index_key(value: object) -> object:
    """Lookups are case-insensitive for text, exact for numbers."""
    return value.lower() if isinstance(value, str) else value
