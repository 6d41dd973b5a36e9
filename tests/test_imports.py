"""The project's import rules: no circle (lazy imports inside functions count too), cnn/ never imports streamlit,
and the app's frame imports no page."""

import ast
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PACKAGES = ("cnn", "ui", "bench")


def module_name(path: Path) -> str:
    """Return the dotted name of a project file."""
    parts = path.relative_to(PROJECT_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """Return the project modules a file imports anywhere in it (`from pkg import module` counts as the module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            # A submodule if there is one by that name, else the module that holds the imported name.
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    """Return each project module's project imports, packages' own __init__ left out as targets."""
    files = [path for package in PACKAGES for path in (PROJECT_DIR / package).rglob("*.py")]
    files.append(PROJECT_DIR / "streamlit_app.py")
    known = {module_name(path) for path in files}
    graph = {}
    for path in files:
        name = module_name(path)
        graph[name] = {target for target in imported_modules(path, known) if target != name and target not in PACKAGES}
    return graph


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one import circle as a list of modules, or None when there is none."""
    state = dict.fromkeys(graph, "new")
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = "open"
        stack.append(name)
        for target in sorted(graph.get(name, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if state.get(target) == "new":
                circle = visit(target)
                if circle:
                    return circle
        stack.pop()
        state[name] = "done"
        return None

    for name in sorted(graph):
        if state[name] == "new":
            circle = visit(name)
            if circle:
                return circle
    return None


def test_no_module_imports_itself_round_a_circle():
    circle = find_circle(import_graph())
    assert circle is None, " -> ".join(circle)


def test_the_check_finds_a_circle():
    assert find_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_circle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_lazy_imports_and_submodules():
    graph = import_graph()
    assert "bench.machine" in graph["bench.latency"]  # imported inside main()
    assert "cnn.drawing.drawings" in graph["cnn.drawing.sketches"]  # from cnn.drawing import drawings


def test_cnn_never_imports_streamlit():
    for path in (PROJECT_DIR / "cnn").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "streamlit" for name in names), path


def test_the_frame_and_the_sidebar_import_no_page():
    graph = import_graph()
    views = {name for name in graph if name.endswith("_view")}
    for frame in ("streamlit_app", "ui.status", "ui.runs", "ui.registry", "ui.model_panel", "ui.state"):
        assert not graph[frame] & views, f"{frame} imports {sorted(graph[frame] & views)}"
