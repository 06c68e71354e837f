"""`vendorsim verify`: replay recorded requests, in order, against a fresh embedded mock (a
server on free loopback ports) or a running vendorsim (`--target`), and compare each answer
with the recorded one by structure (shape.py).

Replaying needs what the vendor handed out along the way: the mock's own tokens replace the
recorded (or masked) ones in later requests, and ids, tokens and keys the recorded answers
carried are replaced by those the mock answered at the same place (a list the sandbox gave id
1012 is the mock's list 1001), so a recorded session still reads what it wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import yaml

from vendorsim.mocks.cloud import VENDOR_HOSTS, Cloud, _vendor_classes, served_url
from vendorsim.mocks.core.admin.access import admin_headers
from vendorsim.mocks.server import ServerRunner

from .cassette import MASK, Interaction
from .shape import CLASSES, Difference, codes, compare, parse

ID_KEYS = re.compile(r"(?i)(id|token|key|requestId|exportId|batchId|jobId)$")
ID_SEGMENT = re.compile(r"^(\d+|[0-9a-f-]{16,}|[A-Za-z0-9_-]{24,})$")
TOKEN_KEYS = ("access_token", "accessToken")


class VerifyError(ValueError):
    """A mistake in what `verify` was given (an allow-list, a vendor); exit 2."""


@dataclass
class Allowance:
    operation: str
    kind: str
    path: str | None
    reason: str
    expires: date

    def matches(self, operation: str, difference: Difference) -> bool:
        return self.operation in ("*", operation) and self.kind == difference.kind and \
            self.path in (None, difference.path)


def load_allow_list(path: Path) -> list[Allowance]:
    """Entries {operation, class, path?, reason, expires}: each needs a reason and a date."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise VerifyError(f"{path}: cannot read the allow-list: {str(exc)[:200]}") from None
    if not isinstance(doc, list):
        raise VerifyError(f"{path}: the allow-list is a list of entries")
    out = []
    for n, entry in enumerate(doc, start=1):
        if not isinstance(entry, dict) or entry.get("class") not in CLASSES or \
                not isinstance(entry.get("operation"), str) or \
                not isinstance(entry.get("reason"), str) or not entry["reason"].strip():
            raise VerifyError(f"{path}: entry {n} needs operation, class (one of "
                              f"{', '.join(CLASSES)}) and a reason")
        expires = entry.get("expires")
        if isinstance(expires, str):
            try:
                expires = date.fromisoformat(expires)
            except ValueError:
                expires = None
        if not isinstance(expires, date):
            raise VerifyError(f"{path}: entry {n} needs an expiry date (expires: 2027-03-31)")
        out.append(Allowance(entry["operation"], entry["class"], entry.get("path"),
                             entry["reason"], expires))
    return out


@dataclass
class Checked:
    """One replayed interaction: its operation and what differed."""

    source: str
    vendor: str
    operation: str
    differences: list[Difference] = field(default_factory=list)
    allowed: list[tuple[Difference, str]] = field(default_factory=list)
    expired: list[tuple[Difference, str]] = field(default_factory=list)


def vendor_of(uri: str, given: str | None) -> tuple[str, str | None]:
    """(vendor, tenant) of a recorded URI: a vendor host says both; else `--vendor`."""
    host = urlsplit(uri).hostname or ""
    for name, cls in _vendor_classes().items():
        found = cls.host_pattern.fullmatch(host)
        if found:
            return name, found.groupdict().get("tenant")
    if given is None:
        raise VerifyError(f"{uri[:120]}: not a vendor host: say which vendor with --vendor")
    return given, None


def operation_of(method: str, uri: str, vendor: str, tenant: str | None) -> str:
    """`METHOD /route/template`: tenant prefix dropped, ids as {id}."""
    segments = [s for s in urlsplit(uri).path.split("/") if s]
    if tenant is None and segments and _vendor_classes()[vendor].tenant_in_path:
        segments = segments[1:]  # recorded through a server port: /{tenant}/...
    shown = []
    for segment in segments:
        stem, dot, suffix = segment.partition(".")
        if ID_SEGMENT.match(stem) or stem.startswith("key:"):
            segment = "{id}" + dot + suffix
        shown.append(segment)
    return f"{method} /{'/'.join(shown)}"


