"""The base install stays free of the optional extras (issue 28): without opentelemetry,
testcontainers and the MCP SDK the mocks import, serve and answer; the core dependencies name
none of them; `vendorsim mcp` without the SDK says how to install it (issue 37)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_core_dependencies_name_no_optional_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = " ".join(project["dependencies"]).lower()
    assert "opentelemetry" not in core and "testcontainers" not in core
    assert "mcp" not in core and "uvicorn" not in core
    assert set(project["optional-dependencies"]) >= {"otel", "testcontainers", "mcp", "dev"}


def test_the_mocks_work_with_the_extras_absent() -> None:
    code = (
        "import sys\n"
        "for name in ('opentelemetry', 'testcontainers', 'mcp', 'uvicorn', 'httpx2'):\n"
        "    sys.modules[name] = None  # as if not installed\n"
        "import requests\n"
        "from vendorsim import mock_vendors\n"
        "with mock_vendors(clock='virtual'):\n"
        "    answer = requests.get('https://123-ABC-456.mktorest.com/identity/oauth/token',\n"
        "        params={'grant_type': 'client_credentials', 'client_id': 'c',\n"
        "                'client_secret': 's'})\n"
        "    assert answer.json()['access_token']\n"
        "    assert 'vendorsim_requests_total' in requests.get(\n"
        "        'https://123-ABC-456.mktorest.com/__admin/metrics').text\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_vendorsim_mcp_without_the_sdk_says_how_to_install_it() -> None:
    code = ("import sys\n"
            "sys.modules['mcp'] = None  # as if not installed\n"
            "from vendorsim.simulator.cli import main\n"
            "sys.exit(main(['mcp', '--transport', 'http', '--port', '0']))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2, done.stderr
    assert "pip install 'vendorsim[mcp]'" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
