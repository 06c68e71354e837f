"""Sends: an email going to recipients, as SFMC does it for a triggered send, a journey's
email, a list send or a transactional message. Each send is a `Send` job (its counts read
from its tracking events); each recipient's events are drawn from the account's engagement
model and kept by the tracking store, to happen on the clock. A commercial send skips
recipients who unsubscribed or whose address is held (a NotSentEvent); a transactional one
does not. A recipient the account does not know becomes a subscriber (on All Subscribers),
as a triggered send makes one."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.engagement import EngagementModel, Sendable
from vendorsim.mocks.core.ids import IdSequences

from ..facts import NOT_SENT_TO
from .scopes import SYSTEM
from .subscribers import SubscriberError, SubscriberStore
from .tracking import TrackingStore


@dataclass
class SendJob:
    id: int
    kind: str  # triggered | journey | list | transactional
    email_id: int | None
    email_name: str
    subject: str
    sent: float
    definition: str | None = None  # the triggered send's, journey's or definition's key
    tsd_object_id: str | None = None
    list_ids: tuple[int, ...] = ()
    targeted: int = 0
    transactional: bool = False


class SendStore:
    """The account's send jobs and what their recipients did."""

    def __init__(self, lock: threading.RLock, clock: Clock, audience: SubscriberStore,
                 tracking: TrackingStore, sequences: IdSequences | None = None) -> None:
        self.lock = lock
        self.clock = clock
        self.audience = audience
        self.tracking = tracking
        self.model = EngagementModel()
        self.jobs: dict[int, SendJob] = {}
        ids = sequences or IdSequences()
        self.job_ids = ids.sequence("sendJobs", 1001)
        self.batch_ids = ids.sequence("sendBatches", 1)

    def job(self, kind: str, email_id: int | None, email_name: str, subject: str, *,
            definition: str | None = None, tsd_object_id: str | None = None,
            list_ids: tuple[int, ...] = (), transactional: bool = False) -> SendJob:
        made = SendJob(self.job_ids.take(), kind, email_id, email_name, subject, self.clock.now(),
                       definition, tsd_object_id, list_ids, transactional=transactional)
        self.jobs[made.id] = made
        return made

    def send(self, job: SendJob, recipients: list[Sendable], *, at: float | None = None,
             message_keys: list[str | None] | None = None) -> None:
        """Each recipient's events from the engagement model (under the account's lock)."""
        start = self.clock.now() if at is None else at
        batch = self.batch_ids.take()
        for n, recipient in enumerate(recipients):
            job.targeted += 1
            subscriber = self._subscriber(recipient)
            common: dict[str, Any] = {
                "send_id": job.id, "subscriber": recipient.key, "address": recipient.address,
                "definition": job.definition, "tsd_object_id": job.tsd_object_id,
                "batch": batch, "message_key": message_keys[n] if message_keys else None}
            if not job.transactional and subscriber is not None and \
                    subscriber.status in NOT_SENT_TO:
                self.tracking.add("not_sent", start, **common)
                continue
            for event in self.model.outcomes(job.id, recipient.key,
                                             {**recipient.attributes,
                                              "EmailAddress": recipient.address}, start):
                if event.kind == "delivered":
                    continue  # SFMC keeps no delivered event: sent minus bounces
                extra = {"url": event.get("url"), "bot": event.get("bot", False),
                         "bounce": event.get("category"), "smtp": event.get("smtp")}
                self.tracking.add(event.kind, event.at, **common,
                                  **{k: v for k, v in extra.items() if v})
        self.tracking.schedule()

    def _subscriber(self, recipient: Sendable) -> Any:
        found = self.audience.get(recipient.key)
        if found is not None:
            return found
        try:  # a triggered send adds the subscriber it is sent to
            return self.audience.create(SYSTEM, recipient.key, recipient.address, "Active")
        except SubscriberError:
            return None  # an address the store refuses: sent to all the same

    def record(self, job: SendJob) -> dict:
        """A send as its SOAP `Send` object shows it."""
        return {"ID": job.id, "ObjectID": f"send-{job.id}", "Email": {"ID": job.email_id},
                "Email.ID": job.email_id, "EmailName": job.email_name,
                "Subject": job.subject, "SentDate": job.sent, "CreatedDate": job.sent,
                "Status": "Complete", "NumberTargeted": job.targeted,
                **self.tracking.counts(job.id)}

    def list_records(self, job: SendJob) -> list[dict]:
        """A list send's counts, one record per list (ListSend)."""
        counts = self.tracking.counts(job.id)
        return [{"ObjectID": f"listsend-{job.id}-{list_id}", "SendID": job.id,
                 "List": {"ID": list_id}, "List.ID": list_id, "CreatedDate": job.sent,
                 "NumberTargeted": job.targeted, **counts} for list_id in job.list_ids]

    def snapshot(self) -> list[dict]:
        return [{"id": j.id, "kind": j.kind, "email": j.email_id, "emailName": j.email_name,
                 "subject": j.subject, "sent": j.sent, "definition": j.definition,
                 "tsd": j.tsd_object_id, "lists": list(j.list_ids), "targeted": j.targeted,
                 "transactional": j.transactional} for j in self.jobs.values()]

    def restore(self, jobs: list) -> None:
        for spec in jobs:
            if not isinstance(spec, dict):
                raise ValueError("send jobs are objects as the snapshot shows them")
            job = SendJob(int(spec["id"]), str(spec["kind"]), spec.get("email"),
                          str(spec.get("emailName") or ""), str(spec.get("subject") or ""),
                          float(spec["sent"]), spec.get("definition"), spec.get("tsd"),
                          tuple(int(i) for i in spec.get("lists") or ()),
                          int(spec.get("targeted") or 0), spec.get("transactional") is True)
            self.jobs[job.id] = job
            self.job_ids.note(job.id)
