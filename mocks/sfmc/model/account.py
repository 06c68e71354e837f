"""One SFMC account (tenant = subdomain): its stores under one lock, and its seed, snapshot
and restore documents. Every operation of a store takes this lock and checks its caller's
scope itself (scopes.py); the views only parse, call one operation and render."""

from __future__ import annotations

import threading
import zlib
from datetime import datetime
from decimal import Decimal

from vendorsim.mocks.core.backend import atomic
from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.calendar import RuleView
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.engagement import EngagementModel
from vendorsim.mocks.core.ids import IdSequences
from vendorsim.mocks.core.outbox import Outbox

from .contacts import ContactStore
from .content import ContentStore
from .emails import EmailStore
from .engagement import Engagement
from .ens import EnsStore, ens_snapshot, seed_ens
from .errors import SfmcError
from .extensions import DataExtension, DataExtensionStore
from .fields import render
from .folders import FolderStore
from .messaging import Messaging
from .retrieve import Retriever
from .retrieve_sending import SendingRecords
from .rowset import RowQueries
from .scopes import SYSTEM
from .seed_shape import SfmcSeed
from .sending import Sending
from .sends import SendStore
from .subscribers import SubscriberStore
from .tracking import TrackingStore
from .writes import Writer
from .writes_sending import SendingWrites


