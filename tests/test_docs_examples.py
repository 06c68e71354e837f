"""The documentation's examples run (issue 37): every ```python block of docs/**/*.md and
README.md runs in its own interpreter (cwd = the repository root, in-process mocks only; a
block titled test_*.py runs under pytest) and must exit 0; where the page shows its output (a
```text title="Output" block right after it) stdout must match. ```console blocks whose
commands are cheap (`vendorsim --help`, `check ...`, `verify ...`) run too; the others are
skipped with the reason. Convention: docs/contributing.md."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs_blocks import ROOT, RUNNABLE_CONSOLE, Block, blocks, matches, pages

ALL = [b for p in pages() for b in blocks(p)]
PYTHON = [b for b in ALL if b.lang in ("python", "py")]
CONSOLE = [b for b in ALL if b.lang == "console"]
VENDORSIM = Path(sys.executable).with_name("vendorsim")
TEST_MODULE = re.compile(r"""title=["'](?P<name>test_\w+\.py)["']""")
TIMEOUT = 120  # a hung example fails the test; this is not a speed assertion


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("VENDORSIM_TARGET", None)
    env["PYTHONHASHSEED"] = "0"
    env["COLUMNS"] = "100"  # argparse wraps help text at the terminal's width
    return env


def _shown(expected: str, actual: str, stderr: str = "") -> str:
    return (f"the page shows:\n{expected}\n--- the example printed:\n{actual}"
            + (f"\n--- stderr:\n{stderr}" if stderr else ""))


def test_every_page_has_been_read() -> None:
    """The collector finds the examples (a parser broken into finding none would pass)."""
    assert len(PYTHON) >= 8 and CONSOLE, (len(PYTHON), len(CONSOLE))


@pytest.mark.parametrize("block", PYTHON, ids=lambda b: b.id)
def test_python_example_runs(block: Block, tmp_path: Path) -> None:
    """A program runs with python; a test module (titled `test_*.py`) runs with pytest."""
    if block.skip is not None:
        pytest.skip(block.skip)
    if module := TEST_MODULE.search(block.info):
        path = tmp_path / module["name"]
        path.write_text(block.code)
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
                str(tmp_path), str(path)]
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=_env(),
                              timeout=TIMEOUT)
        assert done.returncode == 0, f"{block.id} failed:\n{done.stdout[-4000:]}{done.stderr}"
    else:
        done = subprocess.run([sys.executable, "-"], input=block.code, capture_output=True,
                              text=True, cwd=ROOT, env=_env(), timeout=TIMEOUT)
        assert done.returncode == 0, f"{block.id} failed:\n{done.stderr[-4000:]}"
    if block.output is not None:
        assert matches(block.output, done.stdout), _shown(block.output, done.stdout)


def _commands(block: Block) -> list[tuple[str, str]]:
    """(command, its shown output) for each `$ ` line of a console block."""
    found: list[tuple[str, list[str]]] = []
    for line in block.code.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            found.append((line[2:].strip(), []))
        elif found:
            found[-1][1].append(line)
    return [(cmd, "\n".join(out)) for cmd, out in found]


@pytest.mark.parametrize("block", CONSOLE, ids=lambda b: b.id)
def test_console_example_runs(block: Block) -> None:
    if block.skip is not None:
        pytest.skip(block.skip)
    commands = _commands(block)
    slow = [cmd for cmd, _ in commands if not RUNNABLE_CONSOLE.match(cmd)]
    if not commands or slow:
        pytest.skip(f"not run: {slow[0] if slow else 'no $ command'} (only vendorsim --help, "
                    "--version, check and verify run in the doc tests)")
    for cmd, shown in commands:
        argv = [str(VENDORSIM), *shlex.split(cmd, comments=True)[1:]]
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=_env(),
                              timeout=TIMEOUT)
        assert done.returncode == 0, f"{block.id}: `{cmd}` exited {done.returncode}:\n" \
                                     f"{done.stdout}{done.stderr}"
        if shown.strip():
            assert matches(shown, done.stdout + done.stderr), \
                _shown(shown, done.stdout, done.stderr)


def test_the_output_convention() -> None:
    """`...` alone stands for any lines, inside a line for any text; anything else must match."""
    assert matches("a\n...\nd\n", "a\nb\nc\nd\n")
    assert matches("id ... made\n", "id 42 made\n")
    assert not matches("a\nd\n", "a\nb\nd\n")
    assert not matches("True created\n", "False created\n")


def test_blocks_pair_a_python_block_with_its_output(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text('<!-- docs-test: skip why -->\n```python\nx\n```\n\n'
                    '```python\nprint(1)\n```\n\n```text title="Output"\n1\n```\n'
                    '```text title="Output"\norphan\n```\n')
    found = blocks(page)
    assert [(b.lang, b.skip, b.output) for b in found] == [
        ("python", "why", None), ("python", None, "1\n"), ("text", None, None)]
