"""Subscribers and lists of one SFMC account (the SOAP API's `Subscriber`, `List`,
`ListSubscriber`; vendor-apis.md §7.1): the state Email Studio keeps beside data extensions.

A subscriber is keyed by its SubscriberKey (matched without case), has an email address and an
account-wide status; its list memberships each have their own status. Creating a subscriber
whose key exists fails with 12014, as SFMC answers (FuelSDK's AddSubscriberToList then
updates). Every operation takes the account's lock and checks the caller's scope; list names
are indexed (a write of thousands of lists checks each name once, not against every list).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.ids import IdSequences

from ..facts import (
    ALL_SUBSCRIBERS,
    ALL_SUBSCRIBERS_ID,
    DUPLICATE_SUBSCRIBER,
    LIST_TYPES,
    SUBSCRIBER_STATUSES,
)
from .fields import EMAIL
from .scopes import SYSTEM, Caller, operation


class SubscriberError(ValueError):
    """A refused subscriber or list write: SFMC's error code and message (one result)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Membership:
    status: str
    created: float
    modified: float


@dataclass
class Subscriber:
    id: int
    key: str
    email: str
    status: str
    created: float
    modified: float
    unsubscribed: float | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    lists: dict[int, Membership] = field(default_factory=dict)  # list id -> membership


@dataclass
class MailingList:
    id: int
    name: str
    description: str
    type: str
    created: float
    modified: float
    key: str = ""


