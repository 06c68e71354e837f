"""The architecture's rules as checks that can fail (docs/explanation/architecture.md):
every vendor's rules live in its model, its HTTP views only parse, call the model and wrap
the envelope; one pipeline for every call; vendor facts stay out of the vendor-neutral core;
files stay small; every `# type: ignore` says why."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from vendorsim.mocks.marketo import facts as marketo_facts
from vendorsim.mocks.sfmc import facts as sfmc_facts

ROOT = Path(__file__).resolve().parent.parent
VENDORS = ("marketo", "sfmc", "bombora", "demandbase")
CORE = ROOT / "mocks" / "core"
PACKAGE_DIRS = ("mocks", "simulator", "src")
MAX_LINES = 400
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def sources(*dirs: Path) -> list[Path]:
    return sorted(p for d in dirs for p in d.rglob("*.py") if "__pycache__" not in p.parts)


def api_modules() -> list[Path]:
    """Every module under every vendor's api/ but the packages' own __init__."""
    return [p for v in VENDORS for p in sources(ROOT / "mocks" / v / "api")
            if p.name != "__init__.py"]


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT / "mocks")) if path.is_relative_to(ROOT / "mocks") \
        else path.name


def _typing_only(tree: ast.Module) -> set[int]:
    """Ids of the import nodes under `if TYPE_CHECKING:` (annotations, not dependencies)."""
    return {id(n) for top in ast.walk(tree) if isinstance(top, ast.If) and
            isinstance(top.test, ast.Name) and top.test.id == "TYPE_CHECKING"
            for n in ast.walk(top)}


def test_every_vendor_has_a_model_and_an_api() -> None:
    for vendor in VENDORS:
        for layer in ("model", "api"):
            assert (ROOT / "mocks" / vendor / layer / "__init__.py").is_file(), \
                f"mocks/{vendor}/{layer}/ is missing"
        strays = {p.name for p in (ROOT / "mocks" / vendor).glob("*.py")} - {
            "__init__.py", "facts.py", "service.py"}
        assert not strays, f"mocks/{vendor}/ holds {sorted(strays)} outside model/ and api/"


@pytest.mark.parametrize("path", api_modules(), ids=_id)
def test_api_modules_take_no_lock_and_call_nothing_private(path: Path) -> None:
    """A view never holds a model's lock nor reaches into a model's privates: the model
    operation it calls does its own locking and checks its own scopes."""
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr != "lock", f"{_id(path)}:{node.lineno}: `.lock` in the API layer"
            own = isinstance(node.value, ast.Name) and node.value.id == "self"
            assert own or not (node.attr.startswith("_") and not node.attr.startswith("__")), \
                f"{_id(path)}:{node.lineno}: private `{node.attr}` used in the API layer"


def _absolute(path: Path, node: ast.ImportFrom) -> list[str]:
    """The modules a relative import names, as dotted paths from mocks/."""
    package = path.relative_to(ROOT / "mocks").parent.parts
    base = list(package[:len(package) - node.level + 1])
    if node.module:
        return [".".join([*base, node.module])]
    return [".".join([*base, a.name]) for a in node.names]


@pytest.mark.parametrize("path", api_modules(), ids=_id)
def test_api_modules_import_only_the_http_helper_and_the_model(path: Path) -> None:
    """A view module imports its vendor's model and facts, its layer's `http` helpers and,
    inside a transport package (SFMC's soap/), that package's own modules: never another
    area's views, never the service."""
    vendor = path.relative_to(ROOT / "mocks").parts[0]
    package = ".".join(path.relative_to(ROOT / "mocks").parent.parts)
    allowed = (f"{vendor}.model", f"{vendor}.facts", f"{vendor}.api.http")
    tree = ast.parse(path.read_text(), str(path))
    typing_only = _typing_only(tree)
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level:
            for name in _absolute(path, node):
                inside = package != f"{vendor}.api" and name.startswith(package + ".")
                assert inside or name == package and path.name == "http.py" or \
                    name.startswith(allowed), \
                    f"{_id(path)}:{node.lineno}: imports {name} (only model, facts, http)"
        if isinstance(node, ast.ImportFrom) and node.module and \
                node.module.startswith(f"vendorsim.mocks.{vendor}.") and \
                not node.module.startswith(tuple(f"vendorsim.mocks.{a}" for a in allowed)):
            pytest.fail(f"{_id(path)}:{node.lineno}: absolute import of {node.module}")


@pytest.mark.parametrize("path", api_modules(), ids=_id)
def test_views_are_module_level_functions(path: Path) -> None:
    """No closures: every view can be imported, tested and outlined on its own."""
    tree = ast.parse(path.read_text(), str(path))
    for top in tree.body:
        if isinstance(top, ast.FunctionDef):
            for inner in ast.walk(top):
                if inner is not top and isinstance(inner, ast.FunctionDef | ast.Lambda):
                    pytest.fail(f"{path.name}:{inner.lineno}: a function inside "
                                f"`{top.name}`: views and helpers are module-level")


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_service_registers_every_api_blueprint_from_one_tuple(vendor: str) -> None:
    """One registration style: each module defining a Blueprint is in the vendor's
    BLUEPRINTS tuple, which its service registers in one loop; nothing else adds routes."""
    api = importlib.import_module(f"vendorsim.mocks.{vendor}.api")
    with_views = {".".join(p.relative_to(ROOT / "mocks").with_suffix("").parts)
                  for p in sources(ROOT / "mocks" / vendor / "api")
                  if re.search(r"^bp = Blueprint\(", p.read_text(), re.M)}
    assert {bp.import_name.removeprefix("vendorsim.mocks.") for bp in api.BLUEPRINTS} == \
        with_views
    service = (ROOT / "mocks" / vendor / "service.py").read_text()
    assert "for blueprint in BLUEPRINTS" in service
    assert "add_url_rule" not in service and ".route(" not in service


@pytest.mark.parametrize("vendor", VENDORS)
def test_model_operations_take_their_own_lock(vendor: str) -> None:
    """Locks are the model's business: no `with ... lock` outside model/ (the service's
    own tenant table aside) and none in a view."""
    for path in sources(ROOT / "mocks" / vendor):
        if "model" in path.parts or path.name == "service.py":
            continue
        assert not re.search(r"\.lock\b|\bRLock\b", path.read_text()), \
            f"{_id(path)}: a lock outside the model"


def test_one_pipeline_for_every_call() -> None:
    """Every vendor's app installs the same pipeline; no vendor hooks its own
    before/after-request functions."""
    for path in sources(ROOT / "mocks"):
        text = path.read_text()
        if path.name != "pipeline.py":
            # registering a hook (Flask's own `do_teardown_request`, which VendorApp overrides
            # to run the pipeline's, registers none)
            assert not re.search(r"\.(before|after)_request\(|(?<!do_)teardown_request\(",
                                 text) or \
                "core/admin" in str(path) or "dashboard" in str(path), \
                f"{_id(path)}: request hooks outside core/pipeline.py"


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
