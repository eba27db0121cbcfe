"""Every slash command through the real client and a simulated Discord, checked against the spec."""

from __future__ import annotations

import pytest
import simcord

from bot.commands import load
from tests.unit.commands.test_bad_input import BAD
from tests.unit.commands.test_suggestions import NEAR_MISS

commands = load()

GOOD = {
    "paper search": {"query": "refusal direction"},
    "paper show": {"title": "gradient routing"},
    "paper top": {"sort": "newest", "year": 2024},
    "person": {"name": "marius hobbhan"},
    "alumni": {"name": "Arjun Panickssery"},
    "stream show": {"name": "asymmetric security"},
    "stream list": {},
    "mentor": {"name": "Arthur Conmy"},
    "cadence": {"name": "Neel"},
    "program": {"topic": "dates"},
    "deadline list": {},
    "help": {},
}
NO_MATCH = {
    "paper search": {"query": "pizza recipe"},
    "paper show": {"title": "qwertyuiop"},
    "paper top": {"year": 1999},
    "person": {"name": "Yoshua Bengio"},
    "alumni": {"name": "zzzz yyyy"},
    "stream show": {"name": "quantum gardening"},
    "stream list": {"track": "underwater basket weaving"},
    "mentor": {"name": "Geoffrey Hinton"},
    "cadence": {"name": "xyzzy"},
}


def synced(env) -> list[dict]:
    return [r for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")][-1].json


# Discord's application command option types for the registry's option types.
OPTION_TYPES = {"string": 3, "integer": 4, "boolean": 5, "channel": 7, "role": 8}


def declared(option) -> dict:
    """What the registry says Discord should receive for one option (the drift test's yardstick)."""
    return {"name": option.name, "description": option.description, "type": OPTION_TYPES[option.type],
            "required": option.required, "choices": sorted(option.choices),
            "min_value": option.min_value, "max_value": option.max_value,
            "autocomplete": option.autocomplete is not None}


def sent(option: dict) -> dict:
    return {"name": option["name"], "description": option["description"], "type": option["type"],
            "required": option.get("required", False),
            "choices": sorted(c["value"] for c in option.get("choices", []) or []),
            "min_value": option.get("min_value"), "max_value": option.get("max_value"),
            "autocomplete": bool(option.get("autocomplete", False))}


async def test_synced_tree_is_exactly_the_registry(world):
    """Names, descriptions, option types, choices, ranges and autocomplete: one declaration, no drift."""
    env, *_ = world
    tree = {}

    def walk(node, path, description):
        children = [o for o in node.get("options", []) if o["type"] in (1, 2)]  # subcommand, group
        if not children:
            tree[path] = (description, [sent(o) for o in node.get("options", [])])
        for child in children:
            walk(child, f"{path} {child['name']}", child["description"])

    for cmd in synced(env):
        walk(cmd, cmd["name"], cmd["description"])
    registry = {c.path: (c.description, [declared(o) for o in c.options]) for c in commands.listed()}
    assert tree == registry


@pytest.mark.parametrize("path", sorted(GOOD))
async def test_every_command_answers_in_the_channel(world, path):
    env, guild, channel, alice, bob = world
    result = await alice.slash(channel, path, **GOOD[path])
    reply = commands.run(env.bot.app, path, GOOD[path])
    assert reply.kind == "answer"
    assert result.acknowledged and result.ephemeral == reply.ephemeral == (path == "help"), result
    expected = reply.payload()
    got = result.response
    assert [e.to_dict().get("title") for e in got.embeds] == [e.get("title") for e in expected["embeds"]]
    assert (got.content or "") == expected["content"]


@pytest.mark.parametrize("path", sorted(NO_MATCH))
async def test_no_match_is_ephemeral_and_says_so(world, path):
    env, guild, channel, alice, bob = world
    result = await alice.slash(channel, path, **NO_MATCH[path])
    assert result.ephemeral, (path, result.response.content)
    reply = commands.run(env.bot.app, path, NO_MATCH[path])
    assert reply.kind == "no-match" and result.response.content == reply.payload()["content"]


@pytest.mark.parametrize("path", sorted(NEAR_MISS))
async def test_a_near_miss_offers_the_entry_meant_and_its_button_answers(world, path):
    env, guild, channel, alice, bob = world
    options, meant, title = NEAR_MISS[path]
    result = await alice.slash(channel, path, **options)
    assert result.ephemeral
    assert f"Did you mean: **{meant}**?" in result.response.content
    labels = [b["label"] for row in result.response.components for b in row["components"]]
    assert labels == [meant]
    clicked = await alice.click(result.response, label=meant)
    assert clicked.response.embeds[0].title == title


async def test_did_you_mean_button_runs_the_suggestion(world):
    env, guild, channel, alice, bob = world
    result = await alice.slash(channel, "person", name="Panickssery")
    assert result.ephemeral
    labels = [b["label"] for row in result.response.components for b in row["components"]]
    assert sorted(labels) == ["Arjun Panickssery", "Nina Panickssery"]
    clicked = await alice.click(result.response, label="Nina Panickssery")
    assert clicked.response.embeds[0].title == "Nina Panickssery"


async def test_autocomplete_cuts_long_titles_and_uses_ids(world):
    env, guild, channel, alice, bob = world
    long_title = max((p.title for p in env.bot.app.catalog.papers.values()), key=len)
    assert len(long_title) > 100
    choices = await alice.autocomplete(channel, "paper show", "title", "catastrophic goodhart")
    assert choices and choices[0]["value"] == "catastrophic-goodhart-regularizing-rlhf-with-kl"
    assert 1 <= len(choices[0]["name"]) <= 100 and choices[0]["name"].endswith("…")
    empty = await alice.autocomplete(channel, "paper show", "title", "")
    assert 1 <= len(empty) <= 25
    people = await alice.autocomplete(channel, "person", "name", "")
    assert len(people) == 25
    assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices + empty + people)


async def test_pages_turn_for_the_invoker_only_and_never_expire(world):
    env, guild, channel, alice, bob = world
    result = await alice.slash(channel, "alumni")
    first = result.response.embeds[0].fields[0].name
    refused = await bob.click(result.response, label="Next ▶")
    assert refused.ephemeral and "Only the person who asked" in refused.response.content
    turned = await alice.click(result.response, label="Next ▶")
    assert turned.response.embeds[0].fields[0].name != first
    assert turned.response.embeds[0].fields[0].name.startswith("11.")
    await env.advance_time(3600)  # long past discord.py's default view timeout
    message = channel.last_message
    back = await alice.click(message, label="◀ Previous")
    assert back.response.embeds[0].fields[0].name == first


async def test_an_error_in_a_command_becomes_a_clean_ephemeral_reply(world):
    env, guild, channel, alice, bob = world
    # A real failure inside the command: the loaded catalog loses its people under the search index.
    env.bot.app.catalog.people.clear()
    result = await alice.slash(channel, "person", name="Marius Hobbhahn")
    assert result.ephemeral
    assert "something went wrong" in result.response.content
    assert "KeyError" not in result.response.content
    simcord.assert_error(env, KeyError)


@pytest.mark.parametrize("text", [t for t in BAD if t.strip() and "\x00" not in t][:40])
async def test_bad_input_through_discord(world, text):
    env, guild, channel, alice, bob = world
    for path, option in (("paper search", "query"), ("person", "name")):
        result = await alice.slash(channel, path, **{option: text})
        assert result.acknowledged
        body = [r for r in env.http_requests if r.path.endswith("/callback")][-1].json
        assert body["data"]["allowed_mentions"] == {"parse": []}
