"""The rule between domains (CONTRIBUTING.md), checked over the imports: a domain uses another only through its
`models`, `schemas` and `service` modules, and only their public names; what domains call of each other (services
and schemas) never runs in a circle. Tables are one schema, so reading another domain's models is not a call and
may go either way. The core of portal/ (the modules directly in it and portal/officer) is there for every domain."""
import ast
from collections import defaultdict
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"
PUBLIC_MODULES = ("models", "schemas", "service")
CORE_PACKAGES = {"officer", "migrations"}


def _domains() -> set[str]:
    return {p.name for p in PORTAL.iterdir() if (p / "__init__.py").exists() and p.name not in CORE_PACKAGES}


def _module_exists(dotted: str) -> bool:
    path = PORTAL.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _imports(path: Path):
    """(module, names) for every import in the file, function-level ones included; names None for `import x`."""
    package = ".".join(path.relative_to(PORTAL.parent).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield (submodule, None) if _module_exists(submodule) else (base, alias.name)


def _domain_of(module: str, domains: set[str]) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "portal" and parts[1] in domains else None


def _edges_and_breaches():
    """(calls between domains: domain -> domains whose service or schemas it imports, breaches of the rule)."""
    domains = _domains()
    edges: dict[str, set[str]] = defaultdict(set)
    breaches = []
    for domain in sorted(domains):
        for path in sorted((PORTAL / domain).rglob("*.py")):
            for module, name in _imports(path):
                target = _domain_of(module, domains)
                if target is None or target == domain:
                    continue
                parts = module.split(".")
                if parts[-1] != "models":
                    edges[domain].add(target)
                where = f"{path.relative_to(PORTAL.parent)} imports {module}{'.' + name if name else ''}"
                if len(parts) != 3 or parts[2] not in PUBLIC_MODULES:
                    breaches.append(f"{where}: not {target}'s models, schemas or service")
                elif name and name.startswith("_"):
                    breaches.append(f"{where}: a private name")
    return edges, breaches


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one domain (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return circles


def test_domains_use_each_other_only_through_models_schemas_and_service():
    _, breaches = _edges_and_breaches()
    assert breaches == []


def test_no_domains_call_each_other_in_a_circle():
    edges, _ = _edges_and_breaches()
    assert _circles(edges) == []


def test_the_check_sees_a_breach_and_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert list(_imports(PORTAL / "employers" / "routes.py"))  # the parser reads real files
    assert _domain_of("portal.ledger.service", {"ledger"}) == "ledger" and _domain_of("portal.forms", {"ledger"}) is None
