"""What the CDP's account-audience destinations share; `bombora.py` (seed 000) and
`demandbase.py` (seed 002) hold what differs (auth, the lists' wire format).

Both take account audiences only (B-BOM-01, B-DB-01) from the segmentation service only
(B-BOM-02, B-DB-02), need their mandatory mappings (B-BOM-05; AEP's Demandbase mapping),
never export `primaryId`, and refuse an audience whose name was activated before through
another dataflow (B-BOM-06, B-DB-05). Each audience becomes one vendor list, named after it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from vendorsim.simulator.clients.http import Tally, Unreachable, json_of, send
from vendorsim.simulator.scenario.model import AccountDestination, Audience

from .exports import ReceivesExports
from .outcome import ActivationRefused, Outcome
from .policy import Attempts, Dropped, Rejected

BATCH = 1000


class AccountConnector(ReceivesExports):
    """One account-audience dataflow; subclasses name the vendor's IDs, fields and calls."""

    ids = ""  # behaviour-ID prefix: B-BOM, B-DB
    required: tuple[str, ...] = ()  # mandatory partner fields
    mapping_rule = ""  # where the mandatory mappings are documented
    same_name_rule = ""  # the behaviour that refuses a reused audience name
    domain_field = ""  # the partner field that carries an account's domain (the lists' key)

    def __init__(self, config: AccountDestination, base_url: str,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] | None = None,
                 pace: Callable[[], None] | None = None) -> None:
        self.config = config
        self.kind = config.type
        self.base = base_url.rstrip("/")
        self.http = session or requests.Session()
        self.sleep = sleep or (lambda seconds: None)  # the engine: a wait of the dataflow
        self.pace = pace or (lambda: None)  # the engine: other dataflows' calls interleave
        self.list_ids: dict[str, object] = {}  # audience id -> list id this dataflow made
        self.tally = Tally()  # calls, throttled answers, retries, seconds waited

    # -- activation ----------------------------------------------------------------------
    def activate(self, audience: Audience) -> None:
        vendor, ids = self.kind.capitalize(), self.ids
        if audience.type != "account":
            raise ActivationRefused(f"{vendor} takes account audiences only; "
                                    f"'{audience.name}' is a {audience.type} audience "
                                    f"({ids}-01)")
        if audience.origin != "segmentation_service":
            raise ActivationRefused(f"{vendor} takes audiences from the segmentation service "
                                    f"only, not {audience.origin} ({ids}-02)")
        missing = [f for f in self.required if f not in self.config.mappings]
        if missing:
            raise ActivationRefused(f"{vendor} needs mappings for {', '.join(missing)} "
                                    f"({self.mapping_rule})")
        if audience.id in self.list_ids:
            return
        created = self._create_list(audience.name)
        if created is None:
            raise ActivationRefused(f"an audience named '{audience.name}' was activated to "
                                    f"{vendor} before through another dataflow "
                                    f"({self.same_name_rule})")
        self.list_ids[audience.id] = created

    def _create_list(self, name: str) -> object | None:
        """The audience's list (None: the name is taken, 409); activation waits out
        throttling whatever the delivery policy, since nothing is dropped yet."""
        path, body = self.new_list(name)
        try:
            response = self._send("POST", path, json=body, policy="lossless", accept=(409,))
        except Dropped as exc:  # the credentials refused, or the vendor never answered
            raise ActivationRefused(f"{self.kind} did not create the list: {exc}") from None
        if response.status_code == 409:
            return None
        created = json_of(response).get("id")
        if created is None:
            raise ActivationRefused(f"{self.kind} answered the new list without an id: "
                                    f"{response.text[:200]}")
        return created

    # -- the vendor's calls (subclasses) -------------------------------------------------
    def new_list(self, name: str) -> tuple[str, object]:
        """Path and JSON body that create the audience's list."""
        raise NotImplementedError

    def add_accounts(self, list_id: object, records: list[dict]) -> tuple[str, object]:
        """Path and JSON body that add these partner records to the list."""
        raise NotImplementedError

    def remove_accounts(self, list_id: object, domains: list[Any]) -> tuple[str, object]:
        """Path and JSON body that take these domains off the list."""
        raise NotImplementedError

    token_field = "access_token"  # where the token answer carries the token

    def ready_token(self) -> str | None:
        """A token the dataflow already holds (Demandbase: a user's API token), if any."""
        return None

    def request_token(self) -> requests.Response:
        """The vendor's token call (through `send`)."""
        raise NotImplementedError

    # -- delivery ------------------------------------------------------------------------
    def record(self, account: dict) -> dict:
        """The partner record: mapped fields only, never primaryId (B-BOM-05)."""
        return {partner: account.get(attr) for partner, attr in self.config.mappings.items()
                if partner != "primaryId" and account.get(attr) is not None}

    def deliver(self, audience: Audience, entering: list[dict], exiting: list[dict],
                id_key: str = "accountId") -> Outcome:
        outcome = Outcome()
        list_id = self.list_ids[audience.id]
        domain_field = self.domain_field
        size = min(BATCH, self.config.delivery.max_users_per_request)  # vendor-apis.md §5.1
        for start in range(0, len(entering), size):
            chunk = entering[start:start + size]
            records = [self.record(a) for a in chunk]
            path, body = self.add_accounts(list_id, records)
            try:
                answer = self._send("POST", path, json=body)
            except Dropped as exc:
                lost = outcome.failed if isinstance(exc, Rejected) else outcome.dropped
                lost.update({a[id_key]: str(exc) for a in chunk})
                continue
            rejected = {r.get("index") for r in json_of(answer).get("rejected", [])
                        if isinstance(r, dict)}
            for index, account in enumerate(chunk):
                if index in rejected:
                    outcome.failed[account[id_key]] = "refused by the vendor (invalid domain)"
                else:
                    outcome.listed.append(account[id_key])
        if exiting:
            domains = [self.record(a).get(domain_field) for a in exiting]
            path, body = self.remove_accounts(list_id, domains)
            try:
                self._send("DELETE", path, json=body)
                outcome.unlisted += [a[id_key] for a in exiting]
            except Dropped as exc:
                lost = outcome.failed if isinstance(exc, Rejected) else outcome.dropped
                lost.update({a[id_key]: str(exc) for a in exiting})
        return outcome

    # -- HTTP ------------------------------------------------------------------------------
    def _token(self) -> None:
        """A bearer token: throttling, outages and no answer are waited out (lossless:
        nothing is lost by waiting); a refusal of the credentials raises Rejected."""
        ready = self.ready_token()
        if ready:
            self.http.headers["Authorization"] = f"Bearer {ready}"
            return
        attempts = Attempts("lossless", self.sleep)
        try:
            while True:
                self.tally.add("calls")
                self.pace()
                try:
                    answer = self.request_token()
                except Unreachable as exc:
                    attempts.failed(exc.status, f"the token call: {exc}")
                    continue
                value = json_of(answer).get(self.token_field) if answer.ok else None
                if value:
                    self.http.headers["Authorization"] = f"Bearer {value}"
                    return
                if answer.status_code not in (408, 420, 429) and answer.status_code < 500:
                    raise self._refused(answer)
                self.tally.add("throttled", answer.status_code in (420, 429))
                attempts.failed(answer.status_code, f"HTTP {answer.status_code} on the token "
                                                    "call", _retry_after(answer))
        finally:
            self.tally.add("waited", attempts.waited)
            self.tally.add("retries", attempts.retries)

    def _refused(self, answer: requests.Response) -> Rejected:
        return Rejected(f"the credentials were refused: HTTP {answer.status_code} "
                        f"{answer.text[:200]}")

    def _send(self, method: str, path: str, policy: str | None = None,
              accept: tuple[int, ...] = (), **kwargs: object) -> requests.Response:
        """A delivery under the dataflow's policy (`policy.py`): retried, waited on,
        or given up with Dropped (policy) or Rejected (the vendor's refusal)."""
        attempts = Attempts(policy or self.config.delivery.policy, self.sleep)
        try:
            while True:
                try:
                    response = self._call(method, path, **kwargs)
                except Unreachable as exc:
                    attempts.failed(exc.status, f"no answer from {self.kind} ({exc})")
                    continue
                if response.ok or response.status_code in accept:
                    return response
                self.tally.add("throttled", response.status_code in (420, 429))
                attempts.failed(response.status_code, f"HTTP {response.status_code}",
                                _retry_after(response))
        finally:
            self.tally.add("waited", attempts.waited)
            self.tally.add("retries", attempts.retries)

    def _call(self, method: str, path: str, **kwargs: object) -> requests.Response:
        """One request, re-authenticating once on 401 (tokens expire; B-BOM-03, B-DB-03)."""
        if "Authorization" not in self.http.headers:
            self._token()
        self.tally.add("calls")
        self.pace()
        response = send(self.http, method, self.base + path, **kwargs)
        if response.status_code == 401:
            self._token()
            self.tally.add("calls")
            response = send(self.http, method, self.base + path, **kwargs)
        return response


def _retry_after(response: requests.Response) -> float | None:
    """The seconds a Retry-After asks for (None when absent or not a number)."""
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds <= 86400 else None
