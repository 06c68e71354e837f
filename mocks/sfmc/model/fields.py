"""A data extension's columns: their types, lengths and the checks SFMC makes on a value
written to them; and how a stored value reads back (`render`: strings, `True`/`False`,
`M/d/yyyy h:mm:ss AM`), over REST and SOAP alike."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from vendorsim.mocks.core.bodies import whole_number

TYPES = ("Text", "Number", "Decimal", "Date", "Boolean", "EmailAddress", "Phone", "Locale")
DEFAULT_LENGTH = {"Text": 4000, "EmailAddress": 254, "Phone": 50, "Locale": 5}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
FIELD_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_ ]{0,127}")
DATE_MIN, DATE_MAX = datetime(1753, 1, 1), datetime(9999, 12, 31, 23, 59, 59)


def _bounded(value: object, low: int, high: int, what: str) -> int | None:
    """An optional whole number setting within [low, high]; ValueError otherwise."""
    if value is None:
        return None
    number = whole_number(value, low, high)
    if number is None:
        raise ValueError(f"{what} must be a whole number from {low} to {high}")
    return number


@dataclass
class Field:
    name: str
    type: str = "Text"
    length: int | None = None
    scale: int | None = None
    primary_key: bool = False
    required: bool = False

    @classmethod
    def from_dict(cls, data: object) -> Field:
        if not isinstance(data, dict):
            raise ValueError("every field is an object with a name and a type")
        name = data.get("name")
        if not isinstance(name, str) or not FIELD_NAME.fullmatch(name.strip()):
            raise ValueError("every field needs a name: letters, digits, spaces and _ "
                             "(at most 128)")
        kind = data.get("type", data.get("fieldType", "Text"))
        if kind not in TYPES:
            raise ValueError(f"field {name}: type must be one of {', '.join(TYPES)}")
        length = _bounded(data.get("length", DEFAULT_LENGTH.get(kind)), 1, 4000,
                          f"field {name}: length")
        scale = _bounded(data.get("scale"), 0, 8, f"field {name}: scale")
        flags = {key: data.get(key, default) for key, default in (
            ("isPrimaryKey", data.get("primaryKey", False)), ("isNullable", True))}
        for key, flag in flags.items():
            if not isinstance(flag, bool):
                raise ValueError(f"field {name}: {key} is true or false")
        primary = flags["isPrimaryKey"] is True  # checked: true or false
        return cls(name=name.strip(), type=kind, length=length, scale=scale,
                   primary_key=primary, required=primary or not flags["isNullable"])

    def to_dict(self, ordinal: int) -> dict:
        return {"name": self.name, "type": self.type, "length": self.length,
                "scale": self.scale, "isPrimaryKey": self.primary_key,
                "isNullable": not self.required, "ordinal": ordinal}

    def check(self, value: object) -> tuple[object, str | None]:
        """(stored value, None) or (None, SFMC's message for this column)."""
        col = self.name.lower()
        if value is None or value == "":
            if self.required:
                return None, f"{col}: The value for column [{col}] cannot be empty."
            return None, None
        kind = self.type
        if isinstance(value, dict | list):
            return None, f"{col}: The value for column [{col}] is not a valid value."
        if kind == "Number":  # SQL Server int
            number = whole_number(value, -(2**31), 2**31 - 1)
            if number is None:
                return None, f"{col}: The value for column [{col}] is not a valid number."
            return number, None
        if kind == "Decimal":  # decimal(18, scale): finite, 18 digits at most
            try:
                decimal = Decimal(str(value)) if not isinstance(value, bool | dict | list) \
                    else None
            except InvalidOperation:
                decimal = None
            if decimal is None or not decimal.is_finite() or abs(decimal.adjusted()) > 18:
                return None, f"{col}: The value for column [{col}] is not a valid decimal."
            return decimal, None
        if kind == "Boolean":
            text = str(value).lower()
            if text in ("true", "1", "yes", "y"):
                return True, None
            if text in ("false", "0", "no", "n"):
                return False, None
            return None, f"{col}: The value for column [{col}] is not a valid boolean."
        if kind == "Date":
            parsed = parse_date(str(value))
            if parsed is None:
                return None, f"{col}: The value for column [{col}] is not a valid date."
            return parsed, None
        text = str(value)
        if self.length and len(text) > self.length:
            return None, f"{col}: The value for column [{col}] exceeds the column's maximum length."
        if kind == "EmailAddress" and not EMAIL.fullmatch(text):
            return None, (f"{col}: The value for column [{col}] is not a valid email address. "
                          "Parse error [InvalidEmailAddress]")
        return text, None


def parse_date(text: str) -> datetime | None:
    """SFMC's US rendering or ISO-8601, as naive UTC within SQL Server's datetime range
    (1753-01-01 to 9999-12-31); None when it is not such a date."""
    value = None
    for fmt in ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y"):
        try:
            value = datetime.strptime(text, fmt)
            break
        except ValueError:
            pass
    if value is None:
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if value.tzinfo:
                value = value.astimezone(UTC).replace(tzinfo=None)
        except (ValueError, OverflowError):
            return None
    return value if DATE_MIN <= value <= DATE_MAX else None


def render(value: object) -> str:
    """SFMC's rowset rendering: everything a string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, datetime):
        hour = value.hour % 12 or 12
        return (f"{value.month}/{value.day}/{value.year} {hour}:{value.minute:02d}:"
                f"{value.second:02d} {'AM' if value.hour < 12 else 'PM'}")
    return str(value)
