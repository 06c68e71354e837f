"""Stream generated blocks to files: CDP entities as JSONL or CSV, SFMC data-extension rows,
Marketo seed leads, or all of them as a scenario-ready bundle with a manifest.

Output is produced a chunk of accounts at a time, rendered to bytes (in worker processes
when asked) and appended in order, so the memory a run needs does not grow with the number of
profiles and the bytes do not depend on how many workers rendered them.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import IO

import orjson

from .core import AccountBlock, Chunk, GeneratorConfig, ProfileGenerator

FORMATS = ("jsonl", "csv", "sfmc", "marketo", "bundle")

ACCOUNT_COLUMNS = ("accountId", "name", "domain", "industry", "employees", "sizeBand",
                   "country", "city", "crmId")
PERSON_COLUMNS = ("personId", "email", "firstName", "lastName", "jobTitle", "seniority",
                  "lifecycleStage", "ecid", "crmId", "accountId", "company", "partition",
                  "updatedAt", "duplicateIn", "invalid")
OPPORTUNITY_COLUMNS = ("opportunityId", "accountId", "name", "stage", "amount", "closeDate")
EVENT_COLUMNS = ("eventId", "personId", "type", "timestamp", "url", "form", "campaign",
                 "bounceCategory", "bot")
CSV_COLUMNS = {"accounts.csv": ACCOUNT_COLUMNS, "people.csv": PERSON_COLUMNS,
               "opportunities.csv": OPPORTUNITY_COLUMNS, "events.csv": EVENT_COLUMNS}


def sfmc_contact_row(person: dict, account: dict) -> dict:
    """A row of a contact data extension, as POSTed to SFMC's rowset API (B-SFMC-02)."""
    return {"keys": {"ContactKey": person["personId"]},
            "values": {"EmailAddress": person["email"], "FirstName": person["firstName"],
                       "LastName": person["lastName"], "JobTitle": person["jobTitle"],
                       "LifecycleStage": person["lifecycleStage"], "Company": account["name"],
                       "AccountDomain": account["domain"], "ModifiedDate": person["updatedAt"]}}


def sfmc_activity_row(event: dict) -> dict:
    """A row of an activity data extension (site visits, forms, email interactions)."""
    detail = event.get("url") or event.get("form") or event.get("campaign") or ""
    return {"keys": {"ActivityId": event["eventId"]},
            "values": {"ContactKey": event["personId"], "ActivityType": event["type"],
                       "ActivityDate": event["timestamp"], "Detail": detail}}


def marketo_leads(block: AccountBlock) -> list[dict]:
    """Seed leads for a Marketo instance: valid people only (a vendor holds no invalid data),
    each in its partition, plus a second lead with the same email in another partition for
    the people marked `duplicateIn`, updated a day earlier."""
    leads = []
    account = block.account
    for person in block.people:
        if "invalid" in person:
            continue
        lead = {"email": person["email"], "firstName": person["firstName"],
                "lastName": person["lastName"], "title": person["jobTitle"],
                "company": account["name"], "ecids": person["ecid"],
                "sfdcContactId": person["crmId"], "sfdcAccountId": account["crmId"],
                "partition": person["partition"], "updatedAt": person["updatedAt"]}
        leads.append(lead)
        if "duplicateIn" in person:
            day_before = f"{_day_before(person['updatedAt'])}{person['updatedAt'][10:]}"
            leads.append({**lead, "partition": person["duplicateIn"], "updatedAt": day_before})
    return leads


def _day_before(iso: str) -> str:
    return (date.fromisoformat(iso[:10]) - timedelta(days=1)).isoformat()


def collect(fmt: str, blocks: list[AccountBlock]) -> dict[str, list[dict]]:
    """The records of each output file for these blocks, in the order they are written."""
    out: dict[str, list[dict]] = {}
    entities = fmt in ("jsonl", "csv", "bundle")
    ext = "csv" if fmt == "csv" else "jsonl"
    for block in blocks:
        if entities:
            out.setdefault(f"accounts.{ext}", []).append(block.account)
            out.setdefault(f"people.{ext}", []).extend(block.people)
            if block.opportunities:
                out.setdefault(f"opportunities.{ext}", []).extend(block.opportunities)
            if block.events:
                out.setdefault(f"events.{ext}", []).extend(block.events)
        if fmt in ("sfmc", "bundle"):
            out.setdefault("sfmc_contacts.jsonl", []).extend(
                sfmc_contact_row(p, block.account) for p in block.people)
            if block.events:
                out.setdefault("sfmc_activities.jsonl", []).extend(
                    sfmc_activity_row(e) for e in block.events)
        if fmt in ("marketo", "bundle"):
            out.setdefault("marketo_leads.jsonl", []).extend(marketo_leads(block))
    return out


