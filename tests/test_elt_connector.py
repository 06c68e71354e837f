"""An ELT connector's own check, discover and read against `vendorsim serve` (issue 35): the
Airbyte Marketo source from PyPI, in its own virtual environment under build/ (made on first
use: about a minute and 90 MB), reads the asset streams (segmentations, programs, emails,
program tokens) and a bulk activity stream, whose export it creates with `"fields": []`.
Without the connector (no network to PyPI, a failed install) the test is skipped, saying why.

The connector polls an export's status every 60 s of wall time, so the read takes a little
over a minute; the server runs on the real clock for it."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import MUNCHKIN, MarketoCaller
from tests.marketo.test_asset_seeds import WORLD
from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "build" / "airbyte-venv"
PACKAGE = "airbyte-source-marketo==2.1.3"
STREAMS = ("segmentations", "programs", "emails", "program_tokens", "campaigns",
           "activity_types", "activities_new_lead")


@pytest.fixture(scope="module")
def connector() -> Path:
    command = VENV / "bin" / "source-marketo"
    if command.exists():
        return command
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=120,
                       capture_output=True)
        done = subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", PACKAGE],
                              capture_output=True, text=True, timeout=600)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"could not make a virtual environment for {PACKAGE}: {exc}")
    if done.returncode != 0 or not command.exists():
        pytest.skip(f"pip install {PACKAGE} failed: {done.stderr.strip()[-300:]}")
    return command


def run(command: Path, *args: str, cwd: Path) -> list[dict]:
    done = subprocess.run([str(command), *args], capture_output=True, text=True, timeout=900,
                          cwd=cwd)
    assert done.returncode == 0, done.stderr[-2000:]
    out = []
    for line in done.stdout.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


@pytest.mark.client("airbyte-source-marketo", venv="build/airbyte-venv", mode="server",
                    area="Marketo: check, discover, read (assets, bulk activities)")
def test_check_discover_and_read(connector: Path, tmp_path: Path) -> None:
    cloud = Cloud("real")
    cloud.service("marketo").seed_tenant(MUNCHKIN, state=copy.deepcopy(WORLD), credentials=[
        {"client_id": "elt", "client_secret": "secret"}])
    caller = MarketoCaller()
    caller.session = cloud.requests_session()
    caller.login("elt", "secret")
    assert caller.sync([{"email": f"p{i}@x.example"} for i in range(3)])["success"]
    with ServerRunner(cloud, port=0) as server:
        start = (datetime.now(UTC) - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        config = tmp_path / "config.json"
        config.write_text(json.dumps({"domain_url": server.base_url("marketo", MUNCHKIN),
                                      "client_id": "elt", "client_secret": "secret",
                                      "start_date": start}))
        status = run(connector, "check", "--config", str(config), cwd=tmp_path)
        assert [m["connectionStatus"]["status"] for m in status
                if m.get("type") == "CONNECTION_STATUS"] == ["SUCCEEDED"]
        catalog = next(m["catalog"] for m in run(connector, "discover", "--config",
                                                 str(config), cwd=tmp_path)
                       if m.get("type") == "CATALOG")
        names = {s["name"] for s in catalog["streams"]}
        assert set(STREAMS) <= names, names
        chosen = tmp_path / "catalog.json"
        chosen.write_text(json.dumps({"streams": [
            {"stream": s, "destination_sync_mode": "append",
             "sync_mode": "incremental" if "incremental" in s["supported_sync_modes"]
             else "full_refresh"} for s in catalog["streams"] if s["name"] in STREAMS]}))
        messages = run(connector, "read", "--config", str(config), "--catalog", str(chosen),
                       cwd=tmp_path)
    records: dict[str, int] = {}
    for message in messages:
        if message.get("type") == "RECORD":
            stream = message["record"]["stream"]
            records[stream] = records.get(stream, 0) + 1
    errors = [m["trace"]["error"]["message"] for m in messages
              if m.get("type") == "TRACE" and m["trace"].get("type") == "ERROR"]
    done = {m["trace"]["stream_status"]["stream_descriptor"]["name"] for m in messages
            if m.get("type") == "TRACE" and m["trace"].get("type") == "STREAM_STATUS"
            and m["trace"]["stream_status"]["status"] == "COMPLETE"}
    assert not errors, errors
    assert done == set(STREAMS), done
    assert {k: records.get(k) for k in ("segmentations", "programs", "emails",
                                        "program_tokens")} == \
        {"segmentations": 1, "programs": 1, "emails": 1, "program_tokens": 1}
    assert records.get("activities_new_lead") == 3  # the bulk export made with "fields": []
    created = [e for e in cloud.journal.entries(vendor="marketo")
               if e.path == "/bulk/v1/activities/export/create.json"]
    assert created and all(e.status == 200 for e in created)