class Replay:
    """Sends recorded requests to the mocks, carrying tokens and ids along."""

    def __init__(self, urls: dict[str, str], default_vendor: str | None) -> None:
        self.urls = urls
        self.default_vendor = default_vendor
        self.http = requests.Session()
        self.http.trust_env = False
        self.token: str | None = None
        self.values: dict[str, str] = {}  # recorded value -> the mock's

    def url(self, item: Interaction) -> tuple[str, str, str | None]:
        vendor, tenant = vendor_of(item.uri, self.default_vendor)
        parts = urlsplit(item.uri)
        tail = parts.path + (f"?{parts.query}" if parts.query else "")
        if tenant is not None or parts.hostname in {urlsplit(VENDOR_HOSTS[vendor]).hostname}:
            base = served_url(self.urls, vendor, tenant or "")
        else:
            base = self.urls[vendor]
        return vendor, self._carried(base + tail), tenant

    def _carried(self, text: str) -> str:
        for old, new in self.values.items():
            text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text)
        if self.token:
            text = re.sub(r"(access_token=)[^&]*", rf"\g<1>{self.token}", text)
        return text

    def send(self, item: Interaction) -> tuple[str, str | None, requests.Response]:
        vendor, url, tenant = self.url(item)
        headers = {k: v for k, v in item.request_headers.items()
                   if k.lower() not in ("host", "content-length", "accept-encoding")}
        if self.token and any(k.lower() == "authorization" for k in headers):
            headers = {k: (f"Bearer {self.token}" if k.lower() == "authorization" else v)
                       for k, v in headers.items()}
        body = self._carried(item.request_body)
        if self.token:
            body = re.sub(r"(<(?:\w+:)?fueloauth[^>]*>)[^<]*", rf"\g<1>{self.token}", body)
            body = body.replace(f'"{MASK}"', f'"{self.token}"') if '"access' in body else body
        answer = self.http.request(item.method, url, headers=headers, data=body.encode(),
                                   timeout=(10, 60), allow_redirects=False)
        return vendor, tenant, answer

    def learn(self, recorded: Any, mock: Any) -> None:
        """Values the vendor handed out and the mock's at the same place."""
        if isinstance(recorded, dict) and isinstance(mock, dict):
            for key, value in recorded.items():
                if key not in mock:
                    continue
                if key in TOKEN_KEYS and isinstance(mock[key], str):
                    self.token = mock[key]
                elif ID_KEYS.search(key) and isinstance(value, str | int) and \
                        not isinstance(value, bool) and len(str(value)) >= 3 and \
                        isinstance(mock[key], str | int) and str(value) != MASK:
                    self.values[str(value)] = str(mock[key])
                else:
                    self.learn(value, mock[key])
        elif isinstance(recorded, list) and isinstance(mock, list):
            for left, right in zip(recorded, mock, strict=False):
                self.learn(left, right)


def check(item: Interaction, replay: Replay, allow: list[Allowance]) -> Checked:
    vendor, tenant, answer = replay.send(item)
    operation = operation_of(item.method, item.uri, vendor, tenant)
    done = Checked(item.source, vendor, operation)
    recorded, mock = parse(item.response_body), parse(answer.text)
    replay.learn(recorded, mock)
    differences: list[Difference] = []
    same = answer.status_code == item.status and codes(recorded) == codes(mock)
    if _unmatched(replay, vendor) and not same:  # the vendor knew the route, the mock not
        differences.append(Difference("route", operation, str(item.status),
                                      f"{answer.status_code} (no such route in the mock)"))
    else:
        if answer.status_code != item.status:
            differences.append(Difference("status", "", str(item.status),
                                          str(answer.status_code)))
        if codes(recorded) != codes(mock):
            differences.append(Difference("code", "", ",".join(codes(recorded)) or "-",
                                          ",".join(codes(mock)) or "-"))
        differences += compare(recorded, mock, vendor)
    today = date.today()
    for difference in differences:
        allowance = next((a for a in allow if a.matches(operation, difference)), None)
        if allowance is None:
            done.differences.append(difference)
        elif allowance.expires < today:
            done.expired.append((difference, f"allowance expired {allowance.expires}: "
                                             f"{allowance.reason}"))
        else:
            done.allowed.append((difference, allowance.reason))
    return done


def _unmatched(replay: Replay, vendor: str) -> bool:
    journal = replay.http.get(f"{replay.urls[vendor]}/__admin/journal", params={"limit": 1},
                              headers=admin_headers(), timeout=10).json()
    entries = journal.get("requests") or []
    return bool(entries and entries[-1].get("unmatched"))


@contextmanager
def mocks(target: str | None, seed: dict | None = None) -> Iterator[dict[str, str]]:
    """The vendors' URLs: a fresh embedded cloud on free loopback ports, or `--target`
    (reset), holding `seed` (what `GET /__admin/state` answers) when given."""
    if target:
        from vendorsim.simulator.engine.remote import RemoteVendors

        urls = RemoteVendors.discover(target).urls
        requests.post(f"{urls['cloud']}/__admin/reset", headers=admin_headers(),
                      timeout=10).raise_for_status()
        _seed(urls, seed)
        yield urls
        return
    with ServerRunner(Cloud("virtual"), port=0, threads=4) as server:
        _seed(server.urls, seed)
        yield dict(server.urls)


def _seed(urls: dict[str, str], seed: dict | None) -> None:
    if seed:
        answer = requests.put(f"{urls['cloud']}/__admin/state", json=seed,
                              headers=admin_headers(), timeout=30)
        if answer.status_code != 200:
            raise VerifyError(f"--seed refused: {answer.text[:300]}")


def verify(interactions: list[Interaction], vendor: str | None = None,
           target: str | None = None, allow: list[Allowance] | None = None,
           seed: dict | None = None) -> list[Checked]:
    """Replay every interaction, in order, and say what differed."""
    if vendor is not None and vendor not in _vendor_classes():
        raise VerifyError(f"unknown vendor {vendor!r}: one of {', '.join(_vendor_classes())}")
    with mocks(target, seed) as urls:
        replay = Replay(urls, vendor)
        return [check(item, replay, allow or []) for item in interactions]
