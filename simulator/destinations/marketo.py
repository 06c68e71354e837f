"""The CDP's Marketo Engage destination (seed 003, behaviour.md B-MKT-*), over HTTP only.

Activation checks the documented configuration rules before anything is sent; delivery then
follows the lead matching table (B-MKT-14): leads are looked up first on the dedupe field
across every partition (B-MKT-11), the most recently updated one wins when several match
(B-MKT-12), profile sync types update it (by id) and, with `update_existing_and_create_new`,
create unmatched profiles in the chosen partition or Default (B-MKT-13); audience sync types
put matched (and newly created) leads on one static list per audience and take exiting
profiles off it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import requests

from vendorsim.simulator.clients.http import Tally
from vendorsim.simulator.clients.marketo import MarketoClient
from vendorsim.simulator.scenario.model import Audience, MarketoDestination

from .exports import ReceivesExports
from .outcome import ActivationRefused, Outcome
from .policy import Dropped, Rejected

FORBIDDEN_DEDUPE = {"id", "ecids", "ecid"}  # B-MKT-07: Marketo Lead ID and ECID
REQUIRED = ("firstName", "lastName", "email")  # B-MKT-10
PROFILE_SYNC = ("profile_only", "audience_and_profile")
AUDIENCE_SYNC = ("audience_only", "audience_and_profile")
BATCH = 300
LIST_FOLDER = {"id": 12, "type": "Folder"}


class MarketoConnector(ReceivesExports):
    """One Marketo destination dataflow: its settings, a session, the instance's base URL."""

    def __init__(self, config: MarketoDestination, base_url: str,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] | None = None,
                 now: Callable[[], float] = time.time,
                 pace: Callable[[], None] | None = None,
                 holds: dict[tuple, tuple[float, int]] | None = None) -> None:
        self.config = config
        # dataflows sharing an API client share its throttle (`holds`): when Marketo tells
        # one to wait, the others hold off too (the vendor sees one client); the one told
        # waits per its own delivery policy
        self.client = MarketoClient(base_url, config.client_id, config.client_secret,
                                    session or requests.Session(), sleep, now, pace, holds)
        delivery = config.delivery  # the vendor's limit unless the dataflow sets its own
        self.batch = min(BATCH, delivery.max_users_per_request) \
            if "max_users_per_request" in delivery.model_fields_set else BATCH
        self.list_ids: dict[str, int] = {}

    # -- activation (B-MKT-02/06/07/08/10) ----------------------------------------------
    def activate(self, audience: Audience) -> None:
        cfg = self.config
        if cfg.legacy and (cfg.sync_type != "audience_only" or cfg.person_action or
                           cfg.partition or set(cfg.mappings) - {"email", "ecid"}):
            raise ActivationRefused("the legacy Marketo destination only sends email and ECID "
                                    "to audience lists; it never writes or creates leads "
                                    "(B-B2B-08)")
        if audience.type != "people":
            raise ActivationRefused(f"Marketo takes people audiences only; '{audience.name}' "
                                    f"is an {audience.type} audience (B-MKT-02)")
        if cfg.partition and cfg.sync_type not in PROFILE_SYNC:
            raise ActivationRefused("a partition can only be chosen with the profile_only or "
                                    "audience_and_profile sync types (B-MKT-06)")
        if cfg.sync_type == "audience_only" and cfg.person_action:
            raise ActivationRefused("person action does not apply to audience_only (B-MKT-08)")
        if cfg.sync_type in PROFILE_SYNC and not cfg.person_action:
            raise ActivationRefused(f"choose a person action for {cfg.sync_type} (B-MKT-08)")
        if cfg.dedupe_field.lower() in FORBIDDEN_DEDUPE:
            raise ActivationRefused(f"'{cfg.dedupe_field}' cannot be the deduplication field: "
                                    "Marketo Lead ID and ECID are not allowed (B-MKT-07)")
        try:
            described = self._get("/rest/v1/leads/describe2.json")
        except Dropped as exc:  # the credentials refused, or Marketo never answered
            raise ActivationRefused(f"Marketo {cfg.munchkin_id} could not be read at "
                                    f"activation: {exc}") from None
        searchable = {names[0] for names in described["result"][0]["searchableFields"]}
        if cfg.dedupe_field not in searchable:
            raise ActivationRefused(f"'{cfg.dedupe_field}' is not a searchable (dedupe) field in "
                                    f"Marketo {cfg.munchkin_id} (B-MKT-07)")
        if cfg.dedupe_field not in cfg.mappings:
            raise ActivationRefused(f"map a profile attribute to the dedupe field "
                                    f"'{cfg.dedupe_field}' (B-MKT-09)")
        creates = cfg.person_action == "update_existing_and_create_new"
        if cfg.sync_type in PROFILE_SYNC and creates:
            missing = [f for f in REQUIRED if f not in cfg.mappings]
            if missing:
                raise ActivationRefused(f"creating leads needs mappings for {', '.join(REQUIRED)}"
                                        f"; missing: {', '.join(missing)} (B-MKT-10)")

    # -- delivery (B-MKT-11..14) ---------------------------------------------------------
    def deliver(self, audience: Audience, entering: list[dict], exiting: list[dict],
                id_key: str = "personId") -> Outcome:
        cfg = self.config
        outcome = Outcome()
        profiles = entering + exiting
        keys = {p[id_key]: self.dedupe_key(p) for p in profiles}
        leads, lost = self._match(list(keys.values()))
        for pid, key in keys.items():
            if (exc := lost.get(key)) is not None:
                _lose(outcome, pid, exc)
        entering = [p for p in entering if keys[p[id_key]] not in lost]
        exiting = [p for p in exiting if keys[p[id_key]] not in lost]
        matched = {pid: leads[key] for pid, key in keys.items() if key in leads}
        if cfg.sync_type in PROFILE_SYNC:
            self._update(entering, matched, outcome, id_key)
            if cfg.person_action == "update_existing_and_create_new":
                self._create(entering, matched, outcome, id_key)
            else:
                outcome.not_created += [p[id_key] for p in entering if p[id_key] not in matched]
        else:
            outcome.not_created += [p[id_key] for p in entering if p[id_key] not in matched]
        if cfg.sync_type in AUDIENCE_SYNC:
            try:
                list_id = self._list_for(audience)
            except Dropped as exc:  # the audience's list could not be found or made
                for pid in [p[id_key] for p in entering + exiting]:
                    _lose(outcome, pid, exc)
                return outcome
            ins = [(p[id_key], matched[p[id_key]]) for p in entering if p[id_key] in matched]
            outs = [(p[id_key], matched[p[id_key]]) for p in exiting if p[id_key] in matched]
            self._membership(list_id, ins, "POST", outcome.listed, outcome)
            self._membership(list_id, outs, "DELETE", outcome.unlisted, outcome)
        return outcome

    def dedupe_key(self, profile: dict) -> str:
        """The profile's value for the dedupe field, as matching compares it (B-MKT-09)."""
        value = profile.get(self.config.mappings[self.config.dedupe_field])
        return str(value).lower() if value is not None else ""

    def _match(self, keys: list[str]) -> tuple[dict[str, int], dict[str, Dropped]]:
        """dedupe value -> the lead to use: across partitions, most recently updated wins;
        and the values whose lookup the delivery policy gave up on."""
        wanted = sorted({k for k in keys if k})
        found: dict[str, tuple[str, int]] = {}
        lost: dict[str, Dropped] = {}
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start:start + BATCH]
            token = None
            while True:
                form = {"_method": "GET", "filterType": self.config.dedupe_field,
                        "filterValues": ",".join(chunk),
                        "fields": f"{self.config.dedupe_field},updatedAt"}
                if token:
                    form["nextPageToken"] = token
                try:
                    body = self._call("POST", "/rest/v1/leads.json", data=form)
                except Dropped as exc:
                    lost.update(dict.fromkeys(chunk, exc))
                    break
                for lead in body.get("result", []):
                    key = str(lead.get(self.config.dedupe_field) or "").lower()
                    candidate = (lead.get("updatedAt") or "", lead["id"])
                    if key not in found or candidate > found[key]:
                        found[key] = candidate
                if not body.get("moreResult"):
                    break
                token = body["nextPageToken"]
        return {key: lead_id for key, (_, lead_id) in found.items() if key not in lost}, lost

    def _fields(self, profile: dict) -> dict:
        return {field_name: profile.get(attribute)
                for field_name, attribute in self.config.mappings.items()
                if profile.get(attribute) is not None}

    def _update(self, entering: list[dict], matched: dict, outcome: Outcome, id_key: str) -> None:
        todo = [(p[id_key], {**self._fields(p), "id": matched[p[id_key]]})
                for p in entering if p[id_key] in matched]
        for pid, result in self._sync(todo, outcome, action="updateOnly", lookupField="id"):
            self._record(result, pid, outcome.updated, outcome)

    def _create(self, entering: list[dict], matched: dict, outcome: Outcome, id_key: str) -> None:
        todo = [(p[id_key], self._fields(p)) for p in entering if p[id_key] not in matched]
        options = {"action": "createOnly", "lookupField": self.config.dedupe_field,
                   "partitionName": self.config.partition or "Default"}
        for pid, result in self._sync(todo, outcome, **options):
            if self._record(result, pid, outcome.created, outcome):
                matched[pid] = result["id"]  # new leads join the audience list too

    def _sync(self, todo: list[tuple[str, dict]], outcome: Outcome,
              **options: str) -> list[tuple[str, dict]]:
        results = []
        for start in range(0, len(todo), self.batch):
            chunk = todo[start:start + self.batch]
            try:
                body = self._call("POST", "/rest/v1/leads.json",
                                  json={**options, "input": [rec for _, rec in chunk]})
            except Dropped as exc:
                for pid, _ in chunk:
                    _lose(outcome, pid, exc)
                continue
            results += [(pid, res) for (pid, _), res in zip(chunk, body["result"], strict=True)]
        return results

    @staticmethod
    def _record(result: dict, pid: str, bucket: list, outcome: Outcome) -> bool:
        if result.get("status") in ("created", "updated", "added", "removed"):
            bucket.append(pid)
            return True
        reasons = result.get("reasons") or [{"code": "?", "message": result.get("status")}]
        outcome.failed[pid] = "; ".join(f"{r['code']} {r['message']}" for r in reasons)
        return False

    def _list_for(self, audience: Audience) -> int:
        """One static list per audience, named after it (created on first use)."""
        if audience.id in self.list_ids:
            return self.list_ids[audience.id]
        found = self._get("/rest/asset/v1/staticList/byName.json", name=audience.name)
        if found.get("result"):
            list_id = found["result"][0]["id"]
        else:
            try:
                created = self._call("POST", "/rest/asset/v1/staticLists.json",
                                     policy="lossless", data={
                                         "name": audience.name,
                                         "folder": json.dumps(LIST_FOLDER)})
                list_id = created["result"][0]["id"]
            except Rejected as exc:  # 709: another dataflow created it in the meantime
                again = self._get("/rest/asset/v1/staticList/byName.json", name=audience.name)
                if "709" not in str(exc) or not again.get("result"):
                    raise
                list_id = again["result"][0]["id"]
        self.list_ids[audience.id] = list_id
        return list_id

    def _membership(self, list_id: int, members: list[tuple[str, int]], method: str,
                    bucket: list, outcome: Outcome) -> None:
        for start in range(0, len(members), self.batch):
            chunk = members[start:start + self.batch]
            try:
                body = self._call(method, f"/rest/v1/lists/{list_id}/leads.json",
                                  json={"input": [{"id": lead} for _, lead in chunk]})
            except Dropped as exc:
                for pid, _ in chunk:
                    _lose(outcome, pid, exc)
                continue
            for (pid, _), result in zip(chunk, body["result"], strict=True):
                if result.get("status") == "skipped" and any(
                        r["code"] == "1015" for r in result.get("reasons", [])):
                    continue  # already off the list: nothing to do
                self._record(result, pid, bucket, outcome)

    # -- HTTP ------------------------------------------------------------------------------
    @property
    def tally(self) -> Tally:
        """Calls, throttled answers, retries and waits, per dataflow (the client's)."""
        return self.client.tally

    def _get(self, path: str, **params: str) -> dict:
        """Set-up reads (activation, list lookup) wait out throttling whatever the policy:
        nothing has been sent yet that could be dropped."""
        return self._call("GET", path, policy="lossless", params=params)

    def _call(self, method: str, path: str, policy: str | None = None,
              **kwargs: object) -> dict:
        """One REST call under the dataflow's delivery policy (the shared Marketo client:
        re-authentication, the throttle policy, no-answer as a failed attempt)."""
        return self.client.call(method, path, policy or self.config.delivery.policy, **kwargs)


def skip_reason(config: MarketoDestination) -> str:
    """Why an unmatched profile creates no lead under this dataflow (B-MKT-14)."""
    if config.legacy:
        return "no matching lead; the legacy destination never creates leads (B-B2B-08)"
    if config.sync_type == "audience_only":
        return "no matching lead; audience_only never creates leads (B-MKT-14)"
    return "no matching lead; update_existing_only creates none (B-MKT-14)"


def _lose(outcome: Outcome, pid: str, exc: Dropped) -> None:
    """A profile given up by the policy (dropped) or refused by Marketo (failed)."""
    (outcome.failed if isinstance(exc, Rejected) else outcome.dropped)[pid] = str(exc)
