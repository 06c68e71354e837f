"""Streaming generation of B2B accounts, people, opportunities and events.

One seeded `random.Random` drives every choice in a fixed order, so a seed and a vendorsim
(and Faker) version give the same bytes every time. Keys are unique by construction, never by
remembering what was issued: account domains come from a seeded permutation of
(surname, word) pairs, emails are unique within their account's unique domain, and ECIDs and
CRM ids are bijections of the record number. Memory therefore stays flat however many
profiles are asked for: only the current account's people are held.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from vendorsim.mocks.core.engagement import EngagementModel

from .engagement import SENDS, calendar, email_events
from .pools import (
    COMPANY_WORDS,
    EVENT_TYPES,
    INDUSTRIES,
    LIFECYCLE,
    OPPORTUNITY_STAGES,
    SIZE_BANDS,
    Pools,
    ascii_slug,
    build_pools,
)

INVALID_KINDS = ("missing_email", "non_ascii_email", "overlong_name", "bad_email_syntax")
_PRIME = 1_000_003  # multiplier of the domain permutation; coprime with its modulus
_MASK64 = (1 << 64) - 1


def mix64(n: int) -> int:
    """A bijection of 64-bit integers that scatters consecutive numbers (splitmix64's
    finaliser): distinct record numbers give distinct, random-looking ids."""
    n = (n ^ (n >> 30)) * 0xBF58476D1CE4E5B9 & _MASK64
    n = (n ^ (n >> 27)) * 0x94D049BB133111EB & _MASK64
    return n ^ (n >> 31)


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate. `accounts` defaults to one account per 20 people."""

    count: int = 1000
    accounts: int | None = None
    seed: int = 0
    locale: str = "en_US"
    opportunities_per_account: float = 1.5
    events_per_person: float = 0.0
    duplicate_share: float = 0.0  # people who also exist as a second lead in another partition
    invalid_share: float = 0.0  # people whose record a vendor must refuse
    partitions: tuple[str, ...] = ("Default",)
    as_of: str = "2026-01-01T00:00:00Z"  # the generated history ends here (not "now")
    sends_per_person: float = 0.0  # mean newsletters a person received (engagement.py)
    engagement: dict | None = None  # the engagement model (default: its rates, this seed)

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("count must be zero or more")
        if self.accounts is not None and self.accounts < 1:
            raise ValueError("accounts must be at least 1")
        for name in ("duplicate_share", "invalid_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.duplicate_share and len(self.partitions) < 2:
            raise ValueError("duplicates across partitions need at least two partitions")
        if not self.partitions:
            raise ValueError("at least one partition is needed")
        if not 0.0 <= self.sends_per_person <= SENDS:
            raise ValueError(f"sends_per_person must be between 0 and {SENDS}")
        self.model()  # ValueError naming what is wrong

    def model(self) -> EngagementModel:
        """What the recipients of generated sends do."""
        return EngagementModel.from_dict(self.engagement or {"seed": self.seed})

    @property
    def account_count(self) -> int:
        if self.accounts is not None:
            return self.accounts
        return max(1, round(self.count / 20))

    def to_dict(self) -> dict:
        data = asdict(self)
        data["partitions"] = list(self.partitions)
        return data


CHUNK_ACCOUNTS = 500  # part of the output's definition: changing it changes the bytes
_LIFE, _LIFE_W = [s for s, _ in LIFECYCLE], [w for _, w in LIFECYCLE]
_STAGES, _STAGE_W = [s for s, _ in OPPORTUNITY_STAGES], [w for _, w in OPPORTUNITY_STAGES]
_EVENTS, _EVENT_W = [k for k, _ in EVENT_TYPES], [w for _, w in EVENT_TYPES]


@dataclass(frozen=True)
class Chunk:
    index: int
    first_account: int
    first_person: int
    sizes: list[int]


@dataclass
class AccountBlock:
    """One account with everything that belongs to it, the unit the writers stream."""

    account: dict
    people: list[dict] = field(default_factory=list)
    opportunities: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)


