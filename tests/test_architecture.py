"""The layout's rules, read off the source: imports go one way, nobody takes another module's
underscore names, modules stay small, no module shadows the standard library, and nothing
under convviz/ imports streamlit (docs/architecture.md)."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "convviz"
LAYERS = [  # lowest first: a module imports from its own layer or lower ones only
    {"errors", "text"},
    {"ops"},
    {"geometry", "links", "values", "sample", "images", "featuremap", "zoom", "quiz", "regions"},
    {"figures"},
    {"export", "gallery", "handout"},
    {"view"},
    {"player", "views", "pages", "worksheet", "stack_views"},
    {"cli_flags"},
    {"cli", "render_command", "filter_command", "handout_command", "quiz_command",
     "stack_command", "__main__", "__init__"},
]
SOURCES = sorted([*PACKAGE.rglob("*.py"), *(ROOT / "ui").glob("*.py"), ROOT / "app.py",
                  *(ROOT / "tests").glob("*.py"), *(ROOT / "benchmarks").glob("*.py")])


def module_name(path: Path) -> str:
    """``convviz.figures.classic`` for convviz/figures/classic.py."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """Every import of a file as (absolute module, names taken from it)."""
    tree, found = ast.parse(path.read_text(encoding="utf-8")), []
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names = [alias.name for alias in node.names]
            if node.module:                         # "from . import x" takes submodules only
                found.append((module, names))
            found += [(f"{module}.{name}", []) for name in names]       # submodules
    return found


def layer(module: str) -> int | None:
    """The layer of a convviz module (its first part under convviz), else None."""
    parts = module.split(".")
    if parts[0] != "convviz":
        return None
    top = parts[1] if len(parts) > 1 else "__init__"
    return next((i for i, group in enumerate(LAYERS) if top in group), None)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=module_name)
def test_imports_run_from_higher_layers_to_lower_ones(path):
    own = layer(module_name(path))
    assert own is not None, f"{path} is in no layer of docs/architecture.md"
    for module, _ in imports(path):
        other = layer(module)
        if other is not None:
            assert other <= own, f"{module_name(path)} imports {module} (a higher layer)"
        assert not module.startswith("streamlit"), f"{path} imports streamlit"


def test_the_package_has_no_import_cycles():
    graph = {module_name(p): {m for m, _ in imports(p) if m.startswith("convviz.")}
             for p in PACKAGE.rglob("*.py")}
    graph = {name: {m for m in deps if m in graph and m != name} for name, deps in graph.items()}
    done, path = set(), []

    def visit(name):
        assert name not in path, f"import cycle: {' -> '.join(path[path.index(name):] + [name])}"
        if name in done:
            return
        path.append(name)
        for dep in graph[name]:
            if not name.startswith(dep + ".") and dep != "convviz":     # a package's own init
                visit(dep)
        path.pop()
        done.add(name)
    for name in graph:
        visit(name)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_one_takes_another_modules_underscore_names(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for module, names in imports(path):
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        assert not private, f"{path.name} imports {private} from {module}"
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in modules and node.attr.startswith("_") \
                and not node.attr.startswith("__"):
            raise AssertionError(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")


@pytest.mark.parametrize("path", [p for p in SOURCES if "tests" not in p.parts],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small_and_names_do_not_shadow_the_standard_library(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 320, f"{path.name} has {len(lines)} lines"
    assert path.stem not in sys.stdlib_module_names, f"{path.name} shadows the standard library"


def test_app_is_thin_and_does_no_arithmetic():
    app = ROOT / "app.py"
    assert len(app.read_text(encoding="utf-8").splitlines()) < 100
    for path in [app, *(ROOT / "ui").glob("*.py")]:
        assert not any(m == "numpy" or m.startswith("numpy.") for m, _ in imports(path)), path
