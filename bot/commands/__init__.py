"""Commands and their answers: the registry, and one handler module per area (Discord-free).

`load()` is the one place that imports the area modules and adds them to the registry: the console,
the cogs and /help all read what it returns, so nothing registers as a side effect of an import.
"""

from __future__ import annotations

import importlib
from functools import cache

from bot.commands.registry import Area, Registry

AREAS = ("papers", "people", "streams", "program", "deadlines", "ask", "help", "staff")
"""Every area: its handler module is bot/commands/<area>.py and its cog cogs/<area>.py."""


@cache
def load() -> Registry:
    """The registry of every area's commands (built once; the areas never change at run time)."""
    areas: list[Area] = [importlib.import_module(f"bot.commands.{name}").AREA for name in AREAS]
    return Registry(areas)
