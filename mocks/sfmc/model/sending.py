"""The ways an account sends (issue 36): a triggered send (REST `messageDefinitionSends`), a
journey's email after an entry event, a list send (SOAP `Create Send`), each becoming a send
job whose recipients' events then happen on the clock (sends.py, tracking.py)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.engagement import Sendable

from ..facts import ALL_SUBSCRIBERS_ID, INVALID_REQUEST, UNKNOWN_SEND_DEFINITION
from .emails import EmailStore, TriggeredSend
from .errors import SfmcError
from .scopes import Caller, operation
from .sends import SendJob, SendStore
from .subscribers import SubscriberStore


@dataclass
class Sending:
    """Sends of one account: what each kind of send is made of and who it goes to."""

    lock: threading.RLock
    clock: Clock
    emails: EmailStore
    sends: SendStore
    audience: SubscriberStore
    legacy_keys: set[str] = field(default_factory=set)  # `triggered_sends` seeded as keys
    journeys: dict[str, tuple[int, float]] = field(default_factory=dict)  # key -> email, delay

    def triggered(self, key: str, address: str, subscriber: str,
                  attributes: dict[str, object]) -> None:
        """One message of a triggered send definition (under the account's lock)."""
        found = self.emails.triggered.get(key.lower())
        if found is None:
            defined = self.legacy_keys or any(not t.implicit
                                              for t in self.emails.triggered.values())
            if defined and key not in self.legacy_keys:
                raise SfmcError(404, f"MessageDefinition with key '{key}' was not found.",
                                UNKNOWN_SEND_DEFINITION)
            found = self.emails.implicit(key)
        if found.status != "Active":
            raise SfmcError(400, f"The triggered send '{key}' is {found.status}, not Active.",
                            INVALID_REQUEST)
        job = self._triggered_job(found)
        self.sends.send(job, [Sendable(subscriber, address, dict(attributes))])

    def _triggered_job(self, definition: TriggeredSend) -> SendJob:
        """A triggered send's messages are counted in one send job of its own."""
        job = self.sends.jobs.get(definition.send_id or 0)
        if job is None:
            email = self.emails.email(definition.email_id)
            job = self.sends.job("triggered", email.id, email.name, email.subject,
                                 definition=definition.key,
                                 tsd_object_id=definition.object_id)
            definition.send_id = job.id
        return job

    def journey(self, key: str, contact: str, data: dict) -> None:
        """A journey's email to the contact that entered, `delay` seconds later, when the
        event definition names one (else the entry is recorded and nothing is sent)."""
        planned = self.journeys.get(key)
        address = next((v for k, v in data.items() if k.lower() in
                        ("emailaddress", "email", "email address") and isinstance(v, str)),
                       None)
        if planned is None:
            return
        existing = self.audience.get(contact)
        address = address or (existing.email if existing is not None else None)
        if not address:
            return  # a contact with no address: nothing to send to (chosen)
        email = self.emails.email(planned[0])
        job = self.sends.job("journey", email.id, email.name, email.subject, definition=key)
        self.sends.send(job, [Sendable(contact, address, dict(data))],
                        at=self.clock.now() + planned[1])

    @operation("sends.write")
    def list_send(self, caller: Caller, email_id: object, list_ids: list[int]) -> SendJob:
        """A list send (SOAP `Create Send` with Email.ID and List.ID): every subscriber on
        the lists, once each."""
        email = self.emails.email(email_id)
        if not list_ids:
            raise SfmcError(400, "A send needs at least one List.ID.", INVALID_REQUEST)
        recipients: dict[str, Sendable] = {}
        for list_id in list_ids:
            self.audience.get_list(list_id)
            for subscriber in self.audience.subscribers.values():
                if list_id == ALL_SUBSCRIBERS_ID or list_id in subscriber.lists:
                    recipients.setdefault(subscriber.key.lower(), Sendable(
                        subscriber.key, subscriber.email, dict(subscriber.attributes)))
        job = self.sends.job("list", email.id, email.name, email.subject,
                             list_ids=tuple(list_ids))
        self.sends.send(job, list(recipients.values()))
        return job

    # -- seeding and snapshots -----------------------------------------------------------
    def seed(self, data: dict) -> None:
        """`triggered_sends` given as keys, `event_definitions` as objects naming an email
        (`{key, email, delay}`): a journey that sends it."""
        self.legacy_keys.update(k for k in data.get("triggered_sends") or []
                                if isinstance(k, str))
        for item in [*(data.get("event_definitions") or []), *(data.get("journeys") or [])]:
            if isinstance(item, dict) and item.get("email") is not None:
                email = self.emails.email(item["email"]).id
                delay = item.get("delay", 0)
                if isinstance(delay, bool) or not isinstance(delay, int | float) or \
                        not 0 <= delay <= 86400 * 30:
                    raise SfmcError(400, "an event definition's delay is 0 to 30 days in "
                                         "seconds", INVALID_REQUEST)
                self.journeys[str(item["key"])] = (email, float(delay))

    def snapshot(self) -> dict:
        keys = {k for k in self.legacy_keys}
        return {"triggered_sends": sorted(keys),
                "journeys": [{"key": k, "email": e, "delay": d}
                             for k, (e, d) in self.journeys.items()]}
