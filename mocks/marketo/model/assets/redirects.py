"""Landing page redirect rules and landing page domains (Adobe's Landing Page Redirect
Rules page). A rule sends a landing page (by id) or a path on one of the instance's domains
to a landing page or a URL; there is one rule per hostname and source.

Chosen where Adobe is silent: a new instance has one domain, `<munchkin>.mktoweb.com`
(seeds add branded domains and aliases); a rule on another hostname answers 709."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import asset_time, json_value, within

if TYPE_CHECKING:
    from .world import AssetWorld

FROM_TYPES = ("landingPageId", "path")
TO_TYPES = ("landingPageId", "url")


@dataclass
class RedirectRule:
    id: int
    hostname: str
    source: dict  # {type, value}
    target: dict
    created_at: float
    updated_at: float

    def source_page(self) -> int | None:
        return whole_number(self.source["value"], 1) \
            if self.source["type"] == "landingPageId" else None

    def target_page(self) -> int | None:
        return whole_number(self.target["value"], 1) \
            if self.target["type"] == "landingPageId" else None


class RedirectStore:
    def __init__(self, lock: threading.RLock, clock: Clock, world: AssetWorld) -> None:
        self.lock = lock
        self.clock = clock
        self.world = world
        self.rules: dict[int, RedirectRule] = {}
        self.seeded: list[dict] = []  # the domains and aliases seeds add to the instance's own
        self.next_id = 1

    @property
    def domains(self) -> list[dict]:
        own = {"hostname": f"{self.world.owner.munchkin_id.lower()}.mktoweb.com",
               "type": "domain"}
        return [own, *self.seeded]

    def _url(self, hostname: str, spec: dict) -> str:
        if spec["type"] == "url":
            return str(spec["value"])
        if spec["type"] == "path":
            return f"{hostname}/{str(spec['value']).lstrip('/')}"
        page = self.world.landing_pages.assets.get(whole_number(spec["value"], 1) or 0)
        name = page.latest()["urlPageName"] if page else str(spec["value"])
        return f"{hostname}/lp/{self.world.owner.munchkin_id}/{name}.html"

    def render(self, rule: RedirectRule) -> dict:
        return {"id": rule.id, "redirectFromUrl": self._url(rule.hostname, rule.source),
                "redirectToUrl": self._url(rule.hostname, rule.target),
                "hostname": rule.hostname, "redirectFrom": dict(rule.source),
                "redirectTo": dict(rule.target), "createdAt": asset_time(rule.created_at),
                "updatedAt": asset_time(rule.updated_at)}

    def _end(self, raw: object, what: str, kinds: tuple[str, ...]) -> dict:
        value = json_value(raw, what)
        if not isinstance(value, dict) or value.get("type") not in kinds or \
                value.get("value") in (None, ""):
            raise MarketoError("1003", f"{what} is {{\"type\": {'|'.join(kinds)}, \"value\"}}")
        if value["type"] == "landingPageId":
            page = whole_number(value["value"], 1)
            if page is None or page not in self.world.landing_pages.assets:
                raise MarketoError("709", f"Landing page '{str(value['value'])[:40]}' not found")
        return {"type": value["type"], "value": str(value["value"])}

    def _hostname(self, raw: object) -> str:
        if not isinstance(raw, str) or not raw:
            raise MarketoError("701", what="hostname")
        if len(raw) > 255 or raw.lower() not in {d["hostname"].lower() for d in self.domains}:
            raise MarketoError("709", f"'{raw[:80]}' is not a landing page domain or alias of "
                                      "this instance")
        return raw.lower()

    def _unique(self, hostname: str, source: dict, but: int | None = None) -> None:
        if any(r.hostname == hostname and r.source == source and r.id != but
               for r in self.rules.values()):
            raise MarketoError("709", "A redirect rule for this hostname and source exists")

    @locked
    def by_id(self, rule_id: int) -> list[dict]:
        found = self.rules.get(rule_id)
        return [self.render(found)] if found else []

    @locked
    def browse(self, form: dict, offset: int, limit: int) -> list[dict]:
        found = list(self.rules.values())
        page = form.get("redirectToLandingPageId") or form.get("redirectTolandingPageId")
        if page:
            found = [r for r in found if r.target["type"] == "landingPageId"
                     and r.target["value"] == str(page)]
        if form.get("redirectToPath"):
            found = [r for r in found if r.target["type"] == "url"
                     and r.target["value"] == form["redirectToPath"]]
        if form.get("hostname"):
            found = [r for r in found if r.hostname == str(form["hostname"]).lower()]
        found = within(found, lambda r: r.updated_at, form.get("earliestUpdatedAt"),
                       form.get("latestUpdatedAt"))
        return [self.render(r) for r in found[offset:offset + limit]]

    @locked
    def create(self, form: dict) -> list[dict]:
        hostname = self._hostname(form.get("hostname"))
        for name in ("redirectFrom", "redirectTo"):
            if form.get(name) in (None, ""):
                raise MarketoError("701", what=name)
        source = self._end(form["redirectFrom"], "redirectFrom", FROM_TYPES)
        target = self._end(form["redirectTo"], "redirectTo", TO_TYPES)
        self._unique(hostname, source)
        now = self.clock.now()
        rule = RedirectRule(self.next_id, hostname, source, target, now, now)
        self.rules[rule.id] = rule
        self.next_id += 1
        return [self.render(rule)]

    @locked
    def update(self, rule_id: int, form: dict) -> list[dict]:
        rule = self.rules.get(rule_id)
        if rule is None:
            raise MarketoError("702", f"Redirect rule '{rule_id}' not found")
        hostname = self._hostname(form["hostname"]) if form.get("hostname") else rule.hostname
        source = self._end(form["redirectFrom"], "redirectFrom", FROM_TYPES) \
            if form.get("redirectFrom") else rule.source
        target = self._end(form["redirectTo"], "redirectTo", TO_TYPES) \
            if form.get("redirectTo") else rule.target
        self._unique(hostname, source, rule.id)
        rule.hostname, rule.source, rule.target = hostname, source, target
        rule.updated_at = self.clock.now()
        return [self.render(rule)]

    @locked
    def delete(self, rule_id: int) -> list[dict]:
        if self.rules.pop(rule_id, None) is None:
            raise MarketoError("702", f"Redirect rule '{rule_id}' not found")
        return [{"id": rule_id}]

    @locked
    def domain_page(self, offset: int, limit: int) -> list[dict]:
        return [dict(d) for d in self.domains[offset:offset + limit]]

    # -- seeds and snapshots ---------------------------------------------------------
    def seed(self, rules: object, domains: object) -> None:
        if not isinstance(rules or [], list) or not isinstance(domains or [], list):
            raise ValueError("redirectRules and landingPageDomains are lists")
        for spec in domains or []:  # type: ignore[attr-defined]  # a list: checked above
            if not isinstance(spec, dict) or not isinstance(spec.get("hostname"), str) or \
                    spec.get("type", "domain") not in ("domain", "domain-alias"):
                raise ValueError("a landing page domain is {hostname, type: domain|"
                                 "domain-alias}")
            if spec["hostname"].lower() not in {d["hostname"] for d in self.domains}:
                self.seeded.append({"hostname": spec["hostname"].lower(),
                                    "type": spec.get("type", "domain")})
        for spec in rules or []:  # type: ignore[attr-defined]  # a list: checked above
            if not isinstance(spec, dict) or type(spec.get("id", 0)) is not int:
                raise ValueError("a redirect rule is {id, hostname, redirectFrom, redirectTo}")
            try:
                now = self.clock.now()
                rule = RedirectRule(spec.get("id") or self.next_id,
                                    self._hostname(spec.get("hostname")),
                                    self._end(spec.get("redirectFrom"), "redirectFrom",
                                              FROM_TYPES),
                                    self._end(spec.get("redirectTo"), "redirectTo", TO_TYPES),
                                    now, now)
            except MarketoError as exc:
                raise ValueError(f"redirect rule {str(spec)[:60]}: {exc.text}") from None
            self.rules[rule.id] = rule
            self.next_id = max(self.next_id, rule.id + 1)

    def snapshot(self) -> dict:
        return {"landingPageDomains": [dict(d) for d in self.seeded],
                "redirectRules": [{"id": r.id, "hostname": r.hostname,
                                   "redirectFrom": dict(r.source), "redirectTo": dict(r.target)}
                                  for r in self.rules.values()]}
