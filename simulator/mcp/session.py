"""The vendorsim MCP server's tools on the mocks themselves: which cloud, its tenants, faults,
clock, journal and verdicts. Each public method is one tool (its docstring the tool's
description, its annotations the argument schema); every answer is a bounded JSON object and
every mistake a ToolError saying what to fix, never a traceback. One operation at a time: a
lock keeps a scenario run and a `start_cloud` from crossing.
"""

from __future__ import annotations

import json
import threading
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from pydantic import Field

from vendorsim.mocks.cloud import Cloud

from .scenarios import ScenarioTools
from .target import EmbeddedTarget, RemoteTarget, Target, TargetError

Vendor = Literal["marketo", "sfmc", "bombora", "demandbase"]
VENDORS: tuple[str, ...] = get_args(Vendor)
TenantId = Annotated[str, Field(min_length=1, max_length=200,
                                description="Marketo: Munchkin ID; SFMC: subdomain; "
                                            "Bombora/Demandbase: client id")]
Stamp = Annotated[str | None, Field(max_length=64, description="ISO-8601 or epoch seconds")]
JOURNAL_PAGE = 50  # journal entries a page by default ...
JOURNAL_PAGE_MAX = 500  # ... and at most
VERDICTS_MAX = 200
EVIDENCE_SHOWN = 20  # journal numbers shown per verdict
STATE_CHARS = 100_000  # a tenant snapshot shown whole up to this size by default ...
STATE_CHARS_MAX = 2_000_000  # ... and at most


def _shorten(value: Any) -> Any:
    """What a snapshot holds, when it is too big to show: sizes instead of contents."""
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    return value