class ProfileGenerator:
    """Iterate `blocks()` for accounts with their people, opportunities and events."""

    def __init__(self, config: GeneratorConfig, pools: Pools | None = None) -> None:
        self.config = config
        self.pools = pools or build_pools(config.locale, config.seed)
        self.as_of = datetime.fromisoformat(config.as_of.replace("Z", "+00:00")).astimezone(UTC)
        stems = list(dict.fromkeys(ascii_slug(n) for n in self.pools.last_names))
        self._stems = [s for s in stems if s]
        self._stem_names = {ascii_slug(n): n for n in self.pools.last_names}
        self._domain_space = len(self._stems) * len(COMPANY_WORDS)
        self._offset = random.Random(f"vendorsim:{config.seed}:ids").randrange(1 << 30)
        self._slugs = {n: ascii_slug(n) for n in (*self.pools.first_names,
                                                  *self.pools.last_names)}
        self._days: dict[int, str] = {}
        self._as_of_second = self.as_of.hour * 3600 + self.as_of.minute * 60 + self.as_of.second
        self._model, self._sends = config.model(), calendar(self.as_of)

    def _local_part(self, first: str, last: str) -> str:
        return f"{self._slugs[first]}.{self._slugs[last]}".strip(".") or "contact"

    def _ago(self, seconds: int) -> str:
        """ISO time `seconds` before as_of; dates and times of day come from caches."""
        days, rest = divmod(self._as_of_second - seconds, 86400)
        day = self._days.get(days)
        if day is None:
            day = self._days[days] = (self.as_of + timedelta(days=days)).strftime("%Y-%m-%d")
        return f"{day}T{_TIME_OF_DAY[rest]}Z"

    def chunks(self) -> Iterator[Chunk]:
        """The run cut into chunks of CHUNK_ACCOUNTS accounts, with every account's size drawn
        up front (cheap), so that chunks can be generated anywhere, in any order."""
        cfg = self.config
        sizes_rng = random.Random(f"vendorsim:{cfg.seed}:sizes")
        remaining, accounts, first_person = cfg.count, cfg.account_count, 0
        for index, start in enumerate(range(0, accounts, CHUNK_ACCOUNTS)):
            sizes = []
            for account in range(start, min(accounts, start + CHUNK_ACCOUNTS)):
                left = accounts - account
                if left == 1:
                    size = remaining
                else:
                    mean = remaining / left
                    size = min(remaining, max(1 if mean >= 1 else 0,
                                              round(sizes_rng.gammavariate(2.0, mean / 2.0))))
                remaining -= size
                sizes.append(size)
            yield Chunk(index, start, first_person, sizes)
            first_person += sum(sizes)

    def chunk_blocks(self, chunk: Chunk) -> list[AccountBlock]:
        """The accounts of one chunk with their people, opportunities and events."""
        cfg = self.config
        pools = self.pools
        rng = random.Random(f"vendorsim:{cfg.seed}:chunk:{chunk.index}")
        sends = random.Random(f"vendorsim:{cfg.seed}:sends:{chunk.index}")
        person_no = itertools.count(chunk.first_person)
        blocks = []
        for offset_in_chunk, size in enumerate(chunk.sizes):
            account = self._account(chunk.first_account + offset_in_chunk, self._offset, rng)
            block = AccountBlock(account)
            titles = rng.choices(pools.titles, weights=pools.title_weights, k=size)
            firsts = rng.choices(pools.first_names, k=size)
            lasts = rng.choices(pools.last_names, k=size)
            stages_of = rng.choices(_LIFE, weights=_LIFE_W, k=size)
            used: set[str] = set()
            for first, last, (title, seniority), stage in zip(
                    firsts, lasts, titles, stages_of, strict=True):
                block.people.append(self._person(next(person_no), self._offset, account, first,
                                                 last, title, seniority, stage, used, rng))
            for n in range(_poisson(rng, cfg.opportunities_per_account)):
                block.opportunities.append(self._opportunity(account, n, rng))
            if cfg.events_per_person:
                for person in block.people:
                    for n in range(_poisson(rng, cfg.events_per_person)):
                        block.events.append(self._event(person, n, rng))
            if cfg.sends_per_person:  # its own draws: the rest is the same with or without
                for person in block.people:
                    block.events += email_events(person, _poisson(sends, cfg.sends_per_person),
                                                 self._model, self._sends, self.as_of, sends)
            blocks.append(block)
        return blocks

    def blocks(self) -> Iterator[AccountBlock]:
        for chunk in self.chunks():
            yield from self.chunk_blocks(chunk)

    def people(self) -> Iterator[dict]:
        for block in self.blocks():
            yield from block.people

    # -- entities ------------------------------------------------------------------
    def _account(self, index: int, offset: int, rng: random.Random) -> dict:
        pools = self.pools
        slot = (index * _PRIME + offset) % self._domain_space if index < self._domain_space \
            else index
        stem = self._stems[slot % len(self._stems)]
        word = COMPANY_WORDS[(slot // len(self._stems)) % len(COMPANY_WORDS)]
        tld = pools.tlds[rng.randrange(len(pools.tlds))]
        suffix = pools.suffixes[rng.randrange(len(pools.suffixes))]
        collision = "" if index < self._domain_space else str(index // self._domain_space)
        employees = max(1, int(rng.lognormvariate(4.5, 1.6)))
        return {
            "accountId": f"ACC-{index + 1:07d}",
            "name": f"{self._stem_names.get(stem, stem.title())} {word} {suffix}".strip(),
            "domain": f"{stem}{word.lower()}{collision}.{tld}",
            "industry": INDUSTRIES[rng.randrange(len(INDUSTRIES))],
            "employees": employees,
            "sizeBand": next(band for limit, band in SIZE_BANDS if employees <= limit),
            "country": pools.country,
            "city": pools.cities[rng.randrange(len(pools.cities))],
            "crmId": f"001{mix64(index ^ offset):016X}",
        }

    def _person(self, number: int, offset: int, account: dict, first: str, last: str,
                title: str, seniority: str, stage: str, used: set[str],
                rng: random.Random) -> dict:
        cfg = self.config
        rand = rng.random  # int(rand() * n) rather than randrange(n): 3x cheaper
        local = self._local_part(first, last)
        candidate, n = local, 1
        while candidate in used:
            n += 1
            candidate = f"{local}{n}"
        used.add(candidate)
        unique = mix64(number ^ offset)
        partitions = cfg.partitions
        person = {
            "personId": f"P-{number + 1:09d}",
            "email": f"{candidate}@{account['domain']}",
            "firstName": first,
            "lastName": last,
            "jobTitle": title,
            "seniority": seniority,
            "lifecycleStage": stage,
            "ecid": f"{unique:020d}{unique * 0x9E3779B97F4A7C15 % 10 ** 18:018d}",
            "crmId": f"003{unique:016X}",
            "accountId": account["accountId"],
            "company": account["name"],
            "partition": partitions[int(rand() * len(partitions))],
            "updatedAt": self._ago(int(rand() * 31_536_000)),
        }
        if cfg.duplicate_share and rand() < cfg.duplicate_share:
            others = [p for p in partitions if p != person["partition"]]
            person["duplicateIn"] = others[int(rand() * len(others))]
        if cfg.invalid_share and rand() < cfg.invalid_share:
            _spoil(person, INVALID_KINDS[int(rand() * len(INVALID_KINDS))])
        return person

    def _opportunity(self, account: dict, n: int, rng: random.Random) -> dict:
        close = self.as_of + timedelta(days=rng.randrange(-180, 180))
        return {
            "opportunityId": f"OPP-{account['accountId'][4:]}-{n + 1}",
            "accountId": account["accountId"],
            "name": f"{account['name']} - {rng.choice(('New Business', 'Renewal', 'Upsell'))}",
            "stage": rng.choices(_STAGES, weights=_STAGE_W)[0],
            "amount": round(rng.lognormvariate(10.0, 1.0), 2),
            "closeDate": close.date().isoformat(),
        }

    def _event(self, person: dict, n: int, rng: random.Random) -> dict:
        kind = rng.choices(_EVENTS, weights=_EVENT_W)[0]
        event = {"eventId": f"E-{person['personId'][2:]}-{n + 1}",
                 "personId": person["personId"], "type": kind,
                 "timestamp": self._ago(rng.randrange(30 * 86400))}
        if kind == "web.visit":
            page = rng.choice(("pricing", "docs", "blog", "demo"))
            event["url"] = f"https://www.vendor.example/{page}"
        elif kind == "form.fill":
            event["form"] = rng.choice(("Contact Us", "Webinar Registration", "Whitepaper"))
        else:
            event["campaign"] = f"Newsletter {1 + rng.randrange(12):02d}"
        return event


_TIME_OF_DAY = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]


def _spoil(person: dict, kind: str) -> None:
    """Make the record one a vendor must refuse, and say how (`invalid`)."""
    person["invalid"] = kind
    if kind == "missing_email":
        person["email"] = None
    elif kind == "non_ascii_email":
        person["email"] = "ü" + person["email"]
    elif kind == "overlong_name":
        person["firstName"] = (person["firstName"] + " ") * (300 // len(person["firstName"]) + 1)
    elif kind == "bad_email_syntax":
        person["email"] = person["email"].replace("@", " at ")


def _poisson(rng: random.Random, mean: float) -> int:
    """A small Poisson draw (Knuth), enough for per-account counts with small means."""
    if mean <= 0:
        return 0
    limit, k, p = pow(2.718281828459045, -mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