class SfmcAccount:
    """Data extensions and their rows, contacts, subscribers and lists, engagement, and the
    SOAP API's Retrieve cursors and writes, of one account."""

    seed_shape = SfmcSeed

    def __init__(self, subdomain: str, clock: Clock, outbox: Outbox | None = None,
                 calendar: RuleView | None = None) -> None:
        self.subdomain = subdomain
        self.clock = clock
        self.lock = threading.RLock()
        self.outbox = outbox  # the cloud's: where the account's own work waits for its time
        self.sequences = ids = IdSequences()  # every whole-number id it hands out
        self.folders = FolderStore(self.lock, clock, ids.sequence("folders", 100))
        self.data = DataExtensionStore(self.lock, clock, self.folders)
        self.queries = RowQueries(self.data)
        self.contacts = ContactStore(self.lock, clock, self.data)
        self.audience = SubscriberStore(self.lock, clock, ids)  # subscribers and lists (SOAP)
        self.engagement = Engagement(self.lock, clock,  # entry events, sends, campaigns
                                     campaign_ids=ids.sequence("campaigns", 1))
        self.soap = Retriever(self.lock, self.data, self.audience)
        self.writer = Writer(self.lock, self.data, self.audience)
        self.member_id = 1_000_000 + zlib.crc32(subdomain.encode()) % 9_000_000  # its MID
        self.content = ContentStore(self.lock, clock, self.member_id, ids)  # Content Builder
        self.emails = EmailStore(self.lock, clock, self.folders, ids=ids.sequence("emails", 1000))
        self.tracking = TrackingStore(self.lock, clock, outbox, self.audience,
                                      ids.sequence("trackingEvents", 1))
        self.sends = SendStore(self.lock, clock, self.audience, self.tracking, ids)
        self.sending = Sending(self.lock, clock, self.emails, self.sends, self.audience)
        self.engagement.sending = self.sending
        self.soap.extra = SendingRecords(self.folders, self.emails, self.sends, self.tracking)
        self.writer.sending = SendingWrites(self.folders, self.emails, self.sending)
        self.ens = EnsStore(self.lock, clock, outbox, calendar or RuleView(lambda name: True),
                            subdomain, self.member_id)
        self.tracking.listeners.append(self.ens.happened)
        self.messaging = Messaging(self.lock, clock, self.emails, self.sends, self.tracking)

    # -- for Python-side inspection (tests, the simulator's reports) -------------------
    @property
    def extensions(self) -> dict[str, DataExtension]:
        """The data extensions by lower-cased external key."""
        return self.data.extensions

    def get(self, key: str) -> DataExtension:
        """A data extension by external key (its queued async writes applied); 404 error."""
        with self.lock:
            return self.data.get(key)

    # -- seeding and snapshots ---------------------------------------------------------
    @atomic
    def seed(self, data: dict) -> None:
        for spec in data.get("data_extensions") or []:
            try:
                de = self.data.create(SYSTEM, spec)
            except SfmcError as exc:
                raise ValueError(exc.message) from None
            for row in spec.get("rows") or []:
                checked, problems = de.check_row({}, row)
                if problems:
                    raise ValueError(f"data extension {de.key}: {'; '.join(problems)}")
                de.put(checked)
        self.audience.seed(data.get("lists") or [], data.get("subscribers") or [])
        self.engagement.seed(data)
        self.sends.model = EngagementModel.from_dict(data.get("engagement", self.sends.model
                                                              .to_dict()))
        self.folders.seed(data.get("folders") or [])
        try:
            self.emails.seed(data.get("emails") or [], [
                *(data.get("triggered_sends") or []),
                *(data.get("triggered_send_definitions") or [])])
            self.sending.seed(data)
            seed_ens(self.ens, data.get("ens"))
            self.messaging.seed(data.get("message_definitions") or [])
        except SfmcError as exc:
            raise ValueError(exc.message) from None
        if data.get("content"):
            try:
                self.content.seed(data["content"])
            except SfmcError as exc:
                raise ValueError(f"content: {exc.message}") from None
        self.sequences.restore(data.get("nextIds"))

    def snapshot(self) -> dict:
        with self.lock:
            self.data.apply_due()
            return {"data_extensions": [_extension(de) for de in self.data.extensions.values()],
                    "contacts": [{"contactKey": k, "contactID": c["contactID"],
                                  "createdAt": iso_utc(c["created"]),
                                  **({"email": c["email"], "html": c["html"]}
                                     if "email" in c else {})}
                                 for k, c in self.contacts.contacts.items()],
                    **self.audience.snapshot(), **self.engagement.snapshot(),
                    **self.sending.snapshot(), "content": self.content.snapshot(),
                    "engagement": self.sends.model.to_dict(),
                    "folders": self.folders.snapshot(),
                    "emails": self.emails.snapshot()[0],
                    "triggered_send_definitions": self.emails.snapshot()[1],
                    "ens": ens_snapshot(self.ens),
                    "message_definitions": self.messaging.snapshot(),
                    "send_jobs": self.sends.snapshot(), "tracking": self.tracking.snapshot(),
                    "nextIds": self.sequences.snapshot()}  # so no id is handed out again

    def restore(self, data: dict) -> None:
        if not isinstance(data, dict):
            raise ValueError("SFMC state must be an object")
        self.seed(data)
        self.sends.restore(data.get("send_jobs") or [])
        self.tracking.restore(data.get("tracking") or [])
        for contact in data.get("contacts") or []:
            if not isinstance(contact, dict) or not isinstance(contact.get("contactKey"), str) \
                    or whole_number(contact.get("contactID"), 1) is None:
                raise ValueError("contacts are {contactKey, contactID, createdAt}")
            self.contacts.contacts[contact["contactKey"]] = {
                "contactID": whole_number(contact["contactID"]),
                "created": parse_time(contact.get("createdAt") or 0),
                **({"email": str(contact["email"]), "html": contact.get("html") is not False}
                   if contact.get("email") else {})}


def _extension(de: DataExtension) -> dict:
    return {**de.describe(), "fields": [
        {"name": f.name, "type": f.type, "length": f.length, "scale": f.scale,
         "isPrimaryKey": f.primary_key, "isNullable": not f.required} for f in de.fields],
        **({"description": de.description} if de.description else {}),
        **({"isSendable": True} if de.sendable else {}),
        "rows": [{k: render(v) if isinstance(v, datetime) else
                  (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
                 for r in de.rows.values()]}
