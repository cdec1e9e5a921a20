"""The shape of the code: modules a newcomer reads in one sitting, imports that point one way.

- No module over `MOST_LINES` lines outside migrations and tests.
- Apps depend one way: `portal` (the site shell) on no app; `pilots` (the tracker) on
  `portal` only; `research` and `surveys` on `portal` and on the tracker through
  `pilots.public` only (what the tracker offers; it may reorganise everything else).
- No import cycle between files. Every import counts, those inside functions too (a lazy
  import hides a cycle from Python, not from the reader), except those under
  `if TYPE_CHECKING:`. A package's `__init__` that re-exports its submodules is a file like
  any other: a submodule importing it closes a cycle.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("portal", "pilots", "research", "surveys", "bench")
APPS = ("portal", "pilots", "research", "surveys")
MOST_LINES = 400
# What each app may import of the others (by module prefix).
ALLOWED = {
    "portal": (),
    "pilots": ("portal",),
    "research": ("portal", "pilots.public"),
    "surveys": ("portal", "pilots.public"),
}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for statement in node.body for child in ast.walk(statement)}
    return skipped


def _imported_names(module: str, path: Path) -> set[str]:
    """The dotted names `module` imports (relative imports resolved; `from a import b` gives
    `a.b`, which is a module or a name of `a`)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    skipped = _type_checking_nodes(tree)
    names = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            names |= {f"{source}.{alias.name}" for alias in node.names}
    return names


def _graph() -> dict[str, set[str]]:
    """Module → the project's modules it imports."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    return {
        module: {target for name in _imported_names(module, path) if (target := resolve(name)) and target != module}
        for module, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_module_is_longer_than_a_sitting():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _modules().values()
        if (lines := len(path.read_text().splitlines())) > MOST_LINES
    }
    assert long == {}


def test_apps_import_each_other_one_way_only():
    offenders = []
    for module, targets in _graph().items():
        app = module.split(".")[0]
        if app not in APPS:
            continue
        for target in targets:
            other = target.split(".")[0]
            if other in APPS and other != app and not target.startswith(ALLOWED[app]):
                offenders.append(f"{module} imports {target}")
    assert sorted(offenders) == []


def test_no_import_cycle_between_files():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_cycles():
    """The check above can fail: a two-module and a three-module loop are found, a chain is not."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"g"}, "g": set()}
    assert sorted(_cycles(graph)) == [["a", "b"], ["c", "d", "e"]]
