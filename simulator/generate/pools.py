"""Value pools drawn once from Faker, then sampled with a seeded `random.Random`.

Faker is the source of realistic, localised names, but calling it per field costs tens of
microseconds; drawing a few thousand values once and sampling them is what makes a million
profiles take seconds instead of minutes (research notes, bdd-and-data.md §3.6).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from faker import Faker

FIRST_NAMES = 2000
LAST_NAMES = 3000
CITIES = 400

INDUSTRIES = (
    "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Education",
    "Telecommunications", "Energy", "Media", "Transportation", "Hospitality", "Insurance",
    "Pharmaceuticals", "Real Estate", "Government", "Non-Profit", "Construction", "Agriculture",
    "Automotive", "Consulting",
)
COMPANY_WORDS = (
    "Systems", "Labs", "Works", "Digital", "Analytics", "Networks", "Solutions", "Dynamics",
    "Logic", "Cloud", "Data", "Group", "Partners", "Health", "Energy", "Foods", "Logistics",
    "Media", "Robotics", "Capital", "Bio", "Security", "Design", "Motors", "Retail", "Learning",
    "Telecom", "Studio", "Ventures", "Holdings", "Industries", "Software", "Pharma", "Mobility",
    "Finance", "Insights", "Connect", "Foundry", "Vision", "Supply",
)
DEPARTMENTS = ("Marketing", "Sales", "Engineering", "Finance", "Operations", "IT",
               "Human Resources", "Product", "Customer Success", "Legal")
# seniority -> (weight, title templates); {d} is the department
SENIORITY = {
    "C-Level": (3, ("Chief {d} Officer", "Head of {d}")),
    "VP": (7, ("VP {d}", "Vice President of {d}")),
    "Director": (15, ("Director of {d}", "{d} Director")),
    "Manager": (30, ("{d} Manager", "Senior {d} Manager")),
    "Individual Contributor": (45, ("{d} Specialist", "{d} Analyst", "Senior {d} Associate")),
}
LIFECYCLE = (("subscriber", 20), ("lead", 35), ("marketingqualifiedlead", 15),
             ("salesqualifiedlead", 10), ("opportunity", 8), ("customer", 10),
             ("evangelist", 2))
OPPORTUNITY_STAGES = (("Prospecting", 25), ("Qualification", 20), ("Needs Analysis", 15),
                      ("Proposal", 15), ("Negotiation", 10), ("Closed Won", 8),
                      ("Closed Lost", 7))
EVENT_TYPES = (("web.visit", 50), ("email.open", 25), ("email.click", 15), ("form.fill", 10))
SIZE_BANDS = ((10, "1-10"), (50, "11-50"), (200, "51-200"), (1000, "201-1000"),
              (5000, "1001-5000"), (10 ** 9, "5000+"))


def ascii_slug(text: str, sep: str = "") -> str:
    """`Grégoire O'Neil` -> `gregoireoneil`: emails and domains must be ASCII."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, plain.lower()).strip(sep)


@dataclass
class Pools:
    """Everything the generator samples from, for one locale and seed."""

    locale: str
    first_names: list[str]
    last_names: list[str]
    cities: list[str]
    country: str
    suffixes: list[str]
    tlds: list[str]
    titles: list[tuple[str, str]]  # (title, seniority)
    title_weights: list[float]


def build_pools(locale: str, seed: int) -> Pools:
    """Draw the pools from Faker, seeded, without weighting (10x faster, still realistic)."""
    fake = Faker(locale, use_weighting=False)
    fake.seed_instance(seed)
    first = _distinct(fake.first_name, FIRST_NAMES)
    last = _distinct(fake.last_name, LAST_NAMES)
    cities = _distinct(fake.city, CITIES)
    suffixes = _distinct(fake.company_suffix, 8, attempts=200)
    tlds = ["com"] * 6 + _distinct(fake.tld, 3, attempts=100)
    titles, weights = [], []
    for seniority, (weight, templates) in SENIORITY.items():
        for template in templates:
            for department in DEPARTMENTS:
                titles.append((template.format(d=department), seniority))
                weights.append(weight / (len(templates) * len(DEPARTMENTS)))
    return Pools(locale, first, last, cities, fake.current_country(), suffixes, tlds,
                 titles, weights)


def _distinct(make: Callable[[], str], n: int, attempts: int | None = None) -> list[str]:
    """Up to n distinct values (in first-seen order, so the pool is deterministic)."""
    seen: dict[str, None] = {}
    for _ in range(attempts or n * 4):
        seen.setdefault(make(), None)
        if len(seen) >= n:
            break
    return list(seen)