def render(fmt: str, blocks: list[AccountBlock]) -> tuple[dict[str, tuple[bytes, int]], int]:
    """Each file's bytes (CSV without its header) and record count, and the people count."""
    rendered = {}
    for name, records in collect(fmt, blocks).items():
        if name.endswith(".csv"):
            buffer = io.StringIO()
            columns = CSV_COLUMNS[name]
            csv.writer(buffer).writerows([r.get(c, "") for c in columns] for r in records)
            data = buffer.getvalue().encode()
        else:
            dumps = orjson.dumps
            data = b"".join([dumps(r) + b"\n" for r in records])
        rendered[name] = (data, len(records))
    return rendered, sum(len(b.people) for b in blocks)


class _Sink:
    """The output folder: files opened on first use (CSV headers written then), counts."""

    def __init__(self, out: Path) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.handles: dict[str, IO[bytes]] = {}
        self.counts: dict[str, int] = {}

    def write(self, rendered: dict[str, tuple[bytes, int]]) -> None:
        for name, (data, count) in rendered.items():
            handle = self.handles.get(name)
            if handle is None:
                handle = self.handles[name] = open(self.out / name, "wb")  # noqa: SIM115
                self.counts[name] = 0
                if name in CSV_COLUMNS:
                    handle.write((",".join(CSV_COLUMNS[name]) + "\r\n").encode())
            handle.write(data)
            self.counts[name] += count

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


_WORKER: dict = {}


def _init_worker(config: GeneratorConfig, fmt: str) -> None:
    _WORKER["generator"] = ProfileGenerator(config)
    _WORKER["fmt"] = fmt


def _render_chunk(chunk: Chunk) -> tuple[dict[str, tuple[bytes, int]], int]:
    generator: ProfileGenerator = _WORKER["generator"]
    return render(_WORKER["fmt"], generator.chunk_blocks(chunk))


def write(config: GeneratorConfig, fmt: str, out: Path, *, workers: int = 1,
          on_people: Callable[[int], None] | None = None, force: bool = False
          ) -> dict[str, int]:
    """Generate and write in `fmt` under `out`; the bytes do not depend on `workers`.

    The folder appears whole or not at all: everything is written into a hidden folder
    beside it, which then takes its place. A folder that already holds files is refused
    (ValueError) unless `force`, and then replaced, never mixed with an earlier run's files.

    With workers > 1, chunks are rendered by this process and workers - 1 others, at most two
    per worker in flight, and written in order: memory stays bounded whatever the count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} is a file, not a folder: choose another --out")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ValueError(f"{out} already holds files: choose another --out, or --force to "
                         "replace them")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        counts = _write_into(config, fmt, staging, workers, on_people)
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts


def _swap_in(staging: Path, out: Path) -> None:
    """Put the finished folder where `out` is (the earlier one, if any, removed after)."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_into(config: GeneratorConfig, fmt: str, out: Path, workers: int,
                on_people: Callable[[int], None] | None) -> dict[str, int]:
    sink = _Sink(out)
    generator = ProfileGenerator(config)
    try:
        if workers <= 1:
            for chunk in generator.chunks():
                _deliver(render(fmt, generator.chunk_blocks(chunk)), sink, on_people)
        else:
            # the parent renders every workers-th chunk itself and the pool the others, so
            # that all cores render; results are written strictly in chunk order
            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            with context.Pool(workers - 1, _init_worker, (config, fmt)) as pool:
                pending: deque = deque()
                for index, chunk in enumerate(generator.chunks()):
                    pending.append(chunk if index % workers == 0
                                   else pool.apply_async(_render_chunk, (chunk,)))
                    if len(pending) >= 2 * workers:
                        _deliver(_result(pending.popleft(), generator, fmt), sink, on_people)
                while pending:
                    _deliver(_result(pending.popleft(), generator, fmt), sink, on_people)
    finally:
        sink.close()
    manifest = {"format": fmt, "generator": config.to_dict(), "files": sink.counts}
    if fmt in ("marketo", "bundle"):
        manifest["marketo"] = {"partitions": list(config.partitions),
                               "leads": "marketo_leads.jsonl"}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return sink.counts


def _result(item: object, generator: ProfileGenerator,
            fmt: str) -> tuple[dict[str, tuple[bytes, int]], int]:
    if isinstance(item, Chunk):
        return render(fmt, generator.chunk_blocks(item))
    return item.get()  # type: ignore[attr-defined]  # a queue item


def _deliver(result: tuple[dict[str, tuple[bytes, int]], int], sink: _Sink,
             on_people: Callable[[int], None] | None) -> None:
    rendered, people = result
    sink.write(rendered)
    if on_people:
        on_people(people)


def load_marketo_seed(out: Path) -> dict:
    """The Marketo part of a generated folder as a `MarketoInstance.seed()` document."""
    manifest = json.loads((out / "manifest.json").read_text())
    lines = (out / "marketo_leads.jsonl").read_bytes().splitlines()
    partitions = [p for p in manifest["marketo"]["partitions"] if p != "Default"]
    return {"partitions": partitions, "leads": [orjson.loads(line) for line in lines]}
