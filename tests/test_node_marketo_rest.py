"""node-marketo-rest (the npm registry's release) as a check of the asset API (issue 35): its
email and landing page calls against `vendorsim serve` on 127.0.0.1 read the emails and their
content, update a section, approve the email and read the landing pages, and the instance
holds what they did. The client is installed into build/node-clients on first use (npm, a
bounded time); without node or npm the test is skipped, saying why."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import MUNCHKIN
from tests.marketo.test_asset_seeds import WORLD
from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / "build" / "node-clients"
PACKAGE = "node-marketo-rest@0.7.8"  # the registry's latest release
DRIVER = ROOT / "tests" / "node" / "marketo_assets.js"


@pytest.fixture(scope="module")
def node_modules() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed for node-marketo-rest (apt-get install nodejs npm)")
    modules = CLIENTS / "node_modules"
    if not (modules / "node-marketo-rest").is_dir():
        CLIENTS.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix",
                                   str(CLIENTS), PACKAGE], capture_output=True, text=True,
                                  timeout=300)
        except subprocess.TimeoutExpired:
            pytest.skip(f"npm install {PACKAGE} took over 300 s")
        if done.returncode != 0:
            pytest.skip(f"npm install {PACKAGE} failed: {done.stderr.strip()[-300:]}")
    return modules


@pytest.mark.client("node-marketo-rest", npm="build/node-clients", mode="server",
                    area="Marketo assets: emails, landing pages")
def test_email_and_landing_page_calls(node_modules: Path) -> None:
    cloud = Cloud("real")
    cloud.service("marketo").seed_tenant(MUNCHKIN, state=copy.deepcopy(WORLD), credentials=[
        {"client_id": "node", "client_secret": "secret"}])
    with ServerRunner(cloud, port=0) as server:
        base = server.base_url("marketo", MUNCHKIN)
        assert base.startswith("http://127.0.0.1:")
        done = subprocess.run(
            ["node", str(DRIVER), f"{base}/rest", f"{base}/identity", "node", "secret", "3001"],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "NODE_PATH": str(node_modules)})
    assert done.returncode == 0, done.stderr[-2000:]
    answers = json.loads(done.stdout)
    failed = {name: a for name, a in answers.items() if not a["ok"]}
    assert not failed, failed
    emails = answers["getEmails"]["answer"]["result"]
    assert [e["id"] for e in emails] == [3001]
    sections = {s["htmlId"] for s in answers["getEmailContent"]["answer"]["result"]}
    assert {"hero", "headline", "footer"} <= sections
    pages = answers["getLandingPages"]["answer"]["result"]
    assert [p["name"] for p in pages] == ["Register"]
    email = cloud.marketo(MUNCHKIN).assets.emails.assets[3001]
    assert email.draft is None  # the update made a draft; approving made it the live one
    assert email.approved is not None
    assert email.approved["sections"]["headline"]["html"] == "<h2>From node</h2>"
    paths = [e.path for e in cloud.journal.entries(vendor="marketo")]
    assert "/rest/asset/v1/email/3001/approveDraft.json" in paths
