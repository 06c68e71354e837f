"""The documentation site (issue 37, docs/contributing.md): it builds with `mkdocs build
--strict` (a broken link or anchor, or a page in the nav that is missing, fails), every page is
in the nav, the generated reference pages match the code, the README stays a short front page
whose links resolve, and the layout page names the folders that exist."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
README_MAX_BYTES = 15 * 1024
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")


def _nav_pages(node: object) -> set[str]:
    if isinstance(node, str):
        return {node}
    if isinstance(node, list):
        return set().union(*(_nav_pages(n) for n in node)) if node else set()
    if isinstance(node, dict):
        return set().union(*(_nav_pages(v) for v in node.values())) if node else set()
    return set()


def _config() -> dict:
    class Loader(yaml.SafeLoader):  # mkdocs.yml may hold !!python tags: none are needed here
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)  # noqa: S506


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("material", reason="mkdocs-material is in the dev extra: ./dev test")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                           str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300)
    problems = [line for line in done.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert done.returncode == 0, "\n".join(problems) or done.stderr[-4000:]
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "reference" / "cli" / "index.html").is_file()


def test_every_page_is_in_the_nav() -> None:
    """MkDocs builds a page left out of the nav (and only says so at INFO); readers browsing
    the site never find it. A page merged late: add it to `nav:` in mkdocs.yml."""
    nav = _nav_pages(_config()["nav"])
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert sorted(pages - nav) == [], "pages outside the nav of mkdocs.yml"
    assert sorted(nav - pages) == [], "the nav names pages that do not exist"


def test_the_generated_reference_pages_are_current() -> None:
    spec = importlib.util.spec_from_file_location("docs_reference",
                                                  ROOT / "tools" / "docs_reference.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.stale() == [], "stale: run python tools/docs_reference.py and commit the pages"


def _anchors(page: Path) -> set[str]:
    """The ids MkDocs gives the page's headings (its toc slugify: lower case, punctuation
    dropped, spaces to hyphens)."""
    found = set()
    for line in page.read_text().splitlines():
        if m := re.match(r"^#{1,6}\s+(.*?)\s*#*$", line):
            text = re.sub(r"[^\w\s-]", "", m[1].replace("`", "")).strip().lower()
            found.add(re.sub(r"[-\s]+", "-", text))
    return found


def test_the_readme_is_a_short_front_page_whose_links_resolve() -> None:
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes: move the detail into docs/"
    broken = []
    for m in LINK.finditer(README.read_text()):
        target = m[1] or m[2]
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        file = (ROOT / path) if path else README
        if not file.exists() or anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(target)
    assert broken == []
    assert "docs/index.md" in README.read_text()


def test_the_layout_page_names_every_folder() -> None:
    """The layout (docs/explanation/architecture.md) is a tree of the repository: each path
    it names exists, and each package folder of mocks/ and simulator/ is named."""
    page = (DOCS / "explanation" / "architecture.md").read_text()
    tree = page.split("```")[1]
    named = set()
    for line in tree.splitlines():
        if line and not line[0].isspace():  # a path, then what it holds; or only paths
            parts = [p for p in line.split("  ") if p.strip()]
            paths = parts if all(len(p.split()) == 1 for p in parts) else [line.split()[0]]
            named |= {p.strip().rstrip("/") for p in paths}
    missing = sorted(n for n in named if not (ROOT / n).exists())
    assert missing == [], "the layout names paths that do not exist"
    packages = [p for d in ("mocks", "simulator") for p in sorted((ROOT / d).iterdir())
                if p.is_dir() and (p / "__init__.py").is_file()]
    unnamed = [str(p.relative_to(ROOT)) for p in packages
               if not re.search(rf"(^|[\s(/]){re.escape(p.name)}/", tree, re.M)]
    assert unnamed == [], "package folders the layout does not name"
