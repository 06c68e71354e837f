"""Record the drift corpus again (tests/drift/corpus/): one session per vendor against a fresh
vendorsim server, through `vendorsim record`'s proxy. Run it after an intended change to an
answer's shape, and review the cassettes' diff like code:

    .venv/bin/python tools/record_corpus.py
"""

from __future__ import annotations

from pathlib import Path

from vendorsim.simulator.drift.corpus import record_corpus

if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "tests" / "drift" / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    for path in record_corpus(out):
        print(f"recorded {path}")
