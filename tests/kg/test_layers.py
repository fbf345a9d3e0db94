"""kg's areas keep their order (``kg.LAYERS``): no module imports from a higher layer or from
another area of its own layer, and neither kg/ nor extraction/ imports Flask or web/.

Imports are read from the source (ast), including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kg import LAYERS

from ..conftest import ROOT


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports; ``from a import b`` names ``a.b`` when that is a module."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            for alias in node.names:
                full = f"{source}.{alias.name}"
                found.add(full if is_module(full) else source)
    return found


def area(name: str) -> tuple[int, str]:
    """(layer, area) of a kg module: the longest area name in ``LAYERS`` it falls under (the
    area ``kg`` is the package's own ``__init__`` only)."""
    matches = [(len(a), layer, a) for layer, areas in enumerate(LAYERS) for a in areas
               if name == a or (a != "kg" and name.startswith(a + "."))]
    if not matches:
        raise AssertionError(f"{name} is in no area: declare it in kg.LAYERS")
    _, layer, where = max(matches)
    return layer, where


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports that go up a layer or sideways into another area of the same layer."""
    bad = []
    for importer, targets in sorted(graph.items()):
        layer, where = area(importer)
        for target in sorted(t for t in targets if t == "kg" or t.startswith("kg.")):
            t_layer, t_where = area(target)
            if t_layer > layer or (t_layer == layer and t_where != where):
                bad.append(f"{importer} ({where}, layer {layer}) imports {target} ({t_where}, layer {t_layer})")
    return bad


KG_FILES = sorted((ROOT / "kg").rglob("*.py"))
KG_IMPORTS = {module_name(p): imports(p) for p in KG_FILES}


def test_every_kg_module_is_in_an_area():
    assert len(KG_FILES) > 30
    for name in KG_IMPORTS:
        area(name)


def test_no_kg_module_imports_a_higher_or_sibling_area():
    assert violations(KG_IMPORTS) == []


def test_the_import_reader_sees_relative_absolute_and_local_imports():
    assert "kg.graph.namespaces" in KG_IMPORTS["kg.graph.build"]          # from . import namespaces as ns
    assert "kg.errors" in KG_IMPORTS["kg.query.sparql"]                   # from ..errors import KGError
    assert "kg.store.memcopy" in KG_IMPORTS["kg.query.pool"]
    assert "kg.store.remote" in KG_IMPORTS["kg.store.embedded"]          # imported inside open_store
    assert "kg.settings" in KG_IMPORTS["kg.store.remote"]                 # from .. import settings


@pytest.mark.parametrize("importer, target, upward", [
    ("kg.store.embedded", "kg.query.sparql", True),
    ("kg.graph.build", "kg.store.embedded", True),
    ("kg.network.profiles", "kg.compare.align", True),      # sideways on layer 4
    ("kg.errors", "kg.settings", True),                     # sideways on layer 0
    ("kg.query.sparql", "kg.store.remote_text", False),
    ("kg.network.ego", "kg.network.profiles", False),
    ("kg.ingest", "kg.compare.graph", False),
])
def test_violations_are_found(importer, target, upward):
    assert bool(violations({importer: {target}})) is upward


def test_an_undeclared_module_is_reported():
    with pytest.raises(AssertionError, match="declare it in kg.LAYERS"):
        area("kg.nowhere")


@pytest.mark.parametrize("package", ["kg", "extraction"])
def test_no_flask_or_web_below_the_web_layer(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files
    for path in files:
        banned = {m for m in imports(path) if m.split(".")[0] in ("flask", "werkzeug", "web")}
        assert not banned, f"{path.relative_to(ROOT)} imports {sorted(banned)}"
