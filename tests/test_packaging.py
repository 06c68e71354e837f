"""Packaging (issue 11): one import namespace, `vendorsim`; a user's own `mocks` and
`simulator` packages and `responses` mocks keep working beside the plugin; the wheel installs
nothing else; no vendor package imports another."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import vendorsim

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

USER_TEST = '''
import requests
import responses

import mocks.crm
import simulator


@responses.activate
def test_my_crm_and_marketo_together(vendorsim):
    responses.get(mocks.crm.URL, json={"id": 7})
    assert mocks.crm.contact() == {"id": 7}
    token = requests.get("https://123-ABC-456.mktorest.com/identity/oauth/token",
                         params={"grant_type": "client_credentials", "client_id": "a",
                                 "client_secret": "b"}).json()
    assert token["token_type"] == "bearer"
    assert simulator.NAME == "mine"
    assert len(vendorsim.journal.entries()) == 1


def test_without_vendorsim_my_mocks_are_mine():
    assert mocks.crm.URL.startswith("https://crm.")
'''


def _user_project(tmp: Path) -> Path:
    (tmp / "mocks").mkdir()
    (tmp / "mocks" / "__init__.py").write_text("")
    (tmp / "mocks" / "crm.py").write_text(
        'import requests\nURL = "https://crm.example.com/contacts/7"\n\n\n'
        "def contact():\n    return requests.get(URL).json()\n")
    (tmp / "simulator").mkdir()
    (tmp / "simulator" / "__init__.py").write_text('NAME = "mine"\n')
    (tmp / "tests").mkdir()
    (tmp / "tests" / "test_user.py").write_text(USER_TEST)
    (tmp / "pytest.ini").write_text("[pytest]\npythonpath = .\n")  # as such projects do
    return tmp


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
    [str(BIN / "pytest"), "-p", "no:cacheprovider", "-q", "-n", "2"],
], ids=["python -m pytest", "pytest -n 2"])
def test_a_user_project_with_its_own_mocks_and_simulator(tmp_path: Path,
                                                         command: list[str]) -> None:
    project = _user_project(tmp_path)
    result = _run(command, project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "2 passed" in result.stdout


def test_version_from_python_and_the_command(tmp_path: Path) -> None:
    printed = _run([sys.executable, "-c", "import vendorsim; print(vendorsim.__version__)"],
                   tmp_path)
    assert printed.stdout.strip() == vendorsim.__version__ != "0+unknown"
    command = _run([str(BIN / "vendorsim"), "--version"], tmp_path)
    assert command.returncode == 0
    assert command.stdout.strip() == f"vendorsim {vendorsim.__version__}"


def test_every_command_line_option_has_help() -> None:
    from vendorsim.simulator.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in commands.items():
        assert sub.description, f"vendorsim {name} has no description"
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"vendorsim {name} {action.option_strings or action.dest}"


def _packages_on_disk() -> set[str]:
    found = {"vendorsim"}
    for folder in ("mocks", "simulator"):
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT).parts
            found.add(".".join(("vendorsim", *parts)))
    return found


def test_the_wheel_holds_only_the_vendorsim_namespace(tmp_path: Path) -> None:
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                  str(tmp_path), str(ROOT)], tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(tmp_path.glob("vendorsim-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"vendorsim"}, tops
    packages = {n.rsplit("/", 1)[0].replace("/", ".") for n in names
                if n.endswith("/__init__.py")}
    assert packages == _packages_on_disk()  # pyproject lists every package folder
    assert "vendorsim/py.typed" in names
    assert "vendorsim/simulator/scenario/scenario.schema.json" in names
    assert "vendorsim/docs/behaviours.md" in names  # the MCP server's catalogue resource
    # installed from the wheel (no editable finder involved), imported from elsewhere
    target = tmp_path / "site"
    installed = _run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                      str(target), str(wheel)], tmp_path)
    assert installed.returncode == 0, installed.stderr[-2000:]
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import vendorsim.mocks.cloud, "
             "vendorsim.simulator.cli; print(vendorsim.mocks.cloud.__file__)\n"
             "for name in ('mocks', 'simulator'):\n"
             "    try:\n        __import__(name)\n        print('TOP-LEVEL', name)\n"
             "    except ImportError:\n        pass\n")
    result = _run([sys.executable, "-c", probe, str(target)], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith(str(target)), result.stdout
    assert "TOP-LEVEL" not in result.stdout


def test_no_vendor_package_imports_another() -> None:
    vendors = ("marketo", "sfmc", "bombora", "demandbase")
    for vendor in vendors:
        for path in (ROOT / "mocks" / vendor).glob("*.py"):
            others = [v for v in vendors if v != vendor]
            found = re.findall(rf"vendorsim\.mocks\.({'|'.join(others)})\b", path.read_text())
            assert not found, f"{path.relative_to(ROOT)} imports {found}"
