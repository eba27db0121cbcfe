"""'Did you mean': a near miss is answered 'no match' with the entry that was meant, as text and as a
button that runs the command on it; a query far from everything suggests nothing rather than noise."""

from __future__ import annotations

import pytest

from bot.commands import load
from bot.reply import decode_action

commands = load()

NEAR_MISS = {
    # command: (options, the entry meant, the title of its answer). /alumni is not here: it shows the
    # closest alumnus at once, saying so ("closest to what you typed").
    "person": ({"name": "Jermy Shcuerer"}, "Jérémy Scheurer", "Jérémy Scheurer"),
    "paper show": ({"title": "refusal vector"}, "Refusal in Language Models Is Mediated by a Single Direction",
                   "Refusal in Language Models Is Mediated by a Single Direction"),
    "stream show": ({"name": "anthropik"}, "Anthropic Stream", "Anthropic Stream"),
    "mentor": ({"name": "Buk"}, "Buck S", "Buck S"),
    "cadence": ({"name": "megastrm"}, "Megastream", "Meeting cadence"),
}
FAR_OFF = {
    "paper search": {"query": "pizza recipe"},
    "paper show": {"title": "qwertyuiop"},
    "person": {"name": "Yoshua Bengio"},
    "alumni": {"name": "zzzz yyyy"},
    "stream show": {"name": "quantum gardening"},
    "mentor": {"name": "Geoffrey Hinton"},
    "cadence": {"name": "xyzzy"},
}


def buttons(reply) -> list[dict]:
    return [b for row in reply.payload()["components"] for b in row["components"]]


@pytest.mark.parametrize("path", sorted(NEAR_MISS))
def test_a_near_miss_suggests_the_entry_meant(app, path):
    options, meant, _ = NEAR_MISS[path]
    reply = commands.run(app, path, options)
    assert reply.kind == "no-match" and reply.ephemeral
    assert f"Did you mean: **{meant}**?" in reply.payload()["content"]
    assert [b["label"] for b in buttons(reply)] == [meant]


@pytest.mark.parametrize("path", sorted(NEAR_MISS))
def test_the_suggestion_button_runs_the_command_on_the_entry_meant(app, path):
    options, meant, title = NEAR_MISS[path]
    [button] = buttons(commands.run(app, path, options))
    action = decode_action(button["custom_id"])
    assert action is not None and action[0] == path
    answer = commands.run(app, *action)
    assert answer.kind == "answer"
    assert [e["title"] for e in answer.payload()["embeds"]][:1] == [title]


@pytest.mark.parametrize("path", sorted(FAR_OFF))
def test_a_query_far_from_everything_suggests_nothing(app, path):
    reply = commands.run(app, path, FAR_OFF[path])
    assert reply.kind == "no-match" and reply.ephemeral
    assert "Did you mean" not in reply.payload()["content"] and buttons(reply) == []
