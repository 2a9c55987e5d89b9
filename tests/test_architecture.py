"""The apps depend on each other in one direction: the data flow.

Sources come in, people and schooling say who exists, responsibility says who
is ours, casework and the apps on it say what we do, followup says how it
goes (docs/adr/0001). An app may import its own layer's apps and the layers
below; never one above, and never in a cycle. Every import in every module of
the application is read, also those inside functions, which are the usual
way to hide a cycle.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. `samverka` is the shared plumbing (dates, bulk writes, fields);
# its wiring modules, which put every app together, are above everything.
LAYERS = [
    {"samverka"},
    {"audit"},
    {"organisations", "accounts"},
    {"imports"},
    {"people", "schooling"},
    {"responsibility"},
    {"casework", "logfollowup"},
    {"worklists", "letters", "coordination"},
    {"followup"},
    {"retention", "demo"},
]
WIRING = {"samverka.urls", "samverka.api", "samverka.context_processors", "samverka.settings"}
LAYER = {app: number for number, apps in enumerate(LAYERS) for app in apps}

# Imports against the flow that are known and not yet removed: (from, to) ->
# why. Each is debt: remove the entry with the import.
KNOWN = {
    ("people", "responsibility"): (
        "the Navet importer writes KAA periods of new persons in bulk, and the person "
        "page shows the responsibility history"
    ),
    ("schooling", "responsibility"): "the school importer recomputes KAA after writing",
}


def modules() -> list[tuple[str, Path]]:
    found = []
    for app in LAYER:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found.append((name.removesuffix(".__init__"), path))
    return found


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & LAYER.keys()


def app_graph() -> dict[str, dict[str, list[str]]]:
    """app -> imported app -> the modules that import it."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for module, path in modules():
        if module in WIRING:
            continue
        app = module.split(".")[0]
        for other in imported_apps(path) - {app}:
            graph[app][other].append(module)
    return graph


def test_the_layers_name_every_app():
    apps = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests", "bench"}
    assert apps == LAYER.keys(), "put a new app in a layer of tests/test_architecture.py"


def against_the_flow(graph) -> dict[tuple[str, str], list[str]]:
    """The imports of a higher layer's app, but for the known ones."""
    return {
        (app, other): modules
        for app, imports in graph.items()
        for other, modules in imports.items()
        if LAYER[other] > LAYER[app] and (app, other) not in KNOWN
    }


def cycles_within_layers(graph) -> list[list[str]]:
    """Cycles among apps of one layer. A cycle across layers needs an import
    against the flow, which against_the_flow finds."""
    found = []

    def visit(path: list[str]) -> None:
        for other in graph.get(path[-1], {}):
            if LAYER[other] != LAYER[path[0]]:
                continue
            if other == path[0]:
                found.append([*path, other])
            elif other not in path:
                visit([*path, other])

    for app in graph:
        visit([app])
    return found


def test_no_app_imports_against_the_data_flow():
    against = against_the_flow(app_graph())
    assert not against, "\n".join(
        f"{app} (layer {LAYER[app]}) imports {other} (layer {LAYER[other]}) in {sorted(mods)}"
        for (app, other), mods in sorted(against.items())
    )


def test_the_known_exceptions_still_exist():
    graph = app_graph()
    gone = [pair for pair in KNOWN if pair[1] not in graph.get(pair[0], {})]
    assert not gone, f"remove from KNOWN, the import is gone: {gone}"


def test_no_import_cycle_within_a_layer():
    assert not cycles_within_layers(app_graph())


def test_the_checks_find_what_they_look_for():
    graph = {
        "casework": {"followup": ["casework.views"]},
        "letters": {"worklists": ["letters.actions"]},
        "worklists": {"coordination": ["worklists.x"]},
        "coordination": {"letters": ["coordination.y"]},
    }
    assert ("casework", "followup") in against_the_flow(graph)
    assert ["letters", "worklists", "coordination", "letters"] in cycles_within_layers(graph)
