"""Find the code blocks of the documentation (docs/**/*.md and README.md) and say how each is
checked; the convention is in docs/contributing.md. Kept apart from the test module so that
tools and tests read the blocks the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
SKIP = re.compile(r"^<!--\s*docs-test:\s*skip\s*(?P<reason>.*?)\s*-->$")
OUTPUT_TITLE = re.compile(r"""title=["']Output["']""")
# console commands cheap and safe enough to run in every test run (no server, no container)
RUNNABLE_CONSOLE = re.compile(
    r"^vendorsim(?: --help| --version| [a-z-]+ --help| check\b.*| verify\b(?!.*--target).*)$")


@dataclass
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    info: str
    code: str
    skip: str | None  # the reason given in a skip marker, else None
    output: str | None = None  # the expected stdout: the "Output" block right after it

    @property
    def id(self) -> str:
        path = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{path}:{self.line}"


def pages() -> list[Path]:
    """Every Markdown page of the site, and the README (the front page)."""
    return sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a page in order, each python block given the Output block that
    follows it (only blank lines between)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    found: list[Block] = []
    i = 0
    last_text = ""  # the last non-blank line outside a block
    after_block = False  # only blank lines since the previous block closed
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            if lines[i].strip():
                last_text, after_block = lines[i].strip(), False
            i += 1
            continue
        fence, info = m["fence"], m["info"].strip()
        start, body = i, []
        i += 1
        while i < len(lines) and not (lines[i].strip().startswith(fence) and
                                      lines[i].strip().strip(fence[0]) == ""):
            line = lines[i]
            body.append(line[len(m["indent"]):] if line.startswith(m["indent"]) else line)
            i += 1
        i += 1
        lang = info.split()[0].lower() if info else ""
        skip = SKIP.match(last_text)
        block = Block(path, start + 1, lang, info, "\n".join(body) + "\n",
                      skip["reason"] or "no reason given" if skip else None)
        if (OUTPUT_TITLE.search(info) and after_block and found and found[-1].lang == "python"
                and found[-1].output is None):
            found[-1].output = block.code
        else:
            found.append(block)
        last_text, after_block = "", True
    return found


def matches(expected: str, actual: str) -> bool:
    """Does the output match the page? Lines compare without trailing blanks; a line that is
    only `...` stands for any number of lines, `...` inside a line for any text."""
    parts = []
    for line in expected.rstrip("\n").split("\n"):
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(p) for p in line.rstrip().split("...")) + r"\n")
    text = "\n".join(x.rstrip() for x in actual.rstrip("\n").split("\n")) + "\n"
    return re.fullmatch("".join(parts), text) is not None
