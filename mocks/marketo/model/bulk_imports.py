"""Bulk import batches: a CSV/TSV/SSV file of leads, program members or custom object
records, queued and applied on the instance's clock; rows that fail or warn are kept for
the failures and warnings files (Adobe's Bulk Import documentation).

At most 10 batches queued or importing per instance (1016 Too many imports, chosen from the
error table); files up to 10 MB (413 above, like every bulk body).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from vendorsim.mocks.core.ids import IdSequence
from vendorsim.mocks.core.retention import JOBS_KEPT, keep_newest

from .. import facts
from .bulk_exports import write_table
from .errors import MarketoError

DELIMITERS = {"csv": ",", "tsv": "\t", "ssv": ";"}


def import_seconds(rows: int) -> float:
    """How long a batch takes (chosen: 2 s plus 1 s per 1,000 rows)."""
    return 2.0 + rows / 1000.0


@dataclass
class ImportBatch:
    id: int
    entity: str  # "leads", "program members", or a custom object's API name
    format: str
    header: list[str]
    rows: list[list[str]]
    options: dict
    created_at: float
    status: str = "Queued"
    done_at: float = 0.0
    processed: int = 0
    failures: list[tuple[list[str], str]] = field(default_factory=list)
    warnings: list[tuple[list[str], str]] = field(default_factory=list)
    message: str = "Import queued"

    def render(self) -> dict:
        counts = {"leads": "numOfLeadsProcessed", "program members": "numOfRowsProcessed"}
        out = {"batchId": self.id, "importId": str(self.id), "status": self.status,
               counts.get(self.entity, "numOfObjectsProcessed"): self.processed,
               "numOfRowsFailed": len(self.failures),
               "numOfRowsWithWarning": len(self.warnings), "message": self.message}
        if self.entity not in counts:
            out["operation"] = "import"
        return out

    def report(self, which: str) -> bytes:
        rows = self.failures if which == "failures" else self.warnings
        column = "Import Failure Reason" if which == "failures" else "Import Warning Reason"
        return write_table("CSV", [*self.header, column], [[*r, why] for r, why in rows])


@dataclass
class ImportQueue:
    batches: dict[int, ImportBatch] = field(default_factory=dict)
    ids: IdSequence = field(default_factory=lambda: IdSequence("importBatches", 1001))

    def get(self, batch_id: int, entity: str) -> ImportBatch:
        batch = self.batches.get(batch_id)
        if batch is None or batch.entity != entity:
            raise MarketoError("1003", f"Import batch '{batch_id}' not found")
        return batch

    @property
    def pending(self) -> bool:
        return any(b.status in ("Queued", "Importing") for b in self.batches.values())

    def submit(self, entity: str, data: bytes, fmt: str, options: dict,
               now: float) -> ImportBatch:
        if sum(1 for b in self.batches.values()
               if b.status in ("Queued", "Importing")) >= facts.IMPORT_MAX_ACTIVE:
            raise MarketoError("1016", "Too many imports")
        header, rows = parse_table(data, fmt)
        batch = ImportBatch(self.ids.take(), entity, fmt, header, rows, options, now)
        batch.done_at = now + import_seconds(len(rows))
        self.batches[batch.id] = batch
        keep_newest(self.batches, JOBS_KEPT, lambda b: b.status in ("Complete", "Failed"))
        return batch

    def advance(self, now: float, apply: Callable[[ImportBatch], None]) -> None:
        """Queued batches import one after another; each is applied when its time comes."""
        for batch in sorted(self.batches.values(), key=lambda b: b.id):
            if batch.status == "Queued" and now >= batch.created_at + 1.0:
                batch.status, batch.message = "Importing", "Import in progress"
            if batch.status == "Importing" and now >= batch.done_at:
                try:
                    apply(batch)
                except MarketoError as exc:  # its program or custom object went away
                    batch.status, batch.message, batch.rows = "Failed", exc.text, []
                    continue
                batch.status, batch.message = "Complete", "Import completed"
                batch.rows = []


def parse_table(data: bytes, fmt: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of an uploaded file; 1003 for a file that cannot be one."""
    if fmt not in DELIMITERS:
        raise MarketoError("1003", "format is one of csv, tsv, ssv")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MarketoError("1003", "The file is not UTF-8 text") from None
    if "\x00" in text:
        raise MarketoError("1003", "The file holds NUL characters")
    try:
        table = list(csv.reader(io.StringIO(text), delimiter=DELIMITERS[fmt]))
    except csv.Error as exc:
        raise MarketoError("1003", f"The file does not parse: {str(exc)[:80]}") from None
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise MarketoError("1003", "The file is empty: a header row is needed")
    header = [h.strip() for h in table[0]]
    if len(set(header)) != len(header) or "" in header:
        raise MarketoError("1003", "Header names must be unique and not empty")
    return header, table[1:]

