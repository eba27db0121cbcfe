"""The shape the README's "Where things go" promises: no import cycle, one area = one handler module
= one cog, and a registry that imports no handler."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from discord import app_commands
from discord.ext import commands as ext

from bot.commands import AREAS, load

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "cogs")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported(tree: ast.Module, known: set[str]) -> set[str]:
    """Project modules a module imports at run time, at any depth (function-level imports count:
    they would only hide a cycle), except under `if TYPE_CHECKING:`."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    out: set[str] = set()
    for name in found:
        # importing a.b.c runs a/__init__ and a/b/__init__ too
        parts = name.split(".")
        out.update(".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in known)
    return out


def graph() -> dict[str, set[str]]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    known = {module_name(p) for p in files}
    return {module_name(p): imported(ast.parse(p.read_text()), known) - {module_name(p)} for p in files}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (cycle := dfs(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := dfs(node)):
            return cycle
    return None


def test_the_project_has_no_import_cycle():
    assert find_cycle(graph()) is None, " → ".join(find_cycle(graph()) or [])


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_registry_imports_no_handler():
    handlers = {f"bot.commands.{a}" for a in AREAS}
    assert not graph()["bot.commands.registry"] & handlers
    assert not graph()["bot.commands"] & handlers  # load() imports the areas explicitly, when called


FRONT_ENDS = ("bot.discord", "cogs", "bot.cli", "bot.__main__")
"""Modules that start a front end: the command line starts the Discord client too."""


def test_the_core_knows_nothing_of_discord():
    for module, imports in graph().items():
        if module.startswith(FRONT_ENDS):
            continue
        source = (ROOT / (module.replace(".", "/") + ".py"))
        if not source.exists():
            source = ROOT / module.replace(".", "/") / "__init__.py"
        tree = ast.parse(source.read_text())
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not any(n == "discord" or n.startswith("discord.") for n in names), module
        assert not any(i.startswith(("bot.discord", "cogs")) for i in imports), module


@pytest.mark.parametrize("area", AREAS)
def test_each_area_has_a_handler_module_and_a_cog_of_its_name(area):
    assert (ROOT / "bot" / "commands" / f"{area}.py").exists()
    assert (ROOT / "cogs" / f"{area}.py").exists()
    assert importlib.import_module(f"bot.commands.{area}").AREA.name == area


def cog_paths(area: str) -> set[str]:
    """The slash command paths the cog of *area* declares."""
    module = importlib.import_module(f"cogs.{area}")
    paths: set[str] = set()

    def walk(item: app_commands.Command | app_commands.Group) -> None:
        if isinstance(item, app_commands.Group):
            for child in item.commands:
                walk(child)
        else:
            paths.add(item.qualified_name)

    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, ext.Cog) and value is not ext.Cog:
            for cmd in value.__cog_app_commands__:
                walk(cmd)
    return paths


@pytest.mark.parametrize("area", AREAS)
def test_a_cog_serves_exactly_the_commands_of_its_area(area):
    registry = {c.path for c in load().listed() if c.area == area}
    assert registry, f"area {area} declares no command"
    assert cog_paths(area) == registry
