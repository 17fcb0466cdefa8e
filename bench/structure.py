"""The structure drawn from the imports: package sizes and the circles between domains.

    python bench/structure.py [ROOT]      # ROOT: a checkout (default: this one), e.g. a `git worktree` of an old commit

Prints one line per domain package of portal/ (and search/): lines of Python, modules, its largest module and the
functions longer than 60 lines; then the circles between domains, counted twice: over every import between them,
and over calls only (services and schemas; reading another domain's models is not a call, CONTRIBUTING.md); then
the imports that break the rule (another domain's routes, API, forms or private names). tests/test_dependencies.py
asserts the rule with the same functions.
"""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_MODULES = ("models", "schemas", "service")
CORE_PACKAGES = {"officer", "migrations"}
LONG_FUNCTION = 60


def domains(portal: Path) -> set[str]:
    return {p.name for p in portal.iterdir() if (p / "__init__.py").exists() and p.name not in CORE_PACKAGES}


def _module_exists(root: Path, dotted: str) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports(path: Path, root: Path):
    """(module, names) for every import in the file, function-level ones included; names None for `import x`."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
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
                yield (submodule, None) if _module_exists(root, submodule) else (base, alias.name)


def domain_of(module: str, names: set[str]) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "portal" and parts[1] in names else None


def edges_and_breaches(portal: Path):
    """(every import between domains, calls between domains: domain -> domains whose non-models modules it imports,
    breaches of the rule)."""
    names = domains(portal)
    every: dict[str, set[str]] = defaultdict(set)
    calls: dict[str, set[str]] = defaultdict(set)
    breaches = []
    for domain in sorted(names):
        for path in sorted((portal / domain).rglob("*.py")):
            for module, name in imports(path, portal.parent):
                target = domain_of(module, names)
                if target is None or target == domain:
                    continue
                parts = module.split(".")
                every[domain].add(target)
                if parts[-1] != "models":
                    calls[domain].add(target)
                where = f"{path.relative_to(portal.parent)} imports {module}{'.' + name if name else ''}"
                if len(parts) != 3 or parts[2] not in PUBLIC_MODULES:
                    breaches.append(f"{where}: not {target}'s models, schemas or service")
                elif name and name.startswith("_"):
                    breaches.append(f"{where}: a private name")
    return every, calls, breaches


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one domain (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

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
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def package_size(package: Path) -> dict:
    modules = {path: path.read_text(encoding="utf-8") for path in sorted(package.rglob("*.py"))}
    lines = {path: len(text.splitlines()) for path, text in modules.items()}
    largest = max(lines, key=lines.get)
    long_functions = sum(
        1 for text in modules.values() for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > LONG_FUNCTION
    )
    return {"lines": sum(lines.values()), "modules": len(modules), "largest": largest.relative_to(package.parent),
            "largest_lines": lines[largest], "long_functions": long_functions}


def report(root: Path) -> None:
    portal = root / "portal"
    packages = [portal / name for name in sorted(domains(portal))] + [root / "search"]
    print(f"{'package':<16}{'lines':>7}{'modules':>9}{'fns>60':>8}  largest module")
    for package in packages:
        size = package_size(package)
        print(f"{package.name:<16}{size['lines']:>7}{size['modules']:>9}{size['long_functions']:>8}  "
              f"{size['largest']} ({size['largest_lines']})")
    every, calls, breaches = edges_and_breaches(portal)
    for title, edges in (("circles over every import", every), ("circles over calls (not models)", calls)):
        found = circles(edges)
        print(f"{title}: {len(found)}" + "".join(f"\n  {' <-> '.join(group)}" for group in found))
    print(f"imports breaking the rule: {len(breaches)}")


if __name__ == "__main__":
    report(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT)
