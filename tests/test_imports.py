"""No import cycle among the project's modules (core/, ui/, bench/), counting imports inside functions too, which
would otherwise hide one; and the layers: nothing in core/ imports streamlit, ui/ or pages/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "ui", "bench")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def imported(path: Path) -> set[str]:
    """Every module an import statement anywhere in the file names (`from a import b` names a and a.b)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def graph() -> dict[str, set[str]]:
    """module -> the project modules it imports; a submodule importing its own package is not an edge (the
    package's __init__ importing its submodules is how a package is built)."""
    known = modules()
    return {name: {m for m in imported(path) if m in known and m != name and not name.startswith(m + ".")}
            for name, path in known.items()}


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_search_sees_imports_inside_functions():
    edges = graph()
    assert "core.export" in edges["core.cli"]  # cli imports it inside its commands only


def test_no_module_imports_one_that_imports_it_back():
    edges = graph()
    cycles = sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if a in reachable(edges, b)})
    assert cycles == []


def test_core_stays_below_the_pages():
    for name, path in modules().items():
        if name.startswith("core."):
            bad = {m for m in imported(path) if m.split(".")[0] in ("streamlit", "ui", "pages")}
            assert not bad, (name, bad)


def test_only_the_cli_entry_in_core_imports_bench():
    for name, path in modules().items():
        if name.startswith("core.") and name != "core.cli":
            assert not {m for m in imported(path) if m.split(".")[0] == "bench"}, name


# bench/floor_app.py is bare Streamlit on purpose (the performance floor): it imports nothing of the project.
SETTINGS_READERS = ("os.environ", "getenv(", "Path(__file__)", "parents[")


def test_config_alone_finds_the_repository_and_reads_the_environment():
    files = [ROOT / "dashboard.py", *(p for package in (*PACKAGES, "pages") for p in (ROOT / package).rglob("*.py"))]
    readers = {str(p.relative_to(ROOT)): [w for w in SETTINGS_READERS if w in p.read_text(encoding="utf-8")]
               for p in files if p.relative_to(ROOT).as_posix() not in ("core/config.py", "bench/floor_app.py")}
    assert {f: words for f, words in readers.items() if words} == {}


LIMIT = 400  # lines a module may have (issue 27): a longer one is two jobs


def test_no_module_is_over_the_line_limit():
    files = [*modules().values(), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]
    long = {str(path.relative_to(ROOT)): n for path in files
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT}
    assert not long, long
