"""A scenario's `send` step, made as a marketer or the CDP makes it, through the vendor's
public API only: SFMC's triggered send (one `messageDefinitionSends/key:{key}/send` a
recipient), a journey's entry event (one `/interaction/v1/events` a recipient), transactional
messages (`/messaging/v1/email/messages/`, up to 2,000 recipients a call, 500 when they carry
attributes), a list send (SOAP `Create` of a `Send`); Marketo's Request Campaign
(`/rest/v1/campaigns/{id}/trigger.json`, 100 leads a call, the leads found by email first).
What the vendor then sends, and what recipients do, happens on the vendor's clock; the report
reads it back from the vendor (`engine/sends.py`)."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import requests

from vendorsim.simulator.clients.http import Unreachable, json_of, send
from vendorsim.simulator.clients.marketo import Dropped, MarketoClient, Rejected
from vendorsim.simulator.scenario.model import Scenario
from vendorsim.simulator.scenario.sends import Send

MESSAGES_PER_CALL, MESSAGES_WITH_ATTRIBUTES = 2000, 500  # SFMC's transactional batch limits
LEADS_PER_TRIGGER = 100  # Marketo's Request Campaign
EMAILS_PER_LOOKUP = 100  # filterValues a lead lookup carries (Marketo takes 300; URLs grow)
ERRORS_KEPT = 5
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"


@dataclass
class SendRequest:
    """One send step as the report shows it: whom it asked the vendor to send to, and what
    the vendor accepted (what recipients then did is the vendor's, read at the end)."""

    step: int
    at: str
    vendor: str
    tenant: str
    kind: str
    what: str  # the definition, email and lists, or campaign
    recipients: int = 0  # people asked for (a list send: the lists decide, 0 here)
    accepted: int = 0  # recipients (SFMC) or leads (Marketo) the vendor took
    skipped: int = 0  # people without an address, or (Marketo) without a lead
    refused: int = 0  # recipients the vendor refused
    calls: int = 0
    errors: list[str] = field(default_factory=list)  # the first few reasons

    def note(self, reason: str, count: int = 1) -> None:
        self.refused += count
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(reason[:300])


def _what(spec: Send) -> str:
    if spec.kind == "list":
        return f"email {spec.email} to lists {', '.join(map(str, spec.lists))}"
    if spec.kind == "campaign":
        return f"campaign {spec.campaign}"
    return f"definition {spec.definition}"


def message_key(step: int, key: str) -> str:
    """A transactional message key, the same on every replay, unique within the run."""
    return f"vs{step}-" + hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


class Sender:
    """Makes the scenario's sends; one per run, calls counted per request."""

    def __init__(self, scenario: Scenario, base_url: Callable[[str, str], str],
                 session: Callable[[], requests.Session], sleep: Callable[[float], None],
                 now: Callable[[], float], pace: Callable[[], None],
                 holds: dict[tuple, tuple[float, int]]) -> None:
        self.s = scenario
        self.base_url, self.session = base_url, session
        self.sleep, self.now, self.pace, self.holds = sleep, now, pace, holds
        self.marketo: dict[str, MarketoClient] = {}
        self.requests: list[SendRequest] = []

    def credentials(self, spec: Send) -> tuple[str, str]:
        """The step's own, else the tenant's first seeded one, else a Marketo destination's
        (an account seeded without credentials takes any: vendorsim's)."""
        if spec.client_id:
            return spec.client_id, spec.client_secret or ""
        seeded = [a.credentials for a in self.s.vendors.sfmc if a.subdomain == spec.tenant] \
            if spec.vendor == "sfmc" else \
            [i.credentials for i in self.s.vendors.marketo
             if i.munchkin_id.upper() == spec.tenant.upper()]
        first = next((c[0] for c in seeded if c), None)
        if first is not None:
            return str(first.get("client_id", "")), str(first.get("client_secret", ""))
        for dest in self.s.destinations:
            if getattr(dest, "munchkin_id", "").upper() == spec.tenant.upper():
                return dest.client_id, dest.client_secret
        return "vendorsim", "vendorsim"

    def send(self, at: str, spec: Send, people: list[dict]) -> SendRequest:
        """Ask the vendor to send to `people` (profiles); a refusal is reported, never
        raised. Requests are numbered in the order they are made."""
        made = SendRequest(len(self.requests) + 1, at, spec.vendor, spec.tenant, spec.kind,
                           _what(spec))
        self.requests.append(made)
        recipients: list[tuple[str, str, dict]] = []
        for person in people:
            address, key = person.get(spec.address), person.get(spec.key)
            if not isinstance(address, str) or not address.strip() or key in (None, ""):
                made.skipped += 1
                continue
            recipients.append((str(key), address.strip(),
                               {a: person[a] for a in spec.attributes if person.get(a)
                                is not None}))
        made.recipients = len(people)
        try:
            if spec.vendor == "marketo":
                self._campaign(made, spec, recipients)
            else:
                self._sfmc(made, spec, recipients)
        except (Unreachable, Dropped, Rejected, SendFailed) as exc:
            made.note(f"{spec.vendor} {spec.tenant}: {exc}",
                      max(0, len(recipients) - made.accepted - made.refused))
        return made

    # -- SFMC ------------------------------------------------------------------------
    def _call(self, made: SendRequest, http: requests.Session, method: str, url: str,
              **kwargs: object) -> requests.Response:
        made.calls += 1
        self.pace()
        return send(http, method, url, **kwargs)

    def _sfmc(self, made: SendRequest, spec: Send, recipients: list[tuple[str, str, dict]]
              ) -> None:
        http = self.session()
        client_id, secret = self.credentials(spec)
        answer = self._call(made, http, "POST",
                            f"{self.base_url('sfmc', spec.tenant).rstrip('/')}/v2/token",
                            json={"grant_type": "client_credentials", "client_id": client_id,
                                  "client_secret": secret})
        token = json_of(answer)
        if answer.status_code != 200 or "access_token" not in token:
            raise SendFailed(f"the token call answered {answer.status_code} "
                             f"{answer.text[:200]}")
        http.headers["Authorization"] = f"Bearer {token['access_token']}"
        rest, soap = str(token.get("rest_instance_url", "")), \
            str(token.get("soap_instance_url", ""))
        if spec.kind == "triggered":
            for key, address, attributes in recipients:
                to: dict = {"Address": address, "SubscriberKey": key}
                if attributes:
                    to["ContactAttributes"] = {"SubscriberAttributes": attributes}
                url = f"{rest}messaging/v1/messageDefinitionSends/key:{spec.definition}/send"
                answer = self._call(made, http, "POST", url, json={"To": to})
                if answer.status_code == 202:
                    made.accepted += 1
                else:
                    made.note(f"{key}: HTTP {answer.status_code} {answer.text[:200]}")
        elif spec.kind == "journey":
            for key, address, attributes in recipients:
                answer = self._call(made, http, "POST", f"{rest}interaction/v1/events", json={
                    "ContactKey": key, "EventDefinitionKey": spec.definition,
                    "Data": {"EmailAddress": address, **attributes}})
                if answer.status_code == 201:
                    made.accepted += 1
                else:
                    made.note(f"{key}: HTTP {answer.status_code} {answer.text[:200]}")
        elif spec.kind == "transactional":
            self._messages(made, http, rest, spec, recipients)
        else:
            self._list_send(made, http, soap, spec, token["access_token"])

    def _messages(self, made: SendRequest, http: requests.Session, rest: str, spec: Send,
                  recipients: list[tuple[str, str, dict]]) -> None:
        size = MESSAGES_WITH_ATTRIBUTES if spec.attributes else MESSAGES_PER_CALL
        for first in range(0, len(recipients), size):
            batch = recipients[first:first + size]
            body = {"definitionKey": spec.definition, "recipients": [
                {"contactKey": key, "to": address, "messageKey": message_key(made.step, key),
                 **({"attributes": attrs} if attrs else {})} for key, address, attrs in batch]}
            answer = self._call(made, http, "POST", f"{rest}messaging/v1/email/messages/",
                                json=body)
            responses = json_of(answer).get("responses")
            if answer.status_code >= 300 or not isinstance(responses, list):
                made.note(f"HTTP {answer.status_code} {answer.text[:200]}", len(batch))
                continue
            for item in responses:
                if isinstance(item, dict) and item.get("errorcode"):
                    made.note(f"{item.get('messageKey')}: {item.get('errorcode')} "
                              f"{item.get('message', '')}")
                else:
                    made.accepted += 1

    def _list_send(self, made: SendRequest, http: requests.Session, soap: str, spec: Send,
                   token: str) -> None:
        lists = "".join(f"<et:List><et:ID>{n}</et:ID></et:List>" for n in spec.lists)
        body = (f'<soap:Envelope xmlns:soap="{SOAP_NS}" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xmlns:et="http://exacttarget.com/wsdl/partnerAPI"><soap:Header>'
                f'<fueloauth xmlns="http://exacttarget.com">{escape(token)}</fueloauth>'
                '</soap:Header><soap:Body><et:CreateRequest><et:Options/>'
                f'<et:Objects xsi:type="et:Send"><et:Email><et:ID>{spec.email}</et:ID>'
                f"</et:Email>{lists}</et:Objects></et:CreateRequest></soap:Body>"
                "</soap:Envelope>")
        answer = self._call(made, http, "POST", f"{soap}Service.asmx", data=body.encode(),
                            headers={"Content-Type": "text/xml; charset=utf-8",
                                     "SOAPAction": "Create"})
        found = {_local(e.tag): (e.text or "") for e in _elements(answer.content)}
        if answer.status_code == 200 and found.get("OverallStatus") == "OK":
            made.accepted = 1  # one Send: its recipients are the lists' subscribers
            made.what += f" (Send {found.get('NewID', '?')})"
        else:
            said = found.get("StatusMessage") or found.get("faultstring", "")
            made.note(f"HTTP {answer.status_code} {said}")

    # -- Marketo ---------------------------------------------------------------------
    def _campaign(self, made: SendRequest, spec: Send,
                  recipients: list[tuple[str, str, dict]]) -> None:
        tenant = spec.tenant.upper()
        client = self.marketo.get(tenant)
        if client is None:
            client_id, secret = self.credentials(spec)
            client = self.marketo[tenant] = MarketoClient(
                self.base_url("marketo", tenant), client_id, secret, self.session(),
                self.sleep, self.now, self.pace, self.holds)
        before = client.tally.total("calls")
        try:
            ids: list[int] = []
            emails = list(dict.fromkeys(address.lower() for _, address, _ in recipients))
            found: set[str] = set()
            for first in range(0, len(emails), EMAILS_PER_LOOKUP):
                body = client.call("GET", "/rest/v1/leads.json", "lossless", params={
                    "filterType": "email", "fields": "id,email",
                    "filterValues": ",".join(emails[first:first + EMAILS_PER_LOOKUP])})
                for lead in body.get("result") or []:
                    ids.append(int(lead["id"]))
                    found.add(str(lead.get("email", "")).lower())
            made.skipped += len(set(emails) - found)  # no lead has this address
            tokens = [{"name": k, "value": v} for k, v in spec.tokens.items()]
            for first in range(0, len(ids), LEADS_PER_TRIGGER):
                batch = ids[first:first + LEADS_PER_TRIGGER]
                try:
                    client.call("POST", f"/rest/v1/campaigns/{spec.campaign}/trigger.json",
                                "lossless", json={"input": {"leads": [{"id": i} for i in batch],
                                                            **({"tokens": tokens} if tokens
                                                               else {})}})
                    made.accepted += len(batch)
                except Rejected as exc:
                    made.note(str(exc), len(batch))
        finally:
            made.calls += int(client.tally.total("calls") - before)


class SendFailed(Exception):
    """The vendor refused the send as a whole (credentials, token)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _elements(content: bytes) -> list[ET.Element]:
    """Every element of a SOAP answer (none when it is not XML)."""
    try:
        return list(ET.fromstring(content).iter())
    except ET.ParseError:
        return []
