"""One Demandbase client (tenant = client id): accounts, account lists, import and export
jobs, activity types.

The account-list API is modelled (no public write API exists): lists by unique name
(B-DB-05), accounts added by domain, removed accounts kept in the account database ("not
deleted"). Imports (imports.py) and exports (exports.py) are mixed in; every operation checks
the caller's permission and takes the client's lock (grants.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from vendorsim.mocks.core.backend import atomic
from vendorsim.mocks.core.bearer import ApiError
from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc
from vendorsim.mocks.core.domains import normalise_domain
from vendorsim.mocks.core.ids import IdSequences
from vendorsim.mocks.core.outbox import Outbox

from .alerts import AlertStore
from .errors import problem
from .exports import ActivityType, ExportJob, ExportsAndActivityTypes
from .grants import Caller, operation
from .imports import ImportJobs, Job
from .quotas import DailyCounts
from .seed_shape import DemandbaseSeed

MAX_LIST_NAME = 500  # characters (chosen: Demandbase publishes none)


@dataclass
class AccountList:
    id: int
    name: str
    description: str
    dataflow: str | None
    created: float
    updated: float
    members: dict[str, float] = field(default_factory=dict)  # domain -> added at

    def render(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "dataflowId": self.dataflow, "accountCount": len(self.members),
                "createdAt": iso_utc(self.created), "updatedAt": iso_utc(self.updated)}


class DemandbaseClient(ImportJobs, ExportsAndActivityTypes):
    """The accounts, account lists, import and export jobs of one API client."""

    seed_shape = DemandbaseSeed

    def __init__(self, client_id: str, clock: Clock, outbox: Outbox | None = None) -> None:
        self.client_id = client_id
        self.clock = clock
        self.lock = threading.RLock()
        self.accounts: dict[str, dict] = {}  # domain -> {accountName, domain}
        self.lists: dict[int, AccountList] = {}
        self._names: dict[str, int] = {}  # lower-cased list name -> id
        self.jobs: dict[int, Job] = {}
        self.exports: dict[str, ExportJob] = {}
        self.activity_types: dict[int, ActivityType] = {}
        self.daily = DailyCounts()  # calls per endpoint and bytes exported, today (UTC)
        self.sequences = IdSequences()  # list and job ids, never handed out twice
        self.ids = self.sequences.sequence("listsAndJobs", 11416)
        self.outbox = outbox  # the cloud's: where subscription alerts wait for their time
        self.alerts = AlertStore(self.lock, clock, outbox, client_id, self.lists)

    def new_id(self) -> int:
        """The next id no list or job holds (seeded ones may have taken some)."""
        while True:
            candidate = self.ids.take()
            if candidate not in self.lists and candidate not in self.jobs:
                return candidate

    # -- account lists (modelled) ----------------------------------------------------
    def list_by_name(self, name: str) -> AccountList | None:
        found = self._names.get(name.lower())
        return self.lists.get(found) if found is not None else None

    @operation("lists.write")
    def create_list(self, caller: Caller, body: object) -> dict:
        return self._create_list(body).render()

    def _create_list(self, body: object) -> AccountList:
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) \
                or not body["name"].strip() or len(body["name"]) > MAX_LIST_NAME:
            raise problem(400, f"name is required (at most {MAX_LIST_NAME} characters)")
        if self.list_by_name(body["name"]) is not None:
            raise problem(409, f"Account list name '{body['name']}' is already in use")
        list_id = whole_number(body.get("id"), 1) if "id" in body else self.new_id()
        if list_id is None or list_id in self.lists or list_id in self.jobs:
            raise problem(400, "id must be a new whole number")
        dataflow = body.get("dataflowId")
        if dataflow is not None and not isinstance(dataflow, str | int):
            raise problem(400, "dataflowId is a string")
        description = body.get("description")
        return self.make_list(body["name"], str(description or "")[:2000],
                              None if dataflow is None else str(dataflow)[:200], list_id)

    def make_list(self, name: str, description: str = "", dataflow: str | None = None,
                  list_id: int | None = None) -> AccountList:
        now = self.clock.now()
        made = AccountList(list_id or self.new_id(), name, description, dataflow, now, now)
        self.lists[made.id] = made
        self._names[name.lower()] = made.id
        return made

    @operation("lists.read")
    def all_lists(self, caller: Caller) -> list[dict]:
        return [x.render() for x in self.lists.values()]

    @operation("lists.read")
    def describe_list(self, caller: Caller, list_id: int) -> dict:
        return self.get_list(list_id).render()

    def get_list(self, list_id: int) -> AccountList:
        found = self.lists.get(list_id)
        if found is None:
            raise problem(404, f"Account list {list_id} not found")
        return found

    @operation("lists.read")
    def members(self, caller: Caller, list_id: int, page: int, per_page: int
                ) -> tuple[int, list[dict]]:
        """How many accounts a list holds, and one page of them."""
        target = self.get_list(list_id)
        domains = list(target.members)[(page - 1) * per_page: page * per_page]
        return len(target.members), [dict(self.accounts[d]) for d in domains]

    @operation("lists.write")
    def add_to_list(self, caller: Caller, list_id: int, body: object,
                    keep: Callable[[list[dict]], list[dict]]) -> dict:
        """Add accounts by domain: `{"accounts": [{accountName, accountEmailDomain}]}`;
        `keep` is what the transport lets through of the valid ones (a `drop` fault loses
        some of an accepted batch, B-DB-06)."""
        target = self.get_list(list_id)
        accounts = body.get("accounts") if isinstance(body, dict) else None
        if not isinstance(accounts, list) or not accounts:
            raise problem(400, "Expected {\"accounts\": [{\"accountName\", "
                               "\"accountEmailDomain\"}]}")
        good, rejected = [], []
        for index, item in enumerate(accounts):
            item = item if isinstance(item, dict) else {}
            domain = normalise_domain(item.get("accountEmailDomain"))
            name = item.get("accountName")
            if domain is None or not isinstance(name, str) or not name.strip():
                rejected.append({"index": index, "errorMessage":
                                 "accountName and a valid accountEmailDomain are required"})
                continue
            # every submitted field is kept, so a test can see what the CDP sent (primaryId
            # must never arrive: B-BOM-05 / AEP's Demandbase mapping)
            good.append({**item, "accountName": name.strip(), "domain": domain})
        self.add_accounts(target, keep(good))
        return {"accepted": len(good), "rejected": rejected}

    @operation("lists.write")
    def remove_from_list(self, caller: Caller, list_id: int, body: object) -> dict:
        """`{"domains": [...]}` leave the list (the accounts stay in the database)."""
        target = self.get_list(list_id)
        domains = body.get("domains") if isinstance(body, dict) else None
        if not isinstance(domains, list):
            raise problem(400, "Expected {\"domains\": [...]}")
        clean = [d for d in map(normalise_domain, domains) if d]
        return {"removed": self.drop_members(target, clean)}

    def add_accounts(self, target: AccountList, accounts: list[dict]) -> None:
        now = self.clock.now()
        joined = [a["domain"] for a in accounts if a["domain"] not in target.members]
        for account in accounts:
            self.accounts.setdefault(account["domain"], account)
            target.members.setdefault(account["domain"], now)
        target.updated = now
        self.alerts.changed(target, list(dict.fromkeys(joined)), "ADDED")

    def drop_members(self, target: AccountList, domains: list[str]) -> int:
        gone = [d for d in dict.fromkeys(domains) if d in target.members]
        for domain in gone:
            del target.members[domain]  # the account itself stays in the account database
        target.updated = self.clock.now()
        self.alerts.changed(target, gone, "REMOVED")
        return len(gone)

    # -- seeding and snapshots -------------------------------------------------------
    @atomic
    def seed(self, data: dict) -> None:
        for spec in data.get("account_lists") or []:
            try:
                created = self._create_list(spec)
            except ApiError as exc:
                raise ValueError(str(exc.body)) from None
            accounts = []
            for domain in spec.get("domains") or []:
                clean = normalise_domain(domain)
                if clean is None:
                    raise ValueError(f"list {spec.get('name')!r}: invalid domain {domain!r}")
                accounts.append({"accountName": clean, "domain": clean})
            self.add_accounts(created, accounts)
        self.alerts.restore(data.get("alert_subscriptions") or [])
        self.sequences.restore(data.get("nextIds"))

    def snapshot(self) -> dict:
        with self.lock:
            self.advance_jobs()
            return {"account_lists": [{"id": x.id, "name": x.name, "description": x.description,
                                       "dataflowId": x.dataflow, "domains": sorted(x.members)}
                                      for x in self.lists.values()],
                    "accounts": sorted(self.accounts.values(), key=lambda a: a["domain"]),
                    "jobs": [j.to_state() for j in self.jobs.values()],
                    "activity_types": [{"id": t.id, **t.details()}
                                       for t in self.activity_types.values()],
                    "exports": [{**j.details(), "fields": j.fields, "due": iso_utc(j.due),
                                 "accountListIds": j.account_lists,
                                 "personListIds": j.person_lists, "result": j.result}
                                for j in self.exports.values()],
                    "alert_subscriptions": self.alerts.snapshot(),
                    "nextIds": self.sequences.snapshot()}  # so no id is handed out again

    def restore(self, data: dict) -> None:
        if not isinstance(data, dict):
            raise ValueError("Demandbase state must be an object")
        self.seed(data)
        for account in data.get("accounts") or []:
            domain = normalise_domain(account.get("domain")) if isinstance(account, dict) \
                else None
            if domain is None:
                raise ValueError("each account is an object with a valid 'domain'")
            self.accounts[domain] = dict(account)
        jobs = data.get("jobs") or []
        if not isinstance(jobs, list):
            raise ValueError("jobs is a list")
        for spec in jobs:
            job = Job.from_state(spec)
            self.jobs[job.id] = job
        for spec in data.get("activity_types") or []:
            if not isinstance(spec, dict):
                raise ValueError("activity_types are objects as the snapshot shows them")
            type_id = whole_number(spec.get("id"), 1)
            if type_id is None:
                raise ValueError("an activity type needs a whole-number id")
            self.put_activity_type(spec, type_id)
        for spec in data.get("exports") or []:
            self._restore_export(spec)
        taken = [*self.jobs, *self.lists]
        self.ids.continue_from(max([11415, *taken]) + 1)
