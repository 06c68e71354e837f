"""The architecture's rules as checks that can fail (README "Layout"): Marketo's rules live in
its model, its HTTP handlers only parse, call the model and wrap the envelope; vendor facts
stay out of the vendor-neutral core; files stay small; every `# type: ignore` says why."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vendorsim.mocks.marketo import facts as marketo_facts
from vendorsim.mocks.marketo.api import BLUEPRINTS
from vendorsim.mocks.sfmc import facts as sfmc_facts

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "mocks" / "marketo" / "api"
CORE = ROOT / "mocks" / "core"
PACKAGE_DIRS = ("mocks", "simulator", "src")
MAX_LINES = 400
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def sources(*dirs: Path) -> list[Path]:
    return sorted(p for d in dirs for p in d.rglob("*.py") if "__pycache__" not in p.parts)


def api_modules() -> list[Path]:
    return [p for p in sources(API) if p.name != "__init__.py"]


@pytest.mark.parametrize("path", api_modules(), ids=lambda p: p.name)
def test_api_modules_take_no_lock_and_call_nothing_private(path: Path) -> None:
    """A handler never holds the instance's lock nor reaches into a model's privates: the
    model operation it calls does its own locking."""
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr != "lock", f"{path.name}:{node.lineno}: `.lock` in the API layer"
            own = isinstance(node.value, ast.Name) and node.value.id == "self"
            assert own or not (node.attr.startswith("_") and not node.attr.startswith("__")), \
                f"{path.name}:{node.lineno}: private `{node.attr}` used in the API layer"


@pytest.mark.parametrize("path", api_modules(), ids=lambda p: p.name)
def test_api_modules_import_only_the_http_helper_and_the_model(path: Path) -> None:
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:  # from . / from .x
            names = [a.name for a in node.names] if node.module is None else [node.module]
            assert names == ["http"] or path.name == "http.py" and not names, \
                f"{path.name}:{node.lineno}: imports {names} from another api/ module"
        if isinstance(node, ast.ImportFrom) and node.level == 2:  # from ..x
            assert (node.module or "").split(".")[0] in ("model", "facts"), \
                f"{path.name}:{node.lineno}: api/ imports ..{node.module} (only model, facts)"
        if isinstance(node, ast.ImportFrom) and node.module and \
                node.module.startswith("vendorsim.mocks.marketo.api"):
            pytest.fail(f"{path.name}:{node.lineno}: absolute import of another api/ module")


@pytest.mark.parametrize("path", api_modules(), ids=lambda p: p.name)
def test_views_are_module_level_functions(path: Path) -> None:
    """No closures: every view can be imported, tested and outlined on its own."""
    tree = ast.parse(path.read_text(), str(path))
    for top in tree.body:
        if isinstance(top, ast.FunctionDef):
            for inner in ast.walk(top):
                if inner is not top and isinstance(inner, ast.FunctionDef | ast.Lambda):
                    pytest.fail(f"{path.name}:{inner.lineno}: a function inside "
                                f"`{top.name}`: views and helpers are module-level")


def test_the_service_registers_every_api_blueprint_from_one_tuple() -> None:
    modules = {p.stem for p in api_modules()} - {"http"}
    assert {bp.import_name.rsplit(".", 1)[-1] for bp in BLUEPRINTS} == modules
    service = (ROOT / "mocks" / "marketo" / "service.py").read_text()
    assert "for blueprint in BLUEPRINTS" in service


def vendor_codes() -> set[str]:
    """Every vendor code the facts modules define (Marketo's 6xx/7xx/1xxx, SFMC's)."""
    codes = set(marketo_facts.MESSAGES) | set(marketo_facts.THROTTLES)
    codes |= {str(v) for k, v in vars(sfmc_facts).items() if k.isupper() and isinstance(v, int)
              and v >= 10000}
    return codes


@pytest.mark.parametrize("path", sources(CORE), ids=lambda p: str(p.relative_to(CORE)))
def test_no_vendor_codes_or_zones_in_the_core(path: Path) -> None:
    """The core is vendor-neutral: a vendor's codes, throttles and time zone come from its
    facts module. Docstrings and comments may name them as examples."""
    tree = ast.parse(path.read_text(), str(path))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and n.body and isinstance(n.body[0], ast.Expr)}
    codes = vendor_codes()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            value = node.value
            assert not (isinstance(value, str) and value in codes), \
                f"{path.name}:{node.lineno}: vendor code {value!r} in the core"
            assert not (isinstance(value, str) and "America/" in value), \
                f"{path.name}:{node.lineno}: a vendor's time zone in the core"


@pytest.mark.parametrize("path", sources(*(ROOT / d for d in PACKAGE_DIRS)),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_files_stay_small(path: Path) -> None:
    lines = path.read_text().count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)}: {lines} lines (at most {MAX_LINES})"


@pytest.mark.parametrize("path", sources(*(ROOT / d for d in PACKAGE_DIRS)),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_type_ignore_names_its_code_and_why(path: Path) -> None:
    check_ignores(path.read_text(), str(path.relative_to(ROOT)))


def check_ignores(text: str, name: str) -> None:
    for n, line in enumerate(text.splitlines(), start=1):
        found = IGNORE.search(line)
        if found is None:
            continue
        assert found["codes"], f"{name}:{n}: `# type: ignore` without an error code"
        assert re.match(r"\s+#\s*\S", found["rest"]), \
            f"{name}:{n}: `# type: ignore{found['codes']}` without the reason after it"


def test_the_layout_checks_can_fail(tmp_path: Path) -> None:
    """The checks above catch what they are for (an honest test can fail)."""
    bad = tmp_path / "bad.py"
    bad.write_text("def view():\n    with http.instance().lock:\n        pass\n")
    with pytest.raises(AssertionError):
        test_api_modules_take_no_lock_and_call_nothing_private(bad)
    with pytest.raises(pytest.fail.Exception):
        test_views_are_module_level_functions(tmp_path / "nested.py") if (
            tmp_path / "nested.py").write_text("def f():\n    def g():\n        pass\n") else None
    for text in ("x = 1  # type: ignore\n", "x = 1  # type: ignore[misc]\n"):
        with pytest.raises(AssertionError):
            check_ignores(text, "bad.py")
    check_ignores("x = 1  # type: ignore[misc]  # why\n", "good.py")
