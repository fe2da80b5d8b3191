"""The UI never does store work on its thread: no SQLAlchemy in desktop/ui, no store, and every call
into the station's services is inside an operation (a lambda or nested function given to `op`, or a
function marked `@off_ui_thread`). The runtime side of the same rule is the autouse guard in
conftest.py (ui_thread_guard.py), which fails any test whose UI code opened a session on the UI thread."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from ui_thread_guard import PENDING, UI

SERVICES = {"bookings", "operators", "audit", "outbox", "responses", "detainers", "store"}
# bench_ui.py and capture_cli.py (`bench capture`) seed their own throw-away database before they
# start the window: harnesses, not views.
HARNESSES = {"bench_ui.py", "capture_cli.py"}
MODULES = sorted(p for p in UI.glob("*.py") if not p.name.startswith(PENDING) and p.name not in HARNESSES)


def _chain(node: ast.AST) -> list[str]:
    """`self._context.station.bookings.get` -> ["self", "_context", "station", "bookings", "get"]."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return names[::-1]


def _reaches_a_service(names: list[str]) -> bool:
    for i, name in enumerate(names[:-1]):
        if name in ("station", "_station") and names[i + 1] in SERVICES:
            return True
    return False


def _marked(fn: ast.FunctionDef) -> bool:
    return any(_chain(d)[-1:] == ["off_ui_thread"] for d in fn.decorator_list)


def problems(source: str, name: str) -> list[str]:
    tree = ast.parse(source)
    found = []

    def visit(node: ast.AST, functions: int, allowed: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            names = [module or ""] + [a.name for a in node.names]
            if any(n.split(".")[0] == "sqlalchemy" for n in names if n):
                found.append(f"{name}:{node.lineno} imports SQLAlchemy")
        if isinstance(node, ast.Attribute) and node.attr == "store":
            found.append(f"{name}:{node.lineno} reaches the store")
        if isinstance(node, ast.Call) and not allowed and _reaches_a_service(_chain(node.func)):
            found.append(f"{name}:{node.lineno} calls {'.'.join(_chain(node.func))} on the UI thread")
        if isinstance(node, ast.Lambda):
            allowed = True  # given to op()/Reload: runs off the UI thread
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            allowed = allowed or functions > 0 or _marked(node)  # nested: a job for op()
            functions += 1
        for child in ast.iter_child_nodes(node):
            visit(child, functions, allowed)

    visit(tree, 0, False)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_store_work_on_the_ui_thread(path: Path) -> None:
    assert problems(path.read_text(encoding="utf-8"), path.name) == []


def test_the_check_finds_what_it_must() -> None:
    bad = """
from sqlalchemy import select
class Page:
    def refresh(self):
        rows = self._station.bookings.find()
        self._context.station.store.session()
    def save(self):
        op(lambda: self._station.bookings.update(1), self.done)
        def work():
            return self._context.station.outbox.enqueue(1)
        op(work)
    @off_ui_thread
    def _read(self):
        return self._station.detainers.for_booking(1)
"""
    found = problems(bad, "bad.py")
    assert sorted(found) == [
        "bad.py:2 imports SQLAlchemy",
        "bad.py:5 calls self._station.bookings.find on the UI thread",
        "bad.py:6 calls self._context.station.store.session on the UI thread",
        "bad.py:6 reaches the store",
    ]
