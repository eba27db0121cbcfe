"""What the cogs read from the registry, so slash command names, descriptions and options cannot
drift from `bot.commands` (a test compares the synced tree with the registry).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from discord import app_commands

from bot.commands import load

T = TypeVar("T")


def description(path: str) -> str:
    return load().commands[path].description


def describe(path: str) -> Callable[[T], T]:
    """`app_commands.describe` with every option's description from the registry."""
    return app_commands.describe(**{o.name: o.description for o in load().commands[path].options})


def option_choices(path: str, option: str) -> Callable[[T], T]:
    opt = next(o for o in load().commands[path].options if o.name == option)
    return app_commands.choices(**{option: [app_commands.Choice(name=c, value=c) for c in opt.choices]})


def slash_group(name: str) -> app_commands.Group:
    return app_commands.Group(name=name, description=load().groups[name])