class Session(ScenarioTools):
    """The mocks this server drives: an embedded cloud (virtual clock) until `connect`."""

    TOOLS = ("start_cloud", "connect", "status", "list_tenants", "seed_tenant", "read_tenant",
             "add_fault", "list_faults", "clear_faults", "advance_clock", "journal",
             "journal_entry", "verdicts", "reset", *ScenarioTools.TOOLS)

    def __init__(self, target: Target | None = None) -> None:
        self.target = target or EmbeddedTarget(Cloud("virtual"))
        self.lock = threading.RLock()

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        with self.lock:
            try:
                return self.target.admin(method, path, **kwargs)
            except TargetError as exc:
                raise ToolError(str(exc)) from None

    # -- which mocks -------------------------------------------------------------------------
    def start_cloud(self, clock: Literal["virtual", "real"] = "virtual", strict: bool = False,
                    as_of: Stamp = None) -> dict:
        """Start a fresh embedded mock cloud (every vendor) and drive it from now on,
        forgetting the previous one. clock virtual: time moves only with advance_clock and
        scenario runs; strict: only seeded tenants and credentials get tokens; as_of: judge
        the vendors' dated changes as of this date."""
        try:
            cloud = Cloud(clock, strict=strict, as_of=as_of)
        except ValueError as exc:
            raise ToolError(f"cloud not started: {exc}") from None
        with self.lock:
            self.target = EmbeddedTarget(cloud)
        return self.status()

    def connect(self, url: Annotated[str, Field(min_length=1, max_length=2000, description=(
            "a running vendorsim's host-routed URL, e.g. http://127.0.0.1:8080"))]) -> dict:
        """Drive a running vendorsim (`vendorsim serve`, a container) through its admin API
        instead of the embedded cloud."""
        if not url.startswith(("http://", "https://")):
            raise ToolError("the URL starts with http:// or https://")
        try:
            target = RemoteTarget(url)
        except TargetError as exc:
            raise ToolError(f"not connected: {exc}") from None
        with self.lock:
            self.target = target
        return self.status()

    def status(self) -> dict:
        """Which mocks this session drives: embedded or remote, the clock, vendors, tenants,
        active fault rules and how many calls the journal holds."""
        health = self.admin("GET", "/health")
        faults = self.admin("GET", "/faults")["faults"]
        calls = self.admin("GET", "/journal", query={"limit": 1})
        last = calls["requests"][-1]["seq"] if calls["requests"] else 0
        return {"mode": self.target.mode, "url": self.target.url, "clock": health["clock"],
                "strict": health["strict"], "vendors": health["vendors"],
                "tenants": health["tenants"], "faults": len(faults), "last_call": last}

    # -- tenants -----------------------------------------------------------------------------
    def list_tenants(self, vendor: Vendor | None = None) -> dict:
        """Every tenant of every vendor (or one vendor): credentials' client ids, limits and
        how much of them is used."""
        found = self.admin("GET", "/tenants", vendor=vendor)["tenants"]
        return {"tenants": found}

    def seed_tenant(
            self, vendor: Vendor, tenant: TenantId,
            credentials: Annotated[list[dict] | None, Field(description=(
                "[{client_id, client_secret, permissions?/scopes?}]"))] = None,
            limits: Annotated[dict | None, Field(description=(
                "limit overrides, e.g. {window_calls: 5, daily_quota: 100}"))] = None,
            state: Annotated[dict | None, Field(description=(
                "the vendor's seed document, e.g. Marketo {leads, lists, partitions}; "
                "SFMC {data_extensions}; Bombora/Demandbase {account_lists}"))] = None
    ) -> dict:
        """Create a tenant or add to one: credentials, limits, state. All or nothing: a bad
        document changes nothing and says what is wrong."""
        body = {"id": tenant, "credentials": credentials, "limits": limits, "state": state}
        return self.admin("POST", "/tenants", vendor=vendor,
                          body={k: v for k, v in body.items() if v is not None})

    def read_tenant(self, vendor: Vendor, tenant: TenantId,
                    max_chars: Annotated[int, Field(ge=1000, le=STATE_CHARS_MAX)] = STATE_CHARS
                    ) -> dict:
        """One tenant's snapshot (what GET /__admin/state answers): credentials, limits and
        the vendor's state. Larger than max_chars: the sizes of its parts instead."""
        snapshot = self.admin("GET", "/state", vendor=vendor, query={"tenant": tenant})
        size = len(json.dumps(snapshot))
        if size <= max_chars:
            return snapshot
        return {"truncated": True, "chars": size, "outline": _shorten(snapshot),
                "hint": f"the snapshot has {size:,} characters: raise max_chars (up to "
                        f"{STATE_CHARS_MAX:,}) or read parts through the vendor's API"}

    def reset(self, vendor: Vendor | None = None, tenant: TenantId | None = None) -> dict:
        """Forget state, tokens, journal and faults: of everything, one vendor, or (with
        vendor) one tenant's state."""
        if tenant is not None and vendor is None:
            raise ToolError("resetting one tenant needs its vendor")
        return self.admin("POST", "/reset", vendor=vendor, query={"tenant": tenant})

    # -- faults and the clock ----------------------------------------------------------------
    def add_fault(
            self, vendor: Vendor | None = None, tenant: str | None = None,
            error_code: Annotated[str | None, Field(description=(
                "a vendor error code answered in the vendor's envelope, e.g. Marketo "
                "606, SFMC 50100"))] = None,
            status: Annotated[int | None, Field(ge=100, le=599)] = None,
            latency: Annotated[float | None, Field(ge=0)] = None,
            method: str | None = None,
            path: Annotated[str | None, Field(description="a regular expression")] = None,
            times: Annotated[int | None, Field(ge=1)] = None,
            duration: Annotated[float | None, Field(gt=0)] = None,
            start: Stamp = None, end: Stamp = None,
            probability: Annotated[float | None, Field(ge=0, le=1)] = None,
            seed: int | None = None, message: str | None = None,
            drop: Annotated[float | None, Field(ge=0, le=1)] = None,
            connection: Literal["reset", "empty", "garbage", "truncated", "hang"] | None = None,
            hang: Annotated[float | None, Field(gt=0)] = None,
            chaos: Literal["throttle", "5xx", "mixed"] | None = None,
            additive: bool | None = None) -> dict:
        """Force failures on matching calls (POST /__admin/faults): an error code, a status,
        latency, dropped records, a broken connection, chaos or the vendor's additive
        changes; for the next `times` calls, `duration` seconds or a start/end window."""
        spec = {k: v for k, v in {
            "vendor": vendor, "tenant": tenant, "error_code": error_code, "status": status,
            "latency": latency, "method": method, "path": path, "times": times,
            "duration": duration, "start": start, "end": end, "probability": probability,
            "seed": seed, "message": message, "drop": drop, "connection": connection,
            "hang": hang, "chaos": chaos, "additive": additive}.items() if v is not None}
        return self.admin("POST", "/faults", body=spec)

    def list_faults(self) -> dict:
        """The fault rules in force, with what each has matched so far."""
        return self.admin("GET", "/faults")

    def clear_faults(self, vendor: Vendor | None = None,
                     fault_id: Annotated[int | None, Field(ge=1)] = None) -> dict:
        """Remove one fault rule (fault_id), a vendor's, or all of them."""
        if fault_id is not None:
            return self.admin("DELETE", f"/faults/{fault_id}")
        return self.admin("DELETE", "/faults", vendor=vendor)

    def advance_clock(self, seconds: Annotated[float | None, Field(gt=0, le=10 * 365 * 86400)]
                      = None, to: Stamp = None) -> dict:
        """Move the virtual clock forward by `seconds`, or to a later time `to`: rate-limit
        windows pass, tokens expire, jobs finish. A real clock cannot be moved."""
        if (seconds is None) == (to is None):
            raise ToolError("give seconds or to, one of them")
        if seconds is not None:
            return self.admin("POST", "/clock/advance", body={"seconds": seconds})
        return self.admin("POST", "/clock/set", body={"time": to, "forward": True})

    # -- what happened -----------------------------------------------------------------------
    def journal(self, vendor: Vendor | None = None, tenant: str | None = None,
                method: str | None = None,
                path: Annotated[str | None, Field(description="a part of the path")] = None,
                status: Annotated[int | None, Field(ge=100, le=599)] = None,
                code: Annotated[str | None, Field(description="a vendor error code")] = None,
                since: Stamp = None, until: Stamp = None, unmatched: bool | None = None,
                after: Annotated[int, Field(ge=0, description="the last seq already seen")
                                 ] = 0,
                limit: Annotated[int, Field(ge=1, le=JOURNAL_PAGE_MAX)] = JOURNAL_PAGE
                ) -> dict:
        """The calls the mocks answered, oldest first, a page at a time: pass the answer's
        next_after as `after` for the next page. Filters as GET /__admin/journal."""
        found = self.admin("GET", "/journal", query={
            "vendor": vendor, "tenant": tenant, "method": method, "path": path,
            "status": status, "code": code, "since": since, "until": until,
            "unmatched": unmatched})["requests"]
        later = [e for e in found if e["seq"] > after]
        page = later[:limit]
        more = len(later) > limit
        return {"count": len(page), "matching": len(later), "entries": page, "more": more,
                "next_after": page[-1]["seq"] if more else None}

    def journal_entry(self, seq: Annotated[int, Field(ge=1)]) -> dict:
        """One call in full: its query, request and response bodies (secrets masked)."""
        return self.admin("GET", f"/journal/{seq}")

    def verdicts(self, vendor: Vendor | None = None, tenant: str | None = None,
                 client: str | None = None, rule: str | None = None,
                 judge_injected: bool = False,
                 limit: Annotated[int, Field(ge=1, le=VERDICTS_MAX)] = 50) -> dict:
        """How the clients treated the vendors, judged from the journal (retrying too soon,
        repeating refused calls, token churn, oversized calls, ...), each with its journal
        evidence. judge_injected: judge answers fault rules injected too."""
        found = self.admin("GET", "/verdicts", vendor=vendor, query={
            "tenant": tenant, "client": client, "rule": rule,
            "injected": "judge" if judge_injected else None})["verdicts"]
        shown = []
        for verdict in found[:limit]:
            evidence = verdict.get("evidence") or []
            shown.append({**verdict, "evidence": evidence[:EVIDENCE_SHOWN],
                          "evidence_count": len(evidence)})
        return {"count": len(found), "verdicts": shown, "more": len(found) > limit}

    # -- resources ---------------------------------------------------------------------------
    def openapi(self, vendor: str) -> str:
        """A vendor's OpenAPI document as the mocks describe it (or the admin API's)."""
        if vendor not in (*VENDORS, "admin"):
            raise ResourceNotFoundError(f"no OpenAPI document for {vendor[:40]!r}: one of "
                                        f"{', '.join(VENDORS)} or admin")
        try:
            with self.lock:
                found = self.target.admin("GET", "/openapi.json",
                                          vendor=None if vendor == "admin" else vendor)
        except TargetError as exc:
            raise ResourceError(str(exc)) from None
        return json.dumps(found, separators=(",", ":"))  # compact: Marketo's is 440 kB

    def wsdl(self) -> str:
        """The SFMC SOAP API's WSDL (what the mock implements)."""
        try:
            with self.lock:
                return self.target.wsdl()
        except TargetError as exc:
            raise ResourceError(str(exc)) from None


def behaviours() -> str:
    """The behaviour catalogue (docs/behaviours.md): in the wheel, or beside the sources."""
    packaged = resources.files("vendorsim").joinpath("docs/behaviours.md")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    import vendorsim

    beside = Path(vendorsim.__file__).resolve().parents[2] / "docs" / "behaviours.md"
    if beside.is_file():
        return beside.read_text(encoding="utf-8")
    raise ResourceError("the behaviour catalogue (docs/behaviours.md) is not part of this "
                        "install")
