"""The command registry and the console's parser of command lines."""

from __future__ import annotations

import pytest

from bot.commands import load
from bot.commands.registry import UsageError

commands = load()


@pytest.mark.parametrize("line,expected", [
    ("/paper search query:refusal direction", ("paper search", {"query": "refusal direction"})),
    ("/paper search refusal direction", ("paper search", {"query": "refusal direction"})),
    ("/paper top sort:newest year:2024 month:6", ("paper top", {"sort": "newest", "year": "2024", "month": "6"})),
    ("/paper search query:title:x", ("paper search", {"query": "title:x"})),
    ("/PAPER SHOW title:a: b", ("paper show", {"title": "a: b"})),
    ("/help", ("help", {})),
    ("/alumni", ("alumni", {})),
])
def test_parse(line, expected):
    assert commands.parse(line) == expected


def test_unknown_command_is_a_usage_error():
    with pytest.raises(UsageError):
        commands.parse("/nope x")


def test_the_command_set_is_exactly_the_documented_one():
    members = {c.path for c in commands.listed(include_staff=False)}
    assert {"paper search", "paper show", "paper top", "person", "alumni", "stream show", "stream list", "mentor",
            "cadence", "program", "deadline list", "help"} <= members


def test_every_command_has_an_example_that_runs(app):
    for cmd in commands.listed(include_staff=False):
        path, options = commands.parse(cmd.example)
        assert path == cmd.path
        reply = commands.run(app, path, options)
        assert reply.kind == "answer", (cmd.example, reply.payload())


def test_help_lists_every_member_command(app):
    text = str(commands.run(app, "help").payload())
    for cmd in commands.listed(include_staff=False):
        assert f"/{cmd.path}" in text
