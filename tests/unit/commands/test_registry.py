"""The command registry and the console's parser of command lines."""

from __future__ import annotations

import re
from pathlib import Path

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


README = Path(__file__).resolve().parents[3] / "README.md"


def documented_member_commands() -> set[str]:
    """The command paths of the README's 'Commands (the same as the slash commands…)' paragraph."""
    text = README.read_text(encoding="utf-8")
    paragraph = text.split("Commands (the same as the slash commands", 1)[1].split("\n\n", 1)[0]
    members = paragraph.split("staff:", 1)[0]
    paths = set()
    for item in re.findall(r"`/([^`]+)`", members):  # '/paper top [sort:citations|newest] [year:]'
        words = []
        for word in item.split():
            if ":" in word or word.startswith("["):
                break
            words.append(word)
        paths.add(" ".join(words))
    return paths


def test_the_member_commands_are_exactly_the_ones_the_readme_documents():
    members = {c.path for c in commands.listed(include_staff=False)}
    documented = documented_member_commands()
    assert len(documented) >= 12, documented  # the paragraph was found and read
    assert members == documented, {"undocumented": members - documented, "documented only": documented - members}


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
