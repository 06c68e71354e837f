"""Credentials and tokens shared by every vendor.

Lenient mode (the default, like moto's) gives any client id/secret a token; strict mode
only knows seeded credentials. Either way a seeded client id with the wrong secret fails,
so a test can provoke the vendor's bad-credentials error on purpose.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from .clock import Clock, iso_utc, parse_time

ALL_PERMISSIONS = frozenset({"read", "edit_person", "edit_assets"})
# what `GET /__admin/state` shows in place of a secret (unless asked ?secrets=include)
MASKED = "(masked: GET /__admin/state?secrets=include shows it)"


@dataclass
class Credential:
    """One API client (Marketo: a custom service's client id/secret owned by an API user)."""

    client_id: str
    client_secret: str
    user: str = "apiuser@vendorsim.local"
    permissions: frozenset[str] = ALL_PERMISSIONS
    partitions: frozenset[str] | None = None  # None: every partition (Marketo)
    scopes: frozenset[str] | None = None  # OAuth scopes where the vendor has them
    # when the secret was generated (None: never ages), and a staged successor (SFMC's
    # secret rotation: both work until the staged one is activated)
    issued_at: float | None = None
    staged_secret: str | None = None
    staged_at: float | None = None

    def accepts(self, secret: str) -> bool:
        return secret in (self.client_secret, self.staged_secret)

    def issued(self, secret: str) -> float | None:
        """When the secret a client sent was generated."""
        return self.staged_at if secret == self.staged_secret else self.issued_at

    @classmethod
    def from_dict(cls, data: object) -> Credential:
        """A credential from JSON; ValueError naming what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a credential is an object {client_id, client_secret, ...}")
        unknown = set(data) - {"client_id", "client_secret", "user", "permissions",
                               "partitions", "scopes", "issued_at", "staged_secret",
                               "staged_at"}
        if unknown:
            raise ValueError(f"unknown credential field(s): {', '.join(sorted(unknown))}")
        client_id, client_secret = data.get("client_id"), data.get("client_secret")
        for name, value in (("client_id", client_id), ("client_secret", client_secret)):
            if not isinstance(value, str) or not 0 < len(value) <= 500:
                raise ValueError(f"credential needs {name!r}: a string of 1-500 characters")
        if MASKED in (client_secret, data.get("staged_secret")):
            raise ValueError(f"credential {client_id!r}: its secret is masked (GET "
                             "/__admin/state masks secrets; ?secrets=include gives a state "
                             "that loads)")
        user = data.get("user", cls.user)
        if not isinstance(user, str) or len(user) > 500:
            raise ValueError("credential user is a string (the API user's email)")
        permissions = _names(data.get("permissions", sorted(ALL_PERMISSIONS)), "permissions")
        unknown_permissions = permissions - ALL_PERMISSIONS
        if unknown_permissions:
            raise ValueError(f"unknown permission(s) {sorted(unknown_permissions)}: choose "
                             f"from {sorted(ALL_PERMISSIONS)}")
        partitions, scopes = data.get("partitions"), data.get("scopes")
        staged = data.get("staged_secret")
        if staged is not None and (not isinstance(staged, str) or not 0 < len(staged) <= 500):
            raise ValueError("credential staged_secret is a string of 1-500 characters")
        return cls(
            client_id=client_id,  # type: ignore[arg-type]  # checked just above
            client_secret=client_secret,  # type: ignore[arg-type]  # checked just above
            user=user,
            permissions=permissions,
            partitions=None if partitions is None else _names(partitions, "partitions"),
            scopes=None if scopes is None else _names(scopes, "scopes"),
            issued_at=_time(data.get("issued_at"), "issued_at"),
            staged_secret=staged,
            staged_at=_time(data.get("staged_at"), "staged_at") if staged else None,
        )

    def to_dict(self) -> dict:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "user": self.user,
            "permissions": sorted(self.permissions),
            "partitions": None if self.partitions is None else sorted(self.partitions),
            "scopes": None if self.scopes is None else sorted(self.scopes),
            **{name: iso_utc(value) for name, value in (("issued_at", self.issued_at),
                                                        ("staged_at", self.staged_at))
               if value is not None},
            **({"staged_secret": self.staged_secret} if self.staged_secret else {}),
        }


def _time(value: object, what: str) -> float | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float | datetime) or isinstance(value, bool):
        raise ValueError(f"credential {what} is an ISO time or epoch seconds")
    try:
        return parse_time(value)
    except ValueError as exc:
        raise ValueError(f"credential {what}: {exc}") from None


def _names(value: object, what: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"credential {what} is a list of names")
    return frozenset(value)


def bearer_value(authorization: str) -> str:
    """The token of an `Authorization: Bearer <token>` header ('' when there is none)."""
    return authorization[7:].strip() if authorization[:7].lower() == "bearer " else ""


@dataclass
class Token:
    value: str
    tenant: str
    credential: Credential
    issued_at: float
    expires_at: float
    revoked: bool = field(default=False)


EXPIRED_KEPT = 86400.0  # an expired token is still known (602, not 601) for a day
TOKENS_KEPT = 100_000  # and at most this many tokens are known at all (the oldest go)


class TokenStore:
    """Issues and checks bearer tokens for one vendor; lifetimes are read off the clock.
    Bounded: tokens expired for over a day are forgotten (a client presenting one gets
    "unknown" rather than "expired"), and at most TOKENS_KEPT are known, so a client that
    asks for a token on every call cannot grow the store without end."""

    def __init__(
        self, clock: Clock, ttl: float, make_value: Callable[[str], str] | None = None
    ) -> None:
        self.clock = clock
        self.ttl = ttl
        self._make_value = make_value or (lambda tenant: str(uuid.uuid4()))
        self._lock = threading.Lock()
        self._by_value: dict[str, Token] = {}  # oldest first
        self._current: dict[tuple[str, str], Token] = {}
        self._sweep_at = 1024  # how many tokens before the next sweep

    def issue(self, tenant: str, credential: Credential, *, reuse: bool = True) -> Token:
        """A new token, or (reuse=True, Marketo's rule) the still-valid one for this client."""
        now = self.clock.now()
        key = (tenant, credential.client_id)
        with self._lock:
            current = self._current.get(key)
            if reuse and current and not current.revoked and current.expires_at > now:
                return current
            token = Token(self._make_value(tenant), tenant, credential, now, now + self.ttl)
            self._by_value[token.value] = token
            self._current[key] = token
            if len(self._by_value) >= self._sweep_at:
                self._sweep(now)
            return token

    def alias(self, value: str, other: str) -> None:
        """Another value for the same token (an `additive` fault's longer token)."""
        with self._lock:
            token = self._by_value.get(value)
            if token is not None:
                self._by_value[other] = token

    def __len__(self) -> int:
        return len(self._by_value)

    def live(self) -> list[Token]:
        """Tokens not yet expired nor revoked (what persistent mode saves)."""
        now = self.clock.now()
        with self._lock:
            return [t for t in self._by_value.values()
                    if not t.revoked and t.expires_at > now]

    def restore(self, value: str, tenant: str, credential: Credential, issued: float,
                expires: float) -> Token:
        """A token saved by persistent mode, live again (the current one of its client)."""
        token = Token(value, tenant, credential, issued, expires)
        with self._lock:
            self._by_value[value] = token
            self._current[(tenant, credential.client_id)] = token
        return token

    def _sweep(self, now: float) -> None:
        """Forget tokens expired for over a day, then the oldest past TOKENS_KEPT (under the
        lock); the next sweep comes when the store has doubled again."""
        kept = {v: t for v, t in self._by_value.items() if t.expires_at > now - EXPIRED_KEPT}
        if len(kept) > TOKENS_KEPT:
            kept = dict(list(kept.items())[-TOKENS_KEPT:])
        self._by_value = kept
        self._current = {k: t for k, t in self._current.items() if t.value in kept}
        self._sweep_at = max(1024, 2 * len(kept))

    def add_static(self, tenant: str, credential: Credential, value: str,
                   lifetime: float = 10 * 365 * 86400) -> Token:
        """A long-lived token handed out by the vendor's UI (Demandbase's API token)."""
        now = self.clock.now()
        token = Token(value, tenant, credential, now, now + lifetime)
        with self._lock:
            self._by_value[value] = token
        return token

    def check(self, value: str) -> tuple[str, Token | None]:
        """('ok'|'unknown'|'expired', token) for a presented bearer value."""
        token = self._by_value.get(value)
        if token is None:
            return "unknown", None
        if token.revoked or token.expires_at <= self.clock.now():
            return "expired", token
        return "ok", token

    def remaining(self, token: Token) -> float:
        return token.expires_at - self.clock.now()

    def expire(self, tenant: str | None = None) -> int:
        """Expire every live token (of one tenant): the next call sees 'expired'."""
        now = self.clock.now()
        count = 0
        with self._lock:
            for token in self._by_value.values():
                if (tenant is None or token.tenant == tenant) and token.expires_at > now:
                    token.expires_at = now
                    count += 1
        return count

    def clear(self, tenant: str | None = None) -> None:
        with self._lock:
            if tenant is None:
                self._by_value.clear()
                self._current.clear()
                return
            self._by_value = {k: t for k, t in self._by_value.items() if t.tenant != tenant}
            self._current = {k: t for k, t in self._current.items() if t.tenant != tenant}
