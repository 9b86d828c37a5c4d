"""Who may import whom (DESIGN.md): the kernel (jinyuan.*) → tenants → billing → the procedure
apps. A lower layer never imports a higher one, not even inside a function; where it must learn
of a higher app it offers a registry or a signal the higher app fills in its AppConfig.ready().

Between procedure apps one direction only, declared in PROCEDURE_MAY_IMPORT.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

KERNEL, TENANTS, BILLING, PROCEDURES = 0, 1, 2, 3
PROCEDURE_APPS = ("renovation", "permits", "repairs", "complaints", "venues", "frontdesk")
LAYERS = {"jinyuan": KERNEL, "tenants": TENANTS, "billing": BILLING, **dict.fromkeys(PROCEDURE_APPS, PROCEDURES)}
LAYER_NAMES = {KERNEL: "the kernel", TENANTS: "tenants", BILLING: "billing", PROCEDURES: "the procedure apps"}

# importer -> procedure apps it may import (permits checks a renovation's worker passes; the
# monthly service statistics in complaints count repairs too).
PROCEDURE_MAY_IMPORT: dict[str, set[str]] = {
    "permits": {"renovation"},
    "complaints": {"repairs"},
    # An inquiry becomes a repair ticket or a complaint; an emergency links to tickets; the
    # recyclables leave the building on a release note (permits).
    "frontdesk": {"repairs", "complaints", "permits"},
}

# The project's wiring sits above every layer: it mounts every app's URLs and settings.
WIRING = {"jinyuan.urls", "jinyuan.settings", "jinyuan.settings_production", "jinyuan.wsgi", "jinyuan.celery"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module the source imports, at any depth (functions, ``if TYPE_CHECKING``),
    relative imports resolved against ``module``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                # In a package's __init__, "." is the package itself.
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return found


def app_of(module: str) -> str:
    return module.split(".", 1)[0]


def violation(importer: str, imported: str) -> str | None:
    """Why ``importer`` may not import ``imported``, or None when it may."""
    if importer in WIRING:
        return None
    src, dst = app_of(importer), app_of(imported)
    if src not in LAYERS or dst not in LAYERS or src == dst:
        return None
    if LAYERS[dst] > LAYERS[src]:
        return f"{LAYER_NAMES[LAYERS[src]]} must not import {LAYER_NAMES[LAYERS[dst]]}"
    if LAYERS[src] == LAYERS[dst] == PROCEDURES and dst not in PROCEDURE_MAY_IMPORT.get(src, set()):
        return f"{src} may not import {dst} (declare the direction in PROCEDURE_MAY_IMPORT)"
    return None


def python_files(root: Path) -> list[Path]:
    return [path for app in LAYERS if (root / app).is_dir() for path in sorted((root / app).rglob("*.py"))]


def check(root: Path) -> list[str]:
    problems = []
    for path in python_files(root):
        module = module_name(path, root)
        source = path.read_text(encoding="utf-8")
        for lineno, imported in imported_modules(source, module, path.name == "__init__.py"):
            why = violation(module, imported)
            if why:
                problems.append(f"{path.relative_to(root)}:{lineno} imports {imported}: {why}")
    return problems


def test_no_lower_layer_imports_a_higher_one():
    scanned = {module_name(p, ROOT) for p in python_files(ROOT)}
    assert {"jinyuan.workflow.services", "tenants.services.premises", "billing.services", "permits.hooks"} <= scanned
    assert check(ROOT) == []


def test_procedure_directions_do_not_contradict_each_other():
    for src, targets in PROCEDURE_MAY_IMPORT.items():
        for dst in targets:
            assert src not in PROCEDURE_MAY_IMPORT.get(dst, set()), f"{src} and {dst} may not import each other"


# --- the checker itself ------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    def write(relative: str, source: str) -> None:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")

    return tmp_path, write


def test_the_checker_flags_an_upward_import_inside_a_function(project):
    root, write = project
    write("tenants/services.py", "def close():\n    from billing.selectors import balance\n")
    assert check(root) == ["tenants/services.py:2 imports billing.selectors: tenants must not import billing"]


def test_the_checker_flags_the_kernel_importing_a_domain_app(project):
    root, write = project
    write("jinyuan/workflow/models.py", "import permits.models\n")
    write("jinyuan/urls.py", "from permits import urls\n")  # wiring: allowed
    assert check(root) == [
        "jinyuan/workflow/models.py:1 imports permits.models: the kernel must not import the procedure apps"
    ]


def test_the_checker_resolves_relative_imports_and_allows_downward_ones(project):
    root, write = project
    write("billing/__init__.py", "")
    write(
        "billing/views.py",
        "from .models import Bill\nfrom tenants.models import Tenant\nfrom jinyuan.lists import RegisterView\n",
    )
    assert check(root) == []


def test_the_checker_holds_the_declared_direction_between_procedure_apps(project):
    root, write = project
    write("permits/hooks.py", "from renovation.models import Renovation\n")
    write("renovation/services.py", "from permits import services\n")
    (problem,) = check(root)
    assert problem.startswith("renovation/services.py:1 imports permits: renovation may not import permits")
