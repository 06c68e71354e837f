"""The rowset read API: `$filter`, `$orderBy`, `$page`/`$pageSize`, and request tokens that
the `links.next` of each page points back to (vendor-apis.md §2.2)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .errors import SfmcError
from .facts import INVALID_REQUEST as BAD
from .facts import MAX_FILTER, MAX_PAGE_SIZE
from .models import DataExtension, SfmcAccount, render

TOKEN_TTL = 20 * 60
# a column name is words separated by single spaces: no ambiguity, no backtracking
CONDITION = re.compile(
    r"\s*(?P<field>\w+(?: \w+)*?)\s+(?:(?P<op>eq|ne|gt|lt|ge|le|gte|lte|like)\s+"
    r"(?P<value>'[^']*'|\S+)|between\s+(?P<low>'[^']*'|\S+)\s+and\s+(?P<high>'[^']*'|\S+))"
    r"\s*", re.I)


def _literal(raw: str) -> str:
    return raw[1:-1] if raw.startswith("'") and raw.endswith("'") else raw


def parse_filter(de: DataExtension, text: str | None) -> Callable[[dict], bool]:
    """A predicate for `Field eq 'x'`, `Field between 'a' and 'b'` (and ne/gt/lt/ge/le/like)."""
    if not text:
        return lambda row: True
    if len(text) > MAX_FILTER:
        raise SfmcError(400, f"Invalid $filter: longer than {MAX_FILTER} characters", BAD)
    m = CONDITION.fullmatch(text)
    if not m:
        raise SfmcError(400, f"Invalid $filter: {text}", BAD)
    column = de.field(m.group("field").strip())
    if column is None:
        raise SfmcError(400, f"Invalid $filter: unknown column {m.group('field').strip()}", BAD)

    def typed(raw: str) -> object:
        value, problem = column.check(_literal(raw))
        if problem:
            raise SfmcError(400, f"Invalid $filter value: {problem}", BAD)
        if value is None:
            raise SfmcError(400, f"Invalid $filter: compare {column.name} with a value", BAD)
        return value

    def key(value: object) -> Any:  # compared with <, <= as the column's type allows
        return value.lower() if isinstance(value, str) else value

    if m.group("op"):
        op = m.group("op").lower()
        wanted = typed(m.group("value"))
        if op == "like":
            pattern = re.compile(re.escape(_literal(m.group("value"))).replace("%", ".*"), re.I)
            return lambda row: pattern.fullmatch(render(row.get(column.name))) is not None
        compare = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
                   "gt": lambda a, b: a > b, "lt": lambda a, b: a < b,
                   "ge": lambda a, b: a >= b, "gte": lambda a, b: a >= b,
                   "le": lambda a, b: a <= b, "lte": lambda a, b: a <= b}[op]

        def predicate(row: dict) -> bool:
            value = row.get(column.name)
            if value is None:
                return op == "ne"
            return compare(key(value), key(wanted))

        return predicate
    low, high = key(typed(m.group("low"))), key(typed(m.group("high")))
    return lambda row: row.get(column.name) is not None and low <= key(row[column.name]) <= high


def order_rows(de: DataExtension, rows: list[dict], text: str | None) -> list[dict]:
    for part in reversed([p.strip() for p in (text or "").split(",") if p.strip()]):
        name, _, direction = part.partition(" ")
        column = de.field(name)
        if column is None:
            raise SfmcError(400, f"Invalid $orderBy: unknown column {name}", BAD)
        rows = sorted(rows, key=_sort_key(column.name), reverse=direction.strip().lower() == "desc")
    return rows


def _sort_key(name: str) -> Callable[[dict], tuple[bool, Any]]:
    """Rows by one column: empty values last, text without case."""
    def key(row: dict) -> tuple[bool, Any]:
        return row.get(name) is None, _sortable(row.get(name))
    return key


def _sortable(value: object) -> Any:
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, Decimal | bool):
        return float(value)
    return value if value is not None else ""


def start_query(account: SfmcAccount, key: str, args: dict) -> dict:
    """A new request token for this key, filter, order and page size."""
    de = account.get(key)
    parse_filter(de, args.get("$filter"))  # refuse a bad filter before handing out a token
    order_rows(de, [], args.get("$orderBy"))
    try:
        size = int(args.get("$pageSize") or MAX_PAGE_SIZE)
        page = int(args.get("$page") or 1)
    except ValueError:
        raise SfmcError(400, "$page and $pageSize must be whole numbers", BAD) from None
    if size < 1 or page < 1:
        raise SfmcError(400, "$page and $pageSize must be at least 1", BAD)
    token = str(uuid.uuid4())
    query = {"key": de.key, "filter": args.get("$filter"), "orderBy": args.get("$orderBy"),
             "pageSize": min(size, MAX_PAGE_SIZE), "expires": account.clock.now() + TOKEN_TTL}
    account.queries[token] = query
    return {"token": token, "page": page, **query}


def page_of(account: SfmcAccount, token: str, page: int | None = None) -> dict:
    query = account.queries.get(token)
    if query is None or query["expires"] <= account.clock.now():
        raise SfmcError(404, f"Request token '{token}' is invalid or has expired.", 10003)
    with account.lock:
        de = account.get(query["key"])
        predicate = parse_filter(de, query["filter"])
        rows = order_rows(de, [r for r in de.rows.values() if predicate(r)], query["orderBy"])
    size = query["pageSize"]
    page = page or 1
    chunk = rows[(page - 1) * size: page * size]
    keys = [f.name for f in de.primary]
    others = [f.name for f in de.fields if not f.primary_key]
    links = {"self": f"/v1/customobjectdata/token/{token}/rowset?$page={page}"}
    if page * size < len(rows):
        links["next"] = f"/v1/customobjectdata/token/{token}/rowset?$page={page + 1}"
    if page > 1:
        links["previous"] = f"/v1/customobjectdata/token/{token}/rowset?$page={page - 1}"
    body = {"links": links, "requestToken": token,
            "tokenExpireDateUtc": datetime.fromtimestamp(query["expires"], UTC)
            .strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3],
            "customObjectId": de.id, "customObjectKey": de.key, "pageSize": size,
            "page": page, "count": len(rows), "top": 0}
    if rows:
        # every column of the data extension, unset ones as "" (as SFMC answers)
        body["items"] = [{"keys": {k.lower(): render(r.get(k)) for k in keys},
                          "values": {k.lower(): render(r.get(k)) for k in others}}
                         for r in chunk]
    return body
