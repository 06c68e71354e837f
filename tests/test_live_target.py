"""`--vendorsim-target=live` (issue 27): opt in, skipped with the reason when no sandbox is
configured; with one, the target subset's live-able tests run against it, paced, and those
that need vendorsim's admin API skip saying why. The "sandbox" here is a local vendorsim
server standing in for Marketo (no internet in tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner

ROOT = Path(__file__).parent.parent


def run(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VENDORSIM_LIVE")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-rs", "tests/test_target.py", "--vendorsim-target=live"],
        capture_output=True, text=True, cwd=ROOT, env={**clean, **env}, timeout=300)
    return done.stdout + done.stderr


def test_live_without_a_sandbox_skips_saying_why() -> None:
    out = run({})
    assert "no sandbox configured" in out and "failed" not in out


def test_live_runs_what_needs_no_admin_api_and_skips_the_rest() -> None:
    with ServerRunner(Cloud("real")) as server:
        out = run({"VENDORSIM_LIVE_MARKETO": f"{server.urls['marketo']}/123-ABC-456",
                   "VENDORSIM_LIVE_MARKETO_CLIENT_ID": "live-client",
                   "VENDORSIM_LIVE_MARKETO_CLIENT_SECRET": "live-secret",
                   "VENDORSIM_LIVE_INTERVAL": "0.01"})
        calls = [e for e in server.cloud.journal.entries() if e.vendor == "marketo"]
    assert "1 passed" in out and "failed" not in out, out
    assert "a live vendor has none" in out
    assert {e.client for e in calls} == {"live-client"}
