"""The rowset read API's queries: `$filter`, `$orderBy`, `$page`/`$pageSize`, and request
tokens that each page's `links.next` points back to (vendor-apis.md §2.2). A token holds its
query, never its rows: each page is read from the data extension as it is then."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..facts import INVALID_REQUEST as BAD
from ..facts import MAX_FILTER, MAX_PAGE_SIZE
from .errors import SfmcError
from .extensions import DataExtension, DataExtensionStore
from .fields import render
from .scopes import Caller, operation

TOKEN_TTL = 20 * 60
TOKENS_KEPT = 1000  # live request tokens an account keeps (the oldest go first)
# a column name is words separated by single spaces: no ambiguity, no backtracking
CONDITION = re.compile(
    r"\s*(?P<field>\w+(?: \w+)*?)\s+(?:(?P<op>eq|ne|gt|lt|ge|le|gte|lte|like)\s+"
    r"(?P<value>'[^']*'|\S+)|between\s+(?P<low>'[^']*'|\S+)\s+and\s+(?P<high>'[^']*'|\S+))"
    r"\s*", re.I)


@dataclass(frozen=True)
class Query:
    key: str
    filter: str | None
    order_by: str | None
    page_size: int
    expires: float


@dataclass(frozen=True)
class RowPage:
    """One page of a query, for the view to render."""

    token: str
    query: Query
    extension: DataExtension
    page: int
    count: int
    rows: list[dict]


class RowQueries:
    """Request tokens of one account's rowset reads."""

    def __init__(self, store: DataExtensionStore) -> None:
        self.store = store
        self.lock = store.lock
        self.clock = store.clock
        self.tokens: dict[str, Query] = {}

    @operation("data_extensions.read")
    def start(self, caller: Caller, key: str, filter_text: str | None, order_by: str | None,
              page_size: int, page: int) -> RowPage:
        """A new request token for this key, filter, order and page size, and its page."""
        de = self.store.get(key)
        parse_filter(de, filter_text)  # refuse a bad filter before handing out a token
        order_rows(de, [], order_by)
        if page_size < 1 or page < 1:
            raise _bad("$page and $pageSize must be at least 1")
        now = self.clock.now()
        for token in [t for t, q in self.tokens.items() if q.expires <= now]:
            del self.tokens[token]
        while len(self.tokens) >= TOKENS_KEPT:
            del self.tokens[next(iter(self.tokens))]
        token = str(uuid.uuid4())
        self.tokens[token] = Query(de.key, filter_text, order_by,
                                   min(page_size, MAX_PAGE_SIZE), now + TOKEN_TTL)
        return self._page(token, page)

    @operation("data_extensions.read")
    def page(self, caller: Caller, token: str, page: int) -> RowPage:
        """Another page of a request token's query."""
        return self._page(token, page)

    def _page(self, token: str, page: int) -> RowPage:
        query = self.tokens.get(token)
        if query is None or query.expires <= self.clock.now():
            raise SfmcError(404, f"Request token '{token[:100]}' is invalid or has expired.",
                            10003)
        de = self.store.get(query.key)
        predicate = parse_filter(de, query.filter)
        rows = order_rows(de, [r for r in de.rows.values() if predicate(r)], query.order_by)
        size = query.page_size
        chunk = [dict(r) for r in rows[(page - 1) * size: page * size]]
        return RowPage(token, query, de, page, len(rows), chunk)


def _bad(message: str) -> Exception:
    return SfmcError(400, message, BAD)


def _literal(raw: str) -> str:
    return raw[1:-1] if raw.startswith("'") and raw.endswith("'") else raw


def parse_filter(de: DataExtension, text: str | None) -> Callable[[dict], bool]:
    """A predicate for `Field eq 'x'`, `Field between 'a' and 'b'` (and ne/gt/lt/ge/le/like)."""
    if not text:
        return lambda row: True
    if len(text) > MAX_FILTER:
        raise _bad(f"Invalid $filter: longer than {MAX_FILTER} characters")
    m = CONDITION.fullmatch(text)
    if not m:
        raise _bad(f"Invalid $filter: {text[:200]}")
    column = de.field(m.group("field").strip())
    if column is None:
        raise _bad(f"Invalid $filter: unknown column {m.group('field').strip()[:100]}")

    def typed(raw: str) -> object:
        value, problem = column.check(_literal(raw))
        if problem:
            raise _bad(f"Invalid $filter value: {problem}")
        if value is None:
            raise _bad(f"Invalid $filter: compare {column.name} with a value")
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
    for part in reversed([p.strip() for p in (text or "").split(",") if p.strip()][:20]):
        name, _, direction = part.partition(" ")
        column = de.field(name)
        if column is None:
            raise _bad(f"Invalid $orderBy: unknown column {name[:100]}")
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