class SubscriberStore:
    """The account's subscribers (by lower-cased key) and lists (by id)."""

    def __init__(self, lock: threading.RLock, clock: Clock,
                 sequences: IdSequences | None = None) -> None:
        self.lock = lock
        self.clock = clock
        self.subscribers: dict[str, Subscriber] = {}
        self.lists: dict[int, MailingList] = {}
        self._list_names: dict[str, int] = {}  # lower-cased name -> list id
        ids = sequences or IdSequences()
        self.subscriber_ids = ids.sequence("subscribers", 1)
        self.list_ids = ids.sequence("lists", ALL_SUBSCRIBERS_ID + 1)
        now = clock.now()  # every account has All Subscribers, holding every subscriber
        self.lists[ALL_SUBSCRIBERS_ID] = MailingList(ALL_SUBSCRIBERS_ID, ALL_SUBSCRIBERS,
                                                     "", "Public", now, now, ALL_SUBSCRIBERS)
        self._list_names[ALL_SUBSCRIBERS.lower()] = ALL_SUBSCRIBERS_ID

    # -- lists --------------------------------------------------------------------
    @operation("subscribers.write")
    def create_list(self, caller: Caller, name: object, description: object = "",
                    kind: object = "Private", key: object = "") -> MailingList:
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            raise SubscriberError(2, "ListName is required (at most 100 characters)")
        if kind not in LIST_TYPES:
            raise SubscriberError(2, f"Type must be one of {', '.join(LIST_TYPES)}")
        if name.lower() in self._list_names:
            raise SubscriberError(2, f"A list named '{name}' already exists")
        now = self.clock.now()
        made = MailingList(self.list_ids.take(), name, str(description or ""), str(kind), now, now,
                           str(key or ""))
        self.lists[made.id] = made
        self._list_names[name.lower()] = made.id
        return made

    @operation("subscribers.write")
    def update_list(self, caller: Caller, list_id: int, changes: dict) -> MailingList:
        found = self.get_list(list_id)
        self._system(list_id)
        if "ListName" in changes:
            name = changes["ListName"]
            if not isinstance(name, str) or not name.strip() or len(name) > 100:
                raise SubscriberError(2, "ListName cannot be empty (at most 100 characters)")
            holder = self._list_names.get(name.lower())
            if holder is not None and holder != list_id:
                raise SubscriberError(2, f"A list named '{name}' already exists")
            del self._list_names[found.name.lower()]
            found.name = name
            self._list_names[name.lower()] = list_id
        if "Description" in changes:
            found.description = str(changes["Description"] or "")
        found.modified = self.clock.now()
        return found

    @operation("subscribers.write")
    def delete_list(self, caller: Caller, list_id: int) -> None:
        found = self.get_list(list_id)
        self._system(list_id)
        del self.lists[list_id]
        self._list_names.pop(found.name.lower(), None)
        for subscriber in self.subscribers.values():
            subscriber.lists.pop(list_id, None)

    def set_status(self, key: str, status: str, at: float) -> None:
        """A status the account itself sets (an unsubscribe, a held address), at its time."""
        found = self.subscribers.get(key.lower())
        if found is not None and found.status != status:
            self._set_status(found, status, at)
            found.modified = at

    def _system(self, list_id: int) -> None:
        if list_id == ALL_SUBSCRIBERS_ID:
            raise SubscriberError(2, f"{ALL_SUBSCRIBERS} cannot be changed or deleted: it "
                                     "holds every subscriber")

    def get_list(self, list_id: int) -> MailingList:
        found = self.lists.get(list_id)
        if found is None:
            raise SubscriberError(2, f"List with ID {list_id} was not found")
        return found

    # -- subscribers --------------------------------------------------------------
    def get(self, key: str) -> Subscriber | None:
        return self.subscribers.get(key.lower())

    @operation("subscribers.write")
    def create(self, caller: Caller, key: object, email: object, status: object = "Active",
               lists: Sequence[tuple[int, str]] = (), attributes: dict[str, str] | None = None
               ) -> Subscriber:
        """A new subscriber (12014 when its key exists), on the given lists."""
        key = key or email  # an account without subscriber keys keys on the email
        if not isinstance(key, str) or not key.strip() or len(key) > 254:
            raise SubscriberError(2, "SubscriberKey is required (at most 254 characters)")
        if self.get(key) is not None:
            raise SubscriberError(DUPLICATE_SUBSCRIBER, "The subscriber is already on the list")
        self._check(email, status, lists)
        now = self.clock.now()
        made = Subscriber(self.subscriber_ids.take(), key, str(email), str(status), now, now,
                          attributes=dict(attributes or {}))
        self._set_status(made, str(status), now)
        self.subscribers[key.lower()] = made
        self._join(made, lists, now)
        return made

    @operation("subscribers.write")
    def update(self, caller: Caller, key: object, email: object = None, status: object = None,
               lists: Sequence[tuple[int, str]] = (),
               attributes: dict[str, str] | None = None, leave: Sequence[int] = ()
               ) -> Subscriber:
        """Change a subscriber: email, status, attributes; join `lists`, leave `leave`."""
        if not isinstance(key, str) or self.get(key) is None:
            raise SubscriberError(2, f"Subscriber with key '{str(key)[:100]}' does not exist")
        found = self.subscribers[key.lower()]
        self._check(email if email is not None else found.email,
                    status if status is not None else found.status, lists)
        now = self.clock.now()
        if email is not None:
            found.email = str(email)
        if status is not None:
            self._set_status(found, str(status), now)
        found.attributes.update(attributes or {})
        self._join(found, lists, now)
        for list_id in leave:
            found.lists.pop(list_id, None)
        found.modified = now
        return found

    @operation("subscribers.write")
    def delete(self, caller: Caller, key: object) -> None:
        if not isinstance(key, str) or self.get(key) is None:
            raise SubscriberError(2, f"Subscriber with key '{str(key)[:100]}' does not exist")
        del self.subscribers[key.lower()]

    def _check(self, email: object, status: object, lists: Sequence[tuple[int, str]]) -> None:
        if not isinstance(email, str) or not EMAIL.fullmatch(email) or len(email) > 254:
            raise SubscriberError(2, "EmailAddress is not a valid email address")
        if status not in SUBSCRIBER_STATUSES:
            raise SubscriberError(2, f"Status must be one of {', '.join(SUBSCRIBER_STATUSES)}")
        for list_id, list_status in lists:
            self.get_list(list_id)
            if list_status not in SUBSCRIBER_STATUSES:
                raise SubscriberError(2, f"List status must be one of "
                                         f"{', '.join(SUBSCRIBER_STATUSES)}")

    @staticmethod
    def _set_status(subscriber: Subscriber, status: str, now: float) -> None:
        if status == "Unsubscribed" and subscriber.status != "Unsubscribed":
            subscriber.unsubscribed = now
        subscriber.status = status

    @staticmethod
    def _join(subscriber: Subscriber, lists: Sequence[tuple[int, str]], now: float) -> None:
        for list_id, status in lists:
            if list_id == ALL_SUBSCRIBERS_ID:
                continue  # a member already: its status there is the subscriber's
            held = subscriber.lists.get(list_id)
            if held is None:
                subscriber.lists[list_id] = Membership(status, now, now)
            else:
                held.status, held.modified = status, now

    # -- seeding and snapshots -----------------------------------------------------
    def seed(self, lists: object, subscribers: object, parse: Callable = parse_time) -> None:
        """`lists`: [{id, name, description, type}]; `subscribers`: [{key, email, status,
        lists: [{id, status}], attributes}]. ValueError names what is wrong."""
        for spec in lists if isinstance(lists, list) else _bad("lists"):
            if not isinstance(spec, dict):
                raise ValueError("a list is {id, name, description, type}")
            try:
                made = self.create_list(SYSTEM, spec.get("name"), spec.get("description", ""),
                                        spec.get("type", "Private"), spec.get("key", ""))
            except SubscriberError as exc:
                raise ValueError(f"list: {exc.message}") from None
            if spec.get("id") is not None:
                if _list_id(spec) == ALL_SUBSCRIBERS_ID:
                    raise ValueError(f"list id {ALL_SUBSCRIBERS_ID} is {ALL_SUBSCRIBERS}, "
                                     "which every account has")
                self._renumber(made, spec["id"])
        for spec in subscribers if isinstance(subscribers, list) else _bad("subscribers"):
            if not isinstance(spec, dict) or not isinstance(spec.get("lists", []), list):
                raise ValueError("a subscriber is {key, email, status, lists: [{id, status}]}")
            joined = [(_list_id(m), m.get("status", "Active")) for m in spec.get("lists", [])
                      if isinstance(m, dict)]
            attributes = spec.get("attributes") or {}
            if not isinstance(attributes, dict):
                raise ValueError("subscriber attributes are an object of names and values")
            try:
                made_sub = self.create(SYSTEM, spec.get("key"), spec.get("email"),
                                       spec.get("status", "Active"), joined,
                                       {str(k): str(v) for k, v in attributes.items()})
            except SubscriberError as exc:
                raise ValueError(f"subscriber {str(spec.get('key'))[:80]!r}: "
                                 f"{exc.message}") from None
            if spec.get("createdAt"):
                made_sub.created = made_sub.modified = parse(spec["createdAt"])

    def _renumber(self, made: MailingList, wanted: object) -> None:
        list_id = _list_id({"id": wanted})
        if list_id in self.lists and list_id != made.id:
            raise ValueError(f"list id {list_id} is seeded twice")
        del self.lists[made.id]
        made.id = list_id
        self.lists[list_id] = made
        self._list_names[made.name.lower()] = list_id
        self.list_ids.note(list_id)

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "lists": [{"id": m.id, "name": m.name, "description": m.description,
                           "type": m.type, "key": m.key} for m in self.lists.values()
                          if m.id != ALL_SUBSCRIBERS_ID],
                "subscribers": [{"key": s.key, "email": s.email, "status": s.status,
                                 "createdAt": iso_utc(s.created),
                                 "attributes": dict(s.attributes),
                                 "lists": [{"id": i, "status": m.status}
                                           for i, m in s.lists.items()]}
                                for s in self.subscribers.values()]}


def _list_id(spec: dict) -> int:
    value = spec.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str) or \
            not str(value).isdigit() or not 0 < int(value) < 2**31:
        raise ValueError("a list id is a whole number from 1")
    return int(value)


def _bad(what: str) -> list:
    raise ValueError(f"{what} is a list")
