"""The command registry: declared once, read by the console, the cogs and /help.

Every front end calls `Registry.run(app, path, options)`, so a slash command and
`python -m bot ask '/paper search query:…'` go through exactly the same code. This module imports no
handler: each area module declares its commands on an `Area`, and `bot.commands.load()` adds the
areas to the one `Registry` explicitly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from bot.reminders.state import StateError
from bot.reply import Reply
from bot.text import clean, quote

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

Handler = Callable[..., Reply]
OptionType = Literal["string", "integer", "boolean", "channel", "role"]
"""An option's Discord type; channels and roles arrive as ids."""


@dataclass(frozen=True)
class Option:
    name: str
    description: str
    type: OptionType = "string"
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: str | None = None  # search kind answering the box: paper, person, stream, …
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class Command:
    path: str
    description: str
    example: str
    options: tuple[Option, ...] = ()
    staff: bool = False
    defer: bool = False  # slow by nature: Discord front ends acknowledge before answering
    handler: Handler | None = field(default=None, compare=False)
    area: str = ""
    member: bool = False  # about the member who asks (their follows): the handler gets `member_id`

    @property
    def group(self) -> str | None:
        return self.path.split()[0] if " " in self.path else None


class Area:
    """The commands of one area (papers, streams, …): one handler module, one cog, one name."""

    def __init__(self, name: str):
        self.name = name
        self.commands: dict[str, Command] = {}
        self.groups: dict[str, str] = {}

    def command(self, path: str, description: str, example: str, *options: Option, staff: bool = False,
                defer: bool = False, member: bool = False) -> Callable[[Handler], Handler]:
        """Declare a command; the decorated function receives (app, **options) and returns a Reply."""

        def declare(fn: Handler) -> Handler:
            self.commands[path] = Command(path, description, example, options, staff, defer, fn, self.name, member)
            return fn

        return declare

    def group(self, name: str, description: str) -> None:
        self.groups[name] = description


class UsageError(ValueError):
    """Options that cannot be used: the message is shown to the member as is."""


def coerce(cmd: Command, raw: dict[str, Any]) -> dict[str, Any]:
    known = {o.name: o for o in cmd.options}
    out: dict[str, Any] = {}
    for name, value in raw.items():
        opt = known.get(name)
        if opt is None:
            names = ", ".join(known) or "none"
            raise UsageError(f"/{cmd.path} has no option '{quote(name, 32)}' (options: {names}).")
        if value is None:
            continue
        if opt.type in ("channel", "role"):
            digits = "".join(ch for ch in str(value) if ch.isdigit())
            if not digits:
                raise UsageError(f"'{opt.name}' must be a {opt.type} (its id or mention).")
            value = int(digits)
        elif opt.type == "integer":
            try:
                value = int(str(value).strip())
            except ValueError:
                raise UsageError(f"'{opt.name}' must be a whole number, not '{quote(str(value), 40)}'.") from None
            if (opt.min_value is not None and value < opt.min_value) or (
                    opt.max_value is not None and value > opt.max_value):
                raise UsageError(f"'{opt.name}' must be between {opt.min_value} and {opt.max_value}.")
        elif opt.type == "boolean":
            if isinstance(value, str):
                if value.strip().lower() not in ("true", "false", "yes", "no", "1", "0"):
                    raise UsageError(f"'{opt.name}' must be true or false.")
                value = value.strip().lower() in ("true", "yes", "1")
        else:
            value = str(value)
            if opt.choices:
                value = value.strip().lower()
                if value not in opt.choices:
                    raise UsageError(f"'{opt.name}' must be one of: {', '.join(opt.choices)}.")
        out[name] = value
    for opt in cmd.options:
        if opt.required and (opt.name not in out or (opt.type == "string" and not clean(out[opt.name]))):
            raise UsageError(f"Please give '{opt.name}': for example `{cmd.example}`.")
    return out


class Registry:
    """Every command of every area: what `bot.commands.load()` returns."""

    def __init__(self, areas: list[Area]):
        self.commands: dict[str, Command] = {}
        self.groups: dict[str, str] = {}
        for area in areas:
            for path, cmd in area.commands.items():
                if path in self.commands:
                    raise ValueError(f"/{path} is declared by both {self.commands[path].area} and {area.name}")
                self.commands[path] = cmd
            self.groups.update(area.groups)

    def get(self, path: str) -> Command | None:
        return self.commands.get(path)

    def listed(self, include_staff: bool = True) -> list[Command]:
        return [c for c in self.commands.values() if include_staff or not c.staff]

    def run(self, app: App, path: str, options: dict[str, Any] | None = None, *,
            member_id: int | None = None) -> Reply:
        """Answer one command. Never raises for bad input: a bad option is a polite ephemeral reply."""
        cmd = self.commands.get(path)
        if cmd is None or cmd.handler is None:
            return Reply.text(f"There is no command `/{quote(path, 40)}`. Try `/help`.", ephemeral=True,
                              kind="error")
        try:
            values = coerce(cmd, options or {})
            if cmd.member:
                return cmd.handler(app, member_id=member_id, **values)
            return cmd.handler(app, **values)
        except UsageError as exc:  # from coercion, or from a handler that parses an option further
            return Reply.text(str(exc), ephemeral=True, kind="error")
        except StateError as exc:  # a change that could not be kept is never reported as kept
            return Reply.text(f"⚠️ Your change was NOT saved: {exc}", ephemeral=True, kind="error")

    def parse(self, text: str) -> tuple[str, dict[str, str]]:
        """'/paper search query:refusal direction' → ('paper search', {'query': 'refusal direction'}).

        Only known option names start an option, so a value may itself contain 'title:x'.
        """
        body = text.strip().lstrip("/").strip()
        words = body.split()
        path = ""
        for n in range(min(3, len(words)), 0, -1):
            candidate = " ".join(words[:n]).lower()
            if candidate in self.commands:
                path = candidate
                body = body.split(None, n)[n] if len(words) > n else ""
                break
        if not path:
            raise UsageError(f"Unknown command `/{quote(' '.join(words[:2]), 40)}`. Try `/help`.")
        options_of = self.commands[path].options
        names = {o.name for o in options_of}
        marks = [m for m in _INVOCATION.finditer(body) if m.group(1) in names]
        options: dict[str, str] = {}
        if marks and body[: marks[0].start()].strip():
            if options_of:
                options[options_of[0].name] = body[: marks[0].start()].strip()
        elif not marks and body.strip() and options_of:
            options[options_of[0].name] = body.strip()
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
            options[m.group(1)] = body[m.end() : end].strip()
        return path, options


_INVOCATION = re.compile(r"(?:^|\s)([a-z_]+):")
